// SearchService: finds past creative for a text, an image, a brief, or examples to move
// toward or away from, and ranks it by relevance and proven performance.
//
// Pipeline (search/ranking.h has the score):
//   1. Query vector: the embeddings of the text/brief and of the image (an asset's stored
//      vector, or uploaded bytes) and a vector given as such, summed and normalised; then moved
//      toward the mean of `like` and away from the mean of `unlike` (Rocchio: +0.75, −0.25).
//   2. Filter: compiled against the workspace's in-memory catalog. Its selectivity is
//      estimated from a sample of the catalog. When few assets pass (≤ exact_min_count,
//      or few enough that the vector index's cost model prefers it), the allowed set is
//      listed and scored exactly; otherwise the filter runs inside the HNSW walk with a
//      beam widened by 1 / selectivity. Either way k results come back whenever k match.
//   3. Candidates: the best `pool` by vector and the best `pool` by BM25 (filter inside
//      the text scan), merged; each gets both its cosine and its normalised BM25.
//   4. Score: relevance blended with the KPI percentile and recency, each part reported.
//   5. Diversity: MMR over the scored candidates picks the page in order.
// The liked/unliked assets themselves (and, for "similar", the asset) are never returned.
//
// Thread safety: search() may be called concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/brief.h"
#include "core/clock.h"
#include "imaging/image.h"
#include "models/embedder.h"
#include "search/catalog.h"
#include "search/ranking.h"
#include "search/search_filter.h"
#include "search/text_index.h"
#include "search/vector_index.h"
#include "store/asset_store.h"

namespace adloom {

struct RankOptions {
  std::string kpi = "ctr";               // the metric that counts as performance; "" for none
  double kpi_weight = 0.3;               // 0..1: its weight against relevance
  double text_weight = 0.3;              // 0..1: BM25's weight against vector similarity
  std::optional<double> half_life_days;  // recency decay; none: off
  double diversity = 0.3;                // 0..1: MMR's 1 − λ; 0 keeps the score order
};

struct SearchRequest {
  std::string text;
  std::optional<AssetId> image_asset;  // "more like this asset"
  std::string image_bytes;             // an uploaded image (encoded)
  std::vector<float> vector;           // a query vector of the embedder's model and size
  std::optional<Brief> brief;
  std::vector<AssetId> like;
  std::vector<AssetId> unlike;
  SearchFilter filter;
  int k = 10;                       // 1..100
  int offset = 0;                   // from the cursor; offset + k ≤ kMaxDepth
  std::optional<RankOptions> rank;  // defaults above; a brief picks the KPI of its objective
};

struct KpiExplanation {
  std::string metric;
  KpiStats::Evidence evidence;
  double prior_mean = 0;  // of a rate: what it was smoothed toward
  double prior_strength = 0;
};

struct SearchHit {
  AssetId id;
  std::int64_t label = 0;
  double score = 0;
  double similarity = 0;  // cosine
  double text_match = 0;  // normalised BM25 in [0, 1]
  std::vector<std::string> matched_words;
  std::optional<KpiExplanation> kpi;
  double kpi_percentile = 0.5;  // what the score used (0.5: neutral, no KPI)
  double recency = 1;
  std::int32_t age_days = 0;
  ScoreParts parts;
  double redundancy = 0;  // highest cosine to a hit ranked above it (MMR)
  std::optional<AssetId> similar_to;
  std::optional<AssetId> near_duplicate_of;
  std::string explanation;  // the same, in words
};

struct SearchStats {
  std::string vector_mode;  // "hnsw", "exact", or "none" (text-only query)
  double selectivity = 1;   // estimated fraction of the workspace the filter admits
  std::size_t candidates = 0;
  std::size_t library_size = 0;
  double took_ms = 0;
};

struct SearchResult {
  std::vector<SearchHit> hits;
  std::optional<int> next_offset;  // where the next page starts; none after the last
  std::string kpi;                 // the metric that ranked ("" for none)
  SearchStats stats;
};

struct SearchOptions {
  IntakeLimits limits;  // for uploaded query images
  // Step 2's choice: by cost (the default), or forced one way (tests and benchmarks).
  enum class ScanPlan { kByCost, kAlwaysExact, kNeverExact };
  ScanPlan scan_plan = ScanPlan::kByCost;
  std::size_t exact_min_count = 2048;  // filtered sets this small are always scanned
  std::size_t sample_size = 2048;      // catalog entries sampled to estimate selectivity
  int min_pool = 100;                  // candidates per retriever: max(min_pool, 3·(offset + k))
  int max_pool = 1000;
};

// "CTR" for ctr, "conversion rate" for conversion_rate, other metrics as named.
std::string metric_label(const std::string& metric);
// A KPI in words, as explanations give it: "CTR 3.1% ±0.4% on 12,000 impressions, 92nd
// percentile in instagram".
std::string describe_kpi(const KpiExplanation& k);

class SearchService {
 public:
  static constexpr int kMaxK = 100;
  static constexpr int kMaxDepth = 500;  // offset + k

  // All references must outlive the service.
  SearchService(AssetStore& assets, Catalogs& catalogs, VectorIndex& vectors, TextIndex& text,
                Embedder& embedder, const Clock& clock, SearchOptions options)
      : assets_(assets),
        catalogs_(catalogs),
        vectors_(vectors),
        text_(text),
        embedder_(embedder),
        clock_(clock),
        options_(options) {}

  // kInvalidArgument (nothing to search for, bad k/offset/weights/filter, an image that is
  // not one), kNotFound (an image/like/unlike asset not in the workspace or not indexed yet),
  // kPayloadTooLarge (query image over the limits).
  Result<SearchResult> search(const RequestContext& ctx, const SearchRequest& request);

  // Assets like `id` (its stored vector), excluding itself.
  Result<SearchResult> similar(const RequestContext& ctx, const AssetId& id, int k,
                               const SearchFilter& filter);

  // References for a brief: ranked by its objective's KPI.
  Result<SearchResult> recommend(const RequestContext& ctx, const Brief& brief, int k,
                                 const SearchFilter& filter);

 private:
  struct CachedStats {
    std::int64_t rev = -1;
    TimeMs computed_at = 0;
    std::shared_ptr<const KpiStats> stats;
  };
  std::shared_ptr<const KpiStats> kpi_stats(const RequestContext& ctx,
                                            const Catalog::Reader& catalog,
                                            const std::string& metric);
  Result<std::vector<float>> stored_vector(const RequestContext& ctx, const AssetId& id,
                                           const Catalog::Reader& catalog, std::int64_t* label);

  AssetStore& assets_;
  Catalogs& catalogs_;
  VectorIndex& vectors_;
  TextIndex& text_;
  Embedder& embedder_;
  const Clock& clock_;
  SearchOptions options_;
  std::mutex stats_mu_;
  std::map<std::pair<WorkspaceId, std::string>, CachedStats> stats_;  // guarded by stats_mu_
};

}  // namespace adloom
