// adloom_bench_search: vector search over a synthetic library of clustered unit vectors
// with metadata, four ways side by side, without a filter and with filters keeping 50 %,
// 10 %, 1 % and 0.1 % of the library:
//
//   exact brute force    inner product with every admitted vector (faiss::fvec_inner_product),
//                        one thread; its results are the ground truth
//   raw FAISS HNSW       faiss::IndexHNSWFlat with adloom's parameters (M 16, efConstruction
//                        100, efSearch 64), the filter as an IDSelector, k 10; each search
//                        on its calling thread (no OpenMP team, see without_team). With
//                        --raw-from-adloom it is not built but read from adloom's flushed
//                        shard (a plain FAISS file): the same graph, FAISS's own distances
//   adloom index only    FaissVectorIndex with the vector step of SearchService::search:
//                        selectivity estimated from an even sample; few admitted (by the
//                        index's cost model) → list them and score() exactly, else search()
//                        with the filter inside the walk; `pool` (100) hits asked for, as
//                        the service does; top 10 kept
//   adloom HTTP          POST /api/v1/search with the raw query vector to a real
//                        `adloom serve` over the same library and index files
//
// For each: recall@10 against exact, p50/p99 latency of one query at a time, throughput
// with --threads threads (clients), build time and resident memory, as ratios to raw FAISS
// and to the raw float32 vectors measured in the same run; then PASS/FAIL per target of
// the issue (set for 1M × 1024), an ef_search sweep of the unfiltered adloom index, and a
// diagnostic of FAISS's OpenMP team per search.
//
//   adloom_bench_search [--n N] [--dim D] [--queries Q] [--threads T] [--skip-http]
//                       [--data DIR] [--keep] [--spread S] [--seed S] [--adloom PATH]
//                       [--raw-from-adloom]
//
// Dataset and filters: search_data.h. Data directory and server: search_http.h. Tables
// and targets: search_report.h. What each figure means: bench/README.md.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <malloc.h>
#include <memory>
#include <omp.h>
#include <span>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <faiss/IndexHNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/index_io.h>

#include "search/embedded/faiss_vector_index.h"
#include "search_common.h"
#include "search_data.h"
#include "search_http.h"
#include "search_report.h"
#include "services/search_service.h"

