// Bulk import: many image files added through LibraryService::add_asset by a few threads.
// Each file is imported, recognised as a duplicate (same bytes already in the workspace)
// or rejected with a reason; one bad file never stops the others. Running an import again
// after an interruption imports only what is missing: the files already in are
// duplicates, found by hash without decoding them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "services/import_manifest.h"
#include "services/library_service.h"

namespace adloom {

struct ImportFile {
  std::string name;     // as reported: the path relative to the import root
  std::string path;     // where to read it
  AssetUpload upload;   // its metadata (from the manifest, or defaults)
  std::string problem;  // non-empty: rejected with this reason, never read (bad manifest row)
};

struct ImportRejection {
  std::string name;
  std::string reason;
};

struct ImportCounts {
  int total = 0;       // files to import
  int imported = 0;    // new assets
  int duplicates = 0;  // bytes already in the workspace
  int rejected = 0;
  int done() const { return imported + duplicates + rejected; }
};

struct ImportReport {
  ImportCounts counts;
  std::vector<ImportRejection> rejections;  // in file order
  int index_jobs = 0;                       // assets whose indexing is queued or running
  double seconds = 0;                       // wall time
  bool interrupted = false;                 // stopped before every file was seen
};

struct BulkImportOptions {
  int threads = 2;
  // Larger files are rejected from their size alone, never read into memory. Memory in use
  // stays below threads × this (plus libvips's working set for one image per thread).
  std::uint64_t max_file_bytes = 50ull << 20;
};

using ImportProgressFn = std::function<void(const ImportCounts&)>;

// Imports `files` into ctx's workspace. `on_progress` (may be empty) is called after each
// file, one call at a time. A stop request lets the files in flight finish and skips the
// rest (interrupted = true).
// Errors: what makes going on pointless — kPermissionDenied, or a store or blob failure
// (kUnavailable, kInternal, …); the files done before it stay imported.
Result<ImportReport> import_files(const RequestContext& ctx, LibraryService& library,
                                  const std::vector<ImportFile>& files,
                                  const BulkImportOptions& options,
                                  const ImportProgressFn& on_progress, const std::stop_token& stop);

// Every regular file under `root`, recursively, skipping names that start with '.',
// as paths relative to `root` sorted bytewise: what an import without a manifest takes.
// kInvalidArgument when `root` is not a readable directory.
Result<std::vector<std::string>> list_import_files(const std::string& root);

// The files of an import under `root`: the manifest's entries when there is a manifest
// (each resolved under root; a file listed twice is rejected the second time), otherwise
// every file list_import_files finds. Files given no campaign get `default_campaign`
// (when not empty); every upload gets its original file name.
Result<std::vector<ImportFile>> plan_import(const std::string& root,
                                            std::optional<std::vector<ManifestEntry>> manifest,
                                            const std::string& default_campaign);

// The file a manifest names, under `root`. kInvalidArgument for an empty, absolute or
// escaping ("../x.jpg") name: a manifest may only refer to files inside the root.
Result<std::string> resolve_import_path(const std::string& root, const std::string& name);

}  // namespace adloom
