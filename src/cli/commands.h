// Subcommands of the adloom executable, one file each. Each add_* registers its
// subcommand; its callback runs after the config is loaded and returns the exit code.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/app.h"
#include "core/config.h"

namespace adloom::cli {

// Options every subcommand shares (-c/--config, -s/--set), the loaded config, and the
// exit code the subcommand sets.
struct Globals {
  std::string config_path;
  std::vector<std::string> sets;
  int exit_code = 0;
  std::optional<LoadedConfig> loaded;  // set by load(); outlives any App built from it

  // Loads and validates the config; on failure prints every problem, sets exit code 2
  // and returns null.
  const Config* load();
  // load(), logging set-up and App::open; on failure prints why, sets the exit code and
  // returns null.
  std::unique_ptr<App> open_app();
  // The workspace named by a --workspace flag (the default one when empty); on failure
  // prints why, sets exit code 2 and returns nullopt.
  std::optional<WorkspaceId> workspace(App& app, const std::string& flag);
};

void add_serve_command(CLI::App& app, Globals& g);
void add_worker_command(CLI::App& app, Globals& g);
void add_migrate_command(CLI::App& app, Globals& g);
void add_config_command(CLI::App& app, Globals& g);
void add_kpis_command(CLI::App& app, Globals& g);
void add_import_command(CLI::App& app, Globals& g);
void add_reindex_command(CLI::App& app, Globals& g);
void add_search_command(CLI::App& app, Globals& g);
void add_models_command(CLI::App& app, Globals& g);

}  // namespace adloom::cli
