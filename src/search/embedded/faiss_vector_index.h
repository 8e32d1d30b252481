// FaissVectorIndex: VectorIndex on FAISS HNSW (inner product), one shard per workspace,
// persisted as files under one directory that this process owns alone.
//
// Shard anatomy. FAISS 1.7.3's HNSW cannot delete or update in place (remove_ids throws)
// and IndexIDMap/IndexIDMap2 reject search parameters, so each shard is a bare
// IndexHNSWFlat (its storage swapped for FastFlatIP, so distances use our SIMD kernel, see
// inner_product.h) whose sequential ids ("entries") we map ourselves:
//   entry → label, entry → live flag, label → its one live entry.
// Removing a label tombstones its entry; upserting an existing label adds a new entry and
// tombstones the old one. An IDSelector passed in the HNSW search admits only live
// entries that also pass the caller's filter, so filtering happens inside the graph walk
// and no label is ever returned twice or from a stale copy. When tombstones exceed
// rebuild_ratio of a shard's entries, the shard is rebuilt from its live vectors (inside
// the write, under the shard's exclusive lock; the cost is amortised over the updates).
// When the walk finds fewer than k results although more live entries exist (a very
// selective filter), the search falls back to an exact scan with the same selector, so k
// results come back whenever k match.
//
// Files, per workspace:
//   <dir>/<workspace_id>.faiss   faiss::write_index of the shard's HNSW
//   <dir>/<workspace_id>.meta    entry → label/live maps, dimension, and the size and
//                                FNV-1a 64 checksum of the .faiss file; itself checksummed
// flush() writes both to temp files, fsyncs, renames them into place (.faiss first) and
// fsyncs the directory. open() loads every shard whose two files agree; a shard whose
// files are missing one half, corrupt, inconsistent (a crash between the renames) or of
// another dimension is left empty and reported by needs_rebuild(), so the caller can
// rebuild it from the metadata store. The checksum is verified before FAISS parses the
// file, so corrupt bytes never reach its reader.
//
// Locking: shards_mu_ guards the shard map (and needs_rebuild_); each shard has a
// shared_mutex (searches and flush shared, writes exclusive); files_mu_ serialises
// flush() and clear() so a flush never resurrects the files of a cleared shard. Lock
// order: files_mu_ → shards_mu_ → shard. FAISS parallelises add() with OpenMP.
//
// Beam width. FAISS 1.7.3 bounds a walk by both the per-call SearchParametersHNSW::efSearch
// (its step limit) and max(index-global hnsw.efSearch, k) (its candidate heap). Rather
// than write the global under an exclusive lock, a search asks FAISS for ef results with
// the per-call efSearch at ef, and keeps the best k: ef = max(k, ef_search / selectivity),
// at most max(k, max_filtered_ef), so a filter admitting 10 % walks a 10× wider beam.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "search/vector_index.h"

namespace adloom {

struct FaissVectorIndexOptions {
  // HNSW links per node and layer (2·m on the base layer): more means better recall and
  // more memory. Applies to new shards and rebuilds; a loaded shard keeps its own.
  int m = 16;
  // Beam width while inserting: graph quality vs add() cost. 100 measured recall@10 of
  // ~0.99 at ef_search 64 on hard (random, 64-d) data, ~30 % faster to build than 200.
  int ef_construction = 100;
  // Beam width while searching; raised to k for larger k.
  int ef_search = 64;
  // A shard is rebuilt when tombstones exceed this fraction of its entries (0 < r <= 1).
  double rebuild_ratio = 0.2;
  // The widest beam a filtered search uses (see "Beam width" above).
  int max_filtered_ef = 2048;
};

class FaissVectorIndex final : public VectorIndex {
 public:
  using Options = FaissVectorIndexOptions;

  // Opens (creating) `dir` and loads the shards found there (see the header comment for
  // unreadable ones). kInvalidArgument for a non-positive dimension or bad options;
  // kInternal when the directory cannot be created or listed.
  static Result<std::unique_ptr<FaissVectorIndex>> open(const std::string& dir, int dimension,
                                                        const Options& options);
  static Result<std::unique_ptr<FaissVectorIndex>> open(const std::string& dir, int dimension);