namespace {

using namespace adloom;
using namespace adloom::bench;

constexpr std::size_t kUpsertBatch = 4096;  // as App::repair_vector_index

struct Answer {
  std::vector<std::int64_t> labels;  // best first
  bool exact = false;                // adloom: listed and scored rather than walked
};
using Searcher = std::function<Answer(std::size_t query, int thread)>;

struct Args {
  DatasetOptions data;
  bool skip_http = false;
  bool keep = false;
  bool raw_from_adloom = false;  // raw FAISS loads adloom's graph instead of building its own
  std::string dir;
  std::string adloom;
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    const auto next = [&]() -> std::string {
      if (!value.empty()) return value;
      if (i + 1 >= argc) die(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--n") {
      a.data.n = std::strtoull(next().c_str(), nullptr, 10);
    } else if (arg == "--dim") {
      a.data.dim = std::atoi(next().c_str());
    } else if (arg == "--queries") {
      a.data.queries = std::strtoull(next().c_str(), nullptr, 10);
    } else if (arg == "--threads") {
      a.data.threads = std::atoi(next().c_str());
    } else if (arg == "--spread") {
      a.data.spread = std::atof(next().c_str());
    } else if (arg == "--seed") {
      a.data.seed = std::strtoull(next().c_str(), nullptr, 10);
    } else if (arg == "--data") {
      a.dir = next();
    } else if (arg == "--adloom") {
      a.adloom = next();
    } else if (arg == "--skip-http") {
      a.skip_http = true;
    } else if (arg == "--keep") {
      a.keep = true;
    } else if (arg == "--raw-from-adloom") {
      a.raw_from_adloom = true;
    } else if (arg == "-h" || arg == "--help") {
      std::printf(
          "usage: adloom_bench_search [--n N] [--dim D] [--queries Q] [--threads T] "
          "[--skip-http]\n"
          "                           [--data DIR] [--keep] [--spread S] [--seed S] "
          "[--adloom PATH]\n"
          "                           [--raw-from-adloom]\n"
          "defaults: --n 100000 --dim 1024 --queries 200 --threads 2 --spread 0.8 --seed 1;\n"
          "--data: a new or empty scratch directory (default /tmp/adloom-bench-search-PID),\n"
          "deleted at the end unless --keep; --adloom: the server binary (default\n"
          "../src/adloom next to this one); --raw-from-adloom: raw FAISS searches the HNSW\n"
          "graph adloom built and flushed (a plain FAISS file, same parameters) instead of\n"
          "building its own, which halves the run at 1M (no raw build time then)\n");
      std::exit(0);
    } else {
      die("unknown argument: " + arg + " (try --help)");
    }
  }
  if (a.data.n < 1000) die("--n must be at least 1000");
  if (a.data.dim < 8) die("--dim must be at least 8");
  if (a.data.queries < 1) die("--queries must be at least 1");
  if (a.data.threads < 1) die("--threads must be at least 1");
  if (!a.skip_http && (a.data.dim < 256 || a.data.dim > 4096)) {
    die("adloom serve takes embedder.dimension 256..4096: use --skip-http for --dim " +
        std::to_string(a.data.dim));
  }
  if (a.dir.empty()) a.dir = "/tmp/adloom-bench-search-" + std::to_string(::getpid());
  if (a.adloom.empty()) {
    a.adloom = (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() /
                "src" / "adloom")
                   .string();
  }
  return a;
}

// Recall and latency one query at a time, then throughput with `threads` threads.
Cell measure(const char* what, const FilterCase& fc, const Searcher& search,
             const std::vector<std::vector<std::int64_t>>& truth, int threads) {
  Cell cell;
  cell.measured = true;
  std::vector<Answer> answers(truth.size());
  cell.latency =
      summarise(time_each(truth.size(), [&](std::size_t q) { answers[q] = search(q, 0); }));
  double sum = 0;
  for (std::size_t q = 0; q < truth.size(); ++q) {
    auto& labels = answers[q].labels;
    if (labels.size() > static_cast<std::size_t>(kK)) labels.resize(kK);
    sum += recall(labels, truth[q]);
    ++(answers[q].exact ? cell.exact : cell.hnsw);
  }
  cell.recall = sum / static_cast<double>(truth.size());
  cell.qps = throughput(threads, truth.size(), [&](std::size_t q, int t) { search(q, t); });
  progress("  {} at {}: recall@10 {:.3f}, p50 {:.2f} ms, p99 {:.2f} ms, {:.0f} QPS ({})", what,
           fc.name, cell.recall, cell.latency.p50, cell.latency.p99, cell.qps, mode_name(cell));
  return cell;
}

// FAISS 1.7.3's IndexHNSW::search opens an OpenMP team of all cores even for one query
// (each member allocating a visited table of ntotal bytes) and returns when the whole team
// has; on a busy machine the idle member's wake-up decides the latency. `search` run with
// omp_set_num_threads(1) in each calling thread (a per-thread setting), i.e. without a
// team; the main thread's setting is restored by the caller (OmpRestore).
Searcher without_team(Searcher search) {
  return [search = std::move(search)](std::size_t q, int t) {
    omp_set_num_threads(1);
    return search(q, t);
  };
}

struct OmpRestore {
  int saved = omp_get_max_threads();
  ~OmpRestore() { omp_set_num_threads(saved); }
};

// The vector step of SearchService::search (services/search_service.cpp) with the bench's
// metadata arrays in place of the catalog, SearchOptions{} defaults.
Answer adloom_search(FaissVectorIndex& index, const WorkspaceId& ws, const Dataset& ds,
                     const float* query, const Filter& filter) {
  static const SearchOptions options{};
  static const int pool = service_pool();
  const std::span<const float> q(query, static_cast<std::size_t>(ds.dim));
  double selectivity = 1;
  const bool filtered = filter.field != Field::kNone;
  if (filtered) {  // an even sample of the slots
    const std::size_t step = std::max<std::size_t>(1, ds.n / options.sample_size);
    std::size_t seen = 0;
    std::size_t passed = 0;
    for (std::size_t i = 0; i < ds.n; i += step) {
      ++seen;
      if (filter.admits(ds, i)) ++passed;
    }
    selectivity = static_cast<double>(passed) / static_cast<double>(seen);
  }
  const double allowed = selectivity * static_cast<double>(ds.n);
  bool exact = false;
  if (filtered) {
    switch (options.scan_plan) {
      case SearchOptions::ScanPlan::kByCost:
        exact = allowed <= static_cast<double>(options.exact_min_count) ||
                index.prefers_exact(allowed, selectivity);
        break;
      case SearchOptions::ScanPlan::kAlwaysExact: exact = true; break;
      case SearchOptions::ScanPlan::kNeverExact: exact = false; break;
    }
  }
  Answer a;
  std::vector<VectorHit> hits;
  if (exact) {
    std::vector<std::int64_t> labels;
    for (std::size_t i = 0; i < ds.n; ++i) {
      if (filter.admits(ds, i)) labels.push_back(static_cast<std::int64_t>(i + 1));
    }
    hits = must(index.score(ws, q, labels, pool), "FaissVectorIndex::score");
    a.exact = true;
  } else {
    // The service always passes its filter (the catalog lookup), even when it admits all.
    const LabelFilter admit = [&](std::int64_t label) {
      return filter.admits(ds, static_cast<std::size_t>(label - 1));
    };
    hits = must(index.search(ws, q, pool, admit, selectivity), "FaissVectorIndex::search");
  }
  for (const VectorHit& h : hits) a.labels.push_back(h.label);
  return a;
}

// Unfiltered recall@10 and p99 of the adloom index at its ef_search, asking for k = 10
// and for the service's pool.
SweepRow sweep_row(FaissVectorIndex& index, const WorkspaceId& ws, const Dataset& ds,
                   const std::vector<std::vector<std::int64_t>>& truth, int ef, double load_s) {
  SweepRow row{ef, load_s};
  const LabelFilter all = [](std::int64_t) { return true; };
  for (const int k : {kK, service_pool()}) {
    std::vector<std::vector<std::int64_t>> found(ds.nq);
    const Latency l = summarise(time_each(ds.nq, [&](std::size_t q) {
      const auto hits =
          must(index.search(ws, {ds.query(q), static_cast<std::size_t>(ds.dim)}, k, all, 1.0),
               "FaissVectorIndex::search");
      for (std::size_t i = 0; i < hits.size() && i < static_cast<std::size_t>(kK); ++i) {
        found[q].push_back(hits[i].label);
      }
    }));
    double sum = 0;
    for (std::size_t q = 0; q < ds.nq; ++q) sum += recall(found[q], truth[q]);
    (k == kK ? row.recall_k : row.recall_pool) = sum / static_cast<double>(ds.nq);
    (k == kK ? row.p99_k : row.p99_pool) = l.p99;
  }
  progress("  ef_search {}: recall@10 {:.3f} (k 10), {:.3f} (k pool); p99 {:.2f} / {:.2f} ms", ef,
           row.recall_k, row.recall_pool, row.p99_k, row.p99_pool);
  return row;
}

// Admits rows (FAISS ids) that pass the filter.
struct RowSelector final : faiss::IDSelector {
  RowSelector(const Dataset& ds, const Filter& f) : ds(ds), filter(f) {}
  bool is_member(idx_t id) const override {
    return filter.admits(ds, static_cast<std::size_t>(id));
  }
  const Dataset& ds;
  Filter filter;
};

void run_brute_force(const Dataset& ds, int threads, Report& r) {
  const auto& cases = filter_cases();
  for (std::size_t c = 0; c < cases.size(); ++c) {
    auto& truth = r.truth[c];
    truth.resize(ds.nq);
    double first = 0, tenth = 0;
    Cell cell;
    cell.measured = true;
    cell.recall = 1;
    cell.exact = ds.nq;
    cell.latency = summarise(time_each(ds.nq, [&](std::size_t q) {
      std::vector<float> scores;
      truth[q] = exact_top_k(ds, ds.query(q), query_filter(ds, cases[c], q), kK, &scores);
      first += scores.empty() ? 0 : scores.front();
      tenth += scores.empty() ? 0 : scores.back();
    }));
    r.first_score[c] = first / static_cast<double>(ds.nq);
    r.tenth_score[c] = tenth / static_cast<double>(ds.nq);
    cell.qps = throughput(threads, ds.nq, [&](std::size_t q, int) {
      exact_top_k(ds, ds.query(q), query_filter(ds, cases[c], q), kK);
    });
    progress(
        "  exact at {}: p50 {:.2f} ms, p99 {:.2f} ms, {:.1f} QPS; neighbours' cosine "
        "{:.3f}..{:.3f}",
        cases[c].name, cell.latency.p50, cell.latency.p99, cell.qps, r.first_score[c],
        r.tenth_score[c]);
    r.cells[c][kBrute] = cell;
  }
}

std::unique_ptr<faiss::IndexHNSWFlat> build_faiss(const Dataset& ds) {
  auto index = std::make_unique<faiss::IndexHNSWFlat>(ds.dim, kFaissM, faiss::METRIC_INNER_PRODUCT);
  index->hnsw.efConstruction = kFaissEfConstruction;
  index->hnsw.efSearch = kFaissEfSearch;
  // Ten batched adds (each parallel over the cores), for progress lines.
  ProgressMeter meter("raw FAISS add", ds.n);
  const std::size_t chunk = (ds.n + 9) / 10;
  for (std::size_t start = 0; start < ds.n; start += chunk) {
    const std::size_t count = std::min(chunk, ds.n - start);
    index->add(static_cast<faiss::Index::idx_t>(count), ds.row(start));
    meter.done(start + count);
  }
  return index;
}

// adloom's flushed shard is faiss::write_index of an IndexHNSWFlat with entry e = row e
// (the bench upserts labels 1..n in order): read back, it is a plain FAISS index with
// FAISS's own distance code.
std::unique_ptr<faiss::IndexHNSWFlat> load_faiss(const Dataset& ds, const std::string& path) {
  std::unique_ptr<faiss::Index> loaded(faiss::read_index(path.c_str()));
  auto* hnsw = dynamic_cast<faiss::IndexHNSWFlat*>(loaded.get());
  if (hnsw == nullptr || hnsw->ntotal != static_cast<faiss::Index::idx_t>(ds.n) ||
      hnsw->hnsw.nb_neighbors(0) != 2 * kFaissM) {
    die(path + " is not adloom's HNSW graph of this dataset");
  }
  hnsw->hnsw.efSearch = kFaissEfSearch;
  loaded.release();
  return std::unique_ptr<faiss::IndexHNSWFlat>(hnsw);
}

// `graph`: empty to build raw FAISS's own index, else adloom's flushed shard to load.
void run_faiss(const Dataset& ds, int threads, const std::string& graph, Report& r) {
  ::malloc_trim(0);  // return freed heap first, so reused pages do not hide the growth
  const std::uint64_t before = rss_bytes();
  reset_peak_rss();
  const auto t0 = Steady::now();
  auto index = graph.empty() ? build_faiss(ds) : load_faiss(ds, graph);
  r.build[kFaiss] = {true, seconds_since(t0), rss_bytes() - before, peak_rss_bytes() - before,
                     !graph.empty()};
  progress("raw FAISS {} in {:.1f} s, resident +{:.1f} MiB", graph.empty() ? "built" : "loaded",
           r.build[kFaiss].seconds, static_cast<double>(r.build[kFaiss].rss) / kMiB);

  const auto& cases = filter_cases();
  const auto searcher = [&](const FilterCase& fc) -> Searcher {
    return [&index, &ds, &fc](std::size_t q, int) {
      const Filter f = query_filter(ds, fc, q);
      RowSelector selector(ds, f);
      faiss::SearchParametersHNSW params;
      params.efSearch = kFaissEfSearch;
      params.sel = f.field == Field::kNone ? nullptr : &selector;
      float scores[kK];
      faiss::Index::idx_t rows[kK];
      index->search(1, ds.query(q), kK, scores, rows, &params);
      Answer a;
      for (const faiss::Index::idx_t row : rows) {
        if (row >= 0) a.labels.push_back(row + 1);
      }
      return a;
    };
  };
  {
    // One thread per query, as FaissVectorIndex::search runs it (see without_team).
    const OmpRestore restore;
    for (std::size_t c = 0; c < cases.size(); ++c) {
      r.cells[c][kFaiss] =
          measure("raw FAISS", cases[c], without_team(searcher(cases[c])), r.truth[c], threads);
    }
  }
  r.faiss_team =
      measure("raw FAISS, default OpenMP team", cases[0], searcher(cases[0]), r.truth[0], threads);
}

void run_adloom_index(const Dataset& ds, const std::string& dir, const WorkspaceId& ws, int threads,
                      Report& r) {
  ::malloc_trim(0);  // return freed heap first, so reused pages do not hide the growth
  const std::uint64_t before = rss_bytes();
  reset_peak_rss();
  const auto t0 = Steady::now();
  auto index = must(FaissVectorIndex::open(dir, ds.dim), "FaissVectorIndex::open");
  ProgressMeter meter("adloom upsert_batch", ds.n);
  std::vector<std::int64_t> labels;
  for (std::size_t start = 0; start < ds.n; start += kUpsertBatch) {
    const std::size_t count = std::min(kUpsertBatch, ds.n - start);
    labels.resize(count);
    for (std::size_t i = 0; i < count; ++i) labels[i] = static_cast<std::int64_t>(start + i + 1);
    const std::span<const float> vectors(ds.row(start), count * static_cast<std::size_t>(ds.dim));
    must(index->upsert_batch(ws, labels, vectors), "upsert_batch");
    meter.done(start + count);
  }
  r.build[kIndex] = {true, seconds_since(t0), rss_bytes() - before, peak_rss_bytes() - before};
  progress("adloom index built in {:.1f} s, resident +{:.1f} MiB", r.build[kIndex].seconds,
           static_cast<double>(r.build[kIndex].rss) / kMiB);

  const auto& cases = filter_cases();
  const auto searcher = [&](const FilterCase& fc) -> Searcher {
    return [&index, &ws, &ds, &fc](std::size_t q, int) {
      return adloom_search(*index, ws, ds, ds.query(q), query_filter(ds, fc, q));
    };
  };
  for (std::size_t c = 0; c < cases.size(); ++c) {
    r.cells[c][kIndex] = measure("adloom index", cases[c], searcher(cases[c]), r.truth[c], threads);
  }
  {
    const OmpRestore restore;
    r.index_one_thread = measure("adloom index, caller sets 1 OpenMP thread", cases[0],
                                 without_team(searcher(cases[0])), r.truth[0], threads);
  }
  progress("ef_search sweep, unfiltered");
  r.sweep.push_back(sweep_row(*index, ws, ds, r.truth[0], FaissVectorIndexOptions{}.ef_search, 0));
  const auto f0 = Steady::now();
  must(index->flush(), "flush");
  progress("adloom index flushed to {} in {:.1f} s", dir, seconds_since(f0));
  index.reset();

  for (const int ef : {32, 128, 256}) {
    FaissVectorIndexOptions options;
    options.ef_search = ef;
    const auto l0 = Steady::now();
    auto reopened = must(FaissVectorIndex::open(dir, ds.dim, options), "FaissVectorIndex::open");
    if (reopened->size(ws) != ds.n) die("the flushed index reopened with another size");
    r.sweep.push_back(sweep_row(*reopened, ws, ds, r.truth[0], ef, seconds_since(l0)));
  }
  std::sort(r.sweep.begin(), r.sweep.end(),
            [](const SweepRow& a, const SweepRow& b) { return a.ef < b.ef; });
}

void run_http(const Dataset& ds, const Args& args, const Library& lib, Report& r) {
  const std::string log_path = args.dir + "/server.log";
  Server server = Server::start(args.adloom, args.dir, ds.dim, log_path, 3600);
  r.server_start_s = server.start_seconds();
  progress("adloom serve (pid {}) listening on port {} after {:.1f} s", server.pid(), server.port(),
           r.server_start_s);
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int t = 0; t < args.data.threads; ++t) {
    clients.push_back(std::make_unique<HttpClient>(server.port()));
  }
  // The first search loads the workspace's catalog: timed apart.
  const auto f0 = Steady::now();
  clients[0]->post("/api/v1/search", search_body(ds.query(0), ds.dim, {}, kK));
  r.first_query_ms = seconds_since(f0) * 1000;
  progress("first search (catalog load) took {:.0f} ms", r.first_query_ms);

