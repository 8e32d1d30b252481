// libvips helpers shared by the files of src/imaging only (never included elsewhere).
#pragma once

#include <string>
#include <string_view>

#include <vips/vips8>

namespace adloom::vips_internal {

// A short reason from a libvips error: its first line without the "VipsJpeg: " domain.
// Clears the process-wide vips error buffer so reasons do not pile up across calls.
inline std::string vips_reason(const vips::VError& e) {
  std::string_view what = e.what();
  vips_error_clear();
  while (!what.empty() && (what.front() == '\n' || what.front() == ' ')) what.remove_prefix(1);
  what = what.substr(0, what.find('\n'));
  if (const auto colon = what.find(": ");
      colon != std::string_view::npos &&
      what.substr(0, colon).find(' ') == std::string_view::npos) {
    what.remove_prefix(colon + 2);
  }
  while (!what.empty() && (what.back() == ' ' || what.back() == '.')) what.remove_suffix(1);
  constexpr std::size_t kMaxReason = 200;
  if (what.empty()) return "libvips gave no reason";  // some loaders fail silently
  return std::string(what.substr(0, kMaxReason));
}

// A VipsBlob that borrows the caller's bytes (no copy, no free function). The bytes must
// outlive every image computed from the blob: images never leave the function that made
// it. init_imaging() disables the vips operation cache, so no cached operation can keep
// the blob (and its borrowed pointer) alive past the call.
class BorrowedBlob {
 public:
  explicit BorrowedBlob(std::string_view bytes)
      : blob_(vips_blob_new(nullptr, bytes.data(), bytes.size())) {}
  ~BorrowedBlob() { vips_area_unref(VIPS_AREA(blob_)); }
  BorrowedBlob(const BorrowedBlob&) = delete;
  BorrowedBlob& operator=(const BorrowedBlob&) = delete;

  VipsBlob* get() const { return blob_; }

 private:
  VipsBlob* blob_;
};

}  // namespace adloom::vips_internal
