// probe_image: identifies an upload from its bytes and checks it before any full decode.
//
// Order matters for safety: byte limit, then our own magic-byte sniff (so only the five
// loaders we trust ever see the bytes, whatever libvips would guess), then the header via
// that loader alone (lazy: no pixels), then the pixel limit, and for PNG a walk over the
// chunk headers. No pixels are decoded here: make_renditions decodes each image once and
// names the damage when the data past the header is broken.
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include <vips/vips8>

#include "imaging/image.h"
#include "imaging/vips_internal.h"

namespace adloom {
namespace {

using vips_internal::BorrowedBlob;
using vips_internal::vips_reason;

enum class Kind { kJpeg, kPng, kWebp, kGif, kTiff };

struct Format {
  Kind kind;
  const char* name;   // ImageInfo::format
  const char* mime;   // ImageInfo::mime
  const char* label;  // for people: "damaged or truncated JPEG: …"
};

constexpr Format kJpeg{Kind::kJpeg, "jpeg", "image/jpeg", "JPEG"};
constexpr Format kPng{Kind::kPng, "png", "image/png", "PNG"};
constexpr Format kWebp{Kind::kWebp, "webp", "image/webp", "WebP"};
constexpr Format kGif{Kind::kGif, "gif", "image/gif", "GIF"};
constexpr Format kTiff{Kind::kTiff, "tiff", "image/tiff", "TIFF"};

constexpr std::string_view kPngSignature{"\x89PNG\r\n\x1a\n", 8};
// How much of the start of a file the text heuristics look at.
constexpr std::size_t kSniffBytes = 4096;
// Target size of the decodability check: small, so the decode is as cheap as it gets.

bool starts_with(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

std::optional<Format> sniff_image(std::string_view b) {
  if (starts_with(b, "\xFF\xD8\xFF")) return kJpeg;
  if (starts_with(b, kPngSignature)) return kPng;
  if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) return kGif;
  if (b.size() >= 12 && starts_with(b, "RIFF") && b.substr(8, 4) == "WEBP") return kWebp;
  if (starts_with(b, std::string_view("II*\0", 4)) || starts_with(b, std::string_view("MM\0*", 4)))
    return kTiff;
  return std::nullopt;
}

std::uint32_t read_be32(std::string_view b, std::size_t at) {
  auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i]));
  };
  return (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
}

// Length of the valid UTF-8 sequence starting at b[i], or 0 when it is invalid. A sequence
// cut off by the end of `b` counts as valid: `b` is usually a prefix of the file.
std::size_t utf8_sequence(std::string_view b, std::size_t i) {
  const auto lead = static_cast<unsigned char>(b[i]);
  std::size_t len = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
  } else {
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= b.size()) return b.size() - i;
    if ((static_cast<unsigned char>(b[i + k]) & 0xC0) != 0x80) return 0;
  }
  return len;
}

// "Mostly printable ASCII/UTF-8": no NUL and at most 5% other bytes in the first 4 KiB.
bool looks_like_text(std::string_view bytes) {
  const std::string_view b = bytes.substr(0, kSniffBytes);
  std::size_t odd = 0;
  for (std::size_t i = 0; i < b.size();) {
    const auto c = static_cast<unsigned char>(b[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++odd;
      if (c == 0x7F) ++odd;
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence(b, i);
    if (len == 0) {
      ++odd;
      ++i;
    } else {
      i += len;
    }
  }
  return odd * 20 <= b.size();
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < needle.size() && match; ++k) {
      const auto h = static_cast<unsigned char>(haystack[i + k]);
      match = std::tolower(h) == static_cast<unsigned char>(needle[k]);
    }
    if (match) return true;
  }
  return false;
}

// Whether bytes 4..11 are an ISO-BMFF "ftyp" box with one of the given major brands.
bool has_ftyp_brand(std::string_view b, std::initializer_list<std::string_view> brands) {
  if (b.size() < 12 || b.substr(4, 4) != "ftyp") return false;
  for (auto brand : brands) {
    if (b.substr(8, 4) == brand) return true;
  }
  return false;
}

// A plain reason for bytes that are not one of the supported image types.
std::string describe_non_image(std::string_view b) {
  constexpr const char* kSupported = "(supported: JPEG, PNG, WebP, GIF or TIFF)";
  if (starts_with(b, "PK\x03\x04")) return "not an image: looks like a ZIP archive";
  if (starts_with(b, "%PDF")) return "not an image: looks like a PDF document";
  if (starts_with(b, "BM") && b.size() >= 26 && b.substr(6, 4) == std::string_view("\0\0\0\0", 4))
    return std::string("not a supported image: looks like a BMP ") + kSupported;
  if (has_ftyp_brand(b, {"heic", "heix", "hevc", "heim", "heis", "mif1", "msf1"}))
    return std::string("not a supported image: looks like HEIC/HEIF ") + kSupported;
  if (has_ftyp_brand(b, {"avif", "avis"}))
    return std::string("not a supported image: looks like AVIF ") + kSupported;

  // Markup: skip a UTF-8 byte-order mark and leading white space, then look for "<".
  std::string_view head = b.substr(0, kSniffBytes);
  if (starts_with(head, "\xEF\xBB\xBF")) head.remove_prefix(3);
  while (!head.empty() && (head.front() == ' ' || head.front() == '\t' || head.front() == '\n' ||
                           head.front() == '\r')) {
    head.remove_prefix(1);
  }
  if (starts_with(head, "<")) {
    if (contains_ci(head, "<svg")) {
      return std::string("not a supported image: looks like an SVG drawing ") + kSupported;
    }
    return "not an image: looks like an HTML or XML file";
  }
  if (looks_like_text(b)) return "not an image: looks like a text file";
  return "not a supported image (JPEG, PNG, WebP, GIF or TIFF)";
}

