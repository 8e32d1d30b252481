// adloom reindex [--workspace WS]: queues re-indexing of every asset (after switching the
// embedding model, or to rebuild the indexes from the store); `adloom serve` runs the jobs.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "core/ids.h"

namespace adloom::cli {

void add_reindex_command(CLI::App& app, Globals& g) {
  auto workspace = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "reindex", "Queue re-indexing of every asset from the stored originals (run by serve)");
  cmd->add_option("--workspace", *workspace, "Workspace id (default: the default one)")
      ->type_name("WS_ID");
  cmd->callback([&g, workspace] {
    auto app = g.open_app();
    if (!app) return;
    const std::optional<WorkspaceId> ws = g.workspace(*app, *workspace);
    if (!ws) return;
    auto ctx = RequestContext::system(*ws, "cli-reindex-" + random_hex(8));
    auto queued = app->library().reindex_all(ctx);
    if (!queued) {
      std::cerr << "adloom: " << queued.status().to_string() << "\n";
      g.exit_code = 1;
      return;
    }
    std::printf("%d asset%s queued for re-indexing; `adloom serve` runs them.\n", *queued,
                *queued == 1 ? "" : "s");
  });
}

}  // namespace adloom::cli
