#include "obs/metrics.h"

#include <mutex>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace adloom {

struct Metrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("adloom_http_requests_total")
          .Help("HTTP requests by route pattern, method and status code")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& latency =
      prometheus::BuildHistogram()
          .Name("adloom_http_request_duration_seconds")
          .Help(
              "HTTP request latency by route pattern and method, from first byte read to "
              "last byte written")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& jobs =
      prometheus::BuildGauge()
          .Name("adloom_jobs")
          .Help("Jobs in the queue by state (all workspaces)")
          .Register(*registry);
  std::mutex mu;  // guards job_source
  std::function<std::map<std::string, double>()> job_source;
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::observe_request(const std::string& route, const std::string& method, int status,
                              double seconds) {
  impl_->requests.Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}})
      .Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  impl_->latency.Add({{"route", route}, {"method", method}}, kBuckets).Observe(seconds);
}

void Metrics::set_job_counts_source(std::function<std::map<std::string, double>()> source) {
  std::lock_guard lock(impl_->mu);
  impl_->job_source = std::move(source);
}

std::string Metrics::render() {
  std::function<std::map<std::string, double>()> source;
  {
    std::lock_guard lock(impl_->mu);
    source = impl_->job_source;
  }
  if (source) {
    for (const auto& [state, count] : source()) impl_->jobs.Add({{"state", state}}).Set(count);
  }
  return prometheus::TextSerializer().Serialize(impl_->registry->Collect());
}

}  // namespace adloom
