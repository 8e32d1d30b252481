#include "net/http_client.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace adloom {
namespace {

using Clock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;

std::int64_t unix_ms() {
  return std::chrono::duration_cast<Ms>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// curl_global_init is not thread-safe: run it once, before the first client exists.
void init_curl_once() {
  static const bool kInit = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)kInit;
}

// One reusable transfer: a multi handle (which owns the connection cache, so keep-alive
// connections survive between transfers) and its easy handle.
struct Transfer {
  CURLM* multi = nullptr;
  CURL* easy = nullptr;
  Transfer() : multi(curl_multi_init()), easy(curl_easy_init()) {}
  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
};

struct CurlList {
  curl_slist* list = nullptr;
  ~CurlList() { curl_slist_free_all(list); }
  void add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

// What one try came to: a response, or a transport failure described by `error`.
struct TryOutcome {
  std::optional<OutboundResponse> response;
  Status error;  // set when no response
  bool retryable = false;
};

// Written by libcurl's callbacks on the sending thread only.
struct Sink {
  OutboundResponse* response = nullptr;
  Clock::time_point last_activity;
  curl_off_t uploaded = 0;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  sink->response->body.append(data, size * n);
  sink->last_activity = Clock::now();
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  sink->last_activity = Clock::now();
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    sink->response->headers.clear();  // a new response (after 100-continue or a redirect)
    return size * n;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  sink->response->headers.push_back({std::move(name), std::string(value)});
  return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t ulnow) {
  auto* sink = static_cast<Sink*>(user);
  if (ulnow != sink->uploaded) {
    sink->uploaded = ulnow;
    sink->last_activity = Clock::now();
  }
  return 0;
}

bool retryable_status(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

// Scheme, host and path without the query (which may hold a presigned signature).
std::string loggable_url(const std::string& url) {
  return url.substr(0, url.find('?'));
}

// Retry-After in milliseconds (delta-seconds or an HTTP date), or -1 when absent/unreadable.
std::int64_t retry_after_ms(const OutboundResponse& response) {
  const std::string value = response.header("retry-after");
  if (value.empty()) return -1;
  if (std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(c) != 0; })) {
    return std::stoll(value.substr(0, 9)) * 1000;
  }
  const std::time_t when = curl_getdate(value.c_str(), nullptr);
  if (when < 0) return -1;
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(when) * 1000 - unix_ms());
}

}  // namespace

std::string_view circuit_state_name(CircuitState state) {
  switch (state) {
    case CircuitState::kClosed: return "closed";
    case CircuitState::kOpen: return "open";
    case CircuitState::kHalfOpen: return "half_open";
  }
  return "closed";
}

std::string OutboundResponse::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name.size() == name.size() &&
        std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return h.value;
    }
  }
  return {};
}

struct HttpClient::Impl {
  HttpClientOptions options;

  // Concurrency slots and the pool of idle transfers.
  std::mutex slots_mu;
  std::condition_variable_any slots_cv;
  int busy = 0;                                 // guarded by slots_mu
  std::vector<std::unique_ptr<Transfer>> idle;  // guarded by slots_mu

  // Circuit breaker and statistics.
  mutable std::mutex state_mu;
  HttpClientStats stats;           // guarded by state_mu
  int failures_in_row = 0;         // guarded by state_mu
  Clock::time_point open_until{};  // guarded by state_mu
  bool probe_in_flight = false;    // guarded by state_mu

  std::mutex rng_mu;
  std::mt19937_64 rng{std::random_device{}()};  // guarded by rng_mu

  double uniform01() {
    if (options.uniform01) return options.uniform01();
    std::lock_guard lock(rng_mu);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  }

  // Lets a call through the circuit, or says why not. A half-open circuit lets exactly one
  // probe through; `probe` tells the caller it holds it.
  Status admit(bool* probe) {
    std::lock_guard lock(state_mu);
    *probe = false;
    if (stats.circuit == CircuitState::kClosed) return Status::ok();
    const auto now = Clock::now();
    if (stats.circuit == CircuitState::kOpen && now >= open_until) {
      stats.circuit = CircuitState::kHalfOpen;
    }
    if (stats.circuit == CircuitState::kHalfOpen && !probe_in_flight) {
      probe_in_flight = true;
      *probe = true;
      return Status::ok();
    }
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(open_until - now).count();
    return unavailable(fmt::format(
        "{} is failing, so calls are paused (circuit open{}); last error: {}", options.name,
        left > 0 ? fmt::format(" for {} s more", left) : ", a probe is under way",
        stats.last_error));
  }

