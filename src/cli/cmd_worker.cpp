#include <iostream>

#include "cli/commands.h"

namespace adloom::cli {

void add_worker_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand(
      "worker", "Run job workers only (no HTTP), sharing the data dir, until SIGTERM/SIGINT");
  cmd->callback([&g] {
    auto adloom = g.open_app();
    if (!adloom) return;
    if (auto st = adloom->work(); !st.is_ok()) {
      std::cerr << "adloom: " << st.to_string() << "\n";
      g.exit_code = 1;
    }
  });
}

}  // namespace adloom::cli
