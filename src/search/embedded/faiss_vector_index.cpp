// FaissVectorIndex: shards of IndexHNSWFlat with our own entry maps, tombstones and
// checksummed files (design in the header).
#include "search/embedded/faiss_vector_index.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <omp.h>
#include <set>
#include <unistd.h>
#include <utility>

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "search/embedded/inner_product.h"
#include "search/embedded/shard_files.h"

namespace adloom {
namespace {

using namespace shard_files;  // NOLINT(google-build-using-namespace)

using FaissId = faiss::Index::idx_t;

constexpr char kMetaMagic[8] = {'A', 'D', 'L', 'V', 'I', 'D', 'X', '1'};
constexpr std::uint32_t kMetaVersion = 1;
// magic, version, dimension, entries, faiss bytes, faiss checksum.
constexpr std::size_t kMetaHeaderBytes = 8 + 4 + 4 + 8 + 8 + 8;
constexpr std::size_t kMaxWorkspaceIdBytes = 128;

bool is_valid_workspace(const std::string& ws) {
  if (ws.empty() || ws.size() > kMaxWorkspaceIdBytes) return false;
  return std::all_of(ws.begin(), ws.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

Status check_workspace(const std::string& ws) {
  if (is_valid_workspace(ws)) return Status::ok();
  return invalid_argument("workspace id must be 1..128 characters of [A-Za-z0-9_-]");
}

Status check_vector(std::span<const float> v, int dimension, const char* what) {
  if (v.size() != static_cast<std::size_t>(dimension)) {
    return invalid_argument(
        fmt::format("{} has dimension {}, the index expects {}", what, v.size(), dimension));
  }
  if (!std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); })) {
    return invalid_argument(fmt::format("{} has a non-finite component", what));
  }
  return Status::ok();
}

// The caller's filter over our entries: admits only live entries whose label passes.
// Called by FAISS inside the walk (and the exact fallback); an exception must not cross
// FAISS (it may run inside an OpenMP region), so it is recorded and the entry rejected.
class EntrySelector final : public faiss::IDSelector {
 public:
  EntrySelector(const std::vector<std::int64_t>& labels, const std::vector<std::uint8_t>& live,
                const LabelFilter& filter)
      : labels_(labels), live_(live), filter_(filter) {}

  bool is_member(idx_t id) const override {
    if (id < 0 || static_cast<std::size_t>(id) >= live_.size() || live_[id] == 0) return false;
    if (!filter_) return true;
    if (failed_.load(std::memory_order_relaxed)) return false;
    try {
      return filter_(labels_[id]);
    } catch (...) {
      failed_.store(true, std::memory_order_relaxed);
      return false;
    }
  }

  bool failed() const { return failed_.load(); }

 private:
  const std::vector<std::int64_t>& labels_;
  const std::vector<std::uint8_t>& live_;
  const LabelFilter& filter_;
  mutable std::atomic<bool> failed_{false};
};

// Swaps the HNSW's flat storage for a FastFlatIP holding the same vectors, so inserts and
// walks use our SIMD kernel (inner_product.h). Files stay plain FAISS either way.
void use_fast_storage(faiss::IndexHNSWFlat& index) {
  auto* flat = dynamic_cast<faiss::IndexFlat*>(index.storage);
  if (flat == nullptr || dynamic_cast<FastFlatIP*>(flat) != nullptr) return;
  FastFlatIP* fast = adopt_flat_ip(*flat);
  if (index.own_fields) delete flat;
  index.storage = fast;
  index.own_fields = true;
}

}  // namespace

// Contents are guarded by `mu` (exclusive for writes; shared for searches and flush).
struct FaissVectorIndex::Shard {
  std::shared_mutex mu;
  std::unique_ptr<faiss::IndexHNSWFlat> index;
  std::vector<std::int64_t> labels;  // entry (FAISS sequential id) → label
  std::vector<std::uint8_t> live;    // entry → 1 while it is its label's current vector
  std::unordered_map<std::int64_t, FaissId> current;  // label → its live entry
  // Changed since the last flush. Set by writers (exclusive); read and cleared by
  // flush() under the shared lock, which files_mu_ makes the only such accessor.
  std::atomic<bool> dirty{false};
  // Set by clear() (exclusive): the shard left the map; holders of a stale pointer see
  // it after locking and retry (writes) or treat the shard as empty (reads).
  bool dropped = false;

