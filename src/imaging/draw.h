// Drawing primitives for the layouts (imaging/layout.cpp), on libvips: WCAG contrast,
// anti-aliased coverage masks computed from signed distances, gradients, a canvas painted
// layer by layer, and text fitted to a box. Included only by src/imaging files.
//
// Every function is a pure function of its arguments: masks and gradients are computed
// here pixel by pixel, never by libvips drawing calls, so output repeats exactly.
// Functions taking or returning VImage throw vips::VError on libvips failures.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include <vips/vips8>

#include "imaging/colour.h"

namespace adloom::draw {

struct Box {
  int x = 0, y = 0, w = 0, h = 0;
  int right() const { return x + w; }
  int bottom() const { return y + h; }
  bool empty() const { return w <= 0 || h <= 0; }
};

inline int round_int(double v) {
  return static_cast<int>(std::lround(v));
}
inline Box inset(Box b, int d) {
  return {b.x + d, b.y + d, b.w - 2 * d, b.h - 2 * d};
}

// ---- Colour

constexpr Rgb8 kWhite{255, 255, 255};
constexpr Rgb8 kInk{17, 17, 17};  // near-black for text
constexpr Rgb8 kBlack{0, 0, 0};
// WCAG 2 minimum contrast ratios: large or bold text, and normal text.
constexpr double kLargeTextContrast = 3.0;
constexpr double kSmallTextContrast = 4.5;

// WCAG relative luminance, 0 (black) .. 1 (white).
double luminance(Rgb8 c);
// WCAG contrast ratio, 1 .. 21; symmetric.
double contrast(Rgb8 a, Rgb8 b);
// a at t = 0, b at t = 1, per channel in sRGB.
Rgb8 mix(Rgb8 a, Rgb8 b, double t);
// {r, g, b} as libvips constants.
std::vector<double> pixel(Rgb8 c);
// The first `preferred` colour with at least `minimum` contrast on `under`; else white or
// near-black, whichever contrasts more.
Rgb8 readable_on(Rgb8 under, std::initializer_list<Rgb8> preferred, double minimum);

// ---- Masks: 1-band uchar images, 255 = covered

// An image holding a copy of `px` (uchar, `bands` interleaved, row-major).
vips::VImage from_pixels(const std::vector<std::uint8_t>& px, int w, int h, int bands);

// A w×h mask whose value at each pixel is `coverage(x, y)` (0..1, clamped) sampled at the
// pixel centre. Rows in [flat_from, flat_to) are taken to equal row flat_from and copied
// (shapes with straight sides: only the rows through their ends are computed).
template <typename F>
vips::VImage make_mask(int w, int h, F&& coverage, int flat_from = 0, int flat_to = 0) {
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h);
  const auto row = [&](int y) { return px.begin() + static_cast<std::ptrdiff_t>(y) * w; };
  for (int y = 0; y < h; ++y) {
    if (y > flat_from && y < flat_to) {
      std::copy(row(flat_from), row(flat_from) + w, row(y));
      continue;
    }
    for (int x = 0; x < w; ++x) {
      const double a = std::clamp(coverage(x + 0.5, y + 0.5), 0.0, 1.0);
      // a ≥ 0, so adding 0.5 and truncating rounds as lround does, without the libm call.
      row(y)[x] = static_cast<std::uint8_t>(a * 255 + 0.5);  // NOLINT(bugprone-incorrect-roundings)
    }
  }
  return from_pixels(px, w, h, 1);
}

// Coverage for a signed distance (negative inside) with an edge `feather` pixels wide.
inline double cover(double distance, double feather = 1.0) {
  return 0.5 - distance / feather;
}
// Signed distance from (x, y) to a w×h rectangle at the origin with corner radius r.
double rounded_rect_distance(double x, double y, double w, double h, double r);

