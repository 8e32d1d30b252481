// adloom: one executable, many subcommands. main only parses arguments and dispatches.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/app.h"
#include "cli/commands.h"
#include "core/ids.h"
#include "core/version.h"
#include "obs/log.h"

namespace adloom::cli {

const Config* Globals::load() {
  ConfigSources sources;
  sources.toml_path = config_path;
  sources.env = environment_map();
  sources.flags = sets;
  auto result = load_config(sources);
  if (!result) {
    std::cerr << "adloom: invalid configuration:\n" << result.status().message() << "\n";
    exit_code = 2;
    return nullptr;
  }
  loaded = std::move(result).value();
  return &loaded->config;
}

std::unique_ptr<App> Globals::open_app() {
  const Config* config = load();
  if (config == nullptr) return nullptr;
  if (auto st = init_logging(config->log_level, config->log_format); !st.is_ok()) {
    std::cerr << "adloom: " << st.message() << "\n";
    exit_code = 2;
    return nullptr;
  }
  auto app = App::open(*config);
  if (!app) {
    std::cerr << "adloom: cannot start: " << app.status().to_string() << "\n";
    exit_code = 1;
    return nullptr;
  }
  return std::move(app).value();
}

std::optional<WorkspaceId> Globals::workspace(App& app, const std::string& flag) {
  if (flag.empty()) return app.default_workspace().id;
  if (!is_valid_id(flag, "ws")) {
    std::cerr << "adloom: --workspace " << flag << " is not a workspace id (ws_…)\n";
    exit_code = 2;
    return std::nullopt;
  }
  auto found = app.store().get_workspace(flag);
  if (!found) {
    std::cerr << "adloom: --workspace " << flag << ": " << found.status().message() << "\n";
    exit_code = 2;
    return std::nullopt;
  }
  return found->id;
}

}  // namespace adloom::cli

int main(int argc, char** argv) {
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
  adloom::cli::add_kpis_command(app, g);
  adloom::cli::add_import_command(app, g);
  adloom::cli::add_reindex_command(app, g);
  adloom::cli::add_search_command(app, g);
  adloom::cli::add_models_command(app, g);
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
