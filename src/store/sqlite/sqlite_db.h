// Thin RAII layer over the SQLite C API, shared by the SQLite-backed MetadataStore and
// JobQueue. Nothing outside src/store/sqlite and src/jobs/sqlite_* includes this.
//
// Concurrency model: one connection per concurrent user, from a small pool; WAL mode lets
// readers run beside the single writer; writers use BEGIN IMMEDIATE so lock upgrades never
// deadlock, and busy_timeout turns contention into waiting (then kUnavailable).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include "core/status.h"

namespace adloom::sqlite {

// A prepared statement. Bind indexes are 1-based, as in SQLite.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  // Binds bytes as a BLOB (bind(std::string_view) binds TEXT).
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind(int index, const std::optional<std::string>& value);

  // Advances: true when a row is available, false when done.
  Result<bool> step();
  // Rewinds for another run; bindings are kept until bound again.
  void reset() { sqlite3_reset(stmt_); }
  // Runs to completion (for statements without rows).
  Status run();

  std::int64_t column_int(int i) const;
  double column_double(int i) const;
  std::string column_text(int i) const;
  std::string column_blob(int i) const;
  bool column_is_null(int i) const;
  std::optional<std::string> column_optional_text(int i) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result<Statement> prepare(std::string_view sql);
  // Runs one or more statements without parameters.
  Status exec(const std::string& sql);
  // Rows changed by the last statement.
  std::int64_t changes() const { return sqlite3_changes64(db_); }
  sqlite3* raw() { return db_; }

 private:
  sqlite3* db_;
};

// Maps a SQLite result code to a Status (BUSY/LOCKED -> kUnavailable, CONSTRAINT ->
// kAlreadyExists/kConflict, FULL -> kResourceExhausted, others kInternal).
Status status_from_sqlite(int rc, sqlite3* db, std::string_view what);

class Database {
 public:
  struct Options {
    std::string path;
    int busy_timeout_ms = 5000;
  };

  // Opens (creating if needed) and configures the database; does not migrate.
  static Result<std::unique_ptr<Database>> open(Options options);

  // A pooled connection, returned to the pool on destruction. Thread safe.
  class Lease {
   public:
    Lease(Database* db, std::unique_ptr<Connection> conn) : db_(db), conn_(std::move(conn)) {}
    ~Lease();
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    Database* db_;
    std::unique_ptr<Connection> conn_;
  };
  Result<Lease> acquire();

  // Runs `fn` in a BEGIN IMMEDIATE transaction: committed when fn returns ok, rolled back
  // otherwise (and on exceptions, which propagate).
  Status write(const std::function<Status(Connection&)>& fn);
  // Runs `fn` in a read (deferred) transaction: one consistent snapshot.
  Status read(const std::function<Status(Connection&)>& fn);

  const std::string& path() const { return options_.path; }

 private:
  explicit Database(Options options) : options_(std::move(options)) {}
  Result<std::unique_ptr<Connection>> connect();
  Status transaction(const char* begin, const std::function<Status(Connection&)>& fn);

  Options options_;
  std::mutex mu_;  // guards idle_
  std::vector<std::unique_ptr<Connection>> idle_;
};

// A numbered schema migration; versions start at 1 and never change once released.
struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// All migrations in order (migrations.cpp).
const std::vector<Migration>& migrations();

// Applies pending migrations, each in its own transaction; returns the applied versions.
// Fails with kFailedPrecondition when the database is newer than this binary.
Result<std::vector<int>> migrate(Database& db);
// The highest applied version (0 for an empty database).
Result<int> schema_version(Database& db);

}  // namespace adloom::sqlite
