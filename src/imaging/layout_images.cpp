// The hero, the logo and the stand-in art; see layout_images.h.
#include "imaging/layout_images.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "imaging/draw.h"
#include "imaging/vips_internal.h"

namespace adloom::draw {

using vips::VImage;
using vips_internal::BorrowedBlob;

namespace {

// A crop keeps at least 1/kMaxCropStretch of the image's width or height.
constexpr double kMaxCropStretch = 1.25;
// The longer side at which a fitted hero's blurred backdrop is computed (then enlarged).
constexpr int kBackdropSide = 96;

// `img` resized to exactly w×h (aspect ratio not kept).
VImage scale_to(const VImage& img, int w, int h, VipsKernel kernel = VIPS_KERNEL_CUBIC) {
  VImage out =
      img.resize(double(w) / img.width(),
                 VImage::option()->set("vscale", double(h) / img.height())->set("kernel", kernel));
  if (out.width() != w || out.height() != h) {
    out = out.embed(0, 0, w, h, VImage::option()->set("extend", VIPS_EXTEND_COPY));
  }
  return out;
}

// The largest crop of the hero with this aspect ratio (width / height), centred as near as
// it can be on the point of attention that libvips's smartcrop finds on the small copy.
VImage attention_crop(const HeroImage& hero, double aspect) {
  const double iw = hero.full.width(), ih = hero.full.height();
  double cw = iw, ch = iw / aspect;
  if (ch > ih) ch = ih, cw = ih * aspect;
  const double k = double(hero.small.width()) / iw;  // small pixels per hero pixel
  double ax = iw / 2, ay = ih / 2;
  const int sw = std::min(round_int(cw * k), hero.small.width());
  const int sh = std::min(round_int(ch * k), hero.small.height());
  if (sw >= 4 && sh >= 4 && (sw < hero.small.width() || sh < hero.small.height())) {
    int sx = 0, sy = 0;
    hero.small.smartcrop(sw, sh,
                         VImage::option()
                             ->set("interesting", VIPS_INTERESTING_ATTENTION)
                             ->set("attention_x", &sx)
                             ->set("attention_y", &sy));
    ax = sx / k, ay = sy / k;
  }
  const int cwi = std::max(1, static_cast<int>(cw)), chi = std::max(1, static_cast<int>(ch));
  const int left = std::clamp(round_int(ax - cw / 2), 0, hero.full.width() - cwi);
  const int top = std::clamp(round_int(ay - ch / 2), 0, hero.full.height() - chi);
  return hero.full.extract_area(left, top, cwi, chi);
}

}  // namespace

HeroImage decode_hero(std::string_view bytes, int w, int h, Rgb8 matte) {
  BorrowedBlob blob(bytes);
  const VImage header = VImage::new_from_buffer(bytes.data(), bytes.size(), "");  // lazy
  double iw = header.width(), ih = header.height();
  if (header.get_typeof(VIPS_META_ORIENTATION) != 0 && header.get_int(VIPS_META_ORIENTATION) >= 5)
    std::swap(iw, ih);
  const double scale = std::min(1.0, 2 * std::max(w / iw, h / ih));
  const int tw = std::max(1, static_cast<int>(std::ceil(iw * scale)) + 1);
  const int th = std::max(1, static_cast<int>(std::ceil(ih * scale)) + 1);
  const VImage img = VImage::thumbnail_buffer(blob.get(), tw,
                                              VImage::option()
                                                  ->set("height", th)
                                                  ->set("size", VIPS_SIZE_DOWN)
                                                  ->set("option_string", "[fail_on=error]"));
  HeroImage hero{to_srgb(img, matte).copy_memory(), {}};
  const double k = double(kAttentionSide) / std::max(hero.full.width(), hero.full.height());
  hero.small = k < 1 ? hero.full.resize(k).copy_memory() : hero.full;
  return hero;
}

VImage decode_logo(std::string_view bytes, int w, int h) {
  BorrowedBlob blob(bytes);
  VImage img = VImage::thumbnail_buffer(
      blob.get(), w, VImage::option()->set("height", h)->set("option_string", "[fail_on=error]"));
  img = img.colourspace(VIPS_INTERPRETATION_sRGB);
  const VImage alpha = img.has_alpha()
                           ? img.extract_band(img.bands() - 1).cast(VIPS_FORMAT_UCHAR)
                           : img.extract_band(0).new_from_image(std::vector<double>{255});
  return VImage::bandjoin({to_srgb(img, kWhite), alpha}).copy_memory();
}

VImage fit_hero(const HeroImage& hero, int w, int h) {
  w = std::max(w, 1), h = std::max(h, 1);
  const double slot = double(w) / h, image = double(hero.full.width()) / hero.full.height();
  const double aspect = std::clamp(slot, image / kMaxCropStretch, image * kMaxCropStretch);
  const VImage crop = attention_crop(hero, aspect);
  if (aspect == slot) return scale_to(crop, w, h);
  const bool tall = aspect > slot;  // the crop fills the width; backdrop above and below
  const int fw = tall ? w : std::max(1, round_int(h * aspect));
  const int fh = tall ? std::max(1, round_int(w / aspect)) : h;
  const VImage fitted = scale_to(crop, fw, fh).copy_memory();  // read twice below
  // The backdrop: the fitted crop's edges stretched outwards and blurred, made small.
  const double k = std::min(1.0, double(kBackdropSide) / std::max(w, h));
  const int sw = std::max(1, round_int(w * k)), sh = std::max(1, round_int(h * k));
  const int sfw = std::clamp(round_int(fw * k), 1, sw), sfh = std::clamp(round_int(fh * k), 1, sh);
  const VImage backdrop = scale_to(scale_to(fitted, sfw, sfh)
                                       .embed((sw - sfw) / 2, (sh - sfh) / 2, sw, sh,
                                              VImage::option()->set("extend", VIPS_EXTEND_COPY))
                                       .gaussblur(4)
                                       .cast(VIPS_FORMAT_UCHAR),
                                   w, h, VIPS_KERNEL_LINEAR);
  Canvas c(w, h, kWhite);
  c.put(backdrop, 0, 0);
  const double feather = std::max(2.0, std::min(fw, fh) * 0.06);
  c.paint(edge_fade_mask(fw, fh, tall, feather), (w - fw) / 2, (h - fh) / 2, fitted);
  return c.image();
}

VImage stand_in(const LayoutPalette& p, int w, int h, double fx, double fy, bool sphere_right) {
  w = std::max(w, 1), h = std::max(h, 1);
  Canvas c(w, h, p.secondary);
  c.put(gradient(w, h, true,
                 {{mix(p.secondary, kWhite, 0.62), 0},
                  {mix(p.secondary, kWhite, 0.3), 0.6},
                  {mix(p.secondary, kBlack, 0.06), 1}}),
        0, 0);
  const double u = std::min(w, h);
  const int cx = round_int(w * fx), floor = round_int(h * fy + u * 0.25);
  const int halo = std::max(2, round_int(u * 0.34));
  c.paint(ellipse_mask(2 * halo, 2 * halo), cx - halo, round_int(h * fy) - halo,
          mix(p.secondary, kWhite, 0.8), 0.85);
  const Rgb8 shadow = mix(p.primary, kBlack, 0.5);
  const int bw = std::max(3, round_int(u * 0.2)), bh = std::max(3, round_int(u * 0.44));
  const int side = sphere_right ? 1 : -1;
  const int bx = cx - bw / 2 - side * round_int(u * 0.07), by = floor - bh;
  const int sw = std::max(3, round_int(bw * 2.2)), sh = std::max(2, round_int(u * 0.07));
  c.paint(glow_mask(sw, sh), bx + bw / 2 - sw / 2, floor - sh / 2, shadow, 0.5);
  const int capw = std::max(2, bw / 2), caph = std::max(2, round_int(u * 0.07));
  c.paint(rounded_rect_mask(capw, caph, capw * 0.15), bx + (bw - capw) / 2, by - caph + 2,
          p.accent);
  c.paint(rounded_rect_mask(bw, bh, bw * 0.24), bx, by, p.primary);
  const int lh = std::max(2, round_int(bh * 0.3)), ly = by + round_int(bh * 0.42);
  c.fill({bx, ly, bw, lh}, mix(p.background, kWhite, 0.3));
  c.fill({bx, ly + lh - lh / 4, bw, std::max(1, lh / 10)}, p.accent);
  c.paint(rounded_rect_mask(std::max(2, bw / 7), bh - bh / 5, bw * 0.06), bx + bw / 6, by + bh / 10,
          kWhite, 0.3);
  const int r = std::max(2, round_int(u * 0.085));
  const int sx = bx + bw / 2 + side * round_int(bw * 0.55 + r * 1.1) - r, sy = floor - 2 * r;
  c.paint(glow_mask(round_int(r * 2.6), std::max(2, r / 2)), sx - round_int(r * 0.3), floor - r / 4,
          shadow, 0.45);
  c.paint(ellipse_mask(2 * r, 2 * r), sx, sy, p.accent);
  c.paint(radial_mask(2 * r, 2 * r, r * 0.65, r * 0.6, r * 1.1), sx, sy, kWhite, 0.45);
  return c.image();
}

}  // namespace adloom::draw
