// Drawing primitives for the layouts; see draw.h.
#include "imaging/draw.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

namespace adloom::draw {

using vips::VImage;

namespace {

double linear(std::uint8_t c) {
  const double v = c / 255.0;
  return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

double smoothstep(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

// A line of n values replicated across (vertical) or down into a w×h image.
VImage replicate_line(const std::vector<std::uint8_t>& line, int w, int h, bool vertical,
                      int bands) {
  const VImage l = from_pixels(line, vertical ? 1 : w, vertical ? h : 1, bands);
  return vertical ? l.replicate(w, 1) : l.replicate(1, h);
}

}  // namespace

double luminance(Rgb8 c) {
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

double contrast(Rgb8 a, Rgb8 b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

Rgb8 mix(Rgb8 a, Rgb8 b, double t) {
  auto m = [t](std::uint8_t x, std::uint8_t y) {
    return static_cast<std::uint8_t>(std::clamp(std::lround(x + (y - x) * t), 0L, 255L));
  };
  return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b)};
}

std::vector<double> pixel(Rgb8 c) {
  return {double(c.r), double(c.g), double(c.b)};
}

Rgb8 readable_on(Rgb8 under, std::initializer_list<Rgb8> preferred, double minimum) {
  for (const Rgb8 c : preferred) {
    if (contrast(c, under) >= minimum) return c;
  }
  return contrast(kWhite, under) >= contrast(kInk, under) ? kWhite : kInk;
}

VImage from_pixels(const std::vector<std::uint8_t>& px, int w, int h, int bands) {
  VipsImage* img =
      vips_image_new_from_memory_copy(px.data(), px.size(), w, h, bands, VIPS_FORMAT_UCHAR);
  if (img == nullptr) throw vips::VError();
  return VImage(img);  // takes the reference
}

double rounded_rect_distance(double x, double y, double w, double h, double r) {
  const double qx = std::abs(x - w / 2) - (w / 2 - r), qy = std::abs(y - h / 2) - (h / 2 - r);
  const double ox = std::max(qx, 0.0), oy = std::max(qy, 0.0);
  return std::sqrt(ox * ox + oy * oy) + std::min(std::max(qx, qy), 0.0) - r;
}

VImage rounded_rect_mask(int w, int h, double r) {
  r = std::clamp(r, 0.0, std::min(w, h) / 2.0);
  const int corner = static_cast<int>(std::ceil(r)) + 1;  // rows below it are all alike
  return make_mask(
      w, h, [&](double x, double y) { return cover(rounded_rect_distance(x, y, w, h, r)); }, corner,
      h - corner);
}

VImage shadow_mask(int w, int h, double r, int blur) {
  r = std::clamp(r, 0.0, std::min(w, h) / 2.0);
  const int pad = 2 * blur;
  const int corner = pad + static_cast<int>(std::ceil(r)) + blur + 1;
  return make_mask(
      w + 2 * pad, h + 2 * pad,
      [&](double x, double y) {
        return smoothstep(0.5 - rounded_rect_distance(x - pad, y - pad, w, h, r) / (2.0 * blur));
      },
      corner, h + 2 * pad - corner);
}

VImage ellipse_mask(int w, int h, double feather) {
  return make_mask(w, h, [&](double x, double y) {
    const double dx = (x - w / 2.0) / (w / 2.0), dy = (y - h / 2.0) / (h / 2.0);
    return cover((std::sqrt(dx * dx + dy * dy) - 1) * std::min(w, h) / 2.0, feather);
  });
}

VImage glow_mask(int w, int h) {
  return make_mask(w, h, [&](double x, double y) {
    const double dx = (x - w / 2.0) / (w / 2.0), dy = (y - h / 2.0) / (h / 2.0);
    return smoothstep(1 - std::sqrt(dx * dx + dy * dy));
  });
}

int ring_side(double radius, double thickness) {
  return 2 * (static_cast<int>(std::ceil(radius + thickness / 2)) + 1);
}

VImage ring_mask(double radius, double thickness) {
  const int side = ring_side(radius, thickness);
  const double c = side / 2.0;
  return make_mask(side, side, [&](double x, double y) {
    const double dx = x - c, dy = y - c;
    return cover(std::abs(std::sqrt(dx * dx + dy * dy) - radius) - thickness / 2);
  });
}

VImage radial_mask(int w, int h, double cx, double cy, double r) {
  return make_mask(w, h, [&](double x, double y) {
    const double dx = x - cx, dy = y - cy;
    return smoothstep(1 - std::sqrt(dx * dx + dy * dy) / r);
  });
}

VImage half_plane(int w, int h, double ax, double ay, double bx, double by, double ix, double iy) {
  const double len = std::max(std::hypot(bx - ax, by - ay), 1e-9);
  auto side = [&](double px, double py) {
    return ((bx - ax) * (py - ay) - (by - ay) * (px - ax)) / len;
  };
  const double sign = side(ix, iy) >= 0 ? 1 : -1;
  return make_mask(w, h, [&](double px, double py) { return cover(-sign * side(px, py)); });
}

VImage edge_fade_mask(int w, int h, bool vertical, double feather) {
  const int n = vertical ? h : w;
  std::vector<std::uint8_t> line(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double edge = std::min(i + 0.5, n - i - 0.5);
    line[i] = static_cast<std::uint8_t>(std::lround(std::clamp(edge / feather, 0.0, 1.0) * 255));
  }
  return replicate_line(line, w, h, vertical, 1);
}

VImage ramp_mask(int w, int h, bool vertical, double from, double to, double peak) {
  const int n = vertical ? h : w;
  std::vector<std::uint8_t> line(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double t = smoothstep(((i + 0.5) / n - from) / (to - from));
    line[i] = static_cast<std::uint8_t>(std::lround(t * peak * 255));
  }
  return replicate_line(line, w, h, vertical, 1);
}

VImage gradient(int w, int h, bool vertical, const std::vector<Stop>& stops) {
  const int n = vertical ? h : w;
  std::vector<std::uint8_t> line(static_cast<std::size_t>(n) * 3);
  for (int i = 0; i < n; ++i) {
    const double t = (i + 0.5) / n;
    std::size_t k = 0;
    while (k + 2 < stops.size() && t > stops[k + 1].at) ++k;
    const Stop& a = stops[k];
    const Stop& b = stops[std::min(k + 1, stops.size() - 1)];
    const double u = b.at > a.at ? smoothstep((t - a.at) / (b.at - a.at)) : 0.0;
    const Rgb8 c = mix(a.colour, b.colour, u);
    const std::size_t at = static_cast<std::size_t>(i) * 3;
    line[at] = c.r, line[at + 1] = c.g, line[at + 2] = c.b;
  }
  return replicate_line(line, w, h, vertical, 3)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

Canvas::Canvas(int w, int h, Rgb8 fill)
    : img_(VImage::black(w, h)
               .new_from_image(pixel(fill))
               .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB))) {}

void Canvas::paint(const VImage& mask, int x, int y, const VImage& src, double opacity) {
  const Box b = clip({x, y, mask.width(), mask.height()});
  if (b.empty()) return;
  VImage m = mask.extract_area(b.x - x, b.y - y, b.w, b.h);
  if (opacity < 1.0) m = (m * opacity).cast(VIPS_FORMAT_UCHAR);
  const VImage under = img_.extract_area(b.x, b.y, b.w, b.h);
  const VImage over = src.extract_area(b.x - x, b.y - y, b.w, b.h);
  img_ = img_.insert(m.ifthenelse(over, under, VImage::option()->set("blend", true)), b.x, b.y);
}

void Canvas::paint(const VImage& mask, int x, int y, Rgb8 colour, double opacity) {
  paint(mask, x, y, mask.new_from_image(pixel(colour)), opacity);
}

void Canvas::fill(Box box, Rgb8 colour) {
  const Box b = clip(box);
  if (!b.empty())
    img_ = img_.insert(VImage::black(b.w, b.h).new_from_image(pixel(colour)), b.x, b.y);
}

void Canvas::put(const VImage& rgb, int x, int y) {
  const Box b = clip({x, y, rgb.width(), rgb.height()});
  if (!b.empty()) img_ = img_.insert(rgb.extract_area(b.x - x, b.y - y, b.w, b.h), b.x, b.y);
}

Rgb8 Canvas::mean(Box box) const {
  const Box b = clip(box);
  if (b.empty()) return kWhite;
  const VImage st = img_.extract_area(b.x, b.y, b.w, b.h).stats();
  auto band = [&](int i) {
    return static_cast<std::uint8_t>(std::lround(st.getpoint(4, i + 1)[0]));
  };
  return {band(0), band(1), band(2)};
}

Box Canvas::clip(Box b) const {
  const int x0 = std::max(b.x, 0), y0 = std::max(b.y, 0);
  const int x1 = std::min(b.right(), width()), y1 = std::min(b.bottom(), height());
  return {x0, y0, x1 - x0, y1 - y0};
}

VImage to_srgb(VImage img, Rgb8 matte) {
  img = img.colourspace(VIPS_INTERPRETATION_sRGB);
  if (img.has_alpha()) img = img.flatten(VImage::option()->set("background", pixel(matte)));
  if (img.bands() == 1) img = VImage::bandjoin({img, img, img});
  if (img.bands() > 3) img = img.extract_band(0, VImage::option()->set("n", 3));
  return img.cast(VIPS_FORMAT_UCHAR)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

std::string clean_text(const std::string& in, std::size_t max_chars) {
  const std::unique_ptr<gchar, decltype(&g_free)> valid(
      g_utf8_make_valid(in.data(), static_cast<gssize>(in.size())), g_free);
  std::string s = valid.get();
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') c = ' ';
  }
  const auto start = s.find_first_not_of(" \n"), end = s.find_last_not_of(" \n");
  s = start == std::string::npos ? "" : s.substr(start, end - start + 1);
  if (static_cast<std::size_t>(g_utf8_strlen(s.c_str(), -1)) <= max_chars) return s;
  const char* cut_at = g_utf8_offset_to_pointer(s.c_str(), static_cast<glong>(max_chars));
  std::string cut(s.c_str(), static_cast<std::size_t>(cut_at - s.c_str()));
  if (const auto space = cut.find_last_of(' ');
      space != std::string::npos && space > cut.size() / 2) {
    cut.resize(space);
  }
  return cut + "…";
}

namespace {

// Font sizes come from a fixed ladder (kLadderBase × kLadderStep^k pixels). Pango 1.50, as
// Debian 12 ships it, resolves every new font size on two helper threads, and when the
// font map later drops that size's fontset from its 256-entry cache while a helper still
// holds it, the helper frees it while the renderer uses the same hash table: a crash seen
// under load. With sizes from the ladder a family needs at most 2 × kLadderSizes fontsets,
// so the cache never evicts one and the race cannot happen (for up to 3 families per
// process; a fix upstream replaced the helper threads).
constexpr double kLadderBase = 6;
constexpr double kLadderStep = 1.15;
constexpr int kLadderSizes = 34;  // 6 px … ~600 px

int ladder_px(int k) {
  return round_int(kLadderBase * std::pow(kLadderStep, k));
}

// The largest rung whose size is at most px (the lowest rung for smaller px).
int rung_at_most(double px) {
  int k = 0;
  while (k + 1 < kLadderSizes && ladder_px(k + 1) <= px) ++k;
  return k;
}

}  // namespace

VImage fit_text(const std::string& text, const std::string& family, const TextStyle& style,
                int box_w, int box_h) {
  if (text.empty() || box_w < 4 || box_h < 4) return {};
  const std::unique_ptr<gchar, decltype(&g_free)> escaped(g_markup_escape_text(text.c_str(), -1),
                                                          g_free);
  const std::string markup =
      style.tight ? "<span line_height=\"0.92\">" + std::string(escaped.get()) + "</span>"
                  : std::string(escaped.get());
  // The comma ends the family list, so a family whose name ends like a style is read whole.
  auto render = [&](int rung, VipsTextWrap wrap) {
    const std::string font =
        family + (style.bold ? ", Bold " : ", ") + std::to_string(ladder_px(rung));
    return VImage::text(markup.c_str(), VImage::option()
                                            ->set("font", font.c_str())
                                            ->set("width", box_w)
                                            ->set("align", style.align)
                                            ->set("dpi", 72)
                                            ->set("wrap", wrap));
  };
  auto fits = [&](const VImage& m) { return m.width() <= box_w && m.height() <= box_h; };
  const int top = rung_at_most(style.px);
  const int bottom = std::min(top, rung_at_most(style.min_px));
  VImage m = render(top, VIPS_TEXT_WRAP_WORD);
  if (fits(m)) return m;
  // The largest rung in (bottom, top) that fits, by bisection: size only grows the text.
  int lo = bottom;  // may not fit
  int hi = top;     // does not fit
  std::optional<VImage> best;
  while (hi - lo > 1) {
    const int mid = (lo + hi) / 2;
    VImage t = render(mid, VIPS_TEXT_WRAP_WORD);
    if (fits(t)) {
      lo = mid;
      best = t;
    } else {
      hi = mid;
    }
  }
  if (best) return *best;
  m = render(bottom, VIPS_TEXT_WRAP_WORD);
  if (fits(m)) return m;
  m = render(bottom, VIPS_TEXT_WRAP_WORD_CHAR);
  return m.extract_area(0, 0, std::min(m.width(), box_w), std::min(m.height(), box_h));
}

}  // namespace adloom::draw
