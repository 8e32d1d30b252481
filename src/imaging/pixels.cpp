// init_imaging, decode_rgb and encoders: the libvips plumbing every analyser shares.
#include <algorithm>
#include <mutex>
#include <string_view>

#include <spdlog/spdlog.h>
#include <vips/vips8>

#include "imaging/image.h"
#include "imaging/vips_internal.h"

namespace adloom {
namespace {

std::string vips_message() {
  std::string msg = vips_error_buffer();
  vips_error_clear();
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

// First frame, oriented, sRGB, 3 bands, 8 bit.
vips::VImage to_srgb8(vips::VImage img) {
  img = img.autorot();
  if (img.interpretation() != VIPS_INTERPRETATION_sRGB) {
    img = img.colourspace(VIPS_INTERPRETATION_sRGB);  // also grey (8 or 16 bit) -> sRGB
  }
  if (img.has_alpha()) {
    img =
        img.flatten(vips::VImage::option()->set("background", std::vector<double>{255, 255, 255}));
  }
  if (img.bands() == 1) img = vips::VImage::bandjoin({img, img, img});
  if (img.bands() > 3) img = img.extract_band(0, vips::VImage::option()->set("n", 3));
  if (img.format() != VIPS_FORMAT_UCHAR) img = img.cast(VIPS_FORMAT_UCHAR);
  return img;
}

}  // namespace

Status init_imaging() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    if (VIPS_INIT("adloom") != 0) return;
    vips_block_untrusted_set(TRUE);
    vips_concurrency_set(1);
    // No operation cache: we load from borrowed buffers, and a cached operation keyed by a
    // buffer address could outlive the buffer and be matched by a later one at the same
    // address. Nothing here repeats an operation, so the cache would not help anyway.
    vips_cache_set_max(0);
    // libvips reports damaged input ("error in tile 0 x 170") as GLib warnings on stderr,
    // outside the structured log. The caller already gets the error as a Status, so the
    // warning goes to the log at debug level.
    g_log_set_handler(
        "VIPS",
        static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO |
                                    G_LOG_LEVEL_DEBUG),
        [](const gchar*, GLogLevelFlags, const gchar* message, gpointer) {
          spdlog::debug("event=vips_message message=\"{}\"", message != nullptr ? message : "");
        },
        nullptr);
    ok = true;
  });
  return ok ? Status::ok() : internal_error("libvips failed to initialise: " + vips_message());
}

namespace {

// The image in `bytes` made small cheaply, for measuring rather than for showing: the
// loader decodes JPEG at 1/2, 1/4 or 1/8 scale when that still leaves at least `max_side`
// (shrink-on-load), then an integer box filter brings the longer side to at most
// `max_side` (never upscaled). EXIF orientation is not applied. Unlike thumbnail, no
// lanczos kernel is built (libvips compiles one per call), so a small image costs well
// under a millisecond. Throws vips::VError.
vips::VImage load_reduced(std::string_view bytes, int max_side) {
  constexpr int kMaxJpegShrink = 8;  // libjpeg scales by 1/2, 1/4 or 1/8
  auto load = [&](int jpeg_shrink) {
    auto* options = vips::VImage::option()
                        ->set("access", VIPS_ACCESS_SEQUENTIAL)
                        ->set("fail_on", VIPS_FAIL_ON_NONE);
    if (jpeg_shrink > 1) options->set("shrink", jpeg_shrink);
    return vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "", options);
  };
  vips::VImage img = load(1);  // header only: decoding starts when pixels are asked for
  const int side = std::max(1, max_side);
  const char* loader = nullptr;
  if (vips_image_get_string(img.get_image(), VIPS_META_LOADER, &loader) != 0) {
    vips_error_clear();  // absent: no shrink-on-load, the box filter does it all
    loader = "";
  }
  if (std::string_view(loader) == "jpegload_buffer") {
    int shrink = 1;
    const int longer = std::max(img.width(), img.height());
    while (shrink < kMaxJpegShrink && longer / (shrink * 2) >= side) shrink *= 2;
    if (shrink > 1) img = load(shrink);
  }
  const int longer = std::max(img.width(), img.height());
  if (longer > side) {
    const int factor = (longer + side - 1) / side;  // ceil: the result is at most `side`
    img = img.shrink(factor, factor);
  }
  return img;
}

}  // namespace

Result<RgbImage> decode_rgb(std::string_view bytes, int max_side) {
  if (bytes.empty()) return invalid_argument("empty image");
  try {
    auto img = to_srgb8(load_reduced(bytes, max_side));
    RgbImage out;
    out.width = img.width();
    out.height = img.height();
    std::size_t size = 0;
    void* mem = img.write_to_memory(&size);
    auto* p = static_cast<std::uint8_t*>(mem);
    out.pixels.assign(p, p + size);
    g_free(mem);
    if (out.pixels.size() != static_cast<std::size_t>(out.width) * out.height * 3) {
      return internal_error("unexpected pixel layout after decode");
    }
    return out;
  } catch (const vips::VError&) {
    return invalid_argument("cannot decode image: " + vips_message());
  }
}

namespace {

Result<vips::VImage> from_rgb(const RgbImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3) {
    return invalid_argument("pixel buffer does not match its size");
  }
  // Borrows the caller's pixels: the image is used and dropped before `image` goes away.
  auto img = vips::VImage::new_from_memory(const_cast<std::uint8_t*>(image.pixels.data()),
                                           image.pixels.size(), image.width, image.height, 3,
                                           VIPS_FORMAT_UCHAR);
  return img.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

Result<std::string> save(const RgbImage& image, const char* suffix) {
  auto img = from_rgb(image);
  if (!img) return img.status();
  try {
    void* buf = nullptr;
    std::size_t size = 0;
    img->write_to_buffer(suffix, &buf, &size);
    std::string out(static_cast<char*>(buf), size);
    g_free(buf);
    return out;
  } catch (const vips::VError&) {
    return internal_error(std::string("cannot encode ") + suffix + ": " + vips_message());
  }
}

}  // namespace

Result<std::string> encode_png(const RgbImage& image) {
  return save(image, ".png");
}

Result<std::string> encode_jpeg(const RgbImage& image, int quality) {
  return save(image, (".jpg[Q=" + std::to_string(quality) + "]").c_str());
}

}  // namespace adloom