Status damaged(const Format& f, std::string_view reason) {
  return invalid_argument(std::string("damaged or truncated ") + f.label + ": " +
                          std::string(reason));
}

Status too_large(std::string message) {
  return {ErrorCode::kPayloadTooLarge, std::move(message)};
}

// Header only: libvips loaders are lazy, so this reads dimensions and metadata, no pixels.
// Calls the loader for the sniffed type directly rather than letting libvips pick one.
vips::VImage load_header(const Format& f, VipsBlob* blob) {
  auto* options = vips::VImage::option()
                      ->set("access", VIPS_ACCESS_SEQUENTIAL)
                      ->set("fail_on", VIPS_FAIL_ON_ERROR);
  switch (f.kind) {
    case Kind::kJpeg: return vips::VImage::jpegload_buffer(blob, options);
    case Kind::kPng: return vips::VImage::pngload_buffer(blob, options);
    case Kind::kWebp: return vips::VImage::webpload_buffer(blob, options);
    case Kind::kGif: return vips::VImage::gifload_buffer(blob, options);
    case Kind::kTiff: return vips::VImage::tiffload_buffer(blob, options);
  }
  return vips::VImage::jpegload_buffer(blob, options);  // unreachable; keeps -Wreturn-type quiet
}

// PNG: walks the chunk headers (length + type, no CRCs, no inflation) to the IEND chunk,
// which catches truncation at the cost of a few reads per chunk.
Status check_png_structure(std::string_view b) {
  std::size_t at = kPngSignature.size();
  while (true) {
    if (b.size() - at < 12) return damaged(kPng, "the file ends before its IEND chunk");
    const std::uint64_t length = read_be32(b, at);
    const std::string_view type = b.substr(at + 4, 4);
    if (length > 0x7FFFFFFFu || length + 12 > b.size() - at) {
      return damaged(kPng, "chunk " + std::string(type) + " runs past the end of the file");
    }
    if (type == "IEND") return Status::ok();
    at += 12 + length;
  }
}

}  // namespace

std::string image_format_of(std::string_view bytes) {
  const std::optional<Format> format = sniff_image(bytes);
  return format ? format->name : "";
}

Result<ImageInfo> probe_image(std::string_view bytes, const IntakeLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return too_large("the file is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                     std::to_string(limits.max_bytes) + " bytes");
  }
  if (bytes.empty()) return invalid_argument("empty file (0 bytes)");
  const std::optional<Format> format = sniff_image(bytes);
  if (!format) return invalid_argument(describe_non_image(bytes));

  ImageInfo info;
  info.format = format->name;
  info.mime = format->mime;
  BorrowedBlob blob(bytes);
  try {
    const vips::VImage header = load_header(*format, blob.get());
    info.width = header.width();
    info.height = header.height();
    info.orientation = vips_image_get_orientation(header.get_image());  // 1 when absent
    info.frames = vips_image_get_n_pages(header.get_image());           // 1 when absent
    const VipsInterpretation space = header.interpretation();
    info.web_ready_jpeg = format->kind == Kind::kJpeg && info.orientation == 1 &&
                          header.format() == VIPS_FORMAT_UCHAR &&
                          ((space == VIPS_INTERPRETATION_sRGB && header.bands() == 3) ||
                           (space == VIPS_INTERPRETATION_B_W && header.bands() == 1));
  } catch (const vips::VError& e) {
    return damaged(*format, vips_reason(e));
  }
  if (info.width <= 0 || info.height <= 0) return damaged(*format, "no image size in the header");

  const std::uint64_t pixels = static_cast<std::uint64_t>(info.width) * info.height;
  if (pixels > limits.max_pixels) {
    return too_large(std::to_string(info.width) + "×" + std::to_string(info.height) + " pixels (" +
                     std::to_string(pixels) + ") exceeds the limit of " +
                     std::to_string(limits.max_pixels) + " pixels");
  }
  // Orientations 5..8 turn the image by 90°: report the size as displayed.
  if (info.orientation >= 5 && info.orientation <= 8) std::swap(info.width, info.height);

  // No pixels are decoded here: make_renditions decodes the whole image once and reports
  // a damaged one. PNG gets a cheap structural walk so a cut-off file is named here.
  if (format->kind == Kind::kPng) ADLOOM_TRY(check_png_structure(bytes));
  return info;
}

}  // namespace adloom
