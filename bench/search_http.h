// The HTTP side of adloom_bench_search: the server's data directory written straight
// into SQLite, `adloom serve` as a child process, and a keep-alive client.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ids.h"
#include "search_data.h"

namespace adloom::bench {

// What the bench wrote into the data directory.
struct Library {
  WorkspaceId workspace;         // the default workspace: the vector shard's name
  std::string model;             // the embedding model id the server will count
  std::vector<std::string> ids;  // asset id of row i (label i + 1)
  std::unordered_map<std::string, std::int64_t> label_of;  // asset id → label
};

// Creates `data_dir`'s metadata database as `adloom serve --set data_dir=…` expects it:
// migrated, with the default workspace, and n indexed assets (labels 1..n, their channel,
// objective, audience and tag) with their embeddings under the model id of the builtin
// embedder at this dimension, in the BLOB format SqliteAssetStore::put_embedding writes.
// Rows go in with prepared statements in large transactions. Checks the result through
// SqliteAssetStore (count, one asset, one embedding). The caller then builds the vector
// index at <data_dir>/vectors under library.workspace and flushes it.
Library write_library(const std::string& data_dir, const Dataset& ds);

// `adloom serve` on a free loopback port (server.port=0; the port is read from the
// "adloom listening on http://host:port" line), logging to `log_path`.
class Server {
 public:
  // Dies when the server exits or does not listen within timeout_s.
  static Server start(const std::string& exe, const std::string& data_dir, int dim,
                      const std::string& log_path, double timeout_s);
  Server(Server&& other) noexcept;
  Server& operator=(Server&&) = delete;
  ~Server();  // stops it if still running

  int pid() const { return pid_; }
  std::uint16_t port() const { return port_; }
  double start_seconds() const { return start_seconds_; }
  // SIGTERM, then waits; the exit status. Idempotent.
  int stop();

 private:
  Server() = default;
  int pid_ = -1;
  std::uint16_t port_ = 0;
  double start_seconds_ = 0;
};

// One keep-alive HTTP/1.1 connection to 127.0.0.1:port (Boost.Beast, synchronous).
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs a JSON body; the response body. Dies on a transport error or a status other
  // than 200.
  std::string post(const std::string& target, const std::string& body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The /api/v1/search body for a raw query vector: k 10, the filter, and ranking by
// similarity alone ({"kpi":null,"diversity":0,"text_weight":0}).
std::string search_body(const float* query, int dim, const Filter& filter, int k);

struct HttpHits {
  std::vector<std::int64_t> labels;  // best first
  std::string vector_mode;           // stats.vector_mode: "hnsw" or "exact"
};
HttpHits parse_hits(const std::string& response, const Library& library);

// True when the file contains `needle` (the server log, for "vector_index_rebuild").
bool file_contains(const std::string& path, const std::string& needle);

}  // namespace adloom::bench
