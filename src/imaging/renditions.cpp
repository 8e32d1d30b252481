// make_rendition: the JPEG previews shown in the UI and sent to models.
//
// One libvips thumbnail call does the heavy lifting: it picks the cheapest decode for the
// target size (shrink-on-load for JPEG/WebP, pyramid levels for TIFF), never upscales with
// VIPS_SIZE_DOWN, loads only the first frame, and applies EXIF orientation. We then
// normalise to 8-bit sRGB without alpha and save a stripped baseline JPEG.
#include <memory>
#include <string>
#include <vector>

#include <vips/vips8>

#include "imaging/image.h"

namespace adloom {
namespace {

constexpr int kMinQuality = 1;
constexpr int kMaxQuality = 100;

// A short reason from a libvips error: its first line without the "VipsJpeg: " domain.
// Clears the process-wide vips error buffer. Kept in step with the copy in intake.cpp.
std::string vips_reason(const vips::VError& e) {
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

// Borrows the caller's bytes (no copy, no free function); see intake.cpp for why this is
// safe: every image made from it is finished before the function that made it returns.
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

struct GFree {
  void operator()(void* p) const { g_free(p); }
};

// 8-bit sRGB, exactly 3 bands, alpha composited on white. colourspace() also brings
// 16-bit, greyscale and CMYK inputs to 8-bit sRGB; it is a no-op for sRGB.
vips::VImage to_srgb8_on_white(vips::VImage img) {
  img = img.colourspace(VIPS_INTERPRETATION_sRGB);
  if (img.has_alpha()) {
    img =
        img.flatten(vips::VImage::option()->set("background", std::vector<double>{255, 255, 255}));
  }
  if (img.bands() == 1) img = vips::VImage::bandjoin({img, img, img});  // static: all three
  if (img.bands() > 3) img = img.extract_band(0, vips::VImage::option()->set("n", 3));
  if (img.format() != VIPS_FORMAT_UCHAR) img = img.cast(VIPS_FORMAT_UCHAR);
  return img.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

}  // namespace

Result<EncodedImage> make_rendition(std::string_view bytes, int max_side, int quality) {
  if (bytes.empty()) return invalid_argument("empty image");
  if (max_side <= 0) return invalid_argument("rendition size must be positive");
  if (quality < kMinQuality || quality > kMaxQuality) {
    return invalid_argument("JPEG quality must be between 1 and 100");
  }
  try {
    BorrowedBlob blob(bytes);
    // fail_on=error: a damaged file is an error, not a half-grey preview.
    vips::VImage img =
        vips::VImage::thumbnail_buffer(blob.get(), max_side,
                                       vips::VImage::option()
                                           ->set("height", max_side)
                                           ->set("size", VIPS_SIZE_DOWN)
                                           ->set("option_string", "[fail_on=error]"));
    img = to_srgb8_on_white(img);

    void* buf = nullptr;
    std::size_t size = 0;
    img.write_to_buffer(".jpg", &buf, &size,
                        vips::VImage::option()
                            ->set("Q", quality)
                            ->set("strip", true)
                            ->set("optimize_coding", true));
    const std::unique_ptr<void, GFree> owned(buf);

    EncodedImage out;
    out.bytes.assign(static_cast<const char*>(buf), size);
    out.mime = "image/jpeg";
    out.width = img.width();
    out.height = img.height();
    return out;
  } catch (const vips::VError& e) {
    return invalid_argument("cannot make a rendition: " + vips_reason(e));
  }
}

}  // namespace adloom
