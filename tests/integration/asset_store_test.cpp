// SqliteAssetStore on a real database: campaigns, assets, KPIs, text index, deletion.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "integration/library_db_fixture.h"
#include "store/sqlite/sqlite_asset_store.h"
#include "store/sqlite/sqlite_metadata_store.h"

namespace adloom {
namespace {

class AssetStoreTest : public testing::LibraryDbTest {
 protected:
  NewAsset asset(const std::string& sha, const std::string& channel = "instagram",
                 std::vector<std::string> tags = {}) {
    NewAsset a;
    a.sha256 = sha;
    a.mime = "image/jpeg";
    a.bytes = 1234;
    a.width = 1024;
    a.height = 768;
    a.thumb_key = "thumb-" + sha;
    a.fields.channel = channel;
    a.fields.tags = std::move(tags);
    a.fields.description = "Beach towels in bright orange";
    return a;
  }

  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->read([&](sqlite::Connection& c) -> Status {
                     ADLOOM_ASSIGN(auto q, c.prepare(sql));
                     ADLOOM_ASSIGN(bool row, q.step());
                     if (row) n = q.column_int(0);
                     return Status::ok();
                   })
                    .is_ok());
    return n;
  }
};

TEST_F(AssetStoreTest, CampaignUpsertKeepsFieldsNotGiven) {
  auto c1 = store_->upsert_campaign(
      ctx_, {"Summer 2026", "Beach range", "instagram", "clicks", "", "", ""});
  ASSERT_TRUE(c1.is_ok()) << c1.status().to_string();
  auto c2 = store_->upsert_campaign(ctx_, {"Summer 2026", "", "", "", "18-24", "", ""});
  ASSERT_TRUE(c2.is_ok());
  EXPECT_EQ(c1->id, c2->id);
  EXPECT_EQ(c2->fields.description, "Beach range");
  EXPECT_EQ(c2->fields.audience, "18-24");
  EXPECT_EQ(store_->upsert_campaign(ctx_, {}).status().code(), ErrorCode::kInvalidArgument);
  // Same name in another workspace is another campaign.
  auto c3 = store_->upsert_campaign(other_, {"Summer 2026", "", "", "", "", "", ""});
  ASSERT_TRUE(c3.is_ok());
  EXPECT_NE(c3->id, c1->id);
  EXPECT_EQ(store_->get_campaign(other_, c1->id).status().code(), ErrorCode::kNotFound);
}

TEST_F(AssetStoreTest, SameBytesInAWorkspaceAreOneAsset) {
  auto a = store_->insert_asset(ctx_, asset("aa11"));
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_TRUE(a->second);
  auto again = store_->insert_asset(ctx_, asset("aa11"));
  ASSERT_TRUE(again.is_ok());
  EXPECT_FALSE(again->second);
  EXPECT_EQ(again->first.id, a->first.id);
  // Another workspace gets its own asset (and its own label) for the same bytes.
  auto other = store_->insert_asset(other_, asset("aa11"));
  ASSERT_TRUE(other.is_ok());
  EXPECT_TRUE(other->second);
  EXPECT_NE(other->first.label, a->first.label);
  EXPECT_EQ(a->first.index_state, IndexState::kPending);
  EXPECT_EQ(a->first.blob_key, "aa11");
}

TEST_F(AssetStoreTest, KpisUpsertByMetricAndPeriod) {
  auto a = store_->insert_asset(ctx_, asset("bb22"));
  ASSERT_TRUE(a.is_ok());
  const auto& id = a->first.id;
  ASSERT_TRUE(
      store_
          ->set_asset_kpis(
              ctx_, id, {{"impressions", 1000, "", "upload", 0}, {"clicks", 30, "", "upload", 0}})
          .is_ok());
  ASSERT_TRUE(store_
                  ->set_asset_kpis(
                      ctx_, id, {{"clicks", 45, "", "csv", 0}, {"clicks", 5, "2026-Q3", "csv", 0}})
                  .is_ok());
  auto got = store_->get_asset(ctx_, id);
  ASSERT_TRUE(got.is_ok());
  ASSERT_EQ(got->kpis.size(), 3u);
  EXPECT_EQ(got->kpis[0].metric, "clicks");
  EXPECT_EQ(got->kpis[0].period, "");
  EXPECT_DOUBLE_EQ(got->kpis[0].value, 45);
  EXPECT_EQ(got->kpis[0].source, "csv");
  EXPECT_EQ(store_->set_asset_kpis(other_, id, {{"clicks", 1, "", "", 0}}).code(),
            ErrorCode::kNotFound);
}

TEST_F(AssetStoreTest, ListFiltersAndPages) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(
        store_
            ->insert_asset(ctx_, asset("c" + std::to_string(i), i % 2 ? "email" : "instagram",
                                       i < 3 ? std::vector<std::string>{"summer"}
                                             : std::vector<std::string>{}))
            .is_ok());
  }
  ASSERT_TRUE(store_->insert_asset(other_, asset("zz")).is_ok());
  AssetFilter f;
  f.limit = 3;
  std::vector<std::string> ids;
  for (;;) {
    auto page = store_->list_assets(ctx_, f);
    ASSERT_TRUE(page.is_ok());
    for (const auto& a : page->assets) ids.push_back(a.id);
    if (!page->next_cursor) break;
    f.before = page->next_cursor;
  }
  EXPECT_EQ(ids.size(), 7u);
  EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend()));
  AssetFilter email;
  email.channel = "email";
  EXPECT_EQ(store_->list_assets(ctx_, email)->assets.size(), 3u);
  AssetFilter tagged;
  tagged.tag = "summer";
  EXPECT_EQ(store_->list_assets(ctx_, tagged)->assets.size(), 3u);
  AssetFilter pending;
  pending.index_state = IndexState::kIndexed;
  EXPECT_EQ(store_->list_assets(ctx_, pending)->assets.size(), 0u);
}

