// HttpClient: the one outbound HTTP layer (libcurl). Every model provider talks to its
// server through one HttpClient, which decides once, for all of them: connect and read
// timeouts, TLS verification (always on), keep-alive connection reuse, retries with
// exponential backoff and full jitter on 429/5xx/timeouts honouring Retry-After, a
// concurrency limit, a circuit breaker, cancellation and deadlines that reach the transfer
// itself, and request logs without credentials or bodies.
//
// Thread safety: send() may be called from any number of threads at once; at most
// `concurrency` transfers run at a time, the others wait (cancellably) for a slot.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "net/encoding.h"

namespace adloom {

struct HttpHeader {
  std::string name;  // as sent; responses: lower case
  std::string value;
};

struct OutboundRequest {
  std::string method = "POST";
  std::string url;  // absolute: "https://host[:port]/path?query", path already %-encoded
  std::vector<HttpHeader> headers;
  std::string body;
};

struct OutboundResponse {
  int status = 0;
  std::vector<HttpHeader> headers;  // names in lower case
  std::string body;
  // The first header of that name (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

// Tries shared by everything that retries one piece of work: the job queue's attempts and
// the HTTP client's retries draw from the same count, so N job attempts never become
// N × M requests. A try is spent when a request is sent. Not thread-safe: one per call.
struct RetryBudget {
  int tries_left = 1;
  bool spend() {
    if (tries_left <= 0) return false;
    --tries_left;
    return true;
  }
};

using Deadline = std::chrono::steady_clock::time_point;
constexpr Deadline kNoDeadline = Deadline::max();

// What one call may do: when to give up and how many tries it may spend.
struct CallControl {
  std::stop_token stop;             // requested: abort the transfer in flight (kCancelled)
  Deadline deadline = kNoDeadline;  // passed: abort (kDeadlineExceeded)
  RetryBudget* budget = nullptr;    // null: the client's own max_tries
};

enum class CircuitState { kClosed, kOpen, kHalfOpen };
std::string_view circuit_state_name(CircuitState state);

struct HttpClientOptions {
  std::string name;  // the provider ("bedrock"): logs, metrics and error messages
  int connect_timeout_ms = 5000;
  // Longest silence allowed while waiting for or reading the response.
  int read_timeout_ms = 120000;
  int concurrency = 4;  // transfers at once
  int max_tries = 3;    // without a RetryBudget: the first try included
  int backoff_base_ms = 500;
  int backoff_max_ms = 20000;
  // The circuit opens after this many failures in a row (5xx, 429, timeouts, connection
  // errors) and refuses calls at once for `circuit_open_ms`; then one probe is let through
  // (half-open): success closes it, failure opens it again.
  int circuit_failures = 5;
  int circuit_open_ms = 30000;
  // Test seam: how backoff waits are drawn (full jitter: uniform in [0, cap)). Null: random.
  std::function<double()> uniform01;
};

// Called before every try, so signatures carry the try's own timestamp.
using RequestSigner = std::function<Status(OutboundRequest&)>;

// One provider's transfer statistics, for metrics and `GET /api/v1/models`.
struct HttpClientStats {
  CircuitState circuit = CircuitState::kClosed;
  std::int64_t requests = 0;  // tries sent
  std::int64_t retries = 0;
  std::int64_t failures = 0;         // calls that ended in an error
  std::int64_t last_success_ms = 0;  // unix ms; 0: never
  std::int64_t last_failure_ms = 0;
  std::string last_error;  // the last failed call's message
};

class HttpClient {
 public:
  // kInvalidArgument for nonsensical options.
  static Result<std::unique_ptr<HttpClient>> create(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and returns the final response, whatever its status, once it is not
  // retryable or tries are spent. Retryable: connection failures, read timeouts, 408, 429,
  // 500, 502, 503, 504 (the wait honours Retry-After, in seconds or as an HTTP date, capped
  // at backoff_max_ms). Errors (never a response):
  //   kCancelled         control.stop requested (the transfer in flight is aborted)
  //   kDeadlineExceeded  control.deadline passed, or the last try timed out
  //   kUnavailable       cannot connect / connection lost on the last try, or the circuit
  //                      is open ("bedrock is failing: circuit open for 24 s more")
  //   whatever `sign` returns.
  // A 429/5xx response is returned as a response when the tries are spent: the caller
  // turns the provider's error body into a message.
  Result<OutboundResponse> send(OutboundRequest request, const CallControl& control,
                                const RequestSigner& sign = nullptr);

  const std::string& name() const;
  HttpClientStats stats() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace adloom
