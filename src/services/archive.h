// Archive extraction for imports (ZIP, tar, tar.gz and the other formats libarchive reads).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/bulk_import.h"

namespace adloom {

struct ExtractLimits {
  std::uint64_t max_entry_bytes = 50ull << 20;  // larger entries are skipped, never written
  int max_entries = 100'000;
};

// Writes the regular files of the archive in `bytes` under `dest` (created; anything
// there already is replaced), keeping their relative paths. Directories, links and
// devices are ignored; an entry with an absolute or escaping path ("../x") or over the size
// limit is skipped and reported with its reason.
// kInvalidArgument when the bytes are not a readable archive or it is damaged,
// kResourceExhausted past max_entries, kInternal when `dest` cannot be written.
Result<std::vector<ImportRejection>> extract_archive(std::string_view bytes,
                                                     const std::string& dest,
                                                     const ExtractLimits& limits);

struct ZipEntry {
  std::string path;  // relative, "/"-separated
  std::string bytes;
};

// A ZIP archive of `entries` in order (stored, not deflated: images are compressed
// already), with a fixed modification time so the same entries give the same bytes.
// kInternal when libarchive fails.
Result<std::string> write_zip(const std::vector<ZipEntry>& entries);

}  // namespace adloom