TEST_F(AssetStoreTest, TextIndexCoversAssetAndCampaignText) {
  auto camp = store_->upsert_campaign(
      ctx_, {"Spring Launch", "Lemonade for hot days", "instagram", "awareness", "", "", ""});
  ASSERT_TRUE(camp.is_ok());
  auto na = asset("dd44");
  na.campaign_id = camp->id;
  auto a = store_->insert_asset(ctx_, na);
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  ASSERT_TRUE(
      store_->set_analysis(ctx_, a->first.id, "{}", "FRESH LEMONADE 2 FOR 1", "A yellow image")
          .is_ok());
  ASSERT_TRUE(store_->write_text_index(ctx_, a->first.id).is_ok());
  ASSERT_TRUE(store_->write_text_index(ctx_, a->first.id).is_ok());  // idempotent
  EXPECT_EQ(count("SELECT count(*) FROM asset_fts"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM asset_fts WHERE asset_fts MATCH 'lemonade'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM asset_fts WHERE asset_fts MATCH 'towels'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM asset_fts WHERE asset_fts MATCH 'ocr_text:fresh'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM asset_fts WHERE asset_fts MATCH 'snowboard'"), 0);
}

TEST_F(AssetStoreTest, EmbeddingsAreStoredAsFloats) {
  auto a = store_->insert_asset(ctx_, asset("ee55"));
  ASSERT_TRUE(a.is_ok());
  ASSERT_TRUE(store_->put_embedding(ctx_, a->first.id, "m1", {0.5F, -0.25F, 1.0F}).is_ok());
  ASSERT_TRUE(store_->put_embedding(ctx_, a->first.id, "m2", {1.0F, 0.0F}).is_ok());
  EXPECT_EQ(count("SELECT dimension FROM asset_embeddings"), 2);
  EXPECT_EQ(count("SELECT length(vector) FROM asset_embeddings"), 8);
  auto got = store_->get_embedding(ctx_, a->first.id, "m2");
  ASSERT_TRUE(got.is_ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, (std::vector<float>{1.0F, 0.0F}));
  EXPECT_FALSE(store_->get_embedding(ctx_, a->first.id, "m1")->has_value());
  EXPECT_FALSE(store_->get_embedding(other_, a->first.id, "m2")->has_value());
  auto all = store_->list_embeddings(ctx_, "m2");
  ASSERT_TRUE(all.is_ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].first, a->first.label);
  EXPECT_TRUE(store_->list_embeddings(ctx_, "m1")->empty());
  EXPECT_TRUE(store_->list_embeddings(other_, "m2")->empty());
  EXPECT_EQ(*store_->count_embeddings(ctx_, "m2"), 1);
  EXPECT_EQ(*store_->count_embeddings(ctx_, "m1"), 0);
  EXPECT_EQ(*store_->count_embeddings(other_, "m2"), 0);
}

TEST_F(AssetStoreTest, DeleteReturnsOnlyUnreferencedBlobs) {
  auto mine = store_->insert_asset(ctx_, asset("ff66"));
  auto theirs = store_->insert_asset(other_, asset("ff66"));
  ASSERT_TRUE(mine.is_ok() && theirs.is_ok());
  ASSERT_TRUE(store_->set_asset_kpis(ctx_, mine->first.id, {{"clicks", 1, "", "", 0}}).is_ok());
  auto orphans = store_->delete_asset(ctx_, mine->first.id);
  ASSERT_TRUE(orphans.is_ok());
  EXPECT_TRUE(orphans->empty()) << "the other workspace still uses the same bytes";
  EXPECT_EQ(store_->get_asset(ctx_, mine->first.id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(count("SELECT count(*) FROM asset_kpis"), 0);
  auto last = store_->delete_asset(other_, theirs->first.id);
  ASSERT_TRUE(last.is_ok());
  EXPECT_EQ(*last, (std::vector<std::string>{"ff66", "thumb-ff66"}));
  EXPECT_EQ(store_->delete_asset(other_, theirs->first.id).status().code(), ErrorCode::kNotFound);
}

TEST_F(AssetStoreTest, AnOriginalThatIsItsOwnPreviewIsReturnedOnce) {
  NewAsset na = asset("ab12");
  na.preview_key = na.sha256;
  auto a = store_->insert_asset(ctx_, na);
  ASSERT_TRUE(a.is_ok());
  auto orphans = store_->delete_asset(ctx_, a->first.id);
  ASSERT_TRUE(orphans.is_ok());
  EXPECT_EQ(*orphans, (std::vector<std::string>{"ab12", "thumb-ab12"}));
}

}  // namespace
}  // namespace adloom
