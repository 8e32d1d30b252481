// SearchService semantics on a real store and index: evidence-weighted KPIs, filters that
// never leak (property test, both the HNSW and the exact path), workspace isolation, MMR
// diversity, explanations that add up, and the catalog following the store.
#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "integration/search_fixture.h"

namespace adloom {
namespace {

using testing::AssetSpec;

class SearchServiceTest : public testing::SearchTest {};

TEST_F(SearchServiceTest, OneClickOnTwoImpressionsDoesNotBeatThreeThousandOnAHundredThousand) {
  // A workspace whose instagram/clicks creative runs at 1.5–2.5 % CTR.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> ctr(0.015, 0.025);
  for (int i = 0; i < 20; ++i) {
    const double impressions = 20000 + 4000 * i;
    add(ctx_, {.description = "autumn jacket advert " + std::to_string(i),
               .channel = "instagram",
               .objective = "clicks",
               .kpis = counts(impressions, std::round(impressions * ctr(rng)))});
  }
  const Asset lucky = add(ctx_, {.description = "winter boots advert",
                                 .channel = "instagram",
                                 .objective = "clicks",
                                 .kpis = counts(2, 1)});
  const Asset proven = add(ctx_, {.description = "winter boots advert",
                                  .channel = "instagram",
                                  .objective = "clicks",
                                  .kpis = counts(100000, 3000)});
  SearchRequest req;
  req.text = "winter boots";
  req.rank = RankOptions{.kpi = "ctr", .kpi_weight = 0.5, .diversity = 0};
  const SearchResult r = search(ctx_, req);
  ASSERT_GE(r.hits.size(), 2U);
  const std::vector<AssetId> order = ids(r);
  const auto pos = [&](const AssetId& id) {
    return std::find(order.begin(), order.end(), id) - order.begin();
  };
  EXPECT_LT(pos(proven.id), pos(lucky.id)) << r.hits[0].explanation;
  const SearchHit& p = r.hits[static_cast<std::size_t>(pos(proven.id))];
  const SearchHit& l = r.hits[static_cast<std::size_t>(pos(lucky.id))];
  ASSERT_TRUE(p.kpi && l.kpi);
  EXPECT_GT(p.kpi->evidence.value, l.kpi->evidence.value);
  EXPECT_NEAR(l.kpi->evidence.raw, 0.5, 1e-12);  // measured 50 % …
  EXPECT_LT(l.kpi->evidence.value, 0.03);        // … but smoothed to the typical rate
  EXPECT_GT(l.kpi->evidence.sd, p.kpi->evidence.sd);
  EXPECT_EQ(p.kpi->evidence.scope, "instagram/clicks");
  EXPECT_GT(p.kpi->evidence.percentile, 0.9);
  EXPECT_NE(p.explanation.find("on 100k impressions"), std::string::npos) << p.explanation;
  EXPECT_NE(p.explanation.find("percentile in instagram/clicks"), std::string::npos);
}

TEST_F(SearchServiceTest, CampaignKpisStandInWhenTheAssetHasNone) {
  const Asset a = add(ctx_, {.description = "espresso cup", .campaign = "Coffee week"});
  auto campaign = store_->upsert_campaign(ctx_, CampaignFields{.name = "Coffee week"});
  ASSERT_TRUE(campaign.is_ok());
  ASSERT_TRUE(store_->set_campaign_kpis(ctx_, campaign->id, counts(10000, 400)).is_ok());
  SearchRequest req;
  req.text = "espresso";
  const SearchResult r = search(ctx_, req);
  ASSERT_EQ(r.hits.size(), 1U);
  EXPECT_EQ(r.hits[0].id, a.id);
  ASSERT_TRUE(r.hits[0].kpi);
  EXPECT_TRUE(r.hits[0].kpi->evidence.from_campaign);
  EXPECT_DOUBLE_EQ(r.hits[0].kpi->evidence.trials, 10000);
  EXPECT_NE(r.hits[0].explanation.find("campaign-level KPIs"), std::string::npos);
}

// Random libraries and random filters: every hit passes the filter, and when at least k
// assets pass, k come back. Run through the HNSW walk and through the exact scan.
void check_filters_never_leak(testing::SearchTest& t, SearchService& service,
                              const RequestContext& ctx, const std::string& expected_mode,
                              std::uint32_t seed) {
  const std::vector<std::string> channels = {"instagram", "facebook", "display", "email"};
  const std::vector<std::string> objectives = {"clicks", "awareness", "conversions"};
  const std::vector<std::string> tags = {"summer", "sale", "shoes", "coffee", "travel"};
  std::mt19937 rng(seed);
  auto pick = [&rng](const auto& v) { return v[rng() % v.size()]; };
  struct Row {
    AssetId id;
    std::string channel, objective, kind, date;
    std::vector<std::string> tags;
    double impressions;
  };
  std::vector<Row> rows;
  for (int i = 0; i < 300; ++i) {
    Row row{"",
            pick(channels),
            pick(objectives),
            rng() % 4 == 0 ? "generated" : "uploaded",
            "2026-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 10),
            {pick(tags)},
            static_cast<double>(1000 * (1 + rng() % 100))};
    if (rng() % 2 == 0) row.tags.push_back(pick(tags));
    std::sort(row.tags.begin(), row.tags.end());
    row.tags.erase(std::unique(row.tags.begin(), row.tags.end()), row.tags.end());
    const Asset a = t.add_for_filters(ctx, row.channel, row.objective, row.kind, row.date, row.tags,
                                      row.impressions);
    row.id = a.id;
    rows.push_back(row);
  }
  for (int trial = 0; trial < 120; ++trial) {
    SearchRequest req;
    req.text = pick(tags) + " advert";
    req.k = 10;
    SearchFilter& f = req.filter;
    if (rng() % 2 == 0) f.channels = {pick(channels)};
    if (rng() % 3 == 0) f.channels.push_back(pick(channels));
    if (rng() % 2 == 0) f.objectives = {pick(objectives)};
    if (rng() % 3 == 0) f.tags = {pick(tags)};
    if (rng() % 4 == 0) f.kind = rng() % 2 == 0 ? "generated" : "uploaded";
    if (rng() % 4 == 0) f.date_from = "2026-04-01";
    if (rng() % 4 == 0) f.date_to = "2026-07-15";
    if (rng() % 4 == 0) f.min_kpis = {{"impressions", static_cast<double>(1000 * (rng() % 100))}};
    if (f.empty()) f.channels = {pick(channels)};
    std::set<AssetId> allowed;
    for (const auto& row : rows) {
      auto any = [](const std::vector<std::string>& want, const std::string& have) {
        return want.empty() || std::find(want.begin(), want.end(), have) != want.end();
      };
      bool ok = any(f.channels, row.channel) && any(f.objectives, row.objective);
      for (const auto& tag : f.tags) ok = ok && std::count(row.tags.begin(), row.tags.end(), tag);
      if (f.kind) ok = ok && *f.kind == row.kind;
      if (f.date_from) ok = ok && row.date >= *f.date_from;
      if (f.date_to) ok = ok && row.date <= *f.date_to;
      for (const auto& m : f.min_kpis) ok = ok && row.impressions >= m.min;
      if (ok) allowed.insert(row.id);
    }
    auto r = service.search(ctx, req);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    for (const auto& h : r->hits) {
      ASSERT_TRUE(allowed.contains(h.id)) << "trial " << trial << ": " << h.id << " leaked";
    }
    EXPECT_EQ(r->hits.size(), std::min<std::size_t>(10, allowed.size())) << "trial " << trial;
    if (!allowed.empty()) {
      EXPECT_EQ(r->stats.vector_mode, expected_mode) << "trial " << trial;
    }
  }
}

TEST_F(SearchServiceTest, FiltersNeverLeakThroughTheHnswWalk) {
  SearchOptions options;
  options.scan_plan = SearchOptions::ScanPlan::kNeverExact;
  make_service(options);
  check_filters_never_leak(*this, *service_, ctx_, "hnsw", 11);
}

TEST_F(SearchServiceTest, FiltersNeverLeakThroughTheExactScan) {
  SearchOptions options;
  options.scan_plan = SearchOptions::ScanPlan::kAlwaysExact;
  make_service(options);
  check_filters_never_leak(*this, *service_, ctx_, "exact", 12);
}

TEST_F(SearchServiceTest, AWorkspaceNeverSeesAnotherOnesAssets) {
  const Asset mine = add(ctx_, {.description = "red sneakers", .channel = "instagram"});
  const Asset theirs = add(other_, {.description = "red sneakers", .channel = "instagram"});
  for (const auto* filter : {"", "instagram"}) {
    SearchRequest req;
    req.text = "red sneakers";
    if (*filter != '\0') req.filter.channels = {filter};
    EXPECT_EQ(ids(search(ctx_, req)), std::vector<AssetId>{mine.id});
    EXPECT_EQ(ids(search(other_, req)), std::vector<AssetId>{theirs.id});
  }
  // Another workspace's asset is unknown here, as a query image or an example.
  SearchRequest by_image;
  by_image.image_asset = theirs.id;
  EXPECT_EQ(service_->search(ctx_, by_image).status().code(), ErrorCode::kNotFound);
  SearchRequest liked;
  liked.like = {theirs.id};
  EXPECT_EQ(service_->search(ctx_, liked).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->similar(ctx_, theirs.id, 5, {}).status().code(), ErrorCode::kNotFound);
}

TEST_F(SearchServiceTest, MmrMovesAPlantedNearDuplicateDownTheList) {
  // Unit vectors in 512 dimensions: the query is e0; "a" and its near-twin "a2" are the
  // closest, "b" and "c" a little further but different from "a".
  auto unit = [this](std::vector<std::pair<int, float>> parts) {
    std::vector<float> v(static_cast<std::size_t>(embedder_->dimension()), 0.0F);
    double norm = 0;
    for (auto [i, x] : parts) {
      v[static_cast<std::size_t>(i)] = x;
      norm += double{x} * x;
    }
    for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
    return v;
  };
  const Asset a = add(ctx_, {.description = "a", .vector = unit({{0, 1}, {1, 0.30F}})});
  const Asset a2 = add(ctx_, {.description = "a2", .vector = unit({{0, 1}, {1, 0.31F}})});
  const Asset b = add(ctx_, {.description = "b", .vector = unit({{0, 1}, {2, 0.45F}})});
  const Asset c = add(ctx_, {.description = "c", .vector = unit({{0, 1}, {3, 0.5F}})});
  SearchRequest req;
  req.like = {};
  req.k = 3;
  // Query by an asset's vector would exclude it; use a liked asset at e0 instead.
  const Asset probe = add(ctx_, {.description = "probe", .vector = unit({{0, 1}})});
  req.like = {probe.id};
  req.rank = RankOptions{.kpi = "", .diversity = 0};
  EXPECT_EQ(ids(search(ctx_, req)), (std::vector<AssetId>{a.id, a2.id, b.id}));
  req.rank->diversity = 0.3;
  const SearchResult diverse = search(ctx_, req);
  EXPECT_EQ(ids(diverse), (std::vector<AssetId>{a.id, b.id, c.id}));
  req.k = 4;
  const SearchResult four = search(ctx_, req);
  ASSERT_EQ(four.hits.size(), 4U);
  EXPECT_EQ(four.hits[3].id, a2.id);
  EXPECT_EQ(four.hits[3].similar_to, a.id);
  EXPECT_GT(four.hits[3].redundancy, 0.99);
  EXPECT_NE(four.hits[3].explanation.find("placed lower for variety"), std::string::npos);
}

TEST_F(SearchServiceTest, ExplanationsAddUpToTheScore) {
  for (int i = 0; i < 30; ++i) {
    add(ctx_,
        {.description = (i % 2 == 0 ? "summer sale banner " : "winter coat ") + std::to_string(i),
         .channel = i % 3 == 0 ? "instagram" : "display",
         .objective = "clicks",
         .start_date = "2026-0" + std::to_string(1 + i % 8) + "-01",
         .kpis = counts(1000.0 * (i + 1), 10.0 * i)});
  }
  SearchRequest req;
  req.text = "summer sale";
  req.k = 20;
  req.rank = RankOptions{
      .kpi = "ctr", .kpi_weight = 0.4, .text_weight = 0.3, .half_life_days = 90, .diversity = 0.2};
  const SearchResult r = search(ctx_, req);
  ASSERT_EQ(r.hits.size(), 20U);
  for (const auto& h : r.hits) {
    EXPECT_NEAR(h.parts.similarity + h.parts.text + h.parts.kpi, h.score, 1e-12) << h.explanation;
    const double expected = ((1 - 0.4) * (0.7 * std::max(0.0, h.similarity) + 0.3 * h.text_match) +
                             0.4 * h.kpi_percentile) *
                            h.recency;
    EXPECT_NEAR(h.score, expected, 1e-12);
    EXPECT_NEAR(h.recency, std::pow(0.5, h.age_days / 90.0), 1e-12);
    EXPECT_NE(h.explanation.find(fmt::format("score {:.3f}", h.score)), std::string::npos)
        << h.explanation;
  }
  // The matching words are named, in the query's spelling.
  EXPECT_EQ(r.hits[0].matched_words, (std::vector<std::string>{"summer", "sale"}));
}

TEST_F(SearchServiceTest, PagesFollowEachOtherWithoutRepeats) {
  for (int i = 0; i < 40; ++i) add(ctx_, {.description = "garden chair " + std::to_string(i)});
  SearchRequest req;
  req.text = "garden chair";
  req.k = 15;
  std::set<AssetId> seen;
  int pages = 0;
  for (;;) {
    const SearchResult r = search(ctx_, req);
    for (const auto& h : r.hits) EXPECT_TRUE(seen.insert(h.id).second) << h.id << " repeated";
    ++pages;
    if (!r.next_offset) break;
    req.offset = *r.next_offset;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 40U);
}

TEST_F(SearchServiceTest, TheCatalogFollowsKpiChangesAndDeletions) {
  const Asset a = add(ctx_, {.description = "lemonade stand", .channel = "display"});
  SearchRequest req;
  req.text = "lemonade";
  req.filter.min_kpis = {{"ctr", 0.02}};
  EXPECT_TRUE(search(ctx_, req).hits.empty());
  ASSERT_TRUE(store_->set_asset_kpis(ctx_, a.id, counts(1000, 30)).is_ok());
  EXPECT_EQ(ids(search(ctx_, req)), std::vector<AssetId>{a.id});  // ctr 3 % from the counts
  ASSERT_TRUE(store_->delete_asset(ctx_, a.id).is_ok());
  req.filter = {};
  EXPECT_TRUE(search(ctx_, req).hits.empty());  // the index still has it; the catalog does not
}

// The exact scan lists a filter's candidates from the catalog's postings, which keep stale
// labels until they are rebuilt: assets moving between channels and tags, back and forth
// past the rebuild threshold, and deleted, must still come back exactly once when they
// pass and never when they do not.
TEST_F(SearchServiceTest, TheExactScanFollowsAssetsMovingBetweenChannelsAndTags) {
  SearchOptions options;
  options.scan_plan = SearchOptions::ScanPlan::kAlwaysExact;
  make_service(options);
  std::vector<Asset> assets;
  for (int i = 0; i < 3; ++i) {
    assets.push_back(
        add(ctx_, {.description = "lemon tart", .channel = "display", .tags = {"sale"}}));
  }
  const auto found = [&](const std::string& channel, const std::string& tag) {
    SearchRequest req;
    req.text = "lemon";
    req.filter.channels = {channel};
    if (!tag.empty()) req.filter.tags = {tag};
    auto r = search(ctx_, req);
    EXPECT_EQ(r.stats.vector_mode, "exact");
    auto got = ids(r);
    std::sort(got.begin(), got.end());
    return got;
  };
  const auto move = [&](const Asset& a, const std::string& channel, const std::string& tag) {
    AssetFields f = a.fields;
    f.channel = channel;
    f.tags = {tag};
    ASSERT_TRUE(store_->update_asset(ctx_, a.id, f, a.campaign_id).is_ok());
  };
  std::vector<AssetId> all;
  for (const auto& a : assets) all.push_back(a.id);
  std::sort(all.begin(), all.end());
  ASSERT_EQ(found("display", "sale"), all);
  // 800 rounds of three moves post 2,400 labels: past the rebuild threshold (2,048).
  for (int round = 0; round < 800; ++round) {
    const bool odd = round % 2 == 1;
    for (const auto& a : assets) move(a, odd ? "display" : "email", odd ? "sale" : "summer");
    const auto want = std::vector<AssetId>{};
    ASSERT_EQ(found(odd ? "email" : "display", ""), want) << "round " << round;
    if (round % 100 == 0 || round == 799) {
      ASSERT_EQ(found(odd ? "display" : "email", odd ? "sale" : "summer"), all) << round;
      ASSERT_EQ(found(odd ? "display" : "email", odd ? "summer" : "sale"), want) << round;
    }
  }
  // Round 799 left them in display/sale. One is deleted: gone from the listing.
  ASSERT_TRUE(store_->delete_asset(ctx_, assets[0].id).is_ok());
  all.erase(std::find(all.begin(), all.end(), assets[0].id));
  EXPECT_EQ(found("display", "sale"), all);
}

TEST_F(SearchServiceTest, UnknownFilterValuesMatchNothingAndBadOnesAreErrors) {
  add(ctx_, {.description = "tea pot", .channel = "instagram"});
  SearchRequest req;
  req.text = "tea";
  req.filter.channels = {"tiktok"};
  EXPECT_TRUE(search(ctx_, req).hits.empty());
  req.filter = {};
  req.filter.date_from = "last week";
  EXPECT_EQ(service_->search(ctx_, req).status().code(), ErrorCode::kInvalidArgument);
  req.filter = {};
  req.rank = RankOptions{.kpi_weight = 2};
  EXPECT_EQ(service_->search(ctx_, req).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->search(ctx_, SearchRequest{}).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace adloom
