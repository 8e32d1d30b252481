#include <iostream>

#include "cli/commands.h"

namespace adloom::cli {

void add_serve_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("serve",
                                 "Run the HTTP API with embedded job workers until SIGTERM/SIGINT");
  cmd->callback([&g] {
    auto adloom = g.open_app();
    if (!adloom) return;
    if (auto st = adloom->serve(); !st.is_ok()) {
      std::cerr << "adloom: " << st.to_string() << "\n";
      g.exit_code = 1;
    }
  });
}

}  // namespace adloom::cli
