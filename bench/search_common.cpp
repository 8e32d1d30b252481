#include "search_common.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <thread>

namespace adloom::bench {
namespace {

const Steady::time_point& program_start() {
  static const Steady::time_point t0 = Steady::now();
  return t0;
}

std::uint64_t status_field_bytes(int pid, const std::string& key) {
  std::ifstream in(pid == 0 ? std::string("/proc/self/status")
                            : "/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      return std::strtoull(line.c_str() + key.size() + 1, nullptr, 10) * 1024;  // "… kB"
    }
  }
  return 0;
}

}  // namespace

void die(const std::string& what) {
  std::fflush(stdout);
  std::fprintf(stderr, "adloom_bench_search: %s\n", what.c_str());
  std::exit(1);
}

void progress(const std::string& text) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  std::printf("[%02d:%02d:%02d +%.0fs load %.1f] %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
              seconds_since(program_start()), load_average(), text.c_str());
  std::fflush(stdout);
}

double load_average() {
  double load = 0;
  std::ifstream("/proc/loadavg") >> load;
  return load;
}

double seconds_since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

ProgressMeter::ProgressMeter(std::string label, std::size_t total)
    : label_(std::move(label)), total_(total) {
  program_start();
}

void ProgressMeter::done(std::size_t count) {
  if (total_ == 0) return;
  const int tenths = static_cast<int>(10 * count / total_);
  if (tenths <= reported_tenths_) return;
  reported_tenths_ = tenths;
  const double elapsed = seconds_since(started_);
  const double left = elapsed * static_cast<double>(total_ - count) / static_cast<double>(count);
  progress("{}: {}% ({}/{}), {:.0f} s, about {:.0f} s left", label_, 10 * tenths, count, total_,
           elapsed, left);
}

std::uint64_t rss_bytes(int pid) {
  return status_field_bytes(pid, "VmRSS");
}

std::uint64_t peak_rss_bytes(int pid) {
  return status_field_bytes(pid, "VmHWM");
}

bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

Latency summarise(std::vector<double> ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  const auto rank = [&](double p) {
    const auto r = static_cast<std::size_t>(std::ceil(p * static_cast<double>(ms.size())));
    return ms[std::clamp<std::size_t>(r, 1, ms.size()) - 1];
  };
  return {rank(0.50), rank(0.99)};
}

std::vector<double> time_each(std::size_t count, const std::function<void(std::size_t)>& fn) {
  std::vector<double> ms;
  ms.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto t0 = Steady::now();
    fn(i);
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
  }
  return ms;
}

double throughput(int threads, std::size_t count, const std::function<void(std::size_t, int)>& fn,
                  double min_seconds, double max_seconds) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> calls{0};
  const auto t0 = Steady::now();
  auto work = [&](int thread) {
    for (bool first = true;; first = false) {
      const double elapsed = seconds_since(t0);
      const std::size_t i = next.fetch_add(1);
      const bool all_ran = i >= count;
      if ((all_ran && elapsed >= min_seconds) || (!first && elapsed >= max_seconds)) break;
      fn(i % count, thread);
      calls.fetch_add(1);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& t : pool) t.join();
  return static_cast<double>(calls.load()) / seconds_since(t0);
}

}  // namespace adloom::bench