  std::size_t tombstones() const { return labels.size() - current.size(); }

  // Keeps the maps as long as the index after a failed add() (entries FAISS kept are
  // tombstoned), so entry numbers stay aligned.
  void align_with_index() {
    const auto n = static_cast<std::size_t>(index->ntotal);
    if (labels.size() < n) {
      labels.resize(n, -1);
      live.resize(n, 0);
    }
  }
};

FaissVectorIndex::FaissVectorIndex(std::string dir, int dimension, const Options& options)
    : dir_(std::move(dir)), dimension_(dimension), options_(options) {}

FaissVectorIndex::~FaissVectorIndex() = default;

Result<std::unique_ptr<FaissVectorIndex>> FaissVectorIndex::open(const std::string& dir,
                                                                 int dimension) {
  return open(dir, dimension, Options{});
}

Result<std::unique_ptr<FaissVectorIndex>> FaissVectorIndex::open(const std::string& dir,
                                                                 int dimension,
                                                                 const Options& options) {
  if (dimension <= 0 || dimension > 65536) {
    return invalid_argument(fmt::format("vector dimension {} is out of range 1..65536", dimension));
  }
  if (options.m < 2 || options.m > 256 || options.ef_construction < 1 || options.ef_search < 1 ||
      !(options.rebuild_ratio > 0 && options.rebuild_ratio <= 1)) {
    return invalid_argument(
        "vector index options: m must be 2..256, ef_construction and ef_search >= 1, "
        "0 < rebuild_ratio <= 1");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return internal_error("vector index: create " + dir + ": " + ec.message());

  std::unique_ptr<FaissVectorIndex> index(new FaissVectorIndex(dir, dimension, options));
  std::set<WorkspaceId> found;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return internal_error("vector index: list " + dir + ": " + ec.message());
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    const auto ends_with = [&](std::string_view s) { return name.ends_with(s); };
    if (ends_with(".tmp")) {
      unlink_quietly(entry.path().string());  // a flush that crashed before its rename
    } else if (ends_with(".faiss") || ends_with(".meta")) {
      const std::string stem = entry.path().stem().string();
      if (is_valid_workspace(stem)) found.insert(stem);
    }
  }
  for (const WorkspaceId& ws : found) {
    if (Status st = index->load_shard(ws); !st.is_ok()) {
      spdlog::warn("event=vector_shard_unreadable workspace={} error=\"{}\"", ws, st.to_string());
      index->needs_rebuild_.insert(ws);
    }
  }
  return index;
}

std::string FaissVectorIndex::path_for(const WorkspaceId& ws, const char* suffix) const {
  return dir_ + "/" + ws + suffix;
}

std::unique_ptr<FaissVectorIndex::Shard> FaissVectorIndex::new_shard() const {
  auto shard = std::make_unique<Shard>();
  shard->index =
      std::make_unique<faiss::IndexHNSWFlat>(dimension_, options_.m, faiss::METRIC_INNER_PRODUCT);
  use_fast_storage(*shard->index);
  shard->index->hnsw.efConstruction = options_.ef_construction;
  shard->index->hnsw.efSearch = options_.ef_search;
  return shard;
}

std::shared_ptr<FaissVectorIndex::Shard> FaissVectorIndex::find_shard(const WorkspaceId& ws) {
  const std::shared_lock lock(shards_mu_);
  const auto it = shards_.find(ws);
  return it == shards_.end() ? nullptr : it->second;
}

std::shared_ptr<FaissVectorIndex::Shard> FaissVectorIndex::find_or_create_shard(
    const WorkspaceId& ws) {
  if (auto shard = find_shard(ws)) return shard;
  std::shared_ptr<Shard> fresh = new_shard();
  const std::unique_lock lock(shards_mu_);
  return shards_.try_emplace(ws, std::move(fresh)).first->second;
}

