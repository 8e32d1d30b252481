// POST /api/v1/imports: a bulk import as a job. multipart/form-data with either
//   - an `archive` file part (ZIP, tar or tar.gz; a manifest.csv or manifest.json at its
//     root gives metadata and KPIs per file), or
//   - a `manifest` file part (CSV, or JSON when its filename ends in .json) and the `file`
//     parts it names (matched by file name);
// plus an optional `campaign` field for files given none. Answers 202 with the job; its
// progress and summary (imported, duplicates, rejected with reasons) are on the jobs API.
#include <filesystem>
#include <fstream>

#include "api/api.h"
#include "api/job_json.h"
#include "api/multipart.h"
#include "core/ids.h"
#include "services/bulk_import.h"

namespace adloom {
namespace {

namespace fs = std::filesystem;

Status write_file(const std::string& path, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) return internal_error("cannot write " + path);
  return Status::ok();
}

}  // namespace

void register_import_routes(Router& router, ApiDeps& deps) {
  router.add(
      "POST", "/api/v1/imports",
      [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
        if (!ctx.has_role(Role::kEditor)) {
          return Status(ErrorCode::kPermissionDenied, "importing needs the editor role");
        }
        auto ct = req.header("content-type");
        ADLOOM_ASSIGN(auto parts, parse_multipart(ct ? *ct : "", req.body));
        const MultipartPart* archive = nullptr;
        const MultipartPart* manifest = nullptr;
        std::vector<const MultipartPart*> files;
        Json payload = Json::object();
        for (const auto& p : parts) {
          if (p.name == "archive") archive = &p;
          if (p.name == "manifest") manifest = &p;
          if (p.name == "file") files.push_back(&p);
          if (p.name == "campaign" && !p.data.empty()) payload["campaign"] = std::string(p.data);
        }
        if (archive == nullptr && manifest == nullptr) {
          return invalid_argument(
              "send an 'archive' part (ZIP or tar), or a 'manifest' part with 'file' parts");
        }
        if (archive != nullptr && (manifest != nullptr || !files.empty())) {
          return invalid_argument("send an archive or a manifest with files, not both");
        }
        const std::string import_id = new_id("imp", SystemClock().now_ms());
        payload["import_id"] = import_id;
        if (archive != nullptr) {
          // Durable before the job exists: the job reads it back, and deletes it when done.
          ADLOOM_ASSIGN(BlobKey key, deps.blobs.put(archive->data));
          payload["archive"] = key;
        } else {
          const std::string dir = (fs::path(deps.config.staging_root()) / import_id).string();
          const bool json = manifest->filename.ends_with(".json");
          ADLOOM_TRY(write_file(dir + (json ? "/manifest.json" : "/manifest.csv"), manifest->data));
          for (const MultipartPart* f : files) {
            const std::string name = fs::path(f->filename).filename().string();
            if (name.empty() || name.starts_with(".") || name.starts_with("manifest.")) {
              return invalid_argument("file part '" + f->filename + "' needs a plain file name");
            }
            ADLOOM_TRY(write_file((fs::path(dir) / name).string(), f->data));
          }
        }
        JobSpec spec;
        spec.kind = "import";
        spec.payload = payload.dump();
        ADLOOM_ASSIGN(auto enqueued, deps.jobs.enqueue(ctx, spec));
        if (deps.on_job_enqueued) deps.on_job_enqueued();
        HttpResponse resp =
            json_response(202, {{"import_id", import_id}, {"job", job_to_json(enqueued.first)}});
        resp.headers.emplace_back("Location", "/api/v1/jobs/" + enqueued.first.id);
        return resp;
      });
}

}  // namespace adloom