  // Counts one try's outcome towards the circuit. `failed`: 5xx, timeout, connection error.
  void record_try(bool failed, bool probe, const std::string& error) {
    std::lock_guard lock(state_mu);
    ++stats.requests;
    if (probe) probe_in_flight = false;
    if (!failed) {
      failures_in_row = 0;
      if (stats.circuit != CircuitState::kClosed) {
        spdlog::info("event=circuit_closed provider={}", options.name);
      }
      stats.circuit = CircuitState::kClosed;
      return;
    }
    stats.last_error = error;
    ++failures_in_row;
    if (probe ||
        (stats.circuit == CircuitState::kClosed && failures_in_row >= options.circuit_failures)) {
      stats.circuit = CircuitState::kOpen;
      open_until = Clock::now() + Ms(options.circuit_open_ms);
      spdlog::warn("event=circuit_opened provider={} failures={} open_ms={} error=\"{}\"",
                   options.name, failures_in_row, options.circuit_open_ms, error);
    }
  }

  void record_call(bool ok, const std::string& error) {
    std::lock_guard lock(state_mu);
    if (ok) {
      stats.last_success_ms = unix_ms();
    } else {
      ++stats.failures;
      stats.last_failure_ms = unix_ms();
      stats.last_error = error;
    }
  }

  // Waits for a free slot; the transfer handle comes with it.
  Result<std::unique_ptr<Transfer>> acquire(const CallControl& control) {
    std::unique_lock lock(slots_mu);
    auto free = [&] { return busy < options.concurrency; };
    if (control.deadline == kNoDeadline) {
      slots_cv.wait(lock, control.stop, free);
    } else {
      slots_cv.wait_until(lock, control.stop, control.deadline, free);
    }
    if (control.stop.stop_requested())
      return cancelled("cancelled while waiting to call " + options.name);
    if (!free()) {
      return Status(ErrorCode::kDeadlineExceeded,
                    "gave up waiting for a free connection to " + options.name);
    }
    ++busy;
    if (idle.empty()) return std::make_unique<Transfer>();
    auto t = std::move(idle.back());
    idle.pop_back();
    return t;
  }

  void release(std::unique_ptr<Transfer> transfer) {
    {
      std::lock_guard lock(slots_mu);
      --busy;
      if (transfer) idle.push_back(std::move(transfer));
    }
    slots_cv.notify_one();
  }

  TryOutcome perform(Transfer& t, const OutboundRequest& request, const CallControl& control);
  // Sleeps `ms` unless stopped or the deadline comes first; false when the wait was cut.
  bool wait(std::int64_t ms, const CallControl& control);
};

TryOutcome HttpClient::Impl::perform(Transfer& t, const OutboundRequest& request,
                                     const CallControl& control) {
  TryOutcome out;
  OutboundResponse response;
  Sink sink{&response, Clock::now(), 0};
  CURL* e = t.easy;
  curl_easy_reset(e);
  CurlList headers;
  for (const auto& h : request.headers) headers.add(h.name + ": " + h.value);
  headers.add("Expect:");  // no 100-continue round trip for large bodies
  curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.list);
  if (request.method == "GET") {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method != "POST") {
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
  }
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(e, CURLOPT_XFERINFODATA, &sink);
  curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);

  curl_multi_add_handle(t.multi, e);
  // A stop request wakes the poll below at once, so cancelling aborts the transfer.
  std::stop_callback wake(control.stop, [multi = t.multi] { curl_multi_wakeup(multi); });
  CURLcode result = CURLE_OK;
  bool done = false;
  while (!done) {
    int running = 0;
    if (curl_multi_perform(t.multi, &running) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(t.multi, &queued)) {
      if (msg->msg == CURLMSG_DONE) {
        result = msg->data.result;
        done = true;
      }
    }
    if (done) break;
    const auto now = Clock::now();
    if (control.stop.stop_requested()) {
      out.error = cancelled("cancelled during the call to " + options.name);
      break;
    }
    if (now >= control.deadline) {
      out.error = Status(ErrorCode::kDeadlineExceeded,
                         options.name + " did not answer before the deadline");
      break;
    }
    if (now - sink.last_activity > Ms(options.read_timeout_ms)) {
      out.error = Status(
          ErrorCode::kDeadlineExceeded,
          fmt::format("{} did not answer within {} ms", options.name, options.read_timeout_ms));
      out.retryable = true;
      break;
    }
    auto wait_ms = std::chrono::duration_cast<Ms>(control.deadline - now).count();
    wait_ms = std::clamp<std::int64_t>(wait_ms, 1, 100);
    curl_multi_poll(t.multi, nullptr, 0, static_cast<int>(wait_ms), nullptr);
  }
  curl_multi_remove_handle(t.multi, e);
  if (!out.error.is_ok()) return out;
  if (result != CURLE_OK) {
    const bool timeout = result == CURLE_OPERATION_TIMEDOUT;
    const std::string what = fmt::format("cannot reach {} ({}): {}", options.name,
                                         loggable_url(request.url), curl_easy_strerror(result));
    out.error = Status(timeout ? ErrorCode::kDeadlineExceeded : ErrorCode::kUnavailable, what);
    // A TLS verification failure will fail the same way again.
    out.retryable = result != CURLE_PEER_FAILED_VERIFICATION &&
                    result != CURLE_SSL_CACERT_BADFILE && result != CURLE_UNSUPPORTED_PROTOCOL &&
                    result != CURLE_URL_MALFORMAT;
    return out;
  }
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  out.retryable = retryable_status(response.status);
  out.response = std::move(response);
  return out;
}