  const auto& cases = filter_cases();
  for (std::size_t c = 0; c < cases.size(); ++c) {
    std::vector<std::string> bodies(ds.nq);
    for (std::size_t q = 0; q < ds.nq; ++q) {
      bodies[q] = search_body(ds.query(q), ds.dim, query_filter(ds, cases[c], q), kK);
    }
    const Searcher search = [&](std::size_t q, int t) {
      const HttpHits hits = parse_hits(clients[t]->post("/api/v1/search", bodies[q]), lib);
      return Answer{hits.labels, hits.vector_mode == "exact"};
    };
    r.cells[c][kHttp] = measure("adloom HTTP", cases[c], search, r.truth[c], args.data.threads);
  }
  r.server_rss = rss_bytes(server.pid());
  r.server_hwm = peak_rss_bytes(server.pid());
  clients.clear();
  if (const int rc = server.stop(); rc != 0) progress("adloom serve exited with status {}", rc);
  r.server_rebuilt = file_contains(log_path, "vector_index_rebuild") ||
                     file_contains(log_path, "vector_shard_unreadable");
  progress("adloom serve stopped: VmRSS {:.1f} MiB, VmHWM {:.1f} MiB{}",
           static_cast<double>(r.server_rss) / kMiB, static_cast<double>(r.server_hwm) / kMiB,
           r.server_rebuilt ? "; its log shows a vector index REBUILD" : "");
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  const DatasetOptions& o = args.data;
  std::error_code ec;
  if (std::filesystem::exists(args.dir) && !std::filesystem::is_empty(args.dir, ec)) {
    die(args.dir + " exists and is not empty: give a new or empty --data directory");
  }
  std::printf(
      "adloom_bench_search: n %zu, dim %d, %zu queries, %d threads, %zu clusters, "
      "spread %.2f, seed %llu\n",
      o.n, o.dim, o.queries, o.threads, std::max<std::size_t>(1, o.n / 100), o.spread,
      static_cast<unsigned long long>(o.seed));
  std::printf("FAISS %d.%d.%d, OpenMP max threads %d, %u hardware threads; scratch %s\n",
              FAISS_VERSION_MAJOR, FAISS_VERSION_MINOR, FAISS_VERSION_PATCH, omp_get_max_threads(),
              std::thread::hardware_concurrency(), args.dir.c_str());

