#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "core/ids.h"
#include "services/kpi_import.h"

namespace adloom::cli {
namespace {

struct ImportOptions {
  std::string file;
  std::string workspace;
};

std::string plural(int n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Exit codes: 0 every row applied, 1 some rows rejected, 2 nothing imported (unreadable or
// malformed file, bad header, unknown workspace, the app could not start, store failure).
int run_import(Globals& g, const ImportOptions& opts) {
  std::ifstream in(opts.file, std::ios::binary);
  if (!in) {
    std::cerr << "adloom: cannot read " << opts.file << "\n";
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();

  auto app = g.open_app();
  if (!app) return 2;
  const std::optional<WorkspaceId> ws = g.workspace(*app, opts.workspace);
  if (!ws) return 2;
  auto ctx = RequestContext::system(*ws, "cli-" + random_hex(8));
  const std::string source = "csv:" + std::filesystem::path(opts.file).filename().string();
  auto report = import_kpis_csv(ctx, app->assets(), text.str(), source);
  if (!report) {
    std::cerr << "adloom: " << opts.file << ": " << report.status().message() << "\n";
    return 2;
  }
  std::printf("applied %s from %d of %s", plural(report->kpis_applied, "KPI").c_str(),
              report->rows_applied, plural(report->rows_total, "row").c_str());
  if (report->errors.empty()) {
    std::printf("\n");
    return 0;
  }
  std::printf("; %s rejected:\n", plural(static_cast<int>(report->errors.size()), "row").c_str());
  for (const auto& e : report->errors) std::printf("  row %d: %s\n", e.row, e.reason.c_str());
  return 1;
}

}  // namespace

void add_kpis_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("kpis", "Manage campaign and asset KPIs");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<ImportOptions>();
  auto* import = cmd->add_subcommand(
      "import",
      "Import KPIs from a CSV (header: asset_id|campaign_id|campaign|sha256, optional period, "
      "metric columns); exit 0 all rows applied, 1 some rejected, 2 nothing imported");
  import->add_option("file", opts->file, "CSV file")->required();
  import->add_option("--workspace", opts->workspace, "Workspace id (default: the default one)")
      ->type_name("WS_ID");
  import->callback([&g, opts] { g.exit_code = run_import(g, *opts);
});
}  // namespace adloom::cli

}  // namespace adloom::cli
