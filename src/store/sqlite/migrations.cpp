// Numbered schema migrations. Append only: a released migration never changes.
// Every table holding tenant data carries workspace_id (see docs/architecture.md).
#include "store/sqlite/sqlite_db.h"

namespace adloom::sqlite {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "workspaces and jobs", R"sql(
CREATE TABLE workspaces (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  is_default  INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX workspaces_single_default ON workspaces(is_default) WHERE is_default = 1;

CREATE TABLE jobs (
  id                TEXT PRIMARY KEY,
  workspace_id      TEXT NOT NULL REFERENCES workspaces(id),
  kind              TEXT NOT NULL,
  state             TEXT NOT NULL
                    CHECK (state IN ('queued','running','succeeded','failed','dead','canceled')),
  step              INTEGER NOT NULL DEFAULT 0,
  step_count        INTEGER NOT NULL DEFAULT 0,
  payload           TEXT NOT NULL,
  result            TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  max_attempts      INTEGER NOT NULL,
  run_after         INTEGER NOT NULL,
  lease_owner       TEXT,
  lease_expires_at  INTEGER,
  cancel_requested  INTEGER NOT NULL DEFAULT 0,
  progress          REAL NOT NULL DEFAULT 0,
  progress_message  TEXT,
  last_error        TEXT,
  idempotency_key   TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  finished_at       INTEGER
);
CREATE UNIQUE INDEX jobs_idempotency ON jobs(workspace_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_ready ON jobs(state, run_after);
CREATE INDEX jobs_by_workspace ON jobs(workspace_id, id);

CREATE TABLE job_steps (
  job_id        TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  step          INTEGER NOT NULL,
  name          TEXT NOT NULL,
  output        TEXT NOT NULL,
  attempt       INTEGER NOT NULL,
  worker        TEXT NOT NULL,
  completed_at  INTEGER NOT NULL,
  PRIMARY KEY (job_id, step)
);
)sql"},
  };
  return kMigrations;
}

}  // namespace adloom::sqlite
