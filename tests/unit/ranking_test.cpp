// The pure parts of ranking: the Beta prior and smoothing, KPI periods, percentiles,
// recency, the score's parts, MMR, briefs and cursors.
#include "search/ranking.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "api/search_json.h"
#include "core/brief.h"
#include "search/kpi_evidence.h"

namespace adloom {
namespace {

std::vector<RateObservation> typical_group(int n, double lo, double hi, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> rate(lo, hi);
  std::vector<RateObservation> out;
  for (int i = 0; i < n; ++i) {
    const double trials = 10000 + 5000.0 * i;
    const double successes = std::round(trials * rate(rng));
    out.push_back({successes, trials, successes / trials});
  }
  return out;
}

TEST(KpiEvidenceTest, PriorMeanIsThePooledRateAndNoiseIsNotVariance) {
  auto obs = typical_group(30, 0.018, 0.022, 1);
  const BetaPrior prior = estimate_prior(obs, std::nullopt);
  double s = 0;
  double n = 0;
  for (const auto& o : obs) {
    s += o.successes;
    n += o.trials;
  }
  EXPECT_NEAR(prior.mean, s / n, 1e-12);
  EXPECT_EQ(prior.assets, 30);
  // Rates within ±0.2 points of 2 %: a strong prior, worth thousands of impressions.
  EXPECT_GT(prior.strength, 2000);
  // Identical true rates (all spread is binomial noise) give the strongest prior.
  std::vector<RateObservation> same;
  for (int i = 0; i < 20; ++i) same.push_back({200, 10000, 0.02});
  EXPECT_DOUBLE_EQ(estimate_prior(same, std::nullopt).strength, kMaxStrength);
}

TEST(KpiEvidenceTest, ALuckyTinySampleBarelyMovesThePriorOrItsRank) {
  auto obs = typical_group(20, 0.015, 0.025, 2);
  obs.push_back({1, 2, 0.5});
  const BetaPrior prior = estimate_prior(obs, std::nullopt);
  const SmoothedRate lucky = smooth_rate({1, 2, 0.5}, prior);
  const SmoothedRate proven = smooth_rate({3000, 100000, 0.03}, prior);
  EXPECT_GT(proven.value, lucky.value);
  EXPECT_LT(lucky.value, 0.025);
  EXPECT_NEAR(proven.value, 0.03, 0.002);
  EXPECT_GT(lucky.sd, proven.sd);
}

TEST(KpiEvidenceTest, SmallGroupsFallBackToThePoolThenToADefault) {
  const BetaPrior pool{0.03, 500, 40};
  auto few = typical_group(3, 0.01, 0.02, 3);
  const BetaPrior from_pool = estimate_prior(few, pool);
  EXPECT_DOUBLE_EQ(from_pool.mean, 0.03);
  EXPECT_DOUBLE_EQ(from_pool.strength, 500);
  const BetaPrior weak = estimate_prior(few, std::nullopt);
  EXPECT_DOUBLE_EQ(weak.strength, kDefaultStrength);
  EXPECT_EQ(weak.assets, 0);
  EXPECT_DOUBLE_EQ(estimate_prior({}, std::nullopt).mean, 0.01);
}

TEST(KpiEvidenceTest, ARateWithoutCountsWeighsAsMuchAsThePrior) {
  const BetaPrior prior{0.02, 1000, 10};
  EXPECT_NEAR(smooth_rate({0, 0, 0.04}, prior).value, 0.03, 1e-12);
}

TEST(KpiEvidenceTest, PeriodsMergeByKind) {
  TermTable terms;
  const KpiSet set = merge_kpi_periods({{"impressions", "2026-Q1", 1000, false},
                                        {"impressions", "2026-Q2", 3000, false},
                                        {"clicks", "", 90, false},
                                        {"clicks", "2026-Q2", 10, false},
                                        {"ctr", "2026-Q1", 0.01, false},
                                        {"ctr", "2026-Q2", 0.02, false}},
                                       terms);
  EXPECT_EQ(set.get(*terms.find("impressions")), 4000);  // counts add up
  EXPECT_EQ(set.get(*terms.find("clicks")), 90);         // the lifetime value wins
  EXPECT_EQ(set.get(*terms.find("ctr")), 0.02);          // rates: the latest period
  const RateSpec* ctr = find_rate_spec("ctr");
  ASSERT_NE(ctr, nullptr);
  auto obs = observe_rate(set, *ctr, terms);
  ASSERT_TRUE(obs);
  EXPECT_DOUBLE_EQ(obs->trials, 4000);
  EXPECT_DOUBLE_EQ(obs->rate, 90.0 / 4000);
  EXPECT_EQ(find_rate_spec("spend"), nullptr);
}

TEST(RankingTest, PercentilesCountTiesHalf) {
  const std::vector<double> v = {1, 2, 2, 3};
  EXPECT_DOUBLE_EQ(percentile_of(v, 0), 0);
  EXPECT_DOUBLE_EQ(percentile_of(v, 2), 0.5);
  EXPECT_DOUBLE_EQ(percentile_of(v, 3), 0.875);
  EXPECT_DOUBLE_EQ(percentile_of(v, 9), 1);
  EXPECT_DOUBLE_EQ(percentile_of({}, 1), 0.5);
}

TEST(RankingTest, RecencyHalvesEveryHalfLife) {
  EXPECT_DOUBLE_EQ(recency_factor(100, 130, 30.0), 0.5);
  EXPECT_DOUBLE_EQ(recency_factor(100, 160, 30.0), 0.25);
  EXPECT_DOUBLE_EQ(recency_factor(100, 160, std::nullopt), 1);
  EXPECT_DOUBLE_EQ(recency_factor(200, 160, 30.0), 1);  // a future start date
}

TEST(RankingTest, ScorePartsAddUp) {
  const ScoreParts p = combine_score(0.8, 0.5, 0.9, 0.5, 0.3, 0.4);
  EXPECT_NEAR(p.similarity, 0.6 * 0.5 * 0.7 * 0.8, 1e-15);
  EXPECT_NEAR(p.text, 0.6 * 0.5 * 0.3 * 0.5, 1e-15);
  EXPECT_NEAR(p.kpi, 0.4 * 0.5 * 0.9, 1e-15);
  EXPECT_DOUBLE_EQ(p.score, p.similarity + p.text + p.kpi);
  EXPECT_DOUBLE_EQ(combine_score(-0.3, 0, 0.5, 1, 0, 0).score, 0);  // negative cosine is 0
}

TEST(RankingTest, MmrSkipsANearDuplicateUntilOthersAreUsed) {
  // Candidates in score order: a, a' (a's twin), b, c.
  const std::vector<double> scores = {0.9, 0.89, 0.8, 0.7};
  const std::vector<std::vector<float>> vecs = {
      {1, 0, 0}, {0.999F, 0.0447F, 0}, {0, 1, 0}, {0, 0, 1}};
  auto order = [&](double lambda) {
    std::vector<std::size_t> out;
    for (const auto& p : mmr_order(scores, vecs, lambda, 4)) out.push_back(p.index);
    return out;
  };
  EXPECT_EQ(order(1.0), (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(order(0.7), (std::vector<std::size_t>{0, 2, 3, 1}));
  const auto picks = mmr_order(scores, vecs, 0.7, 4);
  EXPECT_EQ(picks[3].similar_to, 0);
  EXPECT_NEAR(picks[3].redundancy, 0.999, 1e-6);
  EXPECT_EQ(mmr_order(scores, vecs, 0.7, 2).size(), 2U);
}

TEST(BriefTest, TheObjectiveChoosesTheKpi) {
  EXPECT_EQ(kpi_for_objective("Conversions"), "conversion_rate");
  EXPECT_EQ(kpi_for_objective("online sales"), "conversion_rate");
  EXPECT_EQ(kpi_for_objective("engagement"), "engagement_rate");
  EXPECT_EQ(kpi_for_objective("awareness"), "ctr");
  EXPECT_EQ(brief_text({.name = "Spring", .product = "shoes", .audience = "runners"}),
            "shoes\nrunners\nSpring");
}

TEST(SearchJsonTest, CursorsRoundTripAndStrangersAreRefused) {
  EXPECT_EQ(*decode_cursor(encode_cursor(40)), 40);
  for (const char* bad : {"", "p", "p-1", "q10", "p10x", "p99999999999"}) {
    EXPECT_FALSE(decode_cursor(bad).is_ok()) << bad;
  }
}

TEST(SearchJsonTest, RequestsAreReadStrictly) {
  auto ok = parse_search_request(nlohmann::json::parse(
      R"({"text":"shoes","filters":{"channel":["instagram","facebook"],"min_kpi":{"ctr":0.02},
          "review_state":"approved","date_from":"2026-01-01"},"k":5,
          "rank":{"kpi":null,"half_life_days":30}})"));
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->filter.channels, (std::vector<std::string>{"instagram", "facebook"}));
  EXPECT_EQ(ok->filter.min_kpis[0].metric, "ctr");
  EXPECT_EQ(ok->filter.review[0], ReviewState::kApproved);
  EXPECT_EQ(ok->k, 5);
  ASSERT_TRUE(ok->rank);
  EXPECT_EQ(ok->rank->kpi, "");
  EXPECT_EQ(ok->rank->half_life_days, 30);
  EXPECT_FALSE(parse_search_request(nlohmann::json::parse(R"({"txt":"x"})")).is_ok());
  EXPECT_FALSE(parse_search_request(nlohmann::json::parse(R"({"image":"cmp_1"})")).is_ok());
  EXPECT_FALSE(parse_search_request(nlohmann::json::parse(R"({"k":1.5})")).is_ok());
  EXPECT_FALSE(parse_search_request(nlohmann::json::parse(R"({"image_base64":"abc"})")).is_ok());
  auto b64 = parse_search_request(nlohmann::json::parse(R"({"image_base64":"aGk="})"));
  ASSERT_TRUE(b64.is_ok());
  EXPECT_EQ(b64->image_bytes, "hi");
}

}  // namespace
}  // namespace adloom
