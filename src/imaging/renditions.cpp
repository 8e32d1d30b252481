// make_rendition: the JPEG previews shown in the UI and sent to models.
//
// One libvips thumbnail call does the heavy lifting: it picks the cheapest decode for the
// target size (shrink-on-load for JPEG/WebP, pyramid levels for TIFF), never upscales with
// VIPS_SIZE_DOWN, loads only the first frame, and applies EXIF orientation. We then
// normalise to 8-bit sRGB without alpha and save a stripped baseline JPEG.
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include <vips/vips8>

#include "imaging/image.h"
#include "imaging/vips_internal.h"

namespace adloom {
namespace {

using vips_internal::BorrowedBlob;
using vips_internal::vips_reason;

constexpr int kMinQuality = 1;
constexpr int kMaxQuality = 100;

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

// "JPEG", "PNG", "WebP", … for messages, from ImageInfo::format.
std::string format_label(const std::string& format) {
  if (format == "webp") return "WebP";
  std::string label = format;
  for (char& c : label) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return label;
}

// The rendition, or kInvalidArgument with libvips's reason alone.
Result<EncodedImage> render(std::string_view bytes, int max_side, int quality) {
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
    return invalid_argument(vips_reason(e));
  }
}

}  // namespace

Result<EncodedImage> make_rendition(std::string_view bytes, int max_side, int quality) {
  auto r = render(bytes, max_side, quality);
  if (!r) return invalid_argument("cannot make a rendition: " + r.status().message());
  return r;
}

Result<EncodedImage> fit_image(std::string_view bytes, int width, int height) {
  if (bytes.empty()) return invalid_argument("empty image");
  if (width <= 0 || height <= 0) return invalid_argument("fit size must be positive");
  try {
    BorrowedBlob blob(bytes);
    vips::VImage img =
        vips::VImage::thumbnail_buffer(blob.get(), width,
                                       vips::VImage::option()
                                           ->set("height", height)
                                           ->set("size", VIPS_SIZE_BOTH)
                                           ->set("crop", VIPS_INTERESTING_CENTRE)
                                           ->set("option_string", "[fail_on=error]"));
    img = to_srgb8_on_white(img);
    void* buf = nullptr;
    std::size_t size = 0;
    img.write_to_buffer(".png", &buf, &size, vips::VImage::option()->set("strip", true));
    const std::unique_ptr<void, GFree> owned(buf);
    EncodedImage out;
    out.bytes.assign(static_cast<const char*>(buf), size);
    out.mime = "image/png";
    out.width = img.width();
    out.height = img.height();
    return out;
  } catch (const vips::VError& e) {
    return invalid_argument("cannot fit the image to " + std::to_string(width) + "×" +
                            std::to_string(height) + ": " + vips_reason(e));
  }
}

Result<Renditions> make_renditions(std::string_view bytes, const ImageInfo& info) {
  Renditions out;
  // The thumbnail decodes every byte (with shrink-on-load), so it is where damage shows.
  auto thumb = render(bytes, kThumbSide, kRenditionQuality);
  if (!thumb) {
    return invalid_argument("damaged or truncated " + format_label(info.format) + ": " +
                            thumb.status().message());
  }
  out.thumb = std::move(thumb).value();
  const bool reuse = info.web_ready_jpeg && std::max(info.width, info.height) <= kPreviewSide &&
                     bytes.size() <= kMaxReusedPreviewBytes;
  if (!reuse) {
    ADLOOM_ASSIGN(out.preview, make_rendition(bytes, kPreviewSide));
  }
  return out;
}

}  // namespace adloom
