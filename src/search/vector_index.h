// VectorIndex: approximate nearest neighbours by inner product over L2-normalised vectors,
// one shard per workspace. The metadata store keeps every vector (asset_embeddings), so an
// index can always be rebuilt from it; the index is a cache that makes search fast.
// Implementations: embedded/ (FAISS HNSW, files under data_dir); OpenSearch later.
//
// Thread safety: all methods may be called concurrently; searches run in parallel,
// writes to one shard are serialised.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/status.h"

namespace adloom {

struct VectorHit {
  std::int64_t label = 0;  // the asset's numeric label (assets.label)
  float score = 0;         // inner product = cosine similarity for normalised vectors
};

// Called during the search for candidate labels; true keeps the label. Must be cheap and
// thread safe. Filters apply inside the walk, so k results come back whenever k match.
using LabelFilter = std::function<bool(std::int64_t label)>;

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;

  // Adds or replaces the vector of `label` in the workspace's shard. kInvalidArgument for
  // a wrong dimension.
  virtual Status upsert(const WorkspaceId& ws, std::int64_t label,
                        std::span<const float> vector) = 0;
  // Removes `label` (absent is ok).
  virtual Status remove(const WorkspaceId& ws, std::int64_t label) = 0;
  // The k best labels by score, best first; `filter` may be null. `selectivity` is the
  // caller's estimate of the fraction of vectors the filter admits (1 without a filter):
  // the index widens its search to keep recall when few are admitted.
  virtual Result<std::vector<VectorHit>> search(const WorkspaceId& ws, std::span<const float> query,
                                                int k, const LabelFilter& filter,
                                                double selectivity = 1.0) = 0;
  // Whether listing the ~`allowed` vectors a filter admits (`selectivity` of the shard)
  // and scoring them exactly with score() costs less than a filtered search(), by the
  // index's own cost model.
  virtual bool prefers_exact(double allowed, double selectivity) const = 0;
  // Exact scores of `labels` (labels not in the shard are skipped), best first, at most k:
  // the search for a filter that admits few vectors, once the caller has listed them.
  virtual Result<std::vector<VectorHit>> score(const WorkspaceId& ws, std::span<const float> query,
                                               std::span<const std::int64_t> labels, int k) = 0;
  // The stored vectors of `labels`, in their order; an empty vector for a label not in
  // the shard.
  virtual Result<std::vector<std::vector<float>>> vectors(const WorkspaceId& ws,
                                                          std::span<const std::int64_t> labels) = 0;
  // Live vectors in the workspace's shard.
  virtual std::size_t size(const WorkspaceId& ws) = 0;
  // Drops the shard (before a rebuild from the metadata store).
  virtual Status clear(const WorkspaceId& ws) = 0;
  // Persists changed shards (called periodically and at shutdown).
  virtual Status flush() = 0;
};

}  // namespace adloom
