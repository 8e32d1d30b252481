#include "services/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <filesystem>
#include <fstream>
#include <memory>

namespace adloom {
namespace {

namespace fs = std::filesystem;

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

std::string reason_of(archive* a) {
  const char* text = archive_error_string(a);
  return text != nullptr ? text : "unknown error";
}

}  // namespace

Result<std::vector<ImportRejection>> extract_archive(std::string_view bytes,
                                                     const std::string& dest,
                                                     const ExtractLimits& limits) {
  std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    return invalid_argument("not a readable archive (ZIP, tar or tar.gz): " + reason_of(a.get()));
  }
  std::error_code ec;
  fs::remove_all(dest, ec);
  fs::create_directories(dest, ec);
  if (ec) return internal_error("cannot create " + dest + ": " + ec.message());

  std::vector<ImportRejection> skipped;
  int entries = 0;
  std::string buffer;
  while (true) {
    archive_entry* entry = nullptr;
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      return invalid_argument("damaged archive: " + reason_of(a.get()));
    }
    if (++entries > limits.max_entries) {
      return Status(ErrorCode::kResourceExhausted,
                    "the archive has more than " + std::to_string(limits.max_entries) + " entries");
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* raw_name = archive_entry_pathname(entry);
    const std::string name = raw_name != nullptr ? raw_name : "";
    auto path = resolve_import_path(dest, name);
    if (!path) {
      skipped.push_back({name, path.status().message()});
      continue;
    }
    const la_int64_t size = archive_entry_size(entry);
    if (archive_entry_size_is_set(entry) != 0 &&
        static_cast<std::uint64_t>(size) > limits.max_entry_bytes) {
      skipped.push_back({name, "the file is " + std::to_string(size) +
                                   " bytes, over the limit of " +
                                   std::to_string(limits.max_entry_bytes) + " bytes"});
      continue;
    }
    // Read with a cap: a size the header leaves out (streamed ZIP) is checked as we go.
    buffer.clear();
    char chunk[64 * 1024];
    bool too_large = false;
    while (true) {
      const la_ssize_t n = archive_read_data(a.get(), chunk, sizeof chunk);
      if (n < 0)
        return invalid_argument("damaged archive entry " + name + ": " + reason_of(a.get()));
      if (n == 0) break;
      if (buffer.size() + static_cast<std::size_t>(n) > limits.max_entry_bytes) {
        too_large = true;
        break;
      }
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    if (too_large) {
      skipped.push_back({name, "the file is over the limit of " +
                                   std::to_string(limits.max_entry_bytes) + " bytes"});
      continue;
    }
    fs::create_directories(fs::path(*path).parent_path(), ec);
    std::ofstream out(*path, std::ios::binary | std::ios::trunc);
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (!out) return internal_error("cannot write " + *path);
  }
  return skipped;
}

namespace {

struct WriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};

la_ssize_t append_to_string(archive*, void* out, const void* buf, size_t n) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

}  // namespace

Result<std::string> write_zip(const std::vector<ZipEntry>& entries) {
  constexpr time_t kFixedTime = 1767225600;  // 2026-01-01: reproducible archives
  std::string out;
  std::unique_ptr<archive, WriteDeleter> a(archive_write_new());
  if (!a) return internal_error("zip: out of memory");
  if (archive_write_set_format_zip(a.get()) != ARCHIVE_OK ||
      archive_write_set_options(a.get(), "zip:compression=store") != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
      archive_write_open2(a.get(), &out, nullptr, append_to_string, nullptr, nullptr) !=
          ARCHIVE_OK) {
    return internal_error("zip: " + reason_of(a.get()));
  }
  for (const auto& e : entries) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        archive_entry_free);
    archive_entry_set_pathname(entry.get(), e.path.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(e.bytes.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_mtime(entry.get(), kFixedTime, 0);
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(a.get(), e.bytes.data(), e.bytes.size()) !=
            static_cast<la_ssize_t>(e.bytes.size())) {
      return internal_error("zip: " + reason_of(a.get()));
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return internal_error("zip: " + reason_of(a.get()));
  return out;
}

}  // namespace adloom
