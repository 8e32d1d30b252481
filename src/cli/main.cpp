// adloom: one executable, many subcommands. main only parses arguments and dispatches.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/app.h"
#include "cli/commands.h"
#include "core/version.h"

namespace adloom::cli {

std::optional<LoadedConfig> Globals::load() const {
  ConfigSources sources;
  sources.toml_path = config_path;
  sources.env = environment_map();
  sources.flags = sets;
  auto loaded = load_config(sources);
  if (!loaded) {
    std::cerr << "adloom: invalid configuration:\n" << loaded.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(loaded).value();
}

}  // namespace adloom::cli

int main(int argc, char** argv) {
  // Before any thread exists, so all threads inherit the mask (see app.h).
  adloom::block_shutdown_signals();

  CLI::App app{"adloom: AI-assisted marketing creative, grounded in what worked before"};
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       std::string(adloom::kVersion) + " (" + adloom::kGitCommit + ")");
  adloom::cli::Globals g;
  const char* env_config = std::getenv("ADLOOM_CONFIG");
  if (env_config != nullptr) g.config_path = env_config;
  app.add_option("-c,--config", g.config_path, "TOML config file (env ADLOOM_CONFIG)")
      ->check(CLI::ExistingFile);
  app.add_option("-s,--set", g.sets, "Override a setting: --set server.port=9000 (repeatable)")
      ->type_name("KEY=VALUE");
  app.footer(
      "Settings come from defaults < config file < ADLOOM_* environment < --set flags.\n"
      "See 'adloom config print' and docs/configuration.md.");

  adloom::cli::add_serve_command(app, g);
  adloom::cli::add_worker_command(app, g);
  adloom::cli::add_migrate_command(app, g);
  adloom::cli::add_config_command(app, g);
  app.add_subcommand("version", "Print the version and exit")->callback([] {
    std::printf("adloom %s (commit %s)\n", adloom::kVersion, adloom::kGitCommit);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return g.exit_code;
}
