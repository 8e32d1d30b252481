#include "search/kpi_evidence.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace adloom {
namespace {

constexpr std::array<std::string_view, 10> kCountMetrics = {
    "impressions", "clicks", "conversions", "engagements", "likes",
    "followers",   "reach",  "views",       "shares",      "spend"};

constexpr std::array<RateSpec, 4> kRateSpecs = {{
    {"ctr", "clicks", "impressions"},
    {"engagement_rate", "engagements", "impressions"},
    {"conversion_rate", "conversions", "clicks"},
    {"conversions", "conversions", "impressions"},
}};

bool is_count(std::string_view metric) {
  return std::find(kCountMetrics.begin(), kCountMetrics.end(), metric) != kCountMetrics.end();
}

}  // namespace

std::optional<double> KpiSet::get(Term metric) const {
  auto it = std::lower_bound(values.begin(), values.end(), metric,
                             [](const auto& v, Term t) { return v.first < t; });
  if (it == values.end() || it->first != metric) return std::nullopt;
  return it->second;
}

KpiSet merge_kpi_periods(const std::vector<CatalogKpi>& kpis, TermTable& terms) {
  struct Merged {
    std::optional<double> lifetime;
    double sum = 0;
    std::string latest_period;
    double latest = 0;
  };
  std::map<std::string, Merged> by_metric;
  KpiSet out;
  for (const auto& k : kpis) {
    out.from_campaign = out.from_campaign || k.from_campaign;
    Merged& m = by_metric[k.metric];
    if (k.period.empty()) {
      m.lifetime = k.value;
      continue;
    }
    m.sum += k.value;
    if (m.latest_period.empty() || k.period > m.latest_period) {
      m.latest_period = k.period;
      m.latest = k.value;
    }
  }
  for (const auto& [metric, m] : by_metric) {
    const double v = m.lifetime ? *m.lifetime : is_count(metric) ? m.sum : m.latest;
    out.values.emplace_back(terms.intern(metric), v);
  }
  std::sort(out.values.begin(), out.values.end());
  return out;
}

const RateSpec* find_rate_spec(std::string_view metric) {
  for (const auto& spec : kRateSpecs) {
    if (spec.metric == metric) return &spec;
  }
  return nullptr;
}

std::optional<RateObservation> observe_rate(const KpiSet& kpis, const RateSpec& spec,
                                            const TermTable& terms) {
  auto value_of = [&](std::string_view name) -> std::optional<double> {
    auto t = terms.find(std::string(name));
    return t ? kpis.get(*t) : std::nullopt;
  };
  const auto s = value_of(spec.successes);
  const auto n = value_of(spec.trials);
  if (s && n && *n > 0 && *s >= 0) {
    const double successes = std::min(*s, *n);
    return RateObservation{successes, *n, successes / *n};
  }
  // A stored rate without its counts ("conversions" is a count, never a rate).
  if (spec.metric != spec.successes) {
    if (auto r = value_of(spec.metric); r && *r >= 0 && *r <= 1) {
      return RateObservation{0, 0, *r};
    }
  }
  return std::nullopt;
}

BetaPrior estimate_prior(std::span<const RateObservation> observations,
                         const std::optional<BetaPrior>& pool) {
  double s_sum = 0;
  double n_sum = 0;
  int counted = 0;
  for (const auto& o : observations) {
    if (o.trials <= 0) continue;
    s_sum += o.successes;
    n_sum += o.trials;
    ++counted;
  }
  if (counted < kMinPriorAssets) {
    if (pool) return *pool;
    // Weak default around what little there is (or a neutral 1 % with no data at all).
    const double mean = n_sum > 0 ? s_sum / n_sum : 0.01;
    return BetaPrior{std::clamp(mean, 1e-6, 1 - 1e-6), kDefaultStrength, 0};
  }
  // Between-asset variance, each rate weighted by its trials (so a rate measured on two
  // impressions barely moves it), less the binomial noise expected of those trials.
  const double mean = std::clamp(s_sum / n_sum, 1e-6, 1 - 1e-6);
  double spread = 0;
  double n_squares = 0;
  for (const auto& o : observations) {
    if (o.trials <= 0) continue;
    const double d = o.successes / o.trials - mean;
    spread += o.trials * d * d;
    n_squares += o.trials * o.trials;
  }
  const double between = (spread - mean * (1 - mean) * (counted - 1)) / (n_sum - n_squares / n_sum);
  const double strength =
      between <= 0 ? kMaxStrength
                   : std::clamp(mean * (1 - mean) / between - 1, kMinStrength, kMaxStrength);
  return BetaPrior{mean, strength, counted};
}

SmoothedRate smooth_rate(const RateObservation& obs, const BetaPrior& prior) {
  // Without counts, the given rate weighs as much as the prior.
  const double s = obs.trials > 0 ? obs.successes : obs.rate * prior.strength;
  const double n = obs.trials > 0 ? obs.trials : prior.strength;
  const double total = n + prior.strength;
  const double value = (s + prior.mean * prior.strength) / total;
  return SmoothedRate{value, std::sqrt(value * (1 - value) / (total + 1))};
}

}  // namespace adloom
