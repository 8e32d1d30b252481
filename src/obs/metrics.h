// Metrics in the Prometheus text format (prometheus-cpp core; our own /metrics route).
// Thread safety: all methods may be called from any thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace prometheus {
class Registry;
}

namespace adloom {

class Metrics {
 public:
  Metrics();
  ~Metrics();

  // One finished HTTP request. `route` is the matched pattern (bounded label set).
  void observe_request(const std::string& route, const std::string& method, int status,
                       double seconds);
  // Called at each scrape to refresh the jobs-by-state gauge.
  void set_job_counts_source(std::function<std::map<std::string, double>()> source);
  // The exposition text for GET /metrics.
  std::string render();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace adloom
