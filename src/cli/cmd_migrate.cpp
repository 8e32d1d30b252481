#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_metadata_store.h"

namespace adloom::cli {

void add_migrate_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("migrate", "Apply pending database schema migrations and exit");
  cmd->callback([&g] {
    const Config* loaded = g.load();
    if (loaded == nullptr) return;
    const Config& config = *loaded;
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    auto db = sqlite::Database::open(
        {config.sqlite_path(), static_cast<int>(config.store_busy_timeout_ms)});
    if (!db) {
      std::cerr << "adloom: " << db.status().to_string() << "\n";
      g.exit_code = 1;
      return;
    }
    SystemClock clock;
    SqliteMetadataStore store(**db, clock);
    auto applied = store.migrate();
    if (!applied) {
      std::cerr << "adloom: " << applied.status().to_string() << "\n";
      g.exit_code = 1;
      return;
    }
    auto version = store.schema_version();
    for (int v : *applied) std::printf("applied migration %d\n", v);
    std::printf("database %s is at schema version %d (%zu applied now)\n",
                config.sqlite_path().c_str(), version ? *version : -1, applied->size());
  });
}

}  // namespace adloom::cli
