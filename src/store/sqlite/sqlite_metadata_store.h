// MetadataStore on SQLite (the embedded default). Shares the Database with SqliteJobQueue.
#pragma once

#include "core/clock.h"
#include "store/metadata_store.h"
#include "store/sqlite/sqlite_db.h"

namespace adloom {

class SqliteMetadataStore final : public MetadataStore {
 public:
  // `db` and `clock` must outlive the store.
  SqliteMetadataStore(sqlite::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<std::vector<int>> migrate() override;
  Result<int> schema_version() override;
  Status ping() override;
  Result<Workspace> ensure_default_workspace(const std::string& name) override;
  Result<Workspace> create_workspace(const std::string& name) override;
  Result<Workspace> get_workspace(const WorkspaceId& id) override;
  Result<std::vector<Workspace>> list_workspaces() override;

 private:
  sqlite::Database& db_;
  const Clock& clock_;
};

}  // namespace adloom
