#include "search_report.h"

#include <algorithm>
#include <cstdio>

#include "services/search_service.h"

namespace adloom::bench {
namespace {

constexpr double kTargetRecall = 0.95;
constexpr double kTargetIndexP99 = 5;
constexpr double kTargetIndexFilteredP99 = 20;
constexpr double kTargetHttpP99 = 30;
constexpr double kTargetMemory = 1.3;

std::string ratio(double a, double b) {
  return b > 0 ? fmt::format("{:.2f}×", a / b) : std::string("-");
}

}  // namespace

int service_pool() {
  const SearchOptions options;
  return std::clamp(3 * kK, options.min_pool, options.max_pool);
}

std::string mode_name(const Cell& c) {
  if (c.exact == 0) return fmt::format("hnsw {}", c.hnsw);
  if (c.hnsw == 0) return fmt::format("exact {}", c.exact);
  return fmt::format("exact {} hnsw {}", c.exact, c.hnsw);
}

void print_report(const Dataset& ds, const Report& r) {
  const auto& cases = filter_cases();
  const double raw = static_cast<double>(ds.n) * ds.dim * sizeof(float);
  const auto row = [](const std::string& column, const std::string& mode, const Cell& cell,
                      const Cell& base) {
    fmt::print("{:<21} {:<18} {:>9.3f} {:>8.2f} {:>8.2f} {:>9.1f} {:>10} {:>10} {:>10}\n", column,
               mode, cell.recall, cell.latency.p50, cell.latency.p99, cell.qps,
               ratio(cell.latency.p50, base.latency.p50), ratio(cell.latency.p99, base.latency.p99),
               ratio(cell.qps, base.qps));
  };
  const auto header = [] {
    fmt::print("{:<21} {:<18} {:>9} {:>8} {:>8} {:>9} {:>10} {:>10} {:>10}\n", "column",
               "vector mode", "recall@10", "p50 ms", "p99 ms", "QPS", "p50÷FAISS", "p99÷FAISS",
               "QPS÷FAISS");
  };
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const std::string what =
        cases[c].field == Field::kNone
            ? "no filter"
            : fmt::format("{} = one of {} values", field_name(cases[c].field), cases[c].values);
    fmt::print(
        "\n── {}: {} · {:.0f} of {} vectors pass on average · exact neighbours' cosine: 1st "
        "{:.3f}, 10th {:.3f}\n",
        cases[c].name, what, r.admitted[c], ds.n, r.first_score[c], r.tenth_score[c]);
    header();
    for (int col = 0; col < kColumns; ++col) {
      const Cell& cell = r.cells[c][col];
      if (!cell.measured) {
        fmt::print("{:<21} not measured\n", kColumnNames[col]);
        continue;
      }
      row(kColumnNames[col],
          col == kBrute   ? "scan"
          : col == kFaiss ? fmt::format("hnsw ef {}", kFaissEfSearch)
                          : mode_name(cell),
          cell, r.cells[c][kFaiss]);
    }
  }

  fmt::print("\n── build and memory · raw float32 vectors: {} × {} × 4 B = {:.1f} MiB\n", ds.n,
             ds.dim, raw / kMiB);
  fmt::print("{:<21} {:>9} {:>8} {:>13} {:>8} {:>10} {:>8}\n", "column", "build s", "÷FAISS",
             "resident MiB", "÷f32", "peak MiB", "÷f32");
  fmt::print("{:<21} {:>9} {:>8} {:>13} {:>8} {:>10} {:>8}   (reads the vectors in place)\n",
             kColumnNames[kBrute], "-", "-", "0", "0.00×", "-", "-");
  for (const int col : {kFaiss, kIndex}) {
    const Build& b = r.build[col];
    if (!b.measured) continue;
    const auto rss = static_cast<double>(b.rss);
    const auto peak = static_cast<double>(b.peak);
    const bool comparable = !r.build[kFaiss].loaded && !b.loaded;
    fmt::print(
        "{:<21} {:>9} {:>8} {:>13.1f} {:>8} {:>10.1f} {:>8}{}\n", kColumnNames[col],
        b.loaded ? "-" : fmt::format("{:.1f}", b.seconds),
        comparable ? ratio(b.seconds, r.build[kFaiss].seconds) : "-", rss / kMiB, ratio(rss, raw),
        peak / kMiB, ratio(peak, raw),
        b.loaded ? fmt::format("   (adloom's graph file loaded in {:.1f} s, not built)", b.seconds)
                 : "");
  }
  if (r.server_rss > 0) {
    const auto rss = static_cast<double>(r.server_rss);
    const auto hwm = static_cast<double>(r.server_hwm);
    fmt::print(
        "{:<21} {:>9} {:>8} {:>13.1f} {:>8} {:>10.1f} {:>8}   (whole process: VmRSS after "
        "the run, VmHWM)\n",
        "adloom serve", "-", "-", rss / kMiB, ratio(rss, raw), hwm / kMiB, ratio(hwm, raw));
    fmt::print(
        "adloom serve: listening {:.1f} s after start, first search (catalog load) {:.0f} "
        "ms, index {} at start-up\n",
        r.server_start_s, r.first_query_ms,
        r.server_rebuilt ? "REBUILT" : "loaded without a rebuild");
  }
  if (r.sqlite_s > 0) fmt::print("SQLite rows for the server written in {:.1f} s\n", r.sqlite_s);

