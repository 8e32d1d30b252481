// Ranking: the parts of a hit's score, each a pure function so tests can pin them.
//
//   relevance  r = (1 − t)·similarity + t·text      t: text weight (hybrid fusion)
//   score        = ((1 − w)·r + w·kpi) · recency    w: KPI weight
//
// similarity is the cosine of query and asset vectors (negative counts as 0); text is the
// hit's BM25 divided by the best BM25 among the query's text hits (0 when the text search
// did not find it), a documented weighted-sum fusion; kpi is the percentile, within the
// asset's channel and objective, of its evidence-smoothed KPI (kpi_evidence.h), 0.5 when
// it has none (neutral); recency is 0.5^(age / half-life), 1 when off. The parts are
// reported separately and add up to the score. MMR then orders the hits (mmr_order).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "search/catalog.h"
#include "search/kpi_evidence.h"

namespace adloom {

// The KPI picture of one workspace for one metric: priors and the distribution of
// smoothed values per (channel, objective), and for the whole workspace.
class KpiStats {
 public:
  // Groups with fewer values than this use the workspace distribution for percentiles.
  static constexpr std::size_t kMinGroupValues = 5;

  KpiStats(const Catalog::Reader& catalog, const std::string& metric);

  struct Evidence {
    double raw = 0;     // the stored (or count-derived) value
    double value = 0;   // smoothed for rates, raw otherwise
    double sd = 0;      // ± of a smoothed rate
    double trials = 0;  // impressions/clicks behind a rate; 0 when unknown
    double successes = 0;
    bool smoothed = false;
    bool from_campaign = false;
    double percentile = 0;  // in [0, 1]
    std::string scope;      // "instagram/clicks", "instagram", or "workspace"
  };
  // nullopt when the entry has no value for the metric.
  std::optional<Evidence> evidence(const CatalogEntry& e, const TermTable& terms) const;
  const std::string& metric() const { return metric_; }
  const RateSpec* rate() const { return rate_; }
  // The prior of a (channel, objective) group (the workspace pool when the group has too
  // few assets with counts).
  const BetaPrior& prior(Term channel, Term objective) const;

 private:
  using Group = std::pair<Term, Term>;
  std::optional<double> value_of(const CatalogEntry& e, const TermTable& terms,
                                 RateObservation* obs) const;

  std::string metric_;
  const RateSpec* rate_ = nullptr;
  std::optional<Term> metric_term_;
  BetaPrior pool_;
  std::map<Group, BetaPrior> priors_;
  std::map<Group, std::vector<double>> group_values_;  // sorted
  std::vector<double> all_values_;                     // sorted
};

// Fraction of `sorted` below v, counting ties half: in [0, 1]; 0.5 when empty.
double percentile_of(std::span<const double> sorted, double v);

// 0.5^(age_days / half_life_days); 1 without a half-life or for a future date.
double recency_factor(std::int32_t day, std::int32_t today, std::optional<double> half_life_days);

struct ScoreParts {
  double similarity = 0;  // weighted parts: they add up to score
  double text = 0;
  double kpi = 0;
  double score = 0;
};

ScoreParts combine_score(double similarity, double text, double kpi_percentile, double recency,
                         double text_weight, double kpi_weight);

// Maximal marginal relevance: greedily picks `count` of the candidates, each time the one
// maximising λ·score − (1 − λ)·redundancy, where redundancy is its highest cosine to one
// already picked (vectors must be L2-normalised; an empty vector has none). λ = 1 keeps
// the score order. Returns (candidate index, redundancy, index of the most similar pick
// or -1), in pick order.
struct MmrPick {
  std::size_t index = 0;
  double redundancy = 0;
  int similar_to = -1;
};
std::vector<MmrPick> mmr_order(std::span<const double> scores,
                               std::span<const std::vector<float>> vectors, double lambda,
                               std::size_t count);

// "3.2%", "48k", "0.41": short numbers for explanations.
std::string format_rate(double rate);
std::string format_count(double count);

}  // namespace adloom