void FaissVectorIndex::rebuild_shard(Shard& shard) const {
  // Build aside, then swap: a failure leaves the shard as it was.
  std::unique_ptr<Shard> fresh = new_shard();
  const std::size_t n = shard.current.size();
  std::vector<float> vectors(n * static_cast<std::size_t>(dimension_));
  fresh->labels.reserve(n);
  for (std::size_t e = 0; e < shard.labels.size(); ++e) {
    if (shard.live[e] == 0) continue;
    const std::size_t i = fresh->labels.size();
    shard.index->reconstruct(static_cast<FaissId>(e), vectors.data() + i * dimension_);
    fresh->labels.push_back(shard.labels[e]);
    fresh->current.emplace(shard.labels[e], static_cast<FaissId>(i));
  }
  if (n > 0) fresh->index->add(static_cast<FaissId>(n), vectors.data());
  fresh->live.assign(n, 1);
  shard.index = std::move(fresh->index);
  shard.labels = std::move(fresh->labels);
  shard.live = std::move(fresh->live);
  shard.current = std::move(fresh->current);
}

void FaissVectorIndex::maybe_rebuild(Shard& shard) const {
  const std::size_t dead = shard.tombstones();
  const auto entries = static_cast<double>(shard.labels.size());
  if (dead == 0 || static_cast<double>(dead) <= options_.rebuild_ratio * entries) {
    return;
  }
  try {
    rebuild_shard(shard);
  } catch (const std::exception& e) {
    // Not fatal: results stay correct (tombstones are filtered), only slower; the next
    // write tries again.
    spdlog::warn("event=vector_shard_rebuild_failed error=\"{}\"", e.what());
  }
}

Status FaissVectorIndex::upsert(const WorkspaceId& ws, std::int64_t label,
                                std::span<const float> vector) {
  ADLOOM_TRY(check_vector(vector, dimension_, "vector"));
  return upsert_batch(ws, std::span<const std::int64_t>(&label, 1), vector);
}

Status FaissVectorIndex::upsert_batch(const WorkspaceId& ws, std::span<const std::int64_t> labels,
                                      std::span<const float> vectors) {
  ADLOOM_TRY(check_workspace(ws));
  const auto d = static_cast<std::size_t>(dimension_);
  if (vectors.size() != labels.size() * d) {
    return invalid_argument(fmt::format("{} vectors of dimension {} need {} floats, not {}",
                                        labels.size(), dimension_, labels.size() * d,
                                        vectors.size()));
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    ADLOOM_TRY(check_vector(vectors.subspan(i * d, d), dimension_, "vector"));
  }
  if (labels.empty()) return Status::ok();
  for (;;) {
    const std::shared_ptr<Shard> shard = find_or_create_shard(ws);
    const std::unique_lock lock(shard->mu);
    if (shard->dropped) continue;  // cleared meanwhile: use the new shard
    shard->align_with_index();
    const FaissId first = shard->index->ntotal;
    try {
      // Room for the push_backs below, so they cannot fail after FAISS took the vectors.
      const std::size_t need = shard->labels.size() + labels.size();
      if (need > shard->labels.capacity()) {
        shard->labels.reserve(std::max<std::size_t>({64, 2 * shard->labels.size(), need}));
      }
      if (need > shard->live.capacity()) {
        shard->live.reserve(std::max<std::size_t>({64, 2 * shard->live.size(), need}));
      }
      shard->current.reserve(shard->current.size() + labels.size());
      shard->index->add(static_cast<FaissId>(labels.size()), vectors.data());
    } catch (const std::exception& e) {
      shard->align_with_index();
      return internal_error(fmt::format("vector index: add failed: {}", e.what()));
    }
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const FaissId entry = first + static_cast<FaissId>(i);
      shard->labels.push_back(labels[i]);
      shard->live.push_back(1);
      // An old entry (if any) is tombstoned only now, so a failed add keeps it.
      if (const auto it = shard->current.find(labels[i]); it != shard->current.end()) {
        shard->live[static_cast<std::size_t>(it->second)] = 0;
        it->second = entry;
      } else {
        shard->current.emplace(labels[i], entry);
      }
    }
    shard->dirty = true;
    maybe_rebuild(*shard);
    return Status::ok();
  }
}

