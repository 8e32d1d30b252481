// adloom import DIR [--manifest FILE] [--workspace WS] [--campaign NAME] [--threads N] [--json]
//
// Adds every image under DIR (or the files a CSV/JSON manifest lists, with their metadata
// and KPIs) to the library, several files at a time. Shows progress on a terminal, then a
// summary: imported, duplicates, rejected with reasons. Interrupted (Ctrl-C, SIGTERM, or a
// crash), the same command run again imports only what is missing. Indexing jobs are
// queued for `adloom serve` to run.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include "api/asset_json.h"
#include "cli/commands.h"
#include "core/ids.h"
#include "services/bulk_import.h"
#include "services/import_manifest.h"

namespace adloom::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string dir;
  std::string manifest;
  std::string workspace;
  std::string campaign;
  int threads = 0;  // 0: one per core
  bool json = false;
};

std::string plural(int n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// The files to import, from the manifest when there is one, else every file under DIR.
Result<std::vector<ImportFile>> plan_files(const Options& opts) {
  std::optional<std::vector<ManifestEntry>> manifest;
  if (!opts.manifest.empty()) {
    auto entries = read_manifest(opts.manifest);
    if (!entries) return invalid_argument(opts.manifest + ": " + entries.status().message());
    manifest = std::move(entries).value();
  }
  return plan_import(opts.dir, std::move(manifest), opts.campaign);
}

// One status line, redrawn in place on a terminal (at most 10 times a second); on a pipe
// or file, a line at every tenth of the way so logs show progress without flooding.
class Progress {
 public:
  explicit Progress(bool tty) : tty_(tty), started_(Clock::now()) {}

  void update(const ImportCounts& c) {
    const auto now = Clock::now();
    const bool last = c.done() == c.total;
    if (tty_) {
      if (!last && now - drawn_ < std::chrono::milliseconds(100)) return;
      drawn_ = now;
      std::fprintf(stderr, "\r%s\033[K", line(c, now).c_str());
      if (last) std::fputc('\n', stderr);
    } else {
      const int tenth = c.total > 0 ? c.done() * 10 / c.total : 10;
      if (tenth <= printed_tenth_) return;
      printed_tenth_ = tenth;
      std::fprintf(stderr, "%s\n", line(c, now).c_str());
    }
    std::fflush(stderr);
  }

  // Ends a half-drawn line (interrupted before the last file).
  void finish() {
    if (tty_ && drawn_ != Clock::time_point{}) std::fputc('\n', stderr);
  }

 private:
  std::string line(const ImportCounts& c, Clock::time_point now) const {
    constexpr int kWidth = 20;  // the whole line fits 80 columns
    const double seconds = std::chrono::duration<double>(now - started_).count();
    const double rate = seconds > 0 ? c.done() / seconds : 0;
    const int filled = c.total > 0 ? c.done() * kWidth / c.total : kWidth;
    std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(kWidth - filled), '.');
    char buf[256];
    std::snprintf(buf, sizeof buf, "%d/%d [%s] %3d%% new %d, dup %d, rejected %d, %.0f/s", c.done(),
                  c.total, bar.c_str(), c.total > 0 ? c.done() * 100 / c.total : 100, c.imported,
                  c.duplicates, c.rejected, rate);
    std::string out = buf;
    if (rate > 0 && c.done() < c.total) {
      out += ", ETA " + std::to_string(static_cast<int>((c.total - c.done()) / rate) + 1) + " s";
    }
    return out;
  }

  bool tty_;
  Clock::time_point started_;
  Clock::time_point drawn_{};
  int printed_tenth_ = 0;
};

// Interrupt requests so far; the second one ends the process at once.
std::atomic<int> g_interrupts{0};
static_assert(std::atomic<int>::is_always_lock_free, "used in a signal handler");

extern "C" void on_interrupt(int sig) {
  if (g_interrupts.fetch_add(1) > 0) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}

long peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;  // KiB on Linux
}

void print_text(const Options& opts, const ImportReport& r) {
  const ImportCounts& c = r.counts;
  const double rate = r.seconds > 0 ? c.done() / r.seconds : 0;
  std::printf("%s %s of %d from %s in %.1f s (%.1f images/s): %d new, %s, %d rejected.\n",
              r.interrupted ? "Interrupted after" : "Processed", plural(c.done(), "file").c_str(),
              c.total, opts.dir.c_str(), r.seconds, rate, c.imported,
              plural(c.duplicates, "duplicate").c_str(), c.rejected);
  if (!r.rejections.empty()) {
    std::printf("Rejected:\n");
    for (const auto& x : r.rejections) std::printf("  %s: %s\n", x.name.c_str(), x.reason.c_str());
  }
  if (r.index_jobs > 0) {
    std::printf("%s queued for indexing; `adloom serve` runs them.\n",
                plural(r.index_jobs, "asset").c_str());
  }
  if (r.interrupted) std::printf("Run the same command again to import the rest.\n");
}

