#include "store/sqlite/sqlite_db.h"

#include <utility>

#include "core/clock.h"

namespace adloom::sqlite {

Status status_from_sqlite(int rc, sqlite3* db, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return unavailable("database is busy (" + msg + ")");
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return {ErrorCode::kAlreadyExists, msg};
      }
      return conflict(msg);
    case SQLITE_FULL: return {ErrorCode::kResourceExhausted, "disk full: " + msg};
    default: return internal_error(msg);
  }
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return status_from_sqlite(sqlite3_extended_errcode(db_), db_, "step");
}

Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.status();
    if (!*r) return Status::ok();
  }
}

std::int64_t Statement::column_int(int i) const {
  return sqlite3_column_int64(stmt_, i);
}
double Statement::column_double(int i) const {
  return sqlite3_column_double(stmt_, i);
}
bool Statement::column_is_null(int i) const {
  return sqlite3_column_type(stmt_, i) == SQLITE_NULL;
}

std::string Statement::column_text(int i) const {
  const auto* p = sqlite3_column_text(stmt_, i);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)));
}

std::string Statement::column_blob(int i) const {
  const auto* p = sqlite3_column_blob(stmt_, i);
  if (p == nullptr) return {};
  return std::string(static_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)));
}

std::optional<std::string> Statement::column_optional_text(int i) const {
  if (column_is_null(i)) return std::nullopt;
  return column_text(i);
}

Connection::~Connection() {
  sqlite3_close_v2(db_);
}

Result<Statement> Connection::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return status_from_sqlite(rc, db_, "prepare");
  return Statement(db_, stmt);
}

Status Connection::exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    Status st = status_from_sqlite(sqlite3_extended_errcode(db_), db_, "exec");
    return {st.code(), "exec: " + msg};
  }
  return Status::ok();
}

Result<std::unique_ptr<Database>> Database::open(Options options) {
  auto db = std::unique_ptr<Database>(new Database(std::move(options)));
  auto conn = db->connect();
  if (!conn) return conn.status();
  // WAL is a property of the database file: set once, kept across opens.
  ADLOOM_TRY((*conn)->exec("PRAGMA journal_mode=WAL"));
  db->idle_.push_back(std::move(conn).value());
  return db;
}

Result<std::unique_ptr<Connection>> Database::connect() {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(options_.path.c_str(), &raw, flags, nullptr);
  auto conn = std::make_unique<Connection>(raw);  // closes `raw` even on failure
  if (rc != SQLITE_OK) {
    return status_from_sqlite(rc, raw, "cannot open database " + options_.path);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options_.busy_timeout_ms);
  // synchronous=NORMAL under WAL: a commit survives a process crash (kill -9); a power
  // loss may drop the last transactions but never corrupts the database.
  ADLOOM_TRY(conn->exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"));
  return conn;
}

Database::Lease::~Lease() {
  if (conn_ == nullptr) return;
  std::lock_guard lock(db_->mu_);
  db_->idle_.push_back(std::move(conn_));
}

Result<Database::Lease> Database::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
  }
  auto conn = connect();
  if (!conn) return conn.status();
  return Lease(this, std::move(conn).value());
}

Status Database::transaction(const char* begin, const std::function<Status(Connection&)>& fn) {
  auto lease = acquire();
  if (!lease) return lease.status();
  Connection& conn = **lease;
  ADLOOM_TRY(conn.exec(begin));
  Status st;
  try {
    st = fn(conn);
  } catch (...) {
    (void)conn.exec("ROLLBACK");
    throw;
  }
  if (!st.is_ok()) {
    (void)conn.exec("ROLLBACK");
    return st;
  }
  Status commit = conn.exec("COMMIT");
  if (!commit.is_ok()) (void)conn.exec("ROLLBACK");
  return commit;
}

Status Database::write(const std::function<Status(Connection&)>& fn) {
  return transaction("BEGIN IMMEDIATE", fn);
}

Status Database::read(const std::function<Status(Connection&)>& fn) {
  return transaction("BEGIN", fn);
}

Result<int> schema_version(Database& db) {
  int version = 0;
  Status st = db.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(
        auto has,
        c.prepare(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'"));
    ADLOOM_ASSIGN(bool row, has.step());
    if (!row || has.column_int(0) == 0) return Status::ok();
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    ADLOOM_ASSIGN(bool row2, q.step());
    if (row2) version = static_cast<int>(q.column_int(0));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return version;
}

Result<std::vector<int>> migrate(Database& db) {
  std::vector<int> applied;
  const auto& all = migrations();
  const int latest = all.empty() ? 0 : all.back().version;
  for (const auto& m : all) {
    // Version check inside the write transaction, so concurrent migrators (serve and
    // worker starting together) apply each migration once.
    bool did = false;
    Status st = db.write([&](Connection& c) -> Status {
      ADLOOM_TRY(
          c.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                 "name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
      ADLOOM_ASSIGN(auto q, c.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
      ADLOOM_ASSIGN(bool row, q.step());
      int current = row ? static_cast<int>(q.column_int(0)) : 0;
      if (current > latest) {
        return Status(ErrorCode::kFailedPrecondition,
                      "database schema version " + std::to_string(current) +
                          " is newer than this adloom binary supports (" + std::to_string(latest) +
                          "); upgrade adloom");
      }
      if (current >= m.version) return Status::ok();
      ADLOOM_TRY(c.exec(m.sql));
      ADLOOM_ASSIGN(auto ins, c.prepare("INSERT INTO schema_migrations(version, name, applied_at) "
                                        "VALUES (?, ?, ?)"));
      ins.bind(1, static_cast<std::int64_t>(m.version)).bind(2, m.name);
      ins.bind(3, SystemClock().now_ms());
      ADLOOM_TRY(ins.run());
      did = true;
      return Status::ok();
    });
    if (!st.is_ok()) {
      return Status(st.code(), "migration " + std::to_string(m.version) + " (" + m.name +
                                   "): " + st.message());
    }
    if (did) applied.push_back(m.version);
  }
  return applied;
}

}  // namespace adloom::sqlite
