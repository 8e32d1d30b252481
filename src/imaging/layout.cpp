// render_layout: one ad mock-up, painted layer by layer on a draw::Canvas.
//
// Each layout fixes its geometry from the canvas shape, paints the backgrounds, shapes and
// hero, materialises the canvas, then sets the logo and the copy: the colour under each
// block of text is measured there and the text colour picked to contrast with it.
#include "imaging/layout.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <vips/vips8>

#include "imaging/draw.h"
#include "imaging/layout_images.h"
#include "imaging/vips_internal.h"

namespace adloom {
namespace {

using namespace draw;  // NOLINT(google-build-using-namespace): this file is draw's client
using vips::VImage;
using vips_internal::vips_reason;

// Copy longer than this is cut at a word with "…" (code points).
constexpr std::size_t kMaxHeadlineChars = 140;
constexpr std::size_t kMaxBodyChars = 220;
constexpr std::size_t kMaxCtaChars = 40;
constexpr std::size_t kMaxDisclosureChars = 400;
// Fast zlib with the Paeth filter: about a third of the default's encode time for ~20 %
// more bytes on these images.
constexpr int kPngCompression = 2;

enum class Shape { kLandscape, kSquare, kPortrait };

// Everything the layouts draw from, sized for the canvas.
struct Ctx {
  LayoutPalette p;
  std::string family, headline, body, cta, disclosure;
  int w = 0, h = 0, s = 0, m = 0, gap = 0;  // size, shorter side, margin, element gap
  Shape shape = Shape::kSquare;
  std::uint64_t bits = 0;  // variation bits from the seed
  HeroImage hero;          // null images when none (stand-in art instead)
  VImage logo;             // fitted to the logo box, sRGB + alpha; null when none

