// Boost.Beast transport. Each connection is one coroutine on its own strand:
//   read header -> check limits -> read body -> run the handler on the handler pool ->
//   write the response (or stream SSE) -> loop while keep-alive.
// Shutdown: the acceptor closes, idle connections are closed, busy ones finish their
// current response with "Connection: close", streams end; after the grace period the
// io context is stopped regardless.
#include "api/http_server.h"

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <set>
#include <thread>
#include <utility>  // must precede Asio with g++ 12 and Boost 1.74 (awaitable)
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "core/ids.h"

namespace adloom {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using SteadyClock = std::chrono::steady_clock;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; `plus_is_space` for query strings. Returns false on a bad escape.
bool percent_decode(std::string_view in, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

bool parse_target(std::string_view target, HttpRequest& req) {
  auto q = target.find('?');
  std::string_view path = target.substr(0, q);
  if (path.empty() || path[0] != '/') return false;
  if (!percent_decode(path, false, req.path)) return false;
  if (req.path.find('\0') != std::string::npos) return false;
  if (q == std::string_view::npos) return true;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key;
    std::string value;
    if (!percent_decode(pair.substr(0, eq), true, key)) return false;
    if (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), true, value)) {
      return false;
    }
    req.query[key] = value;
  }
  return true;
}

// A client-supplied request id is echoed only when short and plain.
bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

// One live connection, shared between its coroutine and the shutdown path.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool busy = false;  // strand-owned: a request is being read past its header or handled
};

struct HttpServer::Impl {
  HttpServerOptions options;
  Handler handler;
  Observer observer;
  ErrorResponder error_responder;

  asio::io_context ioc;
  asio::thread_pool handler_pool;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::thread> io_threads;
  std::uint16_t bound_port = 0;
  std::atomic<bool> draining{false};
  bool stopped = false;

  std::mutex mu;  // guards connections
  std::condition_variable all_closed;
  std::set<std::shared_ptr<Connection>> connections;

  Impl(HttpServerOptions o, Handler h, Observer obs, ErrorResponder er)
      : options(std::move(o)),
        handler(std::move(h)),
        observer(std::move(obs)),
        error_responder(std::move(er)),
        handler_pool(static_cast<std::size_t>(options.handler_threads)) {}

  awaitable<void> accept_loop();
  awaitable<void> session(std::shared_ptr<Connection> conn);
  awaitable<bool> write_response(Connection& conn, const HttpRequest& req, HttpResponse& resp,
                                 unsigned version, bool keep_alive);
  awaitable<void> stream_events(Connection& conn, HttpResponse& resp, unsigned version);
  awaitable<void> linger(Connection& conn);
  HttpResponse run_handler(HttpRequest& req);
  void forget(const std::shared_ptr<Connection>& conn);
};

HttpResponse HttpServer::Impl::run_handler(HttpRequest& req) {
  try {
    return handler(req);
  } catch (const std::exception& e) {
    spdlog::error("event=handler_escape request_id={} error=\"{}\"", req.request_id, e.what());
    return error_responder(internal_error("unexpected server error"), req.request_id);
  }
}

