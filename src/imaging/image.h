// Image intake and pixels, on libvips. Nothing outside src/imaging includes vips headers.
//
// Untrusted bytes go through probe_image() first: it identifies the type from the bytes
// (never the file name) and checks byte and pixel limits from the header alone, before
// any full decode (decompression bombs). Only then are renditions or pixels made.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace adloom {

// Process-wide libvips set-up: VIPS_INIT, untrusted loaders blocked (magick, pdf, …),
// one vips thread per operation (our own pools provide parallelism), a bounded operation
// cache. Idempotent and thread safe; call before any other function here.
Status init_imaging();

struct IntakeLimits {
  std::uint64_t max_bytes = 50ull << 20;   // encoded size
  std::uint64_t max_pixels = 100'000'000;  // width × height, from the header
};

struct ImageInfo {
  std::string format;  // "jpeg", "png", "webp", "gif", "tiff"
  std::string mime;    // "image/jpeg", …
  int width = 0;       // as displayed, after EXIF orientation
  int height = 0;
  int orientation = 1;  // EXIF orientation tag (1 = upright)
  int frames = 1;       // > 1 for animated GIF/WebP (only the first frame is used)
  // A JPEG any browser shows as is: upright (orientation 1), 8-bit sRGB or grey.
  bool web_ready_jpeg = false;
};

// "jpeg", "png", "webp", "gif" or "tiff" from the magic bytes alone (no decode), or "" when
// none: for wire formats that name the image type (Bedrock's image blocks, data URLs).
std::string image_format_of(std::string_view bytes);

// Identifies and checks an upload. kInvalidArgument with a plain reason for an empty,
// unsupported or unreadable file ("not an image: looks like a ZIP archive", "damaged or
// truncated JPEG: …" when the header is cut off); kPayloadTooLarge when a limit is
// exceeded ("50000×50000 pixels exceeds the limit of 100000000"). Reads the header only
// (and PNG chunk headers): damage further in is found by make_renditions.
Result<ImageInfo> probe_image(std::string_view bytes, const IntakeLimits& limits);

struct EncodedImage {
  std::string bytes;
  std::string mime;  // "image/jpeg"
  int width = 0;
  int height = 0;
};

// A JPEG rendition whose longer side is at most `max_side` (never upscaled): first frame,
// EXIF orientation applied, sRGB, alpha flattened on white, metadata stripped.
// Shrink-on-load keeps it fast and memory-bounded. The input must have passed probe_image.
constexpr int kRenditionQuality = 85;
Result<EncodedImage> make_rendition(std::string_view bytes, int max_side,
                                    int quality = kRenditionQuality);

// Exactly width × height as PNG: scaled to cover the box, then centre-cropped. For model
// outputs made at the nearest size the model allows (Nova Canvas: multiples of 16) when
// the brief asks for another (1080×1350). kInvalidArgument for undecodable bytes.
Result<EncodedImage> fit_image(std::string_view bytes, int width, int height);

// The renditions every asset has, both JPEG: a thumbnail for grids and a preview for
// the detail view and for models.
constexpr int kThumbSide = 320;     // longer side, at most
constexpr int kPreviewSide = 1280;  // longer side, at most
// An original is its own preview when it is a web-ready JPEG within kPreviewSide and
// this many bytes: re-encoding it would only cost time and quality.
constexpr std::size_t kMaxReusedPreviewBytes = 1u << 20;

struct Renditions {
  EncodedImage thumb;
  std::optional<EncodedImage> preview;  // absent: the original serves as the preview
};

// The thumbnail, and the preview unless the original can serve as one (see above).
// `info` is what probe_image returned for these bytes. Decodes the whole image, failing on
// any decode error: kInvalidArgument "damaged or truncated JPEG: …" for broken data.
Result<Renditions> make_renditions(std::string_view bytes, const ImageInfo& info);

// 8-bit sRGB pixels, 3 bytes per pixel, row-major, no padding.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 3
};

// Decoded pixels for analysis: first frame, oriented, sRGB, alpha flattened on white,
// downscaled so the longer side is at most `max_side` (never upscaled).
Result<RgbImage> decode_rgb(std::string_view bytes, int max_side);

// Encodes pixels as PNG (tests, debugging) or JPEG.
Result<std::string> encode_png(const RgbImage& image);
Result<std::string> encode_jpeg(const RgbImage& image, int quality = 90);

}  // namespace adloom