  bool bit(int i) const { return ((bits >> i) & 1u) != 0; }
  double text_px(double fraction) const { return std::max(7.0, s * fraction); }
  int logo_w() const { return logo.is_null() ? 0 : logo.width(); }
  int logo_h() const { return logo.is_null() ? 0 : logo.height(); }
};

// Horizontal position of a w-wide item in `region` for an alignment.
int align_x(Box region, int w, VipsAlign a) {
  if (a == VIPS_ALIGN_CENTRE) return region.x + (region.w - w) / 2;
  return a == VIPS_ALIGN_HIGH ? region.right() - w : region.x;
}

// Paints a text mask in the first preferred colour readable on what is under it.
void paint_text(Canvas& c, const VImage& mask, int x, int y, std::initializer_list<Rgb8> preferred,
                double minimum) {
  if (mask.is_null()) return;
  c.paint(mask, x, y, readable_on(c.mean({x, y, mask.width(), mask.height()}), preferred, minimum));
}

VImage disclosure_mask(const Ctx& x, int width, VipsAlign align) {
  const TextStyle st{.px = x.text_px(0.0175), .min_px = 6, .align = align};
  return fit_text(x.disclosure, x.family, st, width, round_int(st.px * 4));
}

// Draws the disclosure across `region` with its bottom at `bottom`; returns its height.
int draw_disclosure(Canvas& c, const Ctx& x, Box region, int bottom, VipsAlign align) {
  const VImage d = disclosure_mask(x, region.w, align);
  if (d.is_null()) return 0;
  paint_text(c, d, align_x(region, d.width(), align), bottom - d.height(),
             {x.p.text, x.p.background}, kSmallTextContrast);
  return d.height();
}

// ---- Button, logo, hero

struct Button {
  VImage label;
  int w = 0, h = 0;
};

Button make_button(const Ctx& x, int max_w) {
  const TextStyle st{.bold = true, .px = x.text_px(0.034), .align = VIPS_ALIGN_CENTRE};
  const int pad = round_int(st.px * 1.2);
  const VImage label = fit_text(x.cta, x.family, st, max_w - 2 * pad, round_int(st.px * 1.6));
  if (label.is_null()) return {};
  return {label, label.width() + 2 * pad, std::max(label.height(), round_int(st.px * 2.5))};
}

// A rounded button in the accent colour (or the brand colour that stands out most when the
// accent would be lost on what is under it), its label centred on the ink.
void draw_button(Canvas& c, const Ctx& x, const Button& b, int bx, int by) {
  if (b.label.is_null()) return;
  const Rgb8 under = c.mean({bx, by, b.w, b.h});
  Rgb8 fill = x.p.accent;
  if (contrast(fill, under) < 1.5) {
    for (const Rgb8 alt : {x.p.secondary, x.p.primary, x.p.text}) {
      if (contrast(alt, under) > contrast(fill, under)) fill = alt;
    }
  }
  c.paint(rounded_rect_mask(b.w, b.h, x.bit(3) ? b.h / 2.0 : b.h * 0.18), bx, by, fill);
  c.paint(b.label, bx + (b.w - b.label.width()) / 2, by + (b.h - b.label.height()) / 2,
          readable_on(fill, {x.p.background, x.p.text}, kLargeTextContrast));
}

// The logo at (lx, ly), on a small plate when it would not stand out from what is under it.
void draw_logo(Canvas& c, const Ctx& x, int lx, int ly) {
  if (x.logo.is_null()) return;
  const VImage rgb = x.logo.extract_band(0, VImage::option()->set("n", 3));
  const VImage alpha = x.logo.extract_band(3);
  const double covered = alpha.avg() / 255.0;
  if (covered <= 0) return;
  const VImage st = (rgb * alpha / (255.0 * covered)).stats();  // alpha-weighted mean colour
  auto band = [&](int i) {
    return static_cast<std::uint8_t>(std::clamp(std::lround(st.getpoint(4, i + 1)[0]), 0L, 255L));
  };
  const Rgb8 ink{band(0), band(1), band(2)};
  if (contrast(ink, c.mean({lx, ly, x.logo_w(), x.logo_h()})) < 1.8) {
    const int pad = std::max(2, round_int(x.s * 0.014));
    const Rgb8 plate = contrast(ink, kWhite) >= contrast(ink, kInk) ? kWhite : kInk;
    c.paint(rounded_rect_mask(x.logo_w() + 2 * pad, x.logo_h() + 2 * pad, pad), lx - pad, ly - pad,
            plate);
  }
  c.paint(alpha, lx, ly, rgb);
}

// The hero for a w×h slot, or the stand-in art (the group at (fx, fy) of the slot).
VImage hero(const Ctx& x, int w, int h, double fx = 0.5, double fy = 0.42) {
  if (x.hero.full.is_null()) return stand_in(x.p, w, h, fx, fy, x.bit(4));
  return fit_hero(x.hero, w, h);
}

// ---- The copy block: headline, body and button stacked in a region

enum Part { kHeadline = 1, kBody = 2, kButton = 4, kAllParts = 7 };
enum class Anchor { kTop, kCentre, kBottom };

struct CopyStyle {
  double headline_px = 0;
  VipsAlign align = VIPS_ALIGN_LOW;
  Anchor anchor = Anchor::kCentre;
  int parts = kAllParts;
};

// Renders the parts in `cs.parts` to fit `r` (the headline gets what the body and button
// leave, shrinking to fit), paints them and returns the box they occupy.
Box draw_copy(Canvas& c, const Ctx& x, Box r, const CopyStyle& cs) {
  if (r.empty()) return {r.x, r.y, std::max(r.w, 0), 0};
  const Button button = (cs.parts & kButton) != 0 ? make_button(x, r.w) : Button{};
  const TextStyle body_st{.px = x.text_px(0.036), .align = cs.align};
  const VImage body =
      (cs.parts & kBody) != 0 ? fit_text(x.body, x.family, body_st, r.w, r.h / 3) : VImage();
  const int body_gap = round_int(x.gap * 0.9), button_gap = round_int(x.gap * 1.6);
  const int body_h = body.is_null() ? 0 : body.height();
  const int below =
      (body_h != 0 ? body_h + body_gap : 0) + (button.h != 0 ? button.h + button_gap : 0);
  const TextStyle head_st{
      .bold = true, .px = cs.headline_px, .min_px = 8, .tight = true, .align = cs.align};
  const VImage head = (cs.parts & kHeadline) != 0
                          ? fit_text(x.headline, x.family, head_st, r.w, r.h - below)
                          : VImage();
  const int head_h = head.is_null() ? 0 : head.height();
  int total = head_h + below;
  if (head_h == 0) total -= body_h != 0 ? body_gap : (button.h != 0 ? button_gap : 0);
  int y = r.y;
  if (cs.anchor == Anchor::kCentre) y += (r.h - total) / 2;
  if (cs.anchor == Anchor::kBottom) y += r.h - total;
  const Box used{r.x, y, r.w, total};
  if (head_h != 0) {
    paint_text(c, head, align_x(r, head.width(), cs.align), y, {x.p.text, x.p.background},
               kLargeTextContrast);
    y += head_h + (body_h != 0 ? body_gap : button_gap);
  }
  if (body_h != 0) {
    paint_text(c, body, align_x(r, body.width(), cs.align), y, {x.p.text, x.p.background},
               kSmallTextContrast);
    y += body_h + button_gap;
  }
  draw_button(c, x, button, align_x(r, button.w, cs.align), y);
  return used;
}

// ---- The layouts (see layout.h)

// 0: the hero bleeding off three edges, fading through a gradient scrim into a dark field
// in the darker brand colour that carries the copy (at the bottom; on the left in
// landscape).
void layout_full_bleed(Canvas& c, const Ctx& x) {
  const bool wide = x.shape == Shape::kLandscape;
  // The darker brand colour, deepened towards black when it is not dark enough for a field
  // that carries light text.
  const Rgb8 darker =
      luminance(x.p.secondary) < luminance(x.p.primary) ? x.p.secondary : x.p.primary;
  const Rgb8 shade = luminance(darker) < 0.12 ? darker : mix(darker, kBlack, 0.6);
  c.fill({0, 0, x.w, x.h}, shade);
  if (wide) {
    const int left = round_int(x.w * 0.3);
    c.put(hero(x, x.w - left, x.h, 0.6, 0.4), left, 0);
    c.paint(ramp_mask(x.w, x.h, false, 0.66, 0.3, 1.0), 0, 0, shade);
  } else {
    c.put(hero(x, x.w, round_int(x.h * 0.72), 0.5, 0.36), 0, 0);
    c.paint(ramp_mask(x.w, x.h, true, 0.4, 0.72, 1.0), 0, 0, shade);
  }
  c.materialise();
  const VipsAlign align =
      x.shape == Shape::kPortrait || x.bit(0) ? VIPS_ALIGN_CENTRE : VIPS_ALIGN_LOW;
  const Box inner = inset({0, 0, x.w, x.h}, x.m);
  const Box column = wide ? Box{inner.x, inner.y, round_int(x.w * 0.46) - x.m, inner.h} : inner;
  const int dh = draw_disclosure(c, x, column, x.h - round_int(x.m * 0.6), align);
  const int bottom = x.h - x.m - dh;
  draw_logo(c, x, x.bit(1) && !wide ? inner.right() - x.logo_w() : inner.x, inner.y);
  const int top = wide ? inner.y + x.logo_h() + x.gap : round_int(x.h * 0.52);
  draw_copy(c, x, {column.x, top, column.w, bottom - top},
            {x.text_px(wide ? 0.1 : 0.092), align, wide ? Anchor::kCentre : Anchor::kBottom});
}

// 1: the hero on one half, a primary panel with the copy on the other (stacked in portrait).
void layout_split(Canvas& c, const Ctx& x) {
  Box hero_box, panel;
  if (x.shape == Shape::kPortrait) {
    hero_box = {0, 0, x.w, round_int(x.h * 0.52)};
    panel = {0, hero_box.h, x.w, x.h - hero_box.h};
  } else {
    const int hw = x.w / 2;
    const bool left = !x.bit(0);
    hero_box = {left ? 0 : x.w - hw, 0, hw, x.h};
    panel = {left ? hw : 0, 0, x.w - hw, x.h};
  }
  c.fill(panel, x.p.primary);
  c.put(hero(x, hero_box.w, hero_box.h), hero_box.x, hero_box.y);
  c.materialise();
  const Box inner = inset(panel, x.m);
  draw_logo(c, x, inner.x, inner.y);
  const int dh = draw_disclosure(c, x, inner, inner.bottom(), VIPS_ALIGN_LOW);
  const int top = inner.y + (x.logo_h() != 0 ? x.logo_h() + 2 * x.gap : 0);
  const int rule = std::max(2, round_int(x.s * 0.01));
  const int rule_space = rule + round_int(x.gap * 1.4);
  const Box used = draw_copy(c, x,
                             {inner.x, top + rule_space, inner.w,
                              inner.bottom() - (dh != 0 ? dh + 2 * x.gap : 0) - top - rule_space},
                             {x.text_px(0.085), VIPS_ALIGN_LOW, Anchor::kCentre});
  c.fill({used.x, used.y - rule_space, round_int(x.s * 0.09), rule}, x.p.accent);
}

// The hero framed as a card with a soft shadow, as large as fits in `slot`, centred.
void draw_card(Canvas& c, const Ctx& x, Box slot) {
  const double aspect = std::clamp(double(slot.w) / std::max(slot.h, 1), 0.8, 1.25);
  const int cw = std::min(slot.w, round_int(slot.h * aspect)),
            ch = std::min(slot.h, round_int(cw / aspect));
  if (cw < 8 || ch < 8) return;
  const int cx = slot.x + (slot.w - cw) / 2, cy = slot.y + (slot.h - ch) / 2;
  const int radius = round_int(x.s * 0.03), pad = std::max(2, round_int(x.s * 0.016));
  const int blur = std::max(2, round_int(x.s * 0.03));
  c.paint(shadow_mask(cw, ch, radius, blur), cx - 2 * blur, cy - 2 * blur + blur / 2,
          mix(x.p.primary, kBlack, 0.5), 0.4);
  c.paint(rounded_rect_mask(cw, ch, radius), cx, cy, kWhite);
  c.paint(rounded_rect_mask(cw - 2 * pad, ch - 2 * pad, std::max(1, radius - pad)), cx + pad,
          cy + pad, hero(x, cw - 2 * pad, ch - 2 * pad));
}

// 2: a hero card on the background colour; headline above and button below (left column
// and card on the right in landscape).
void layout_card(Canvas& c, const Ctx& x) {
  const LayoutPalette& p = x.p;
  c.put(gradient(x.w, x.h, true, {{p.background, 0}, {mix(p.background, p.secondary, 0.25), 1}}), 0,
        0);
  const int r = round_int(x.s * 0.42);
  const bool flip = x.bit(0);
  c.paint(ellipse_mask(2 * r, 2 * r), round_int(x.w * (flip ? 0.15 : 0.85)) - r,
          round_int(x.h * 0.3) - r, mix(p.background, p.secondary, 0.45));
  const double ring = x.s * 0.16, thick = std::max(1.5, x.s * 0.012);
  const int side = ring_side(ring, thick);
  // An accent ring off the bottom edge, clear of the copy (behind the card in landscape).
  const bool ring_right = flip || x.shape == Shape::kLandscape;
  c.paint(ring_mask(ring, thick), (ring_right ? x.w : 0) - side / 2,
          round_int(x.h * 0.86) - side / 2, p.accent);
  c.materialise();
  const Box inner = inset({0, 0, x.w, x.h}, x.m);
  const bool wide = x.shape == Shape::kLandscape;
  const VipsAlign align = wide ? VIPS_ALIGN_LOW : VIPS_ALIGN_CENTRE;
  const int dh = draw_disclosure(c, x, inner, x.h - round_int(x.m * 0.6), align);
  const int bottom = x.h - x.m - dh;
  if (wide) {
    draw_logo(c, x, inner.x, inner.y);
    const int top = inner.y + x.logo_h() + x.gap, col = round_int(x.w * 0.46) - x.m;
    draw_copy(c, x, {inner.x, top, col, bottom - top}, {x.text_px(0.095), align, Anchor::kCentre});
    draw_card(
        c, x,
        {round_int(x.w * 0.5), inner.y, inner.right() - round_int(x.w * 0.5), bottom - inner.y});
    return;
  }
  draw_logo(c, x, (x.w - x.logo_w()) / 2, inner.y);
  const int top = inner.y + (x.logo_h() != 0 ? x.logo_h() + x.gap : 0);
  const Box head = draw_copy(c, x, {inner.x, top, inner.w, round_int(x.h * 0.22)},
                             {x.text_px(0.085), align, Anchor::kTop, kHeadline | kBody});
  const Button b = make_button(x, inner.w);
  const int by = bottom - b.h;
  draw_button(c, x, b, (x.w - b.w) / 2, by);
  const int card_top = head.bottom() + 2 * x.gap;
  draw_card(c, x, {inner.x, card_top, inner.w, by - 2 * x.gap - card_top});
}

// 3: a primary band with the headline, the hero, and an accent bar carrying the call to
// action and the small print (the band becomes a left column in landscape).
void layout_band(Canvas& c, const Ctx& x) {
  const TextStyle bar_st{.bold = true, .px = x.text_px(0.04), .align = VIPS_ALIGN_CENTRE};
  const VImage label = fit_text(x.cta.empty() ? "" : x.cta + "  →", x.family, bar_st, x.w - 2 * x.m,
                                round_int(bar_st.px * 1.6));
  const VImage disc = disclosure_mask(x, x.w - 2 * x.m, VIPS_ALIGN_CENTRE);
  const int lh = label.is_null() ? 0 : label.height(), dh = disc.is_null() ? 0 : disc.height();
  const int pad = round_int(x.m * 0.6);
  const int bar_h = lh + dh == 0 ? 0 : lh + dh + (lh != 0 && dh != 0 ? x.gap : 0) + 2 * pad;
  const Box bar{0, x.h - bar_h, x.w, bar_h};
  const double band_share = x.shape == Shape::kPortrait ? 0.28 : 0.34;
  const Box band = x.shape == Shape::kLandscape ? Box{0, 0, round_int(x.w * 0.42), x.h - bar_h}
                                                : Box{0, 0, x.w, round_int(x.h * band_share)};
  const Box slot = x.shape == Shape::kLandscape ? Box{band.w, 0, x.w - band.w, x.h - bar_h}
                                                : Box{0, band.h, x.w, x.h - band.h - bar_h};
  c.fill(bar, x.p.accent);
  c.fill(band, x.p.primary);
  c.put(hero(x, slot.w, slot.h), slot.x, slot.y);
  c.materialise();
  if (lh != 0) {
    paint_text(c, label, (x.w - label.width()) / 2, bar.y + pad, {x.p.background, x.p.text},
               kLargeTextContrast);
  }
  if (dh != 0) {
    paint_text(c, disc, (x.w - disc.width()) / 2, bar.bottom() - pad - dh,
               {x.p.background, x.p.text}, kSmallTextContrast);
  }
  const Box inner = inset(band, x.m);
  draw_logo(c, x, inner.x, inner.y);
  const int top = inner.y + (x.logo_h() != 0 ? x.logo_h() + x.gap : 0);
  const VipsAlign align =
      x.shape != Shape::kLandscape && x.bit(0) ? VIPS_ALIGN_CENTRE : VIPS_ALIGN_LOW;
  draw_copy(c, x, {inner.x, top, inner.w, inner.bottom() - top},
            {x.text_px(0.09), align, Anchor::kCentre, kHeadline | kBody});
}

// 4: an angled primary block, the hero in a ringed circle, big bold headline.
void layout_angled(Canvas& c, const Ctx& x) {
  const double w = x.w, h = x.h;
  const Box inner = inset({0, 0, x.w, x.h}, x.m);
  const int top = inner.y + (x.logo_h() != 0 ? x.logo_h() + x.gap : 0);
  const VImage disc = disclosure_mask(x, inner.w, VIPS_ALIGN_LOW);
  const int bottom = x.h - x.m - (disc.is_null() ? 0 : disc.height());
  struct {
    double ax, ay, bx, by;
  } edge{};  // the block's edge runs from a to b; the block lies towards the bottom right
  int r = 0, cx = 0, cy = 0;
  Box head, copy;
  if (x.shape == Shape::kLandscape) {
    edge = {w * 0.62, 0, w * 0.48, h};
    r = round_int(h * 0.36), cx = round_int(w * 0.75), cy = round_int(h * 0.5);
    copy = {inner.x, top, round_int(w * 0.46) - x.m - x.gap, bottom - top};
  } else if (x.shape == Shape::kPortrait) {
    edge = {0, h * 0.64, w, h * 0.5};
    r = round_int(x.s * 0.34), cx = x.w / 2, cy = round_int(h * 0.47);
    head = {inner.x, top, inner.w, round_int(h * 0.27) - top};
    copy = {inner.x, cy + r + 3 * x.gap, inner.w, bottom - (cy + r + 3 * x.gap)};
  } else {
    edge = {0, h * 0.54, w, h * 0.4};
    r = round_int(x.s * 0.235), cx = inner.right() - r, cy = round_int(h * 0.64);
    head = {inner.x, top, inner.w, round_int(h * 0.38) - x.gap - top};
    const int copy_top = round_int(h * 0.55) + 2 * x.gap;
    copy = {inner.x, copy_top, cx - r - 2 * x.gap - inner.x, bottom - copy_top};
  }
  c.paint(half_plane(x.w, x.h, edge.ax, edge.ay, edge.bx, edge.by, w, h), 0, 0, x.p.primary);
  const int dot = std::max(2, round_int(r * 0.34));
  c.paint(ellipse_mask(2 * dot, 2 * dot), cx - round_int(r * 0.78) - dot,
          cy - round_int(r * 0.78) - dot, x.p.secondary);
  const double ring = r + std::max(2.0, x.s * 0.018), thick = std::max(1.5, x.s * 0.008);
  const int rs = ring_side(ring, thick) / 2;
  c.paint(ring_mask(ring, thick), cx - rs, cy - rs, x.p.accent);
  c.paint(ellipse_mask(2 * r, 2 * r), cx - r, cy - r, hero(x, 2 * r, 2 * r));
  c.materialise();
  draw_logo(c, x, inner.x, inner.y);
  if (!disc.is_null()) {
    paint_text(c, disc, inner.x, bottom, {x.p.text, x.p.background}, kSmallTextContrast);
  }
  const CopyStyle bold{x.text_px(0.115), VIPS_ALIGN_LOW, Anchor::kTop, kHeadline};
  if (x.shape == Shape::kLandscape) {
    draw_copy(c, x, copy, {x.text_px(0.1), VIPS_ALIGN_LOW, Anchor::kCentre});
    return;
  }
  draw_copy(c, x, head, bold);
  draw_copy(c, x, copy,
            {0, VIPS_ALIGN_LOW, x.shape == Shape::kPortrait ? Anchor::kTop : Anchor::kCentre,
             kBody | kButton});
}

// ---- Set-up and encoding

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Result<Ctx> make_ctx(const LayoutSpec& spec) {
  Ctx x;
  x.p = spec.palette;
  x.family = spec.font_family.empty() ? kDefaultLayoutFont : spec.font_family;
  x.headline = clean_text(spec.headline, kMaxHeadlineChars);
  x.body = clean_text(spec.body, kMaxBodyChars);
  x.cta = clean_text(spec.call_to_action, kMaxCtaChars);
  x.disclosure = clean_text(spec.disclosure, kMaxDisclosureChars);
  x.w = spec.width, x.h = spec.height, x.s = std::min(x.w, x.h);
  x.m = std::max(2, round_int(x.s * 0.06)), x.gap = std::max(1, round_int(x.s * 0.022));
  x.shape = x.w >= x.h * 1.3   ? Shape::kLandscape
            : x.h >= x.w * 1.3 ? Shape::kPortrait
                               : Shape::kSquare;
  x.bits = splitmix64(spec.seed);
  try {
    if (!spec.hero_image.empty()) {
      x.hero = decode_hero(spec.hero_image, x.w, x.h, x.p.background);
    }
  } catch (const vips::VError& e) {
    return invalid_argument("cannot read the hero image: " + vips_reason(e));
  }
  try {
    if (!spec.logo_image.empty()) {
      x.logo = decode_logo(spec.logo_image, std::max(1, round_int(x.s * 0.22)),
                           std::max(1, round_int(x.s * 0.07)));
    }
  } catch (const vips::VError& e) {
    return invalid_argument("cannot read the logo: " + vips_reason(e));
  }
  return x;
}

struct GFree {
  void operator()(void* p) const { g_free(p); }
};

}  // namespace

Result<EncodedImage> render_layout(const LayoutSpec& spec) {
  if (spec.width < kMinLayoutSide || spec.width > kMaxLayoutSide || spec.height < kMinLayoutSide ||
      spec.height > kMaxLayoutSide) {
    return invalid_argument("image size must be between " + std::to_string(kMinLayoutSide) +
                            " and " + std::to_string(kMaxLayoutSide) +
                            " pixels on each side, not " + std::to_string(spec.width) + "×" +
                            std::to_string(spec.height));
  }
  if (spec.layout < 0 || spec.layout >= kLayoutCount) {
    return invalid_argument("layout must be between 0 and " + std::to_string(kLayoutCount - 1));
  }
  ADLOOM_ASSIGN(const Ctx x, make_ctx(spec));
  try {
    Canvas c(x.w, x.h, x.p.background);
    using Draw = void (*)(Canvas&, const Ctx&);
    constexpr Draw kLayouts[kLayoutCount] = {layout_full_bleed, layout_split, layout_card,
                                             layout_band, layout_angled};
    kLayouts[spec.layout](c, x);
    const VImage out = c.image().cast(VIPS_FORMAT_UCHAR);
    void* buf = nullptr;
    std::size_t size = 0;
    out.write_to_buffer(".png", &buf, &size,
                        VImage::option()
                            ->set("compression", kPngCompression)
                            ->set("filter", VIPS_FOREIGN_PNG_FILTER_PAETH)
                            ->set("strip", true));
    const std::unique_ptr<void, GFree> owned(buf);
    return EncodedImage{std::string(static_cast<const char*>(buf), size), "image/png", out.width(),
                        out.height()};
  } catch (const vips::VError& e) {
    return internal_error("cannot draw the layout: " + vips_reason(e));
  }
}

}  // namespace adloom
