// Subcommands of the adloom executable, one file each. Each add_* registers its
// subcommand; its callback runs after the config is loaded and returns the exit code.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/config.h"

namespace adloom::cli {

// Options every subcommand shares (-c/--config, -s/--set), and the loader.
struct Globals {
  std::string config_path;
  std::vector<std::string> sets;
  int exit_code = 0;
  // Loads and validates the config; prints every problem and returns nullopt on failure.
  std::optional<LoadedConfig> load() const;
};

void add_serve_command(CLI::App& app, Globals& g);
void add_worker_command(CLI::App& app, Globals& g);
void add_migrate_command(CLI::App& app, Globals& g);
void add_config_command(CLI::App& app, Globals& g);

}  // namespace adloom::cli
