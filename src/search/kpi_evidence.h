// KPI evidence: how sure we are of an asset's rate (CTR, engagement, conversion), and its
// value smoothed toward what is typical, so 1 click on 2 impressions does not beat 3,000
// clicks on 100,000.
//
// Model. A rate metric is successes / trials (ctr = clicks / impressions). Across the
// assets of one channel and objective, true rates are taken to follow a Beta(α, β)
// prior, estimated from the workspace's own assets by the method of moments with the
// binomial noise removed, each rate weighted by its trials (so rates measured on a few
// impressions barely move the estimate): mean μ = Σs / Σn; between-asset variance
// v = (Σ n_i (r_i − μ)² − μ(1 − μ)(k − 1)) / (Σn − Σn_i² / Σn) over k assets; strength
// κ = α + β = μ(1 − μ) / v − 1, clamped to [kMinStrength, kMaxStrength]. With fewer than
// kMinPriorAssets such assets the workspace's pool is used instead, and with fewer still a weak
// default (strength kDefaultStrength around the pooled mean). The smoothed rate is the posterior
// mean (s + μκ) / (n + κ), with the posterior standard deviation as its ± figure. A rate given
// without its counts counts as observed on κ trials (half way to the prior).
//
// Other metrics (spend, likes, any custom one) are not smoothed: their raw value ranks.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "search/terms.h"
#include "store/asset_store.h"

namespace adloom {

// An asset's KPIs after merging periods: per metric, the lifetime value (period "") if
// given, else the sum over periods for counts (impressions, clicks, conversions, …) and
// the latest period's value for anything else.
struct KpiSet {
  std::vector<std::pair<Term, double>> values;  // sorted by term
  bool from_campaign = false;                   // the campaign's, the asset has none
  std::optional<double> get(Term metric) const;
};

KpiSet merge_kpi_periods(const std::vector<CatalogKpi>& kpis, TermTable& terms);

// A rate metric's parts, e.g. {"ctr", "clicks", "impressions"}.
struct RateSpec {
  std::string_view metric;
  std::string_view successes;
  std::string_view trials;
};

// The rate metrics adloom knows (ctr, engagement_rate, conversion_rate, and conversions
// ranked per impression); nullptr for any other metric.
const RateSpec* find_rate_spec(std::string_view metric);

// One asset's evidence for a rate: counts when known, else the rate alone.
struct RateObservation {
  double successes = 0;
  double trials = 0;  // 0: counts unknown, `rate` given alone
  double rate = 0;
};

struct BetaPrior {
  double mean = 0;
  double strength = 0;  // α + β, in trials
  int assets = 0;       // assets with counts it was estimated from (0: default prior)
};

inline constexpr int kMinPriorAssets = 8;
inline constexpr double kMinStrength = 2;
inline constexpr double kMaxStrength = 1e5;
inline constexpr double kDefaultStrength = 100;

// The prior from assets with counts (observations without counts are ignored). `pool`
// is what to fall back on when there are fewer than kMinPriorAssets (nullopt: the default).
BetaPrior estimate_prior(std::span<const RateObservation> observations,
                         const std::optional<BetaPrior>& pool);

struct SmoothedRate {
  double value = 0;  // posterior mean
  double sd = 0;     // posterior standard deviation
};

SmoothedRate smooth_rate(const RateObservation& obs, const BetaPrior& prior);

// The observation of `spec` in `kpis`; nullopt when the asset has neither counts nor the
// rate. `terms` must be the table the KpiSet was interned with.
std::optional<RateObservation> observe_rate(const KpiSet& kpis, const RateSpec& spec,
                                            const TermTable& terms);

}  // namespace adloom
