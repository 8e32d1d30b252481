#include "jobs/import_job.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "services/archive.h"

namespace adloom {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

struct Payload {
  std::string import_id;
  std::string archive;  // "" when the files were uploaded one by one
  std::string campaign;
};

Result<Payload> payload_of(const Job& job) {
  const Json j = Json::parse(job.payload, nullptr, false);
  if (!j.is_object() || !j.contains("import_id") || !j["import_id"].is_string() ||
      !is_valid_id(j["import_id"].get<std::string>(), "imp")) {
    return invalid_argument("payload needs an import_id (imp_…)");
  }
  Payload p;
  p.import_id = j["import_id"].get<std::string>();
  if (j.contains("archive") && j["archive"].is_string()) p.archive = j["archive"];
  if (j.contains("campaign") && j["campaign"].is_string()) p.campaign = j["campaign"];
  return p;
}

Json rejections_json(const std::vector<ImportRejection>& list) {
  Json out = Json::array();
  for (const auto& r : list) out.push_back({{"file", r.name}, {"reason", r.reason}});
  return out;
}

}  // namespace

Result<std::vector<std::string>> ImportJobHandler::plan(const Job& job) const {
  ADLOOM_TRY(payload_of(job).status());
  return std::vector<std::string>{"stage", "import"};
}

Result<std::string> ImportJobHandler::run_step(StepContext& ctx, int step) {
  ADLOOM_ASSIGN(Payload p, payload_of(ctx.lease.job));
  const std::string dir = (fs::path(options_.staging_root) / p.import_id).string();
  if (step == 0) {
    if (p.archive.empty()) return Json({{"skipped", Json::array()}}).dump();
    ctx.report("extracting the archive");
    ADLOOM_ASSIGN(std::string bytes, blobs_.get(p.archive));
    ExtractLimits limits;
    limits.max_entry_bytes = options_.import.max_file_bytes;
    ADLOOM_ASSIGN(auto skipped, extract_archive(bytes, dir, limits));
    return Json({{"skipped", rejections_json(skipped)}}).dump();
  }
  if (step != 1) return invalid_argument("no step " + std::to_string(step));

  std::optional<std::vector<ManifestEntry>> manifest;
  for (const char* name : {"manifest.csv", "manifest.json"}) {
    const std::string path = (fs::path(dir) / name).string();
    if (!fs::exists(path)) continue;
    ADLOOM_ASSIGN(manifest, read_manifest_(path));
    break;
  }
  ADLOOM_ASSIGN(std::vector<ImportFile> files, plan_import(dir, std::move(manifest), p.campaign));
  auto rc = RequestContext::system(ctx.lease.workspace_id, ctx.lease.job_id);
  auto progress = [&ctx](const ImportCounts& c) {
    ctx.report(std::to_string(c.done()) + "/" + std::to_string(c.total) +
               " files: " + std::to_string(c.imported) + " new, " + std::to_string(c.duplicates) +
               " duplicates, " + std::to_string(c.rejected) + " rejected");
  };
  ADLOOM_ASSIGN(ImportReport report,
                import_files(rc, library_, files, options_.import, progress, ctx.stop));
  if (report.interrupted) return Status(ErrorCode::kCancelled, "import interrupted");

  // Entries skipped while extracting count as rejected files too.
  Json rejected = Json::array();
  if (!ctx.outputs.empty()) {
    const Json staged = Json::parse(ctx.outputs.front().output, nullptr, false);
    if (staged.is_object() && staged.contains("skipped")) rejected = staged["skipped"];
  }
  const int skipped = static_cast<int>(rejected.size());
  for (auto& r : rejections_json(report.rejections)) rejected.push_back(std::move(r));
  const ImportCounts& c = report.counts;
  const Json out = {{"files", c.total + skipped},      {"imported", c.imported},
                    {"duplicates", c.duplicates},      {"rejected", rejected},
                    {"index_jobs", report.index_jobs}, {"seconds", report.seconds}};
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (!p.archive.empty()) (void)blobs_.remove(p.archive);
  return out.dump();
}

}  // namespace adloom
