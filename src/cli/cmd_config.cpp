#include <cstdio>

#include "cli/commands.h"

namespace adloom::cli {

void add_config_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("config", "Inspect configuration");
  cmd->require_subcommand(1);
  cmd->add_subcommand("print", "Print the effective configuration (secrets masked), with sources")
      ->callback([&g] {
        if (g.load() == nullptr) return;
        std::fputs(format_effective_config(*g.loaded).c_str(), stdout);
      });
  cmd->add_subcommand("check", "Validate the configuration; exit 0 when valid, 2 otherwise")
      ->callback([&g] {
        if (g.load() == nullptr) return;
        std::puts("configuration is valid");
      });
  cmd->add_subcommand("docs", "Print docs/configuration.md generated from the settings table")
      ->callback([] { std::fputs(format_settings_markdown().c_str(), stdout); });
  cmd->add_subcommand("example", "Print adloom.example.toml generated from the settings table")
      ->callback([] { std::fputs(format_example_toml().c_str(), stdout); });
}

}  // namespace adloom::cli