bool HttpClient::Impl::wait(std::int64_t ms, const CallControl& control) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  const auto until = std::min(control.deadline, Clock::now() + Ms(ms));
  cv.wait_until(lock, control.stop, until, [] { return false; });
  return !control.stop.stop_requested() && Clock::now() < control.deadline;
}

Result<std::unique_ptr<HttpClient>> HttpClient::create(HttpClientOptions options) {
  if (options.name.empty()) return invalid_argument("an HTTP client needs a name");
  if (options.concurrency < 1 || options.max_tries < 1 || options.connect_timeout_ms < 1 ||
      options.read_timeout_ms < 1 || options.circuit_failures < 1 || options.backoff_base_ms < 0 ||
      options.backoff_max_ms < options.backoff_base_ms || options.circuit_open_ms < 0) {
    return invalid_argument("HTTP client options for " + options.name + " are out of range");
  }
  init_curl_once();
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

const std::string& HttpClient::name() const {
  return impl_->options.name;
}

HttpClientStats HttpClient::stats() const {
  std::lock_guard lock(impl_->state_mu);
  return impl_->stats;
}

Result<OutboundResponse> HttpClient::send(OutboundRequest request, const CallControl& control,
                                          const RequestSigner& sign) {
  Impl& d = *impl_;
  RetryBudget own{d.options.max_tries};
  RetryBudget& budget = control.budget != nullptr ? *control.budget : own;
  const std::string where = loggable_url(request.url);
  TryOutcome last;
  for (int attempt = 0;; ++attempt) {
    if (control.stop.stop_requested())
      return cancelled("cancelled before calling " + d.options.name);
    bool probe = false;
    if (Status admitted = d.admit(&probe); !admitted.is_ok()) {
      d.record_call(false, admitted.message());
      return admitted;
    }
    if (!budget.spend()) {
      if (probe) d.record_try(false, true, {});  // unused: let the next call probe
      break;
    }
    OutboundRequest signed_request = request;
    if (sign) {
      if (Status st = sign(signed_request); !st.is_ok()) {
        if (probe) d.record_try(false, true, {});
        return st;
      }
    }
    auto transfer = d.acquire(control);
    if (!transfer) {
      if (probe) d.record_try(false, true, {});
      return transfer.status();
    }
    const auto started = Clock::now();
    last = d.perform(**transfer, signed_request, control);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    // A cancelled or interrupted transfer leaves its connection in an unknown state.
    d.release(last.response ? std::move(*transfer) : nullptr);
    const bool failed = last.response
                            ? last.response->status >= 500
                            : last.retryable && last.error.code() != ErrorCode::kCancelled;
    const std::string error =
        last.response ? fmt::format("HTTP {}", last.response->status) : last.error.message();
    if (last.error.code() != ErrorCode::kCancelled)
      d.record_try(failed, probe, error);
    else if (probe)
      d.record_try(false, true, {});
    spdlog::debug(
        "event=http_call provider={} method={} url={} status={} ms={:.1f} try={} "
        "bytes_out={} bytes_in={}",
        d.options.name, request.method, where,
        last.response ? std::to_string(last.response->status) : last.error.to_string(), ms,
        attempt + 1, request.body.size(), last.response ? last.response->body.size() : 0);
    if (!last.retryable || budget.tries_left <= 0 || control.stop.stop_requested()) break;
    std::int64_t wait_ms = last.response ? retry_after_ms(*last.response) : -1;
    if (wait_ms < 0) {
      const double cap = std::min<double>(d.options.backoff_max_ms,
                                          d.options.backoff_base_ms * std::pow(2.0, attempt));
      wait_ms = static_cast<std::int64_t>(d.uniform01() * cap);
    }
    wait_ms = std::min<std::int64_t>(wait_ms, d.options.backoff_max_ms);
    if (Clock::now() + Ms(wait_ms) >= control.deadline) break;  // no time for another try
    spdlog::info("event=http_retry provider={} url={} after=\"{}\" wait_ms={} try={}",
                 d.options.name, where, error, wait_ms, attempt + 1);
    {
      std::lock_guard lock(d.state_mu);
      ++d.stats.retries;
    }
    if (!d.wait(wait_ms, control)) {
      if (control.stop.stop_requested())
        return cancelled("cancelled before retrying " + d.options.name);
      break;
    }
  }
  if (last.response) {
    d.record_call(last.response->status < 400, fmt::format("HTTP {}", last.response->status));
    return std::move(*last.response);
  }
  if (last.error.is_ok()) {
    last.error = Status(ErrorCode::kResourceExhausted, "no tries left to call " + d.options.name +
                                                           " (the job's attempts are spent)");
  }
  d.record_call(false, last.error.message());
  return last.error;
}

}  // namespace adloom
