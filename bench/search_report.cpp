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
  for (std::size_t c = 0; c < cases.size(); ++c) {
    std::printf(
        "\n── %s: %s · %.0f of %zu vectors pass on average · exact neighbours' cosine: "
        "1st %.3f, 10th %.3f\n",
        cases[c].name,
        cases[c].field == Field::kNone
            ? "no filter"
            : fmt::format("{} = one of {} values", field_name(cases[c].field), cases[c].values)
                  .c_str(),
        r.admitted[c], ds.n, r.first_score[c], r.tenth_score[c]);
    std::printf("%-21s %-18s %9s %8s %8s %9s %10s %10s %10s\n", "column", "vector mode",
                "recall@10", "p50 ms", "p99 ms", "QPS", "p50÷FAISS", "p99÷FAISS", "QPS÷FAISS");
    const Cell& base = r.cells[c][kFaiss];
    for (int col = 0; col < kColumns; ++col) {
      const Cell& cell = r.cells[c][col];
      if (!cell.measured) {
        std::printf("%-21s not measured\n", kColumnNames[col]);
        continue;
      }
      const std::string mode = col == kBrute   ? "scan"
                               : col == kFaiss ? fmt::format("hnsw ef {}", kFaissEfSearch)
                                               : mode_name(cell);
      std::printf("%-21s %-18s %9.3f %8.2f %8.2f %9.1f %10s %10s %10s\n", kColumnNames[col],
                  mode.c_str(), cell.recall, cell.latency.p50, cell.latency.p99, cell.qps,
                  ratio(cell.latency.p50, base.latency.p50).c_str(),
                  ratio(cell.latency.p99, base.latency.p99).c_str(),
                  ratio(cell.qps, base.qps).c_str());
    }
  }

  std::printf("\n── build and memory · raw float32 vectors: %zu × %d × 4 B = %.1f MiB\n", ds.n,
              ds.dim, raw / kMiB);
  std::printf("%-21s %9s %8s %13s %8s %10s %8s\n", "column", "build s", "÷FAISS", "resident MiB",
              "÷f32", "peak MiB", "÷f32");
  std::printf("%-21s %9s %8s %13s %8s %10s %8s\n", kColumnNames[kBrute], "-", "-", "0", "0.00×",
              "-", "-");
  for (const int col : {kFaiss, kIndex}) {
    const Build& b = r.build[col];
    if (!b.measured) continue;
    std::printf("%-21s %9.1f %8s %13.1f %8s %10.1f %8s\n", kColumnNames[col], b.seconds,
                ratio(b.seconds, r.build[kFaiss].seconds).c_str(),
                static_cast<double>(b.rss) / kMiB, ratio(static_cast<double>(b.rss), raw).c_str(),
                static_cast<double>(b.peak) / kMiB,
                ratio(static_cast<double>(b.peak), raw).c_str());
  }
  if (r.server_rss > 0) {
    std::printf(
        "%-21s %9s %8s %13.1f %8s %10.1f %8s   (whole process: VmRSS after the run, "
        "VmHWM)\n",
        "adloom serve", "-", "-", static_cast<double>(r.server_rss) / kMiB,
        ratio(static_cast<double>(r.server_rss), raw).c_str(),
        static_cast<double>(r.server_hwm) / kMiB,
        ratio(static_cast<double>(r.server_hwm), raw).c_str());
    std::printf(
        "adloom serve: listening %.1f s after start, first search (catalog load) %.0f ms, "
        "index %s at start-up\n",
        r.server_start_s, r.first_query_ms, r.server_rebuilt ? "REBUILT" : "loaded, no rebuild");
  }
  if (r.sqlite_s > 0) std::printf("SQLite rows for the server written in %.1f s\n", r.sqlite_s);

  std::printf(
      "\n── ef_search sweep, adloom index, no filter (the service asks for k = pool = %d, "
      "so its beam is max(pool, ef_search))\n",
      std::clamp(3 * kK, SearchOptions{}.min_pool, SearchOptions{}.max_pool));
  std::printf("%9s %16s %10s %19s %13s %8s\n", "ef_search", "recall@10 (k 10)", "p99 ms",
              "recall@10 (k pool)", "p99 ms", "load s");
  for (const SweepRow& s : r.sweep) {
    std::printf("%9d %16.3f %10.2f %19.3f %13.2f %8s\n", s.ef, s.recall_k, s.p99_k, s.recall_pool,
                s.p99_pool, s.load_s > 0 ? fmt::format("{:.1f}", s.load_s).c_str() : "-");
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