  progress("generating {} + {} vectors of dimension {}", o.n, o.queries, o.dim);
  const Dataset ds = make_dataset(o);
  progress("dataset ready, {:.1f} MiB of float32 vectors; process resident {:.1f} MiB",
           static_cast<double>(ds.base.size() * sizeof(float)) / kMiB,
           static_cast<double>(rss_bytes()) / kMiB);

  Report r;
  const std::size_t ncases = filter_cases().size();
  r.truth.resize(ncases);
  r.cells.resize(ncases);
  r.first_score.resize(ncases);
  r.tenth_score.resize(ncases);
  r.admitted.resize(ncases);
  for (std::size_t c = 0; c < ncases; ++c) {
    const FilterCase& fc = filter_cases()[c];
    if (fc.field == Field::kNone) {
      r.admitted[c] = static_cast<double>(ds.n);
      continue;
    }
    std::vector<std::size_t> count(static_cast<std::size_t>(fc.values));
    for (const auto v : ds.values[static_cast<int>(fc.field)]) ++count[v];
    double sum = 0;
    for (const auto v : ds.query_values[static_cast<int>(fc.field)]) sum += count[v];
    r.admitted[c] = sum / static_cast<double>(ds.nq);
  }

  progress("exact brute force (the ground truth), one thread per query");
  run_brute_force(ds, o.threads, r);
  const auto raw_faiss = [&](const std::string& graph) {
    progress("raw FAISS HNSW: M {}, efConstruction {}, efSearch {}{}", kFaissM,
             kFaissEfConstruction, kFaissEfSearch, graph.empty() ? "" : ", adloom's graph");
    run_faiss(ds, o.threads, graph, r);
  };
  if (!args.raw_from_adloom) raw_faiss("");

  Library lib;
  if (args.skip_http) {
    lib.workspace = "bench";
  } else {
    progress("writing the server's data directory {}", args.dir);
    const auto s0 = Steady::now();
    lib = write_library(args.dir, ds);
    r.sqlite_s = seconds_since(s0);
    progress("SQLite rows written in {:.1f} s (workspace {}, model {})", r.sqlite_s, lib.workspace,
             lib.model);
  }
  progress("adloom index: FaissVectorIndex defaults, upsert_batch of {}", kUpsertBatch);
  run_adloom_index(ds, args.dir + "/vectors", lib.workspace, o.threads, r);
  if (args.raw_from_adloom) raw_faiss(args.dir + "/vectors/" + lib.workspace + ".faiss");

  if (!args.skip_http) {
    progress("adloom HTTP: {} serve", args.adloom);
    run_http(ds, args, lib, r);
  }

  print_report(ds, r);
  print_targets(ds, r);
  if (args.keep) {
    std::printf("\nkept %s\n", args.dir.c_str());
  } else {
    std::filesystem::remove_all(args.dir, ec);
  }
  return 0;
}
