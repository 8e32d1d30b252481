#include "store/sqlite/sqlite_metadata_store.h"

namespace adloom {
namespace {

constexpr const char* kWorkspaceColumns = "id, name, is_default, created_at";

Workspace read_workspace(const sqlite::Statement& s) {
  return Workspace{s.column_text(0), s.column_text(1), s.column_int(2) != 0, s.column_int(3)};
}

}  // namespace

Result<std::vector<int>> SqliteMetadataStore::migrate() {
  return sqlite::migrate(db_);
}

Result<int> SqliteMetadataStore::schema_version() {
  return sqlite::schema_version(db_);
}

Status SqliteMetadataStore::ping() {
  return db_.read([](sqlite::Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT 1"));
    return q.run();
  });
}

Result<Workspace> SqliteMetadataStore::ensure_default_workspace(const std::string& name) {
  Workspace ws;
  Status st = db_.write([&](sqlite::Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kWorkspaceColumns +
                                    " FROM workspaces WHERE is_default = 1"));
    ADLOOM_ASSIGN(bool found, q.step());
    if (found) {
      ws = read_workspace(q);
      return Status::ok();
    }
    TimeMs now = clock_.now_ms();
    ws = Workspace{new_id("ws", now), name, true, now};
    ADLOOM_ASSIGN(
        auto ins,
        c.prepare("INSERT INTO workspaces(id, name, is_default, created_at) VALUES (?, ?, 1, ?)"));
    ins.bind(1, ws.id).bind(2, ws.name).bind(3, ws.created_at);
    return ins.run();
  });
  if (!st.is_ok()) return st;
  return ws;
}

Result<Workspace> SqliteMetadataStore::create_workspace(const std::string& name) {
  if (name.empty()) return invalid_argument("workspace name must not be empty");
  TimeMs now = clock_.now_ms();
  Workspace ws{new_id("ws", now), name, false, now};
  Status st = db_.write([&](sqlite::Connection& c) -> Status {
    ADLOOM_ASSIGN(
        auto ins,
        c.prepare("INSERT INTO workspaces(id, name, is_default, created_at) VALUES (?, ?, 0, ?)"));
    ins.bind(1, ws.id).bind(2, ws.name).bind(3, ws.created_at);
    return ins.run();
  });
  if (!st.is_ok()) return st;
  return ws;
}

Result<Workspace> SqliteMetadataStore::get_workspace(const WorkspaceId& id) {
  std::optional<Workspace> ws;
  Status st = db_.read([&](sqlite::Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kWorkspaceColumns +
                                    " FROM workspaces WHERE id = ?"));
    q.bind(1, id);
    ADLOOM_ASSIGN(bool found, q.step());
    if (found) ws = read_workspace(q);
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (!ws) return not_found("workspace " + id + " does not exist");
  return *ws;
}

Result<std::vector<Workspace>> SqliteMetadataStore::list_workspaces() {
  std::vector<Workspace> out;
  Status st = db_.read([&](sqlite::Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kWorkspaceColumns +
                                    " FROM workspaces ORDER BY id"));
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) break;
      out.push_back(read_workspace(q));
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

}  // namespace adloom
