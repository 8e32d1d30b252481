// The report of adloom_bench_search: what each column measured per filter case, and the
// printed tables and target lines.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "search_common.h"
#include "search_data.h"

namespace adloom::bench {

constexpr int kK = 10;
constexpr int kFaissM = 16;
constexpr int kFaissEfConstruction = 100;
constexpr int kFaissEfSearch = 64;
// What SearchService asks the vector index for: its candidate pool for a first page of k.
int service_pool();

// The columns of the report.
enum Column { kBrute, kFaiss, kIndex, kHttp, kColumns };
constexpr std::array<const char*, kColumns> kColumnNames = {
    "exact brute force", "raw FAISS HNSW", "adloom index only", "adloom HTTP /search"};

struct Cell {
  bool measured = false;
  double recall = 0;
  Latency latency;
  double qps = 0;
  std::size_t exact = 0;  // queries that took each vector mode
  std::size_t hnsw = 0;
};

struct Build {
  bool measured = false;
  double seconds = 0;
  std::uint64_t rss = 0;   // resident increase while holding the index
  std::uint64_t peak = 0;  // peak resident increase while building it
  bool loaded = false;     // read from another column's file: `seconds` is the load time
};

struct SweepRow {
  int ef = 0;
  double load_s = 0;  // opening the flushed index (0: the one just built)
  double recall_k = 0, p99_k = 0;
  double recall_pool = 0, p99_pool = 0;
};

struct Report {
  std::vector<std::vector<std::vector<std::int64_t>>> truth;  // [case][query]
  std::vector<double> admitted;                               // [case] mean rows admitted
  std::vector<double> first_score, tenth_score;               // [case] of exact top 10
  std::vector<std::array<Cell, kColumns>> cells;              // [case][column]
  std::array<Build, kColumns> build;
  std::vector<SweepRow> sweep;
  double sqlite_s = 0;
  double server_start_s = 0, first_query_ms = 0;
  std::uint64_t server_rss = 0, server_hwm = 0;
  bool server_rebuilt = false;
  // Diagnostic, no filter: raw FAISS with its default OpenMP team per search, and the
  // adloom index when the calling thread sets omp_set_num_threads(1) (no team).
  Cell faiss_team, index_one_thread;
};

// "hnsw 200", "exact 200" or "exact 29 hnsw 21": how many queries took each mode.
std::string mode_name(const Cell& c);

void print_report(const Dataset& ds, const Report& r);
// PASS/FAIL per target of the issue; the targets are for 1M × 1024.
void print_targets(const Dataset& ds, const Report& r);

}  // namespace adloom::bench