Status FaissVectorIndex::remove(const WorkspaceId& ws, std::int64_t label) {
  ADLOOM_TRY(check_workspace(ws));
  const std::shared_ptr<Shard> shard = find_shard(ws);
  if (!shard) return Status::ok();
  const std::unique_lock lock(shard->mu);
  if (shard->dropped) return Status::ok();
  const auto it = shard->current.find(label);
  if (it == shard->current.end()) return Status::ok();
  shard->live[static_cast<std::size_t>(it->second)] = 0;
  shard->current.erase(it);
  shard->dirty = true;
  maybe_rebuild(*shard);
  return Status::ok();
}

Result<std::vector<VectorHit>> FaissVectorIndex::search(const WorkspaceId& ws,
                                                        std::span<const float> query, int k,
                                                        const LabelFilter& filter,
                                                        double selectivity) {
  ADLOOM_TRY(check_workspace(ws));
  ADLOOM_TRY(check_vector(query, dimension_, "query"));
  if (k < 0) return invalid_argument("k must not be negative");
  std::vector<VectorHit> hits;
  if (k == 0) return hits;
  const std::shared_ptr<Shard> shard = find_shard(ws);
  if (!shard) return hits;

  // See "Beam width" in the header: ask for ef results, keep k.
  const int ef = filtered_ef(k, filter ? selectivity : 1.0);
  const std::shared_lock lock(shard->mu);
  if (shard->dropped || shard->current.empty()) return hits;

  EntrySelector selector(shard->labels, shard->live, filter);
  // FAISS 1.7.3 runs every search() in an OpenMP team of all cores, even for one query;
  // concurrent requests then fight over the cores (measured: p99 ×7). One query is one
  // thread: the calling thread's team size is 1 for the call, then restored.
  struct OneThread {
    int before = omp_get_max_threads();
    OneThread() { omp_set_num_threads(1); }
    ~OneThread() { omp_set_num_threads(before); }
    OneThread(const OneThread&) = delete;
    OneThread& operator=(const OneThread&) = delete;
  } one_thread;
  std::vector<float> scores(static_cast<std::size_t>(ef));
  std::vector<FaissId> entries(static_cast<std::size_t>(ef));
  const auto collect = [&] {
    hits.clear();
    for (std::size_t i = 0; i < entries.size() && hits.size() < static_cast<std::size_t>(k); ++i) {
      if (entries[i] < 0) break;  // FAISS pads missing results with -1
      hits.push_back({shard->labels[static_cast<std::size_t>(entries[i])], scores[i]});
    }
  };
  try {
    const faiss::IndexHNSWFlat& index = *shard->index;
    faiss::SearchParametersHNSW params;
    params.sel = &selector;
    params.efSearch = ef;
    index.search(1, query.data(), ef, scores.data(), entries.data(), &params);
    collect();
    // A selective filter can still starve the walk (it only explores ef candidates). Then
    // scan exactly, so k results come back whenever k live entries pass the filter.
    if (hits.size() < std::min<std::size_t>(static_cast<std::size_t>(k), shard->current.size()) &&
        !selector.failed()) {
      faiss::SearchParameters exact;
      exact.sel = &selector;
      index.storage->search(1, query.data(), k, scores.data(), entries.data(), &exact);
      collect();
    }
  } catch (const std::exception& e) {
    return internal_error(fmt::format("vector index: search failed: {}", e.what()));
  }
  if (selector.failed()) return internal_error("vector index: the label filter threw");
  return hits;
}

int FaissVectorIndex::filtered_ef(int k, double selectivity) const {
  const double admitted = std::clamp(selectivity, 1e-4, 1.0);
  const int widened = static_cast<int>(std::ceil(options_.ef_search / admitted));
  return std::max(k, std::min(widened, std::max(options_.ef_search, options_.max_filtered_ef)));
}

