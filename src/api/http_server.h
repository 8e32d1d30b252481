// HttpServer: HTTP/1.1 transport over Boost.Beast (C++20 coroutines). It owns sockets,
// parsing, limits, timeouts, keep-alive, SSE streaming and graceful shutdown; it knows
// nothing of routes or JSON. Handlers run on a separate thread pool so a slow handler
// (a database call) never stalls the io threads.
//
// Threads: `io_threads` run the event loop (accept, read, write); `handler_threads` run
// Handler calls. Both pools are owned here and joined in stop().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http_types.h"
#include "core/status.h"

namespace adloom {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: pick a free port (see HttpServer::port())
  int io_threads = 1;
  int handler_threads = 4;
  std::uint64_t max_body_bytes = 1 << 20;     // larger bodies get 413 before being read
  std::uint64_t max_upload_bytes = 64 << 20;  // the limit for multipart/form-data bodies
  std::uint32_t max_header_bytes = 16 * 1024;
  int read_timeout_ms = 30000;    // per request read and per response write
  int shutdown_grace_ms = 10000;  // in-flight work gets this long after stop()
  int sse_heartbeat_ms = 15000;   // comment frames keep idle streams alive
};

class HttpServer {
 public:
  // Called on a handler thread for every well-formed request. Must not throw (the
  // adapter catches); the server answers 500 if it does anyway.
  using Handler = std::function<HttpResponse(HttpRequest&)>;
  // Called on an io thread after each response was written (or failed to be):
  // access log and metrics. `seconds` spans from the first byte read to the last written.
  using Observer = std::function<void(const HttpRequest&, const HttpResponse&, double seconds)>;
  // Builds the response for an error the transport itself detects (oversized body,
  // malformed request): the adapter's single error mapping.
  using ErrorResponder = std::function<HttpResponse(const Status&, const std::string& request_id)>;

  HttpServer(HttpServerOptions options, Handler handler, Observer observer,
             ErrorResponder error_responder);
  ~HttpServer();  // stop()s if still running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the threads; returns once the socket is listening.
  Status start();
  // The bound port (the real one when options.port was 0). Valid after start().
  std::uint16_t port() const;
  // Graceful: stop accepting, end event streams, let in-flight requests finish and
  // close idle keep-alive connections; after shutdown_grace_ms, force-close the rest.
  // Idempotent; blocks until all threads are joined.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace adloom
