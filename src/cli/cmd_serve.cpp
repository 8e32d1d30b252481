#include <iostream>

#include "app/app.h"
#include "cli/commands.h"
#include "obs/log.h"

namespace adloom::cli {

void add_serve_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("serve",
                                 "Run the HTTP API with embedded job workers until SIGTERM/SIGINT");
  cmd->callback([&g] {
    auto loaded = g.load();
    if (!loaded) {
      g.exit_code = 2;
      return;
    }
    const Config& config = loaded->config;
    if (auto st = init_logging(config.log_level, config.log_format); !st.is_ok()) {
      std::cerr << "adloom: " << st.message() << "\n";
      g.exit_code = 2;
      return;
    }
    auto opened = App::open(config);
    if (!opened) {
      std::cerr << "adloom: cannot start: " << opened.status().to_string() << "\n";
      g.exit_code = 1;
      return;
    }
    if (auto st = (*opened)->serve(); !st.is_ok()) {
      std::cerr << "adloom: " << st.to_string() << "\n";
      g.exit_code = 1;
    }
  });
}

}  // namespace adloom::cli
