#include "search/ranking.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace adloom {

KpiStats::KpiStats(const Catalog::Reader& catalog, const std::string& metric)
    : metric_(metric), rate_(find_rate_spec(metric)), metric_term_(catalog.terms().find(metric)) {
  const TermTable& terms = catalog.terms();
  // Priors first (rates only): observations with counts, per group and pooled.
  if (rate_ != nullptr) {
    std::map<Group, std::vector<RateObservation>> observed;
    std::vector<RateObservation> all;
    catalog.for_each([&](const CatalogEntry& e) {
      auto obs = observe_rate(e.kpis, *rate_, terms);
      if (!obs || obs->trials <= 0) return;
      observed[{e.channel, e.objective}].push_back(*obs);
      all.push_back(*obs);
    });
    pool_ = estimate_prior(all, std::nullopt);
    for (const auto& [group, obs] : observed) priors_[group] = estimate_prior(obs, pool_);
  }
  catalog.for_each([&](const CatalogEntry& e) {
    RateObservation obs;
    auto v = value_of(e, terms, &obs);
    if (!v) return;
    group_values_[{e.channel, e.objective}].push_back(*v);
    all_values_.push_back(*v);
  });
  for (auto& [group, values] : group_values_) std::sort(values.begin(), values.end());
  std::sort(all_values_.begin(), all_values_.end());
}

const BetaPrior& KpiStats::prior(Term channel, Term objective) const {
  auto it = priors_.find({channel, objective});
  return it == priors_.end() ? pool_ : it->second;
}

std::optional<double> KpiStats::value_of(const CatalogEntry& e, const TermTable& terms,
                                         RateObservation* obs) const {
  if (rate_ != nullptr) {
    auto o = observe_rate(e.kpis, *rate_, terms);
    if (!o) return std::nullopt;
    *obs = *o;
    return smooth_rate(*o, prior(e.channel, e.objective)).value;
  }
  if (!metric_term_) return std::nullopt;
  return e.kpis.get(*metric_term_);
}

std::optional<KpiStats::Evidence> KpiStats::evidence(const CatalogEntry& e,
                                                     const TermTable& terms) const {
  RateObservation obs;
  auto v = value_of(e, terms, &obs);
  if (!v) return std::nullopt;
  Evidence ev;
  ev.value = *v;
  ev.from_campaign = e.kpis.from_campaign;
  if (rate_ != nullptr) {
    ev.smoothed = true;
    ev.raw = obs.rate;
    ev.trials = obs.trials;
    ev.successes = obs.successes;
    ev.sd = smooth_rate(obs, prior(e.channel, e.objective)).sd;
  } else {
    ev.raw = *v;
  }
  auto group = group_values_.find({e.channel, e.objective});
  if (group != group_values_.end() && group->second.size() >= kMinGroupValues) {
    ev.percentile = percentile_of(group->second, ev.value);
    const std::string& channel = terms.name(e.channel);
    const std::string& objective = terms.name(e.objective);
    ev.scope = channel.empty() && objective.empty() ? "assets without channel or objective"
               : objective.empty()                  ? channel
               : channel.empty()                    ? objective
                                                    : channel + "/" + objective;
  } else {
    ev.percentile = percentile_of(all_values_, ev.value);
    ev.scope = "workspace";
  }
  return ev;
}

double percentile_of(std::span<const double> sorted, double v) {
  if (sorted.empty()) return 0.5;
  const auto below = std::lower_bound(sorted.begin(), sorted.end(), v) - sorted.begin();
  const auto upto = std::upper_bound(sorted.begin(), sorted.end(), v) - sorted.begin();
  return (static_cast<double>(below) + 0.5 * static_cast<double>(upto - below)) /
         static_cast<double>(sorted.size());
}

double recency_factor(std::int32_t day, std::int32_t today, std::optional<double> half_life_days) {
  if (!half_life_days || *half_life_days <= 0 || day >= today) return 1.0;
  return std::pow(0.5, static_cast<double>(today - day) / *half_life_days);
}

ScoreParts combine_score(double similarity, double text, double kpi_percentile, double recency,
                         double text_weight, double kpi_weight) {
  ScoreParts p;
  const double relevance_share = (1 - kpi_weight) * recency;
  p.similarity = relevance_share * (1 - text_weight) * std::max(0.0, similarity);
  p.text = relevance_share * text_weight * std::clamp(text, 0.0, 1.0);
  p.kpi = kpi_weight * recency * std::clamp(kpi_percentile, 0.0, 1.0);
  p.score = p.similarity + p.text + p.kpi;
  return p;
}

std::vector<MmrPick> mmr_order(std::span<const double> scores,
                               std::span<const std::vector<float>> vectors, double lambda,
                               std::size_t count) {
  const std::size_t n = scores.size();
  count = std::min(count, n);
  std::vector<MmrPick> picks;
  picks.reserve(count);
  std::vector<double> redundancy(n, 0.0);
  std::vector<int> closest(n, -1);
  std::vector<bool> taken(n, false);
  for (std::size_t round = 0; round < count; ++round) {
    std::size_t best = n;
    double best_value = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      if (taken[i]) continue;
      const double value = lambda * scores[i] - (1 - lambda) * redundancy[i];
      if (value > best_value) {
        best_value = value;
        best = i;
      }
    }
    taken[best] = true;
    picks.push_back({best, redundancy[best], closest[best]});
    // Redundancy of the rest against the new pick.
    const auto& picked = vectors[best];
    if (picked.empty() || lambda >= 1) continue;
    for (std::size_t i = 0; i < n; ++i) {
      if (taken[i] || vectors[i].size() != picked.size()) continue;
      double dot = 0;
      for (std::size_t d = 0; d < picked.size(); ++d) dot += double{vectors[i][d]} * picked[d];
      if (dot > redundancy[i]) {
        redundancy[i] = dot;
        closest[i] = static_cast<int>(picks.size() - 1);
      }
    }
  }
  return picks;
}

std::string format_rate(double rate) {
  const double pct = rate * 100;
  if (pct >= 10) return fmt::format("{:.1f}%", pct);
  if (pct >= 0.1) return fmt::format("{:.2f}%", pct);
  return fmt::format("{:.3f}%", pct);
}

std::string format_count(double count) {
  if (count >= 1e6) return fmt::format("{:.1f}M", count / 1e6);
  if (count >= 1e4) return fmt::format("{:.0f}k", count / 1e3);
  if (count >= 1e3) return fmt::format("{:.1f}k", count / 1e3);
  return fmt::format("{:.0f}", count);
}

}  // namespace adloom