void print_json(const Options& opts, const ImportReport& r) {
  nlohmann::json rejected = nlohmann::json::array();
  for (const auto& x : r.rejections) rejected.push_back({{"file", x.name}, {"reason", x.reason}});
  const ImportCounts& c = r.counts;
  const nlohmann::json out = {{"dir", opts.dir},
                              {"files", c.total},
                              {"done", c.done()},
                              {"imported", c.imported},
                              {"duplicates", c.duplicates},
                              {"rejected", rejected},
                              {"index_jobs", r.index_jobs},
                              {"seconds", r.seconds},
                              {"images_per_second", r.seconds > 0 ? c.done() / r.seconds : 0.0},
                              {"interrupted", r.interrupted},
                              {"peak_rss_mib", peak_rss_mib()}};
  std::printf("%s\n", out.dump(2).c_str());
}

// Exit codes: 0 every file imported or already there, 1 some files rejected, 2 nothing
// imported (bad folder, manifest or workspace; the store failed), 130 interrupted.
int run(Globals& g, const Options& opts) {
  auto files = plan_files(opts);
  if (!files) {
    std::cerr << "adloom: " << files.status().message() << "\n";
    return 2;
  }
  const Config* config = g.load();
  if (config == nullptr) return 2;
  // SIGINT/SIGTERM stop the import between files. A handler, not a blocked mask and
  // sigwait: libraries start threads of their own before main (OpenBLAS does), and a
  // signal the kernel hands to one of those would otherwise kill the process.
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  auto app = g.open_app();
  if (!app) return g.exit_code;
  const std::optional<WorkspaceId> ws = g.workspace(*app, opts.workspace);
  if (!ws) return 2;

  std::stop_source stop;
  std::jthread watcher([&stop](const std::stop_token& done) {
    std::mutex mu;
    std::condition_variable_any tick;
    std::unique_lock lock(mu);
    while (!done.stop_requested() && g_interrupts.load() == 0) {
      tick.wait_for(lock, done, std::chrono::milliseconds(100), [] { return false; });
    }
    if (g_interrupts.load() > 0) stop.request_stop();
  });

  BulkImportOptions bopts;
  bopts.threads = opts.threads > 0
                      ? opts.threads
                      : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  bopts.max_file_bytes = static_cast<std::uint64_t>(config->library_max_image_bytes);
  Progress progress(isatty(STDERR_FILENO) == 1);
  auto ctx = RequestContext::system(*ws, "cli-import-" + random_hex(8));
  auto report = import_files(
      ctx, app->library(), *files, bopts,
      [&progress](const ImportCounts& c) { progress.update(c); }, stop.get_token());
  progress.finish();
  if (!report) {
    std::cerr << "adloom: import stopped: " << report.status().to_string()
              << "\nRun the same command again to import the rest.\n";
    return 2;
  }
  if (opts.json) {
    print_json(opts, *report);
  } else {
    print_text(opts, *report);
  }
  if (report->interrupted) return 130;
  return report->rejections.empty() ? 0 : 1;
}

}  // namespace

void add_import_command(CLI::App& app, Globals& g) {
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "import",
      "Import a folder of images into the library (again after an interruption: only what is "
      "missing); exit 0 all imported, 1 some rejected, 2 nothing imported, 130 interrupted");
  cmd->add_option("dir", opts->dir, "Folder of images (searched recursively)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--manifest", opts->manifest,
                  "CSV or .json manifest: one row per file (column 'file', relative to DIR) "
                  "with campaign, description, channel, tags and KPI columns")
      ->check(CLI::ExistingFile);
  cmd->add_option("--workspace", opts->workspace, "Workspace id (default: the default one)")
      ->type_name("WS_ID");
  cmd->add_option("--campaign", opts->campaign,
                  "Campaign name for files the manifest gives none (found or created)");
  cmd->add_option("--threads", opts->threads, "Files processed at once (default: one per core)")
      ->check(CLI::Range(1, 64));
  cmd->add_flag("--json", opts->json, "Print the summary as JSON");
  cmd->callback([&g, opts] { g.exit_code = run(g, *opts); });
}

}  // namespace adloom::cli
