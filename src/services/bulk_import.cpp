#include "services/bulk_import.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace adloom {
namespace {

namespace fs = std::filesystem;

bool is_file_rejection(ErrorCode code) {
  return code == ErrorCode::kInvalidArgument || code == ErrorCode::kPayloadTooLarge ||
         code == ErrorCode::kNotFound;
}

// The whole file, or kNotFound / kInvalidArgument / kPayloadTooLarge with a reason.
Result<std::string> read_file(const std::string& path, std::uint64_t max_bytes) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return not_found("file not found");
  if (!fs::is_regular_file(status)) return invalid_argument("not a regular file");
  const std::uint64_t size = fs::file_size(path, ec);
  if (ec) return invalid_argument("cannot read: " + ec.message());
  if (size > max_bytes) {
    return Status(ErrorCode::kPayloadTooLarge, "the file is " + std::to_string(size) +
                                                   " bytes, over the limit of " +
                                                   std::to_string(max_bytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_argument(std::string("cannot read: ") + std::strerror(errno));
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uint64_t>(in.gcount()) != size) {
    return invalid_argument("cannot read: the file changed size while being read");
  }
  return bytes;
}

// Shared by the import threads; every member is guarded by `mu`.
struct Shared {
  std::mutex mu;
  ImportReport report;
  std::vector<std::optional<ImportRejection>> rejections;  // by file index, kept in order
  std::optional<Status> fatal;
};

}  // namespace

Result<ImportReport> import_files(const RequestContext& ctx, LibraryService& library,
                                  const std::vector<ImportFile>& files,
                                  const BulkImportOptions& options,
                                  const ImportProgressFn& on_progress,
                                  const std::stop_token& stop) {
  const auto started = std::chrono::steady_clock::now();
  Shared shared;
  shared.report.counts.total = static_cast<int>(files.size());
  shared.rejections.resize(files.size());
  std::atomic<std::size_t> next{0};

  auto work = [&] {
    while (!stop.stop_requested()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= files.size()) return;
      {
        std::lock_guard lock(shared.mu);
        if (shared.fatal) return;
      }
      const ImportFile& file = files[i];
      Result<AddedAsset> added = invalid_argument(file.problem);
      if (file.problem.empty()) {
        Result<std::string> bytes = read_file(file.path, options.max_file_bytes);
        added = bytes ? library.add_asset(ctx, *bytes, file.upload)
                      : Result<AddedAsset>(bytes.status());
      }
      std::lock_guard lock(shared.mu);
      ImportCounts& counts = shared.report.counts;
      if (added) {
        ++(added->duplicate ? counts.duplicates : counts.imported);
        if (added->index_job) ++shared.report.index_jobs;
      } else if (is_file_rejection(added.status().code())) {
        ++counts.rejected;
        shared.rejections[i] = ImportRejection{file.name, added.status().message()};
      } else {
        if (!shared.fatal) shared.fatal = added.status();
        return;
      }
      if (on_progress) on_progress(counts);
    }
  };

  const int threads = std::clamp(options.threads, 1, std::max(1, static_cast<int>(files.size())));
  {
    std::vector<std::jthread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }  // joins

  if (shared.fatal) return *shared.fatal;
  ImportReport report = std::move(shared.report);
  for (auto& r : shared.rejections) {
    if (r) report.rejections.push_back(std::move(*r));
  }
  report.interrupted = report.counts.done() < report.counts.total;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

Result<std::vector<std::string>> list_import_files(const std::string& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return invalid_argument(root + " is not a directory");
  std::vector<std::string> out;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  // increment() reports errors (an unreadable subfolder) through `ec`, checked every turn.
  while (!ec && it != fs::recursive_directory_iterator()) {
    const fs::path& p = it->path();
    if (p.filename().string().starts_with(".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
    } else if (it->is_regular_file(ec)) {
      // Lexically: a symbolic link keeps its own name (fs::relative would resolve it).
      out.push_back(p.lexically_relative(root).generic_string());
    }
    if (!ec) it.increment(ec);
  }
  if (ec) return invalid_argument("cannot read " + root + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::string> resolve_import_path(const std::string& root, const std::string& name) {
  if (name.empty()) return invalid_argument("no file name");
  const fs::path rel = fs::path(name).lexically_normal();
  if (rel.is_absolute() || rel.empty() || *rel.begin() == "..") {
    return invalid_argument("file '" + name + "' is outside the import folder");
  }
  if (!rel.has_filename() || rel.filename() == "." || rel.filename() == "..") {
    return invalid_argument("'" + name + "' names a folder, not a file");
  }
  return (fs::path(root) / rel).string();
}

Result<std::vector<ImportFile>> plan_import(const std::string& root,
                                            std::optional<std::vector<ManifestEntry>> manifest,
                                            const std::string& default_campaign) {
  std::vector<ImportFile> files;
  if (!manifest) {
    ADLOOM_ASSIGN(std::vector<std::string> names, list_import_files(root));
    for (auto& name : names) {
      ImportFile f;
      f.path = (fs::path(root) / name).string();
      f.name = std::move(name);
      files.push_back(std::move(f));
    }
  } else {
    std::map<std::string, int> seen;  // resolved path -> row
    for (ManifestEntry& e : *manifest) {
      ImportFile f;
      f.name = e.file.empty() ? "row " + std::to_string(e.row) : e.file;
      f.upload = std::move(e.upload);
      f.problem = std::move(e.problem);
      if (f.problem.empty()) {
        auto path = resolve_import_path(root, e.file);
        if (!path) {
          f.problem = path.status().message();
        } else if (auto [it, fresh] = seen.emplace(*path, e.row); !fresh) {
          f.problem = "listed again (first at manifest row " + std::to_string(it->second) + ")";
        } else {
          f.path = *path;
        }
      }
      files.push_back(std::move(f));
    }
  }
  for (ImportFile& f : files) {
    const auto slash = f.name.find_last_of('/');
    f.upload.fields.original_name = slash == std::string::npos ? f.name : f.name.substr(slash + 1);
    if (!default_campaign.empty() && !f.upload.campaign && !f.upload.campaign_id) {
      CampaignFields campaign;
      campaign.name = default_campaign;
      f.upload.campaign = std::move(campaign);
    }
  }
  return files;
}

}  // namespace adloom
