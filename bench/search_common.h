// Helpers shared by the parts of adloom_bench_search: failing loudly, progress lines with
// timestamps, per-query timing, throughput with several threads, and resident memory.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/status.h"

namespace adloom::bench {

using Steady = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what);

inline void must(const Status& st, const char* what) {
  if (!st.is_ok()) die(std::string(what) + ": " + st.to_string());
}

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r.is_ok()) die(std::string(what) + ": " + r.status().to_string());
  return std::move(r).value();
}

// A line on stdout, "[hh:mm:ss +seconds since start load L] text" (L: the one-minute
// load average of the machine), flushed at once so a long run can be followed in its log.
void progress(const std::string& text);
template <typename... Args>
void progress(fmt::format_string<Args...> format, Args&&... args) {
  progress(fmt::format(format, std::forward<Args>(args)...));
}

double seconds_since(Steady::time_point t0);
double load_average();  // one minute, from /proc/loadavg

// Reports "label: 30% (300000/1000000), 41 s, about 96 s left" each time another tenth of
// `total` is done.
class ProgressMeter {
 public:
  ProgressMeter(std::string label, std::size_t total);
  void done(std::size_t count);  // how many are done so far

 private:
  std::string label_;
  std::size_t total_;
  int reported_tenths_ = 0;
  Steady::time_point started_ = Steady::now();
};

// VmRSS (resident now) and VmHWM (peak resident) of a process, in bytes; pid 0 is this
// process. 0 when /proc cannot tell.
std::uint64_t rss_bytes(int pid = 0);
std::uint64_t peak_rss_bytes(int pid = 0);
// Sets this process's VmHWM back to its current VmRSS (Linux: "5" into
// /proc/self/clear_refs), so a later peak_rss_bytes() is the peak since now. False when
// the kernel refused.
bool reset_peak_rss();

constexpr double kMiB = 1024.0 * 1024.0;

struct Latency {
  double p50 = 0;  // milliseconds, nearest rank
  double p99 = 0;
};
Latency summarise(std::vector<double> ms);

// Calls fn(i) for i in [0, count), one call at a time on this thread; ms per call.
std::vector<double> time_each(std::size_t count, const std::function<void(std::size_t)>& fn);

// Calls per second with `threads` threads each calling fn(i, thread) for the next query i
// in 0, 1, …, count − 1, 0, 1, … (an atomic counter shared by the threads). Runs until
// every query ran once and at least min_seconds passed (a fast set is repeated), or until
// max_seconds passed once each thread made a call (a slow set is cut short).
double throughput(int threads, std::size_t count, const std::function<void(std::size_t, int)>& fn,
                  double min_seconds = 1.0, double max_seconds = 15.0);

}  // namespace adloom::bench