bool FaissVectorIndex::prefers_exact(double allowed, double selectivity) const {
  return allowed <= kWalkReadsPerSlot * filtered_ef(0, selectivity);
}

Result<std::vector<VectorHit>> FaissVectorIndex::score(const WorkspaceId& ws,
                                                       std::span<const float> query,
                                                       std::span<const std::int64_t> labels,
                                                       int k) {
  ADLOOM_TRY(check_workspace(ws));
  ADLOOM_TRY(check_vector(query, dimension_, "query"));
  if (k < 0) return invalid_argument("k must not be negative");
  std::vector<VectorHit> hits;
  const std::shared_ptr<Shard> shard = find_shard(ws);
  if (!shard || k == 0) return hits;
  const std::shared_lock lock(shard->mu);
  if (shard->dropped) return hits;
  const auto* flat = dynamic_cast<const faiss::IndexFlat*>(shard->index->storage);
  if (flat == nullptr) return internal_error("vector index: storage is not flat");
  const float* base = flat->get_xb();
  const auto d = static_cast<std::size_t>(dimension_);
  hits.reserve(labels.size());
  for (std::int64_t label : labels) {
    auto it = shard->current.find(label);
    if (it == shard->current.end()) continue;
    const float* v = base + static_cast<std::size_t>(it->second) * d;
    hits.push_back({label, inner_product(query.data(), v, d)});
  }
  const auto better = [](const VectorHit& a, const VectorHit& b) {
    return a.score != b.score ? a.score > b.score : a.label < b.label;
  };
  if (hits.size() > static_cast<std::size_t>(k)) {
    std::partial_sort(hits.begin(), hits.begin() + k, hits.end(), better);
    hits.resize(static_cast<std::size_t>(k));
  } else {
    std::sort(hits.begin(), hits.end(), better);
  }
  return hits;
}

Result<std::vector<std::vector<float>>> FaissVectorIndex::vectors(
    const WorkspaceId& ws, std::span<const std::int64_t> labels) {
  ADLOOM_TRY(check_workspace(ws));
  std::vector<std::vector<float>> out(labels.size());
  const std::shared_ptr<Shard> shard = find_shard(ws);
  if (!shard) return out;
  const std::shared_lock lock(shard->mu);
  if (shard->dropped) return out;
  const auto* flat = dynamic_cast<const faiss::IndexFlat*>(shard->index->storage);
  if (flat == nullptr) return internal_error("vector index: storage is not flat");
  const auto d = static_cast<std::size_t>(dimension_);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    auto it = shard->current.find(labels[i]);
    if (it == shard->current.end()) continue;
    const float* v = flat->get_xb() + static_cast<std::size_t>(it->second) * d;
    out[i].assign(v, v + d);
  }
  return out;
}

std::size_t FaissVectorIndex::size(const WorkspaceId& ws) {
  const std::shared_ptr<Shard> shard = find_shard(ws);
  if (!shard) return 0;
  const std::shared_lock lock(shard->mu);
  return shard->dropped ? 0 : shard->current.size();
}

bool FaissVectorIndex::needs_rebuild(const WorkspaceId& ws) {
  const std::shared_lock lock(shards_mu_);
  return needs_rebuild_.contains(ws);
}

Status FaissVectorIndex::clear(const WorkspaceId& ws) {
  ADLOOM_TRY(check_workspace(ws));
  const std::lock_guard files(files_mu_);
  std::shared_ptr<Shard> shard;
  {
    const std::unique_lock lock(shards_mu_);
    if (const auto it = shards_.find(ws); it != shards_.end()) {
      shard = std::move(it->second);
      shards_.erase(it);
    }
    needs_rebuild_.erase(ws);
  }
  if (shard) {
    const std::unique_lock lock(shard->mu);
    shard->dropped = true;
    shard->index.reset();  // free the memory now; nobody reads a dropped shard
    shard->labels = {};
    shard->live = {};
    shard->current = {};
  }
  for (const char* suffix : {".faiss", ".meta", ".faiss.tmp", ".meta.tmp"}) {
    const std::string path = path_for(ws, suffix);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return errno_status("remove " + path, errno);
    }
  }
  return fsync_dir(dir_);
}

