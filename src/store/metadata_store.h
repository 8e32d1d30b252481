// MetadataStore: the source of truth for everything but blob bytes (workspaces now;
// assets, campaigns, KPIs, … in later issues). Indexes are rebuilt from it.
//
// Thread safety: every method may be called concurrently from any thread.
// Errors: kNotFound for a missing row, kUnavailable when the backend is busy or down
// (retryable), kInternal otherwise. Implementations: sqlite/ (embedded default);
// postgres/ comes later behind the same contract.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/status.h"

namespace adloom {

struct Workspace {
  WorkspaceId id;
  std::string name;
  bool is_default = false;
  TimeMs created_at = 0;
};

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // Applies pending schema migrations; returns the versions applied (empty if none).
  virtual Result<std::vector<int>> migrate() = 0;
  virtual Result<int> schema_version() = 0;
  // Cheap liveness probe of the backend (for /readyz).
  virtual Status ping() = 0;

  // The default workspace, created with `name` on first call. Safe to race: exactly one
  // default workspace ever exists.
  virtual Result<Workspace> ensure_default_workspace(const std::string& name) = 0;
  virtual Result<Workspace> create_workspace(const std::string& name) = 0;
  virtual Result<Workspace> get_workspace(const WorkspaceId& id) = 0;
  virtual Result<std::vector<Workspace>> list_workspaces() = 0;
};

}  // namespace adloom
