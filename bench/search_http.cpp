#include "search_http.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "core/clock.h"
#include "core/request_context.h"
#include "models/builtin/builtin_embedder.h"
#include "search_common.h"
#include "store/sqlite/sqlite_asset_store.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_metadata_store.h"

extern char** environ;

namespace adloom::bench {
namespace {

constexpr std::size_t kRowsPerTransaction = 20'000;
constexpr char kListening[] = "adloom listening on http://";

// The running server, stopped by an exit handler when the bench dies midway.
int g_server_pid = -1;

void stop_server_at_exit() {
  if (g_server_pid > 0) {
    ::kill(g_server_pid, SIGTERM);
    ::waitpid(g_server_pid, nullptr, 0);
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

Library write_library(const std::string& data_dir, const Dataset& ds) {
  std::filesystem::create_directories(data_dir);
  auto db = must(sqlite::Database::open({.path = data_dir + "/adloom.db"}), "open the database");
  SystemClock clock;
  SqliteMetadataStore store(*db, clock);
  must(store.migrate(), "migrate");
  Library lib;
  lib.workspace = must(store.ensure_default_workspace("Default"), "default workspace").id;
  // The embedder App::open_search makes for embedder.dimension = dim.
  BuiltinEmbedderOptions embedder;
  embedder.dimension = ds.dim;
  embedder.text_dimension = ds.dim * 3 / 4;
  lib.model = must(BuiltinEmbedder::create(embedder), "builtin embedder")->model_id();

  const TimeMs now = clock.now_ms();
  lib.ids.reserve(ds.n);
  lib.label_of.reserve(ds.n);
  for (std::size_t i = 0; i < ds.n; ++i) {
    lib.ids.push_back(new_id("ast", now));
    lib.label_of.emplace(lib.ids.back(), static_cast<std::int64_t>(i + 1));
  }

  const std::size_t vector_bytes = static_cast<std::size_t>(ds.dim) * sizeof(float);
  ProgressMeter meter("writing assets and embeddings into SQLite", ds.n);
  for (std::size_t start = 0; start < ds.n; start += kRowsPerTransaction) {
    const std::size_t end = std::min(ds.n, start + kRowsPerTransaction);
    must(db->write([&](sqlite::Connection& c) -> Status {
      ADLOOM_ASSIGN(auto asset,
                    c.prepare("INSERT INTO assets(id, workspace_id, label, kind, sha256, blob_key, "
                              "mime, bytes, width, height, channel, objective, audience, tags, "
                              "index_state, created_at, updated_at) VALUES (?1, ?2, ?3, "
                              "'uploaded', ?4, ?4, 'image/jpeg', 60000, 1024, 1024, ?5, ?6, ?7, "
                              "?8, 'indexed', ?9, ?9)"));
      ADLOOM_ASSIGN(auto embedding,
                    c.prepare("INSERT INTO asset_embeddings(asset_id, workspace_id, model, "
                              "dimension, vector, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
      for (std::size_t i = start; i < end; ++i) {
        const auto label = static_cast<std::int64_t>(i + 1);
        const auto name = [&](Field f) {
          return Filter{f, ds.values[static_cast<int>(f)][i]}.value_name();
        };
        asset.bind(1, lib.ids[i]).bind(2, lib.workspace).bind(3, label);
        asset.bind(4, fmt::format("{:064x}", label));  // a unique sha256-shaped blob key
        asset.bind(5, name(Field::kChannel)).bind(6, name(Field::kObjective));
        asset.bind(7, name(Field::kAudience));
        asset.bind(8, fmt::format(R"(["{}"])", name(Field::kTag))).bind(9, now);
        ADLOOM_TRY(asset.run());
        asset.reset();
        // As SqliteAssetStore::put_embedding: the floats' bytes, native order.
        embedding.bind(1, lib.ids[i]).bind(2, lib.workspace).bind(3, lib.model);
        embedding.bind(4, static_cast<std::int64_t>(ds.dim));
        embedding.bind_blob(5, {reinterpret_cast<const char*>(ds.row(i)), vector_bytes});
        embedding.bind(6, now);
        ADLOOM_TRY(embedding.run());
        embedding.reset();
      }
      return Status::ok();
    }),
         "insert assets");
    meter.done(end);
  }

  // Read back through the store the server uses.
  SqliteAssetStore assets(*db, clock);
  const auto ctx = RequestContext::system(lib.workspace, "bench");
  const auto count = must(assets.count_embeddings(ctx, lib.model), "count_embeddings");
  if (count != static_cast<std::int64_t>(ds.n)) {
    die(fmt::format("the store counts {} embeddings, expected {}", count, ds.n));
  }
  const std::size_t probe = ds.n / 2;
  const Asset a = must(assets.get_asset(ctx, lib.ids[probe]), "get_asset");
  if (a.label != static_cast<std::int64_t>(probe + 1) || a.index_state != IndexState::kIndexed ||
      a.fields.channel != Filter{Field::kChannel, ds.values[0][probe]}.value_name() ||
      a.fields.tags.size() != 1) {
    die("an asset read back through SqliteAssetStore differs from what was written");
  }
  const auto v = must(assets.get_embedding(ctx, lib.ids[probe], lib.model), "get_embedding");
  if (!v || v->size() != static_cast<std::size_t>(ds.dim) ||
      std::memcmp(v->data(), ds.row(probe), vector_bytes) != 0) {
    die("an embedding read back through SqliteAssetStore differs from what was written");
  }
  return lib;
}

Server Server::start(const std::string& exe, const std::string& data_dir, int dim,
                     const std::string& log_path, double timeout_s) {
  // Global options come before the subcommand.
  std::vector<std::string> args = {exe};
  for (const std::string& set : {"data_dir=" + data_dir, fmt::format("embedder.dimension={}", dim),
                                 std::string("server.host=127.0.0.1"), std::string("server.port=0"),
                                 std::string("jobs.workers=0"), std::string("log.level=warn")}) {
    args.insert(args.end(), {"--set", set});
  }
  args.emplace_back("serve");
  // Our environment without ADLOOM_* (a config file or settings of the caller's own).
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "ADLOOM_", 7) != 0) env.emplace_back(*e);
  }
  std::vector<char*> argv;
  std::vector<char*> envp;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  argv.push_back(nullptr);
  envp.push_back(nullptr);

  const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log < 0) die("cannot create " + log_path + ": " + std::strerror(errno));
  static const bool registered = std::atexit(stop_server_at_exit) == 0;
  (void)registered;

  Server s;
  const auto t0 = Steady::now();
  s.pid_ = ::fork();
  if (s.pid_ < 0) die(std::string("fork: ") + std::strerror(errno));
  if (s.pid_ == 0) {  // the child: only async-signal-safe calls until exec
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::execve(exe.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(log);
  g_server_pid = s.pid_;

  for (;;) {
    const std::string text = read_file(log_path);
    if (const auto at = text.find(kListening); at != std::string::npos) {
      const auto eol = text.find('\n', at);
      if (eol != std::string::npos) {
        const std::string url = text.substr(at, eol - at);
        s.port_ = static_cast<std::uint16_t>(std::atoi(url.c_str() + url.rfind(':') + 1));
        break;
      }
    }
    int status = 0;
    if (::waitpid(s.pid_, &status, WNOHANG) == s.pid_) {
      s.pid_ = g_server_pid = -1;
      die("adloom serve exited before listening; its log (" + log_path + "):\n" + text);
    }
    if (seconds_since(t0) > timeout_s) die("adloom serve did not listen in time; see " + log_path);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  s.start_seconds_ = seconds_since(t0);
  return s;
}

Server::Server(Server&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      port_(other.port_),
      start_seconds_(other.start_seconds_) {}

Server::~Server() {
  stop();
}

int Server::stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = g_server_pid = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct HttpClient::Impl {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket{io};
  boost::beast::flat_buffer buffer;
};

HttpClient::HttpClient(std::uint16_t port) : impl_(std::make_unique<Impl>()) {
  namespace ip = boost::asio::ip;
  boost::system::error_code ec;
  impl_->socket.connect(ip::tcp::endpoint(ip::make_address_v4("127.0.0.1"), port), ec);
  if (ec) die(fmt::format("connect to 127.0.0.1:{}: {}", port, ec.message()));
  impl_->socket.set_option(ip::tcp::no_delay(true));
}

HttpClient::~HttpClient() = default;

std::string HttpClient::post(const std::string& target, const std::string& body) {
  namespace http = boost::beast::http;
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  req.keep_alive(true);
  req.body() = body;
  req.prepare_payload();
  boost::beast::error_code ec;
  http::write(impl_->socket, req, ec);
  if (ec) die("POST " + target + ": " + ec.message());
  http::response<http::string_body> res;
  http::read(impl_->socket, impl_->buffer, res, ec);
  if (ec) die("POST " + target + ": reading the response: " + ec.message());
  if (res.result() != http::status::ok) {
    die(fmt::format("POST {}: HTTP {}: {}", target, res.result_int(), res.body()));
  }
  return std::move(res.body());
}

std::string search_body(const float* query, int dim, const Filter& filter, int k) {
  std::string body = R"({"vector":[)";
  for (int j = 0; j < dim; ++j) {
    if (j > 0) body += ',';
    fmt::format_to(std::back_inserter(body), "{}", query[j]);  // shortest exact form
  }
  body += fmt::format(R"(],"k":{})", k);
  if (const std::string f = filter.json(); !f.empty()) body += R"(,"filters":)" + f;
  body += R"(,"rank":{"kpi":null,"diversity":0,"text_weight":0}})";
  return body;
}

HttpHits parse_hits(const std::string& response, const Library& library) {
  HttpHits out;
  try {
    const auto j = nlohmann::json::parse(response);
    for (const auto& hit : j.at("hits")) {
      const auto it = library.label_of.find(hit.at("id").get<std::string>());
      out.labels.push_back(it == library.label_of.end() ? -1 : it->second);
    }
    out.vector_mode = j.at("stats").at("vector_mode").get<std::string>();
  } catch (const std::exception& e) {
    die(std::string("unexpected search response: ") + e.what() + ": " + response.substr(0, 300));
  }
  return out;
}

bool file_contains(const std::string& path, const std::string& needle) {
  return read_file(path).find(needle) != std::string::npos;
}

}  // namespace adloom::bench