vips::VImage rounded_rect_mask(int w, int h, double r);
// The soft shadow of a w×h rounded rectangle: (w + 4·blur) × (h + 4·blur), the rectangle
// centred, fading out over `blur` pixels either side of its edge.
vips::VImage shadow_mask(int w, int h, double r, int blur);
// The ellipse inscribed in w×h, its edge `feather` pixels wide.
vips::VImage ellipse_mask(int w, int h, double feather = 1.0);
// A soft elliptical blob filling w×h: 1 at the centre easing to 0 at the inscribed
// ellipse (shadows).
vips::VImage glow_mask(int w, int h);
// A circle outline of `radius` (to the stroke's middle) and `thickness`, centred in a
// square of side ring_side(radius, thickness).
int ring_side(double radius, double thickness);
vips::VImage ring_mask(double radius, double thickness);
// 1 at (cx, cy), easing to 0 at distance r.
vips::VImage radial_mask(int w, int h, double cx, double cy, double r);
// Covers the part of w×h on the side of the line a→b where (ix, iy) lies.
vips::VImage half_plane(int w, int h, double ax, double ay, double bx, double by, double ix,
                        double iy);
// Opaque inside w×h, fading to 0 over `feather` pixels at the top and bottom edges
// (vertical) or at the left and right ones.
vips::VImage edge_fade_mask(int w, int h, bool vertical, double feather);
// 0 up to `from` and `peak` from `to` (fractions of the height, or of the width when not
// vertical; `from` may be greater than `to`), eased in between.
vips::VImage ramp_mask(int w, int h, bool vertical, double from, double to, double peak);

// A w×h sRGB image whose rows (vertical) or columns pass through the stops (at least one),
// eased.
struct Stop {
  Rgb8 colour;
  double at;  // 0..1, increasing
};
vips::VImage gradient(int w, int h, bool vertical, const std::vector<Stop>& stops);

// ---- Canvas

// An 8-bit sRGB 3-band image painted layer by layer. Layers are lazy libvips operations;
// materialise() computes them into memory (do it before measuring with mean()).
class Canvas {
 public:
  Canvas(int w, int h, Rgb8 fill);
  int width() const { return img_.width(); }
  int height() const { return img_.height(); }

  // Blends `src` (3-band uchar, the mask's size) through the 1-band `mask` placed at
  // (x, y), scaled by `opacity`. Parts outside the canvas are dropped.
  void paint(const vips::VImage& mask, int x, int y, const vips::VImage& src, double opacity = 1.0);
  void paint(const vips::VImage& mask, int x, int y, Rgb8 colour, double opacity = 1.0);
  void fill(Box box, Rgb8 colour);
  // Places a 3-band uchar image at (x, y), clipped.
  void put(const vips::VImage& rgb, int x, int y);
  // The mean colour under `box` (clipped); white when the box is off the canvas.
  Rgb8 mean(Box box) const;
  void materialise() { img_ = img_.copy_memory(); }
  const vips::VImage& image() const { return img_; }

 private:
  Box clip(Box b) const;
  vips::VImage img_;
};

// 8-bit sRGB, 3 bands; alpha flattened onto `matte`.
vips::VImage to_srgb(vips::VImage img, Rgb8 matte);

// ---- Text (Pango via vips_text at 72 dpi, so font sizes are pixels)

// Valid UTF-8 (bad bytes replaced), control characters but newlines made spaces, trimmed,
// cut to `max_chars` code points at a word boundary with "…" when longer.
std::string clean_text(const std::string& in, std::size_t max_chars);

struct TextStyle {
  bool bold = false;
  double px = 16;      // preferred size
  double min_px = 7;   // below this, words are broken and what still overflows is cut off
  bool tight = false;  // headline leading (0.92 of the font's)
  VipsAlign align = VIPS_ALIGN_LOW;
};

// Plain `text` (escaped here: never markup) in `family` as a coverage mask of its ink, at
// most box_w × box_h: at style.px when it fits, else at the largest size that fits, else
// at min_px with words broken, cut to the box. Sizes are rounded down to a fixed ladder
// (15 % apart; see draw.cpp for why). A null image for empty text
// or a box too small for any. An unknown family renders in fontconfig's default.
vips::VImage fit_text(const std::string& text, const std::string& family, const TextStyle& style,
                      int box_w, int box_h);

}  // namespace adloom::draw