  fmt::print(
      "\n── ef_search sweep, adloom index, no filter (the service asks for k = pool = {}, "
      "so its beam is max(pool, ef_search))\n",
      service_pool());
  fmt::print("{:>9} {:>16} {:>8} {:>18} {:>8} {:>8}\n", "ef_search", "recall@10 (k 10)", "p99 ms",
             "recall@10 (k pool)", "p99 ms", "load s");
  for (const SweepRow& s : r.sweep) {
    fmt::print("{:>9} {:>16.3f} {:>8.2f} {:>18.3f} {:>8.2f} {:>8}\n", s.ef, s.recall_k, s.p99_k,
               s.recall_pool, s.p99_pool, s.load_s > 0 ? fmt::format("{:.1f}", s.load_s) : "-");
  }

  if (r.faiss_team.measured || r.index_one_thread.measured) {
    fmt::print(
        "\n── diagnostic, no filter: FAISS 1.7.3 runs every search() in an OpenMP team of all "
        "cores (raw FAISS above runs without: omp_set_num_threads(1) in the calling thread)\n");
    header();
    row("raw FAISS HNSW", fmt::format("hnsw ef {}, team", kFaissEfSearch), r.faiss_team,
        r.cells[0][kFaiss]);
    row("adloom index only", mode_name(r.index_one_thread) + ", 1 thread", r.index_one_thread,
        r.cells[0][kFaiss]);
  }
}

void print_targets(const Dataset& ds, const Report& r) {
  const bool at_target_size = ds.n == 1'000'000 && ds.dim == 1024;
  const char* scope = at_target_size ? "" : " (target is for 1M×1024)";
  std::printf("\n── targets%s\n", at_target_size ? " (1M × 1024)" : "");
  const auto line = [&](const std::string& what, bool measured, bool pass,
                        const std::string& detail) {
    std::printf("%s: %s (%s)%s\n", what.c_str(),
                !measured ? "NOT MEASURED"
                : pass    ? "PASS"
                          : "FAIL",
                detail.c_str(), scope);
  };
  const auto& cases = filter_cases();
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const Cell& index = r.cells[c][kIndex];
    const Cell& http = r.cells[c][kHttp];
    const bool pass =
        index.recall >= kTargetRecall && (!http.measured || http.recall >= kTargetRecall);
    line(fmt::format("recall@10 ≥ {:.2f} at {}", kTargetRecall, cases[c].name), index.measured,
         pass,
         http.measured ? fmt::format("index {:.3f}, HTTP {:.3f}", index.recall, http.recall)
                       : fmt::format("index {:.3f}, HTTP not measured", index.recall));
  }
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const Cell& index = r.cells[c][kIndex];
    const double limit = c == 0 ? kTargetIndexP99 : kTargetIndexFilteredP99;
    line(fmt::format("index-only p99 ≤ {:.0f} ms at {}", limit, cases[c].name), index.measured,
         index.latency.p99 <= limit,
         fmt::format("{:.2f} ms, {} raw FAISS", index.latency.p99,
                     ratio(index.latency.p99, r.cells[c][kFaiss].latency.p99)));
  }
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const Cell& http = r.cells[c][kHttp];
    line(fmt::format("whole HTTP search p99 ≤ {:.0f} ms at {}", kTargetHttpP99, cases[c].name),
         http.measured, http.latency.p99 <= kTargetHttpP99,
         fmt::format("{:.2f} ms, {} raw FAISS", http.latency.p99,
                     ratio(http.latency.p99, r.cells[c][kFaiss].latency.p99)));
  }
  const double raw = static_cast<double>(ds.n) * ds.dim * sizeof(float);
  line(fmt::format("resident memory ≤ {:.1f} × raw float32, adloom index", kTargetMemory),
       r.build[kIndex].measured, static_cast<double>(r.build[kIndex].rss) <= kTargetMemory * raw,
       ratio(static_cast<double>(r.build[kIndex].rss), raw));
  line(fmt::format("resident memory ≤ {:.1f} × raw float32, adloom serve VmRSS", kTargetMemory),
       r.server_rss > 0, static_cast<double>(r.server_rss) <= kTargetMemory * raw,
       ratio(static_cast<double>(r.server_rss), raw));
}

}  // namespace adloom::bench
