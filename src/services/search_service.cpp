#include "services/search_service.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "search/embedded/sqlite_text_index.h"
#include "services/kpi.h"

namespace adloom {
namespace {

constexpr float kLikeWeight = 0.75F;
constexpr float kUnlikeWeight = 0.25F;
// KPI statistics over a large library are recomputed at most this often while it changes.
constexpr TimeMs kStatsMaxAgeMs = 2000;
constexpr std::size_t kStatsAlwaysFreshBelow = 100'000;
constexpr TimeMs kMsPerDay = 86'400'000;
// How long a search waits for a remote embedder to embed its query.
constexpr std::chrono::seconds kQueryEmbedDeadline{20};

struct Candidate {
  std::int64_t label = 0;
  const CatalogEntry* entry = nullptr;
  std::optional<float> similarity;
  double bm25 = 0;
  SearchHit hit;
};

void add_scaled(std::vector<float>& acc, const std::vector<float>& v, float w) {
  for (std::size_t i = 0; i < acc.size() && i < v.size(); ++i) acc[i] += w * v[i];
}

// Normalises in place; false for a zero vector.
bool normalise(std::vector<float>& v) {
  double norm = 0;
  for (float x : v) norm += double{x} * x;
  if (norm < 1e-12) return false;
  const auto inv = static_cast<float>(1.0 / std::sqrt(norm));
  for (float& x : v) x *= inv;
  return true;
}

std::string ordinal(int n) {
  const int mod100 = n % 100;
  const char* suffix = "th";
  if (mod100 < 11 || mod100 > 13) {
    switch (n % 10) {
      case 1: suffix = "st"; break;
      case 2: suffix = "nd"; break;
      case 3: suffix = "rd"; break;
      default: break;
    }
  }
  return fmt::format("{}{}", n, suffix);
}

std::string explain(const SearchHit& h, const std::string& metric, bool hybrid) {
  std::vector<std::string> parts;
  parts.push_back(fmt::format("similarity {:.2f}", h.similarity));
  if (!h.matched_words.empty()) {
    std::string words;
    for (const auto& w : h.matched_words) words += (words.empty() ? "\"" : ", \"") + w + "\"";
    parts.push_back(fmt::format("text match {:.2f} on {}", h.text_match, words));
  } else if (hybrid) {
    parts.push_back("no keyword match");
  }
  if (h.kpi) {
    parts.push_back(describe_kpi(*h.kpi));
  } else if (!metric.empty()) {
    parts.push_back(fmt::format("no {} data (counted as median)", metric_label(metric)));
  }
  if (h.recency < 1) {
    parts.push_back(fmt::format("{} days old, recency ×{:.2f}", h.age_days, h.recency));
  }
  std::string score = fmt::format("score {:.3f} = {:.3f} similarity", h.score, h.parts.similarity);
  if (hybrid) score += fmt::format(" + {:.3f} text", h.parts.text);
  if (!metric.empty()) score += fmt::format(" + {:.3f} {}", h.parts.kpi, metric_label(metric));
  parts.push_back(score);
  if (h.similar_to && h.redundancy >= 0.9) {
    parts.push_back(
        fmt::format("close to {} ({:.2f}), placed lower for variety", *h.similar_to, h.redundancy));
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

Status check_rank(const RankOptions& r) {
  auto unit = [](double v) { return v >= 0 && v <= 1; };
  if (!unit(r.kpi_weight)) return invalid_argument("rank.kpi_weight must be between 0 and 1");
  if (!unit(r.text_weight)) return invalid_argument("rank.text_weight must be between 0 and 1");
  if (!unit(r.diversity)) return invalid_argument("rank.diversity must be between 0 and 1");
  if (r.half_life_days && !(*r.half_life_days > 0)) {
    return invalid_argument("rank.half_life_days must be a positive number of days");
  }
  if (!r.kpi.empty() && !is_valid_metric_name(r.kpi)) {
    return invalid_argument("rank.kpi must be a metric name such as ctr, not \"" + r.kpi + "\"");
  }
  return Status::ok();
}

}  // namespace

std::string metric_label(const std::string& metric) {
  if (metric == "ctr") return "CTR";
  if (metric == "engagement_rate") return "engagement rate";
  if (metric == "conversion_rate") return "conversion rate";
  return metric;
}

std::string describe_kpi(const KpiExplanation& k) {
  const auto& ev = k.evidence;
  const std::string name = metric_label(k.metric);
  std::string out;
  if (!ev.smoothed) {
    out = fmt::format("{} {}", name, format_count(ev.raw));
  } else if (ev.trials > 0) {
    const RateSpec* spec = find_rate_spec(k.metric);
    out = fmt::format("{} {} ±{} on {} {}", name, format_rate(ev.value), format_rate(ev.sd),
                      format_count(ev.trials), spec != nullptr ? spec->trials : "trials");
    if (std::abs(ev.raw - ev.value) >= 0.0005) {
      out += fmt::format(" ({} measured, {} {}, smoothed toward {})", format_rate(ev.raw),
                         format_count(ev.successes), spec != nullptr ? spec->successes : "",
                         format_rate(k.prior_mean));
    }
  } else {
    out = fmt::format("{} {} (given without counts, weighed half way to the typical {})", name,
                      format_rate(ev.value), format_rate(k.prior_mean));
  }
  out += fmt::format(", {} percentile in {}", ordinal(static_cast<int>(ev.percentile * 100)),
                     ev.scope);
  if (ev.from_campaign) out += " (campaign-level KPIs)";
  return out;
}

std::shared_ptr<const KpiStats> SearchService::kpi_stats(const RequestContext& ctx,
                                                         const Catalog::Reader& catalog,
                                                         const std::string& metric) {
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(stats_mu_);
  CachedStats& cached = stats_[{ctx.workspace_id, metric}];
  const bool stale = cached.rev != catalog.rev() && (catalog.size() < kStatsAlwaysFreshBelow ||
                                                     now - cached.computed_at >= kStatsMaxAgeMs);
  if (!cached.stats || stale) {
    cached.stats = std::make_shared<const KpiStats>(catalog, metric);
    cached.rev = catalog.rev();
    cached.computed_at = now;
  }
  return cached.stats;
}

Result<std::vector<float>> SearchService::stored_vector(const RequestContext& ctx,
                                                        const AssetId& id,
                                                        const Catalog::Reader& catalog,
                                                        std::int64_t* label) {
  ADLOOM_ASSIGN(Asset asset, assets_.get_asset(ctx, id));
  *label = asset.label;
  const std::int64_t labels[] = {asset.label};
  ADLOOM_ASSIGN(auto vecs, vectors_.vectors(ctx.workspace_id, labels));
  if (vecs.empty() || vecs[0].empty() || catalog.find(asset.label) == nullptr) {
    return not_found("asset " + id +
                     " is not indexed yet: try again when its indexing job is done");
  }
  return std::move(vecs[0]);
}

Result<SearchResult> SearchService::search(const RequestContext& ctx, const SearchRequest& req) {
  const auto started = std::chrono::steady_clock::now();
  if (req.k < 1 || req.k > kMaxK) return invalid_argument(fmt::format("k must be 1..{}", kMaxK));
  if (req.offset < 0 || req.offset + req.k > kMaxDepth) {
    return invalid_argument(fmt::format("results go {} deep at most (cursor + k)", kMaxDepth));
  }
  RankOptions rank = req.rank.value_or(RankOptions{});
  if (!req.rank && req.brief) rank.kpi = kpi_for_objective(req.brief->objective);
  ADLOOM_TRY(check_rank(rank));

  ADLOOM_ASSIGN(std::shared_ptr<Catalog> catalog_ptr, catalogs_.get(ctx));
  const Catalog::Reader catalog(*catalog_ptr);
  ADLOOM_ASSIGN(CompiledFilter filter, CompiledFilter::compile(req.filter, catalog));

  // 1. The query.
  std::string text = req.text;
  if (req.brief) text += (text.empty() ? "" : "\n") + brief_text(*req.brief);
  const bool has_words = !query_words(text).empty();
  const auto d = static_cast<std::size_t>(embedder_.dimension());
  std::vector<float> query(d, 0.0F);
  bool has_vector = false;
  std::unordered_set<std::int64_t> excluded;
  // A person is waiting: one retry at most, and an answer within kQueryEmbedDeadline.
  RetryBudget budget{2};
  const ModelCall call{{{}, std::chrono::steady_clock::now() + kQueryEmbedDeadline, &budget},
                       ctx.workspace_id,
                       {},
                       {}};
  if (has_words) {
    ADLOOM_ASSIGN(auto v, embedder_.embed(EmbedInput{text, "", true}, call));
    add_scaled(query, v, 1.0F);
    has_vector = true;
  }
  if (req.image_asset) {
    std::int64_t label = 0;
    ADLOOM_ASSIGN(auto v, stored_vector(ctx, *req.image_asset, catalog, &label));
    add_scaled(query, v, 1.0F);
    excluded.insert(label);
    has_vector = true;
  }
  if (!req.image_bytes.empty()) {
    ADLOOM_TRY(probe_image(req.image_bytes, options_.limits).status());
    ADLOOM_ASSIGN(auto v, embedder_.embed(EmbedInput{"", req.image_bytes, true}, call));
    add_scaled(query, v, 1.0F);
    has_vector = true;
  }
  if (!req.vector.empty()) {
    if (req.vector.size() != d) {
      return invalid_argument(
          fmt::format("vector has {} dimensions; this library's model ({}) has {}",
                      req.vector.size(), embedder_.model_id(), d));
    }
    if (!std::all_of(req.vector.begin(), req.vector.end(),
                     [](float x) { return std::isfinite(x); })) {
      return invalid_argument("vector has a component that is not a finite number");
    }
    std::vector<float> v = req.vector;
    if (!normalise(v)) return invalid_argument("vector is all zeros");
    add_scaled(query, v, 1.0F);
    has_vector = true;
  }
  if (has_vector) normalise(query);
  for (const auto* examples : {&req.like, &req.unlike}) {
    if (examples->empty()) continue;
    const bool like = examples == &req.like;
    const float weight =
        (like ? kLikeWeight : -kUnlikeWeight) / static_cast<float>(examples->size());
    for (const auto& id : *examples) {
      std::int64_t label = 0;
      ADLOOM_ASSIGN(auto v, stored_vector(ctx, id, catalog, &label));
      add_scaled(query, v, weight);
      excluded.insert(label);
    }
    has_vector = has_vector || like;
  }
  if (has_vector) has_vector = normalise(query);
  if (!has_vector && !has_words) {
    return invalid_argument(
        "nothing to search for: give text, an image, a brief or assets you like");
  }

  // 2. The filter, inside both retrievers.
  const LabelFilter admit = [&](std::int64_t label) {
    if (excluded.contains(label)) return false;
    const CatalogEntry* e = catalog.find(label);
    return e != nullptr && filter.admits(*e);
  };
  SearchResult result;
  result.kpi = rank.kpi;
  result.stats.library_size = catalog.size();
  double selectivity = 1;
  if (!filter.admits_all() && catalog.slots() > 0) {
    const std::size_t slots = catalog.slots();
    const std::size_t step = std::max<std::size_t>(1, slots / options_.sample_size);
    std::size_t seen = 0;
    std::size_t passed = 0;
    for (std::size_t i = 0; i < slots; i += step) {
      const CatalogEntry& e = catalog.slot(i);
      if (e.label == 0) continue;
      ++seen;
      if (filter.admits(e)) ++passed;
    }
    selectivity = seen == 0 ? 1 : static_cast<double>(passed) / static_cast<double>(seen);
  }
  result.stats.selectivity = selectivity;

  // 3. Candidates.
  const int depth = req.offset + req.k;
  const int pool = std::clamp(3 * depth, options_.min_pool, options_.max_pool);
  std::unordered_map<std::int64_t, Candidate> candidates;
  if (has_vector) {
    const double n = static_cast<double>(catalog.size());
    const double allowed = selectivity * n;
    std::vector<VectorHit> hits;
    bool exact = false;
    if (!filter.admits_all()) {
      switch (options_.scan_plan) {
        case SearchOptions::ScanPlan::kByCost:
          exact = allowed <= static_cast<double>(options_.exact_min_count) ||
                  vectors_.prefers_exact(allowed, selectivity);
          break;
        case SearchOptions::ScanPlan::kAlwaysExact: exact = true; break;
        case SearchOptions::ScanPlan::kNeverExact: exact = false; break;
      }
    }
    if (exact) {
      std::vector<std::int64_t> labels;
      if (auto listed = filter.listed_labels(catalog)) {
        // From postings: repeats and stale labels are possible (see listed_labels).
        std::sort(listed->begin(), listed->end());
        listed->erase(std::unique(listed->begin(), listed->end()), listed->end());
        for (const std::int64_t label : *listed) {
          const CatalogEntry* e = catalog.find(label);
          if (e != nullptr && filter.admits(*e) && !excluded.contains(label)) {
            labels.push_back(label);
          }
        }
      } else {
        catalog.for_each([&](const CatalogEntry& e) {
          if (filter.admits(e) && !excluded.contains(e.label)) labels.push_back(e.label);
        });
      }
      ADLOOM_ASSIGN(hits, vectors_.score(ctx.workspace_id, query, labels, pool));
      result.stats.vector_mode = "exact";
    } else {
      ADLOOM_ASSIGN(hits, vectors_.search(ctx.workspace_id, query, pool, admit, selectivity));
      result.stats.vector_mode = "hnsw";
    }
    for (const auto& h : hits) candidates[h.label].similarity = h.score;
  } else {
    result.stats.vector_mode = "none";
  }
  double best_bm25 = 0;
  if (has_words) {
    ADLOOM_ASSIGN(auto hits, text_.search(ctx.workspace_id, text, pool, admit));
    for (const auto& h : hits) {
      candidates[h.label].bm25 = h.score;
      best_bm25 = std::max(best_bm25, h.score);
    }
  }
  if (has_vector) {
    std::vector<std::int64_t> missing;
    for (const auto& [label, c] : candidates) {
      if (!c.similarity) missing.push_back(label);
    }
    if (!missing.empty()) {
      ADLOOM_ASSIGN(auto scored, vectors_.score(ctx.workspace_id, query, missing,
                                                static_cast<int>(missing.size())));
      for (const auto& h : scored) candidates[h.label].similarity = h.score;
    }
  }

  // 4. Scores.
  std::shared_ptr<const KpiStats> stats;
  if (!rank.kpi.empty()) stats = kpi_stats(ctx, catalog, rank.kpi);
  const bool hybrid = has_vector && has_words;
  const double text_weight = !has_words ? 0.0 : !has_vector ? 1.0 : rank.text_weight;
  const auto today = static_cast<std::int32_t>(clock_.now_ms() / kMsPerDay);
  std::vector<Candidate> ranked;
  ranked.reserve(candidates.size());
  for (auto& [label, c] : candidates) {
    c.label = label;
    c.entry = catalog.find(label);
    if (c.entry == nullptr) continue;  // deleted since the index saw it
    SearchHit& h = c.hit;
    h.id = c.entry->id;
    h.label = label;
    h.similarity = c.similarity.value_or(0.0F);
    h.text_match = best_bm25 > 0 ? c.bm25 / best_bm25 : 0;
    h.near_duplicate_of = c.entry->near_duplicate_of;
    if (stats) {
      if (auto ev = stats->evidence(*c.entry, catalog.terms())) {
        const BetaPrior& prior = stats->prior(c.entry->channel, c.entry->objective);
        h.kpi = KpiExplanation{rank.kpi, *ev, prior.mean, prior.strength};
        h.kpi_percentile = ev->percentile;
      }
    }
    h.age_days = std::max(0, today - c.entry->day);
    h.recency = recency_factor(c.entry->day, today, rank.half_life_days);
    const double kpi_weight = stats ? rank.kpi_weight : 0.0;
    h.parts = combine_score(h.similarity, h.text_match, h.kpi_percentile, h.recency, text_weight,
                            kpi_weight);
    h.score = h.parts.score;
    ranked.push_back(std::move(c));
  }
  // Ties (e.g. negative cosines, which all count as 0) keep the similarity order.
  std::sort(ranked.begin(), ranked.end(), [](const Candidate& a, const Candidate& b) {
    if (a.hit.score != b.hit.score) return a.hit.score > b.hit.score;
    if (a.hit.similarity != b.hit.similarity) return a.hit.similarity > b.hit.similarity;
    return a.label < b.label;
  });
  result.stats.candidates = ranked.size();

  // 5. Diversity, then the page.
  std::vector<double> scores;
  std::vector<std::int64_t> labels;
  for (const auto& c : ranked) {
    scores.push_back(c.hit.score);
    labels.push_back(c.label);
  }
  std::vector<std::vector<float>> vecs(ranked.size());
  if (rank.diversity > 0 && has_vector) {
    ADLOOM_ASSIGN(vecs, vectors_.vectors(ctx.workspace_id, labels));
  }
  const auto picks = mmr_order(scores, vecs, 1 - rank.diversity, static_cast<std::size_t>(depth));
  std::vector<std::int64_t> page_labels;
  for (std::size_t i = static_cast<std::size_t>(req.offset); i < picks.size(); ++i) {
    SearchHit hit = ranked[picks[i].index].hit;
    hit.redundancy = picks[i].redundancy;
    if (picks[i].similar_to >= 0) {
      hit.similar_to = ranked[picks[static_cast<std::size_t>(picks[i].similar_to)].index].hit.id;
    }
    page_labels.push_back(hit.label);
    result.hits.push_back(std::move(hit));
  }
  if (has_words && !page_labels.empty()) {
    ADLOOM_ASSIGN(auto matched, text_.matched_words(ctx.workspace_id, text, page_labels));
    for (auto& h : result.hits) {
      if (auto it = matched.find(h.label); it != matched.end()) h.matched_words = it->second;
    }
  }
  for (auto& h : result.hits) h.explanation = explain(h, rank.kpi, hybrid);
  if (ranked.size() > static_cast<std::size_t>(depth) && depth < kMaxDepth) {
    result.next_offset = depth;
  }
  result.stats.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

Result<SearchResult> SearchService::similar(const RequestContext& ctx, const AssetId& id, int k,
                                            const SearchFilter& filter) {
  SearchRequest req;
  req.image_asset = id;
  req.k = k;
  req.filter = filter;
  return search(ctx, req);
}

Result<SearchResult> SearchService::recommend(const RequestContext& ctx, const Brief& brief, int k,
                                              const SearchFilter& filter) {
  SearchRequest req;
  req.brief = brief;
  req.k = k;
  req.filter = filter;
  return search(ctx, req);
}

}  // namespace adloom
