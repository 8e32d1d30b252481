// adloom models list | check: which engine serves each capability, and a tiny real request
// to each, with a verdict a person can act on.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"

namespace adloom::cli {

void add_models_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("models", "Show or check the configured model engines");
  cmd->require_subcommand(1);
  cmd->add_subcommand("list", "Print the engine serving each capability")->callback([&g] {
    auto app = g.open_app();
    if (!app) return;
    if (Status st = app->open_models(); !st.is_ok()) {
      std::cerr << "adloom: " << st.to_string() << "\n";
      g.exit_code = 2;
      return;
    }
    for (const EngineInfo& e : app->models().engines) {
      std::printf("%-8s %-14s %s\n", e.capability.c_str(), e.provider.c_str(), e.model.c_str());
    }
  });
  auto deadline_ms = std::make_shared<int>(120000);
  auto* check = cmd->add_subcommand(
      "check",
      "Send each engine a tiny request and print what came of it; exit 1 when one fails. "
      "Remote image models bill the one small image.");
  check->add_option("--timeout-ms", *deadline_ms, "Time allowed for each check")
      ->check(CLI::Range(1000, 3600000));
  check->callback([&g, deadline_ms] {
    auto app = g.open_app();
    if (!app) return;
    if (Status st = app->open_models(); !st.is_ok()) {
      std::cerr << "adloom: " << st.to_string() << "\n";
      g.exit_code = 2;
      return;
    }
    for (const EngineCheck& c : check_model_engines(app->models(), *deadline_ms)) {
      std::printf("%-8s %-14s %-45s %s (%.0f ms)\n", c.engine.capability.c_str(),
                  c.engine.provider.c_str(), c.engine.model.c_str(),
                  c.ok ? "ok" : c.verdict.c_str(), c.ms);
      if (!c.ok) g.exit_code = 1;
    }
  });
}

}  // namespace adloom::cli
