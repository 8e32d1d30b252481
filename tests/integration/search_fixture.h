// The search stack over a real store: SQLite (two workspaces), FAISS shards in a temp dir,
// FTS5, the builtin embedder and a fixed clock. add() does what the index step does,
// without images, so a test can build a library of hundreds of assets in a second.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "integration/library_db_fixture.h"
#include "jobs/index_asset.h"
#include "models/builtin/builtin_analyser.h"
#include "models/builtin/builtin_embedder.h"
#include "search/catalog.h"
#include "search/embedded/faiss_vector_index.h"
#include "search/embedded/sqlite_text_index.h"
#include "services/search_service.h"

namespace adloom::testing {

class FixedClock final : public Clock {
 public:
  TimeMs now_ms() const override { return now; }
  TimeMs now = 1'790'000'000'000;  // 2026-09-22
};

struct AssetSpec {
  std::string description;
  std::string channel;
  std::string objective;
  std::string audience;
  std::string campaign;  // a campaign name, created on first use
  std::string campaign_description;
  std::vector<std::string> tags;
  std::string start_date;
  std::string kind = "uploaded";
  std::vector<KpiValue> kpis;
  std::vector<float> vector;  // empty: the embedder's vector of the text (and image)
  std::string image;          // encoded image bytes for the embedder; may be empty
};

class SearchTest : public LibraryDbTest {
 public:
  // An asset for filter tests: its text is its tags and "advert".
  Asset add_for_filters(const RequestContext& ctx, const std::string& channel,
                        const std::string& objective, const std::string& kind,
                        const std::string& date, const std::vector<std::string>& tags,
                        double impressions) {
    std::string text;
    for (const auto& t : tags) text += t + " ";
    return add(ctx, {.description = text + "advert",
                     .channel = channel,
                     .objective = objective,
                     .tags = tags,
                     .start_date = date,
                     .kind = kind,
                     .kpis = {{"impressions", impressions, "", "test", 0}}});
  }

 protected:
  void SetUp() override {
    LibraryDbTest::SetUp();
    auto embedder = BuiltinEmbedder::create({});
    ASSERT_TRUE(embedder.is_ok());
    embedder_ = std::move(embedder).value();
    open_index();
    text_ = std::make_unique<SqliteTextIndex>(*db_);
    catalogs_ = std::make_unique<Catalogs>(*store_);
    make_service(SearchOptions{});
  }

  void open_index() {
    auto index = FaissVectorIndex::open(dir_.str() + "/vectors", embedder_->dimension());
    ASSERT_TRUE(index.is_ok()) << index.status().to_string();
    vectors_ = std::move(index).value();
  }

  void make_service(SearchOptions options) {
    service_ = std::make_unique<SearchService>(*store_, *catalogs_, *vectors_, *text_, *embedder_,
                                               clock_, options);
  }

  // An indexed asset; returns it (with its label).
  Asset add(const RequestContext& ctx, const AssetSpec& spec) {
    NewAsset a;
    a.kind = spec.kind;
    a.sha256 = std::to_string(++serial_);
    a.mime = "image/jpeg";
    a.bytes = 1;
    a.width = 10;
    a.height = 10;
    a.fields.description = spec.description;
    a.fields.channel = spec.channel;
    a.fields.objective = spec.objective;
    a.fields.audience = spec.audience;
    a.fields.tags = spec.tags;
    a.fields.start_date = spec.start_date;
    if (!spec.campaign.empty()) {
      CampaignFields c;
      c.name = spec.campaign;
      c.description = spec.campaign_description;
      auto campaign = store_->upsert_campaign(ctx, c);
      EXPECT_TRUE(campaign.is_ok());
      a.campaign_id = campaign->id;
    }
    auto inserted = store_->insert_asset(ctx, a);
    EXPECT_TRUE(inserted.is_ok()) << inserted.status().to_string();
    const Asset asset = inserted->first;
    if (!spec.kpis.empty()) {
      EXPECT_TRUE(store_->set_asset_kpis(ctx, asset.id, spec.kpis).is_ok());
    }
    // As the index step does: the analyser's description (colours, tone) joins the text.
    if (!spec.image.empty()) {
      auto analysis = analyser_.analyse(spec.image, AnalyseOptions{.ocr = false}, {});
      EXPECT_TRUE(analysis.is_ok()) << analysis.status().to_string();
      EXPECT_TRUE(store_->set_analysis(ctx, asset.id, "{}", "", analysis->description).is_ok());
    }
    std::vector<float> vec = spec.vector;
    if (vec.empty()) {
      std::optional<Campaign> campaign;
      if (asset.campaign_id) campaign = *store_->get_campaign(ctx, *asset.campaign_id);
      auto embedded = embedder_->embed(
          {asset_text(*store_->get_asset(ctx, asset.id), campaign), spec.image}, {});
      EXPECT_TRUE(embedded.is_ok()) << embedded.status().to_string();
      vec = *embedded;
    }
    EXPECT_TRUE(store_->put_embedding(ctx, asset.id, embedder_->model_id(), vec).is_ok());
    EXPECT_TRUE(vectors_->upsert(ctx.workspace_id, asset.label, vec).is_ok());
    EXPECT_TRUE(store_->write_text_index(ctx, asset.id).is_ok());
    EXPECT_TRUE(store_->set_index_state(ctx, asset.id, IndexState::kIndexed, std::nullopt).is_ok());
    return asset;
  }

  SearchResult search(const RequestContext& ctx, const SearchRequest& req) {
    auto r = service_->search(ctx, req);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? *r : SearchResult{};
  }

  static std::vector<KpiValue> counts(double impressions, double clicks) {
    return {{"impressions", impressions, "", "test", 0}, {"clicks", clicks, "", "test", 0}};
  }

  static std::vector<AssetId> ids(const SearchResult& r) {
    std::vector<AssetId> out;
    for (const auto& h : r.hits) out.push_back(h.id);
    return out;
  }

  FixedClock clock_;
  BuiltinAnalyser analyser_;
  std::unique_ptr<BuiltinEmbedder> embedder_;
  std::unique_ptr<FaissVectorIndex> vectors_;
  std::unique_ptr<SqliteTextIndex> text_;
  std::unique_ptr<Catalogs> catalogs_;
  std::unique_ptr<SearchService> service_;
  int serial_ = 0;
};

}  // namespace adloom::testing