  // Does not flush: call flush() before destruction to keep unflushed changes.
  ~FaissVectorIndex() override;
  FaissVectorIndex(const FaissVectorIndex&) = delete;
  FaissVectorIndex& operator=(const FaissVectorIndex&) = delete;

  // Workspace ids become file names: kInvalidArgument unless they are 1..128 characters
  // of [A-Za-z0-9_-]. Vectors must have dimension() finite components.
  Status upsert(const WorkspaceId& ws, std::int64_t label, std::span<const float> vector) override;
  // Many at once (labels[i] gets vectors[i·d, (i+1)·d)); FAISS inserts them in parallel.
  // A label given twice keeps its last vector. The index's fast path for bulk loads and
  // rebuilds.
  Status upsert_batch(const WorkspaceId& ws, std::span<const std::int64_t> labels,
                      std::span<const float> vectors);
  Status remove(const WorkspaceId& ws, std::int64_t label) override;
  // `filter` runs inside FAISS's walk: it must not block; an exception it throws fails
  // the search with kInternal. An unknown workspace has no hits. k < 0 is invalid.
  Result<std::vector<VectorHit>> search(const WorkspaceId& ws, std::span<const float> query, int k,
                                        const LabelFilter& filter,
                                        double selectivity = 1.0) override;
  // A filtered walk with beam ef reads about kWalkReadsPerSlot vectors per beam slot, at
  // random; an exact scan reads the allowed vectors in turn. Exact wins when
  // allowed ≤ kWalkReadsPerSlot · ef. Measured in bench/search at 100k × 1024 with a 10 %
  // filter: the scan of 10k vectors took 11 ms (p50), the walk with ef 640 took 17 ms,
  // i.e. the walk cost about 24 scanned vectors per slot.
  static constexpr double kWalkReadsPerSlot = 24;
  bool prefers_exact(double allowed, double selectivity) const override;
  Result<std::vector<VectorHit>> score(const WorkspaceId& ws, std::span<const float> query,
                                       std::span<const std::int64_t> labels, int k) override;
  Result<std::vector<std::vector<float>>> vectors(const WorkspaceId& ws,
                                                  std::span<const std::int64_t> labels) override;
  std::size_t size(const WorkspaceId& ws) override;
  // Also deletes the shard's files and resets needs_rebuild(ws).
  Status clear(const WorkspaceId& ws) override;
  // Writes the shards changed since their last flush. A shard that fails stays dirty
  // (retried next time); the first error is returned after trying them all.
  Status flush() override;

  // True when open() found files for `ws` that could not be loaded (corrupt, partial,
  // other dimension): the shard is empty and must be rebuilt from the metadata store
  // (clear(ws), then upsert every vector). Reset by clear(ws).
  bool needs_rebuild(const WorkspaceId& ws);

  int dimension() const { return dimension_; }

 private:
  struct Shard;

  FaissVectorIndex(std::string dir, int dimension, const Options& options);

  std::shared_ptr<Shard> find_shard(const WorkspaceId& ws);
  std::shared_ptr<Shard> find_or_create_shard(const WorkspaceId& ws);
  std::unique_ptr<Shard> new_shard() const;
  Status load_shard(const WorkspaceId& ws);
  Status write_shard(const WorkspaceId& ws, const Shard& shard);
  void rebuild_shard(Shard& shard) const;
  void maybe_rebuild(Shard& shard) const;
  std::string path_for(const WorkspaceId& ws, const char* suffix) const;
  // The beam of a search for k admitting `selectivity` of the shard (see "Beam width").
  int filtered_ef(int k, double selectivity) const;

  const std::string dir_;
  const int dimension_;
  const Options options_;

  std::mutex files_mu_;
  std::shared_mutex shards_mu_;
  std::unordered_map<WorkspaceId, std::shared_ptr<Shard>> shards_;  // guarded by shards_mu_
  std::unordered_set<WorkspaceId> needs_rebuild_;                   // guarded by shards_mu_
};

}  // namespace adloom
