// Bulk import through the API (job kind "import", payload
// {"import_id": "imp_…", "archive": blob key or absent, "campaign": name or absent}):
//   stage  -> extracts the uploaded archive into <staging>/<import_id>/ (files uploaded
//             with a manifest are written there by the route, and this step has nothing
//             to do);
//   import -> imports what is staged (manifest.csv or manifest.json at its root, if any,
//             says which files and their metadata), reporting progress; then removes the
//             staging folder and the archive blob. Its output is the summary.
// Both steps can run again after a crash: extraction starts over, and files imported
// before the crash come back as duplicates.
#pragma once

#include <functional>
#include <string>

#include "blob/blob_store.h"
#include "jobs/job_handler.h"
#include "services/bulk_import.h"

namespace adloom {

using ManifestReader = std::function<Result<std::vector<ManifestEntry>>(const std::string& path)>;

class ImportJobHandler final : public JobHandler {
 public:
  struct Options {
    std::string staging_root;  // data_dir/imports
    BulkImportOptions import;
  };
  // All references must outlive the handler. `read_manifest` parses a manifest file.
  ImportJobHandler(LibraryService& library, BlobStore& blobs, ManifestReader read_manifest,
                   Options options)
      : library_(library),
        blobs_(blobs),
        read_manifest_(std::move(read_manifest)),
        options_(std::move(options)) {}

  Result<std::vector<std::string>> plan(const Job& job) const override;
  Result<std::string> run_step(StepContext& ctx, int index) override;

 private:
  LibraryService& library_;
  BlobStore& blobs_;
  ManifestReader read_manifest_;
  Options options_;
};

}  // namespace adloom