Status FaissVectorIndex::flush() {
  const std::lock_guard files(files_mu_);
  std::vector<std::pair<WorkspaceId, std::shared_ptr<Shard>>> shards;
  {
    const std::shared_lock lock(shards_mu_);
    shards.assign(shards_.begin(), shards_.end());
  }
  Status first_error;
  for (const auto& [ws, shard] : shards) {
    const std::shared_lock lock(shard->mu);
    if (shard->dropped || !shard->dirty) continue;
    Status st = write_shard(ws, *shard);
    if (st.is_ok()) {
      shard->dirty = false;
    } else {
      spdlog::warn("event=vector_shard_flush_failed workspace={} error=\"{}\"", ws, st.to_string());
      if (first_error.is_ok()) first_error = std::move(st);
    }
  }
  return first_error;
}

Status FaissVectorIndex::write_shard(const WorkspaceId& ws, const Shard& shard) {
  const std::string faiss_path = path_for(ws, ".faiss");
  const std::string meta_path = path_for(ws, ".meta");
  const std::string faiss_tmp = faiss_path + ".tmp";
  const std::string meta_tmp = meta_path + ".tmp";
  // Temp files are removed on any failure; after both renames nothing is left.
  struct TempFiles {
    const std::string& a;
    const std::string& b;
    ~TempFiles() {
      unlink_quietly(a);
      unlink_quietly(b);
    }
  } cleanup{faiss_tmp, meta_tmp};

  // 1. The index, checksummed while it streams out.
  FileDigest digest;
  {
    UniqueFd fd = open_file(faiss_tmp, O_WRONLY | O_CREAT | O_TRUNC);
    if (!fd.valid()) return errno_status("create " + faiss_tmp, errno);
    ChecksumFileWriter writer(fd.get());
    try {
      faiss::write_index(shard.index.get(), &writer);
    } catch (const std::exception& e) {
      const int err = writer.finish();
      return err != 0 ? errno_status("write " + faiss_tmp, err)
                      : internal_error(fmt::format("vector index: write_index: {}", e.what()));
    }
    if (const int err = writer.finish(); err != 0) return errno_status("write " + faiss_tmp, err);
    if (const int err = fd.close(); err != 0) return errno_status("close " + faiss_tmp, err);
    digest = {writer.bytes(), writer.checksum()};
  }

  // 2. The sidecar: maps and the index's digest, then its own checksum.
  std::string meta;
  const std::uint64_t entries = shard.labels.size();
  meta.reserve(kMetaHeaderBytes + entries * 9 + 8);
  meta.append(kMetaMagic, sizeof kMetaMagic);
  append_pod(meta, kMetaVersion);
  append_pod(meta, static_cast<std::uint32_t>(dimension_));
  append_pod(meta, entries);
  append_pod(meta, digest.bytes);
  append_pod(meta, digest.checksum);
  if (entries > 0) {
    meta.append(reinterpret_cast<const char*>(shard.labels.data()), entries * sizeof(std::int64_t));
    meta.append(reinterpret_cast<const char*>(shard.live.data()), entries);
  }
  append_pod(meta, fnv1a(meta.data(), meta.size(), kFnvOffset));
  {
    UniqueFd fd = open_file(meta_tmp, O_WRONLY | O_CREAT | O_TRUNC);
    if (!fd.valid()) return errno_status("create " + meta_tmp, errno);
    if (const int err = write_all(fd.get(), meta.data(), meta.size()); err != 0) {
      return errno_status("write " + meta_tmp, err);
    }
    if (const int err = fsync_fd(fd.get()); err != 0) return errno_status("sync " + meta_tmp, err);
    if (const int err = fd.close(); err != 0) return errno_status("close " + meta_tmp, err);
  }

  // 3. Into place. A crash between the renames leaves a new .faiss with the old .meta:
  // the checksum disagrees, so open() reports the shard for a rebuild.
  if (::rename(faiss_tmp.c_str(), faiss_path.c_str()) != 0) {
    return errno_status("rename " + faiss_tmp, errno);
  }
  if (::rename(meta_tmp.c_str(), meta_path.c_str()) != 0) {
    return errno_status("rename " + meta_tmp, errno);
  }
  return fsync_dir(dir_);
}

