// Project-owned HTTP types. The server (http_server.cpp) is the only code that sees the
// underlying library (Boost.Beast); routes and the adapter see only these structs.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace adloom {

struct HttpRequest {
  std::string method;  // upper case: "GET", "POST", …
  std::string target;  // raw request target: "/api/v1/jobs?limit=10"
  std::string path;    // percent-decoded path without the query: "/api/v1/jobs"
  std::map<std::string, std::string> query;  // decoded; the last value of a repeated key wins
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string request_id;                          // from a sane X-Request-Id header, or generated
  std::string remote;                              // "127.0.0.1:53422"
  std::map<std::string, std::string> path_params;  // filled by the router: {id} -> value

  // First header with this (lower-case) name.
  std::optional<std::string_view> header(std::string_view lower_name) const;
  // Path parameter by name; empty when absent.
  const std::string& param(const std::string& name) const;
};

// A long-lived stream of server-sent events, pulled by the server's io thread.
// Thread safety: notify() callbacks may fire on any thread; take() and closed() are
// called only from the io thread that owns the connection.
class EventStream {
 public:
  virtual ~EventStream() = default;
  // Registers the wake-up the producer calls (from any thread) when take() has data or
  // the stream closed. Called once, before the first take().
  virtual void set_notify(std::function<void()> notify) = 0;
  // Pending frames, already formatted ("id: …\nevent: …\ndata: …\n\n"); "" when none.
  virtual std::string take() = 0;
  // True once the producer has nothing more to send.
  virtual bool closed() const = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // When set, the server sends "text/event-stream" and streams from it; body is ignored.
  std::shared_ptr<EventStream> stream;
  // For logs and metrics only: the route pattern that handled the request
  // ("/api/v1/jobs/{id}"), or "unmatched"; bounded cardinality by construction.
  std::string route = "unmatched";
  // The stable error code when status >= 400 (for the access log).
  std::string error_code;
};

}  // namespace adloom