awaitable<void> HttpServer::Impl::accept_loop() {
  for (;;) {
    beast::error_code ec;
    auto strand = asio::make_strand(ioc);
    tcp::socket socket(strand);
    co_await acceptor->async_accept(socket, asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (draining || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("event=accept_failed error=\"{}\"", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(mu);
      connections.insert(conn);
    }
    asio::co_spawn(strand, session(conn), asio::detached);
  }
}

void HttpServer::Impl::forget(const std::shared_ptr<Connection>& conn) {
  std::lock_guard lock(mu);
  connections.erase(conn);
  if (connections.empty()) all_closed.notify_all();
}

awaitable<void> HttpServer::Impl::session(std::shared_ptr<Connection> conn) {
  beast::flat_buffer buffer;
  const auto timeout = std::chrono::milliseconds(options.read_timeout_ms);
  while (!draining) {
    beast::error_code ec;
    http::request_parser<http::string_body> parser;
    parser.header_limit(options.max_header_bytes);
    // No limit while reading the header (Beast would fail on a large Content-Length with
    // no way to answer); checked below, and set before the body is read. Not boost::none:
    // Beast 1.74 compares the length against the optional, and none loses every compare.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    conn->busy = false;
    conn->stream.expires_after(timeout);
    co_await http::async_read_header(conn->stream, buffer, parser,
                                     asio::redirect_error(use_awaitable, ec));
    if (ec) break;  // closed, timed out, or garbage: nothing worth answering
    conn->busy = true;
    auto started = SteadyClock::now();

    HttpRequest req;
    auto& head = parser.get();
    req.method = std::string(head.method_string());
    req.target = std::string(head.target());
    for (const auto& field : head) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    auto rid = req.header("x-request-id");
    req.request_id = rid && is_sane_request_id(*rid) ? std::string(*rid) : random_hex(8);
    beast::error_code ep_ec;
    auto ep = conn->stream.socket().remote_endpoint(ep_ec);
    if (!ep_ec) req.remote = ep.address().to_string() + ":" + std::to_string(ep.port());

    Status reject;
    auto length = parser.content_length();
    // Uploads (multipart/form-data) get their own, larger limit.
    const bool upload =
        beast::iequals(head[http::field::content_type].substr(0, 19), "multipart/form-data");
    const std::uint64_t limit = upload ? options.max_upload_bytes : options.max_body_bytes;
    if (length && *length > limit) {
      reject = Status(ErrorCode::kPayloadTooLarge, "request body of " + std::to_string(*length) +
                                                       " bytes exceeds the limit of " +
                                                       std::to_string(limit) + " bytes");
    } else if (!parse_target(head.target(), req)) {
      reject = invalid_argument("malformed request target");
    }
    if (reject.is_ok()) {
      if (beast::iequals(head[http::field::expect], "100-continue")) {
        http::response<http::empty_body> cont{http::status::continue_, head.version()};
        co_await http::async_write(conn->stream, cont, asio::redirect_error(use_awaitable, ec));
        if (ec) break;
      }
      parser.body_limit(limit);
      co_await http::async_read(conn->stream, buffer, parser,
                                asio::redirect_error(use_awaitable, ec));
      if (ec == http::error::body_limit) {
        reject = Status(ErrorCode::kPayloadTooLarge,
                        "request body exceeds the limit of " + std::to_string(limit) + " bytes");
      } else if (ec) {
        break;
      }
    }

    HttpResponse resp;
    bool keep_alive = parser.get().keep_alive() && !draining;
    if (!reject.is_ok()) {
      resp = error_responder(reject, req.request_id);
      keep_alive = false;  // the unread body makes the stream unusable
    } else {
      req.body = std::move(parser.get().body());
      resp = co_await asio::co_spawn(
          handler_pool, [this, &req]() -> awaitable<HttpResponse> { co_return run_handler(req); },
          use_awaitable);
      keep_alive = keep_alive && !draining;
    }
    bool ok = co_await write_response(*conn, req, resp, head.version(), keep_alive);
    double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    if (observer) observer(req, resp, seconds);
    if (ok && !reject.is_ok()) co_await linger(*conn);
    if (!ok || !keep_alive) break;
  }
  beast::error_code ignored;
  conn->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  conn->stream.close();
  forget(conn);
}

// After rejecting a request whose body was not read, closing at once would make the
// kernel answer the client's unread bytes with a reset, which can destroy our response
// before the client reads it. So: half-close, then discard what the client still sends,
// bounded in bytes and time.
awaitable<void> HttpServer::Impl::linger(Connection& conn) {
  beast::error_code ec;
  conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16384> scratch{};
  std::size_t discarded = 0;
  conn.stream.expires_after(std::chrono::seconds(2));
  while (!ec && discarded < (8u << 20)) {
    discarded += co_await conn.stream.async_read_some(asio::buffer(scratch),
                                                      asio::redirect_error(use_awaitable, ec));
  }
}

awaitable<bool> HttpServer::Impl::write_response(Connection& conn, const HttpRequest& req,
                                                 HttpResponse& resp, unsigned version,
                                                 bool keep_alive) {
  if (resp.stream) {
    co_await stream_events(conn, resp, version);
    co_return false;  // an event stream ends the connection
  }
  http::response<http::string_body> res{static_cast<http::status>(resp.status), version};
  res.set(http::field::server, "adloom");
  res.set(http::field::content_type, resp.content_type);
  res.set("X-Request-Id", req.request_id);
  for (const auto& [name, value] : resp.headers) res.set(name, value);
  res.keep_alive(keep_alive);
  if (req.method != "HEAD") res.body() = std::move(resp.body);
  res.prepare_payload();
  beast::error_code ec;
  conn.stream.expires_after(std::chrono::milliseconds(options.read_timeout_ms));
  co_await http::async_write(conn.stream, res, asio::redirect_error(use_awaitable, ec));
  co_return !ec;
}

awaitable<void> HttpServer::Impl::stream_events(Connection& conn, HttpResponse& resp,
                                                unsigned version) {
  auto executor = co_await asio::this_coro::executor;
  http::response<http::empty_body> res{http::status::ok, version};
  res.set(http::field::server, "adloom");
  res.set(http::field::content_type, "text/event-stream");
  res.set(http::field::cache_control, "no-cache");
  res.set("X-Accel-Buffering", "no");
  res.chunked(true);
  http::response_serializer<http::empty_body> sr{res};
  beast::error_code ec;
  conn.stream.expires_never();
  co_await http::async_write_header(conn.stream, sr, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return;

  // The producer wakes us by cancelling the timer on our strand (see header contract).
  auto timer = std::make_shared<asio::steady_timer>(executor);
  std::weak_ptr<asio::steady_timer> weak = timer;
  resp.stream->set_notify([weak, executor] {
    asio::post(executor, [weak] {
      if (auto t = weak.lock()) t->cancel();
    });
  });
  const auto heartbeat = std::chrono::milliseconds(options.sse_heartbeat_ms);
  auto write_chunk = [&](const std::string& data) -> awaitable<bool> {
    beast::error_code wec;
    conn.stream.expires_after(std::chrono::milliseconds(options.read_timeout_ms));
    co_await asio::async_write(conn.stream, http::make_chunk(asio::buffer(data)),
                               asio::redirect_error(use_awaitable, wec));
    conn.stream.expires_never();
    co_return !wec;
  };
  if (!co_await write_chunk(": connected\n\n")) co_return;
  for (;;) {
    std::string data = resp.stream->take();
    if (!data.empty() && !co_await write_chunk(data)) co_return;
    if (draining || resp.stream->closed()) break;
    timer->expires_after(heartbeat);
    beast::error_code tec;
    co_await timer->async_wait(asio::redirect_error(use_awaitable, tec));
    if (!tec && !co_await write_chunk(": keep-alive\n\n")) co_return;
  }
  co_await asio::async_write(conn.stream, http::make_chunk_last(),
                             asio::redirect_error(use_awaitable, ec));
}

HttpServer::HttpServer(HttpServerOptions options, Handler handler, Observer observer,
                       ErrorResponder error_responder)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(observer),
                                   std::move(error_responder))) {}

HttpServer::~HttpServer() {
  stop();
}

Status HttpServer::start() {
  auto& im = *impl_;
  beast::error_code ec;
  auto address = asio::ip::make_address(im.options.host, ec);
  if (ec) return invalid_argument("server.host: '" + im.options.host + "' is not an IP address");
  tcp::endpoint endpoint(address, im.options.port);
  im.acceptor = std::make_unique<tcp::acceptor>(asio::make_strand(im.ioc));
  if (im.acceptor->open(endpoint.protocol(), ec); ec) {
    return unavailable("cannot open socket: " + ec.message());
  }
  im.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (im.acceptor->bind(endpoint, ec); ec) {
    return unavailable("cannot listen on " + im.options.host + ":" +
                       std::to_string(im.options.port) + ": " + ec.message());
  }
  if (im.acceptor->listen(asio::socket_base::max_listen_connections, ec); ec) {
    return unavailable("cannot listen: " + ec.message());
  }
  im.bound_port = im.acceptor->local_endpoint().port();
  asio::co_spawn(im.acceptor->get_executor(), im.accept_loop(), asio::detached);
  for (int i = 0; i < im.options.io_threads; ++i) {
    im.io_threads.emplace_back([&im] { im.ioc.run(); });
  }
  return Status::ok();
}

std::uint16_t HttpServer::port() const {
  return impl_->bound_port;
}

void HttpServer::stop() {
  auto& im = *impl_;
  if (im.stopped) return;
  im.stopped = true;
  im.draining = true;
  if (im.acceptor) {
    asio::post(im.acceptor->get_executor(), [&im] {
      beast::error_code ec;
      im.acceptor->close(ec);
    });
  }
  // Close idle connections (waiting for a next request) on their own strands; busy ones
  // see `draining` after their response. Streams are woken by the producer side closing
  // (EventBus::close_all) or at their next heartbeat.
  {
    std::unique_lock lock(im.mu);
    for (const auto& conn : im.connections) {
      asio::post(conn->stream.get_executor(), [conn] {
        if (!conn->busy) {
          beast::error_code ec;
          conn->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
          conn->stream.socket().close(ec);
        }
      });
    }
    im.all_closed.wait_for(lock, std::chrono::milliseconds(im.options.shutdown_grace_ms),
                           [&im] { return im.connections.empty(); });
    if (!im.connections.empty()) {
      spdlog::warn("event=shutdown_forced open_connections={}", im.connections.size());
    }
  }
  im.ioc.stop();
  for (auto& t : im.io_threads) t.join();
  im.io_threads.clear();
  im.handler_pool.join();
  std::lock_guard lock(im.mu);
  im.connections.clear();
}

}  // namespace adloom