Status FaissVectorIndex::load_shard(const WorkspaceId& ws) {
  const std::string faiss_path = path_for(ws, ".faiss");
  const std::string meta_path = path_for(ws, ".meta");
  ADLOOM_ASSIGN(const std::string meta, read_small_file(meta_path));
  if (meta.size() < kMetaHeaderBytes + 8) return internal_error("vector index: meta is truncated");
  std::size_t pos = meta.size() - 8;
  if (read_pod<std::uint64_t>(meta, pos) != fnv1a(meta.data(), meta.size() - 8, kFnvOffset)) {
    return internal_error("vector index: meta checksum mismatch");
  }
  if (std::memcmp(meta.data(), kMetaMagic, sizeof kMetaMagic) != 0) {
    return internal_error("vector index: meta has a bad magic number");
  }
  pos = sizeof kMetaMagic;
  if (const auto v = read_pod<std::uint32_t>(meta, pos); v != kMetaVersion) {
    return internal_error(fmt::format("vector index: meta version {} is not supported", v));
  }
  if (const auto d = read_pod<std::uint32_t>(meta, pos);
      d != static_cast<std::uint32_t>(dimension_)) {
    return internal_error(
        fmt::format("vector index: shard has dimension {}, expected {}", d, dimension_));
  }
  const auto entries = read_pod<std::uint64_t>(meta, pos);
  const auto faiss_bytes = read_pod<std::uint64_t>(meta, pos);
  const auto faiss_checksum = read_pod<std::uint64_t>(meta, pos);
  if ((meta.size() - kMetaHeaderBytes - 8) / 9 != entries ||
      (meta.size() - kMetaHeaderBytes - 8) % 9 != 0) {
    return internal_error("vector index: meta size does not match its entry count");
  }

  // Verify the index file before FAISS parses it: its reader trusts the sizes it reads.
  ADLOOM_ASSIGN(const FileDigest digest, digest_file(faiss_path));
  if (digest.bytes != faiss_bytes || digest.checksum != faiss_checksum) {
    return internal_error("vector index: index file does not match its meta (corrupt or partial)");
  }
  std::unique_ptr<faiss::Index> loaded;
  try {
    loaded.reset(faiss::read_index(faiss_path.c_str()));
  } catch (const std::exception& e) {
    return internal_error(fmt::format("vector index: read_index: {}", e.what()));
  }
  auto* hnsw = dynamic_cast<faiss::IndexHNSWFlat*>(loaded.get());
  if (hnsw == nullptr || hnsw->d != dimension_ ||
      hnsw->metric_type != faiss::METRIC_INNER_PRODUCT ||
      static_cast<std::uint64_t>(hnsw->ntotal) != entries) {
    return internal_error("vector index: index file has an unexpected type, size or metric");
  }

  auto shard = std::make_shared<Shard>();
  shard->labels.resize(entries);
  shard->live.resize(entries);
  if (entries > 0) {  // memcpy from/to an empty vector's null data() is undefined
    std::memcpy(shard->labels.data(), meta.data() + pos, entries * sizeof(std::int64_t));
    std::memcpy(shard->live.data(), meta.data() + pos + entries * sizeof(std::int64_t), entries);
  }
  for (std::size_t e = 0; e < entries; ++e) {
    if (shard->live[e] == 0) continue;
    if (!shard->current.emplace(shard->labels[e], static_cast<FaissId>(e)).second) {
      return internal_error("vector index: meta has a label live twice");
    }
  }
  shard->index.reset(static_cast<faiss::IndexHNSWFlat*>(loaded.release()));
  use_fast_storage(*shard->index);
  shard->index->hnsw.efConstruction = options_.ef_construction;
  shard->index->hnsw.efSearch = options_.ef_search;

  const std::unique_lock lock(shards_mu_);
  shards_[ws] = std::move(shard);
  return Status::ok();
}

}  // namespace adloom
