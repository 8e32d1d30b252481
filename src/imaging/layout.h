// Ad mock-ups drawn with libvips: a hero image (or an abstract stand-in), brand colours
// and copy set with Pango in the brand font, in one of a few fixed layouts. The offline
// image model (models/builtin/layout_composer.h) is built on this.
//
// Rendering is deterministic: the same spec gives byte-identical PNG bytes on the same
// machine (same libvips, Pango and fonts). Thread safe; call init_imaging() first.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "imaging/colour.h"
#include "imaging/image.h"

namespace adloom {

// The layouts, by index:
//   0 full-bleed hero fading through a gradient scrim into a dark brand-colour field
//     that carries the copy;
//   1 split: hero on one half, a primary panel with the copy on the other;
//   2 a framed hero card on the background colour, headline above, button below;
//   3 a primary band with the headline, the hero, then an accent call-to-action bar;
//   4 an angled primary block, the hero cropped to a ringed circle, bold type.
// Each adapts to landscape (≥ 1.3:1), square and portrait (≤ 1:1.3) canvases.
constexpr int kLayoutCount = 5;

constexpr int kMinLayoutSide = 64;
constexpr int kMaxLayoutSide = 4096;

// Brand colours by role. Text colours are picked for contrast, so any palette renders
// legibly: `text` and `background` are preferred when they contrast enough with what lies
// under the text, white or near-black otherwise.
struct LayoutPalette {
  Rgb8 primary{0x26, 0x46, 0x53};
  Rgb8 secondary{0x2A, 0x9D, 0x8F};
  Rgb8 accent{0xE7, 0x6F, 0x51};
  Rgb8 background{0xF8, 0xF5, 0xF0};
  Rgb8 text{0x1F, 0x1F, 0x1F};
};

constexpr const char* kDefaultLayoutFont = "DejaVu Sans";

struct LayoutSpec {
  int width = 1080;  // kMinLayoutSide..kMaxLayoutSide each
  int height = 1080;
  int layout = 0;          // 0..kLayoutCount-1
  std::uint64_t seed = 0;  // small variations within a layout: side, alignment, stand-in art
  LayoutPalette palette;
  // Plain text (not markup; any UTF-8, invalid bytes replaced). Each may be empty; over-long
  // copy is cut at a word with "…" and the headline shrinks until it fits its box.
  std::string headline;
  std::string body;
  std::string call_to_action;  // drawn as a button in the accent colour
  std::string disclosure;      // small print along the bottom
  // A fontconfig family; "" = kDefaultLayoutFont. An unknown family falls back to
  // fontconfig's default sans (Pango does not fail), so callers resolve it first.
  std::string font_family;
  // Encoded images that passed probe_image; empty when absent. The hero is cropped to each
  // slot with libvips's attention-based smart crop; without one an abstract product
  // stand-in is drawn in the brand colours. The logo is scaled into a small corner box.
  std::string hero_image;
  std::string logo_image;
};

// The mock-up as PNG: exactly width × height, 8-bit sRGB, 3 bands, no metadata.
// kInvalidArgument for a size or layout out of range, or an unreadable hero or logo
// ("cannot read the hero image: …"); kInternal when libvips fails otherwise.
Result<EncodedImage> render_layout(const LayoutSpec& spec);

}  // namespace adloom
