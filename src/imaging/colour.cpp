// Colour conversions, CIEDE2000, k-means dominant colours, names and tone statistics.
#include "imaging/colour.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <numbers>

namespace adloom {
namespace {

// sRGB primaries and D65 white (IEC 61966-2-1); the rows of kRgbToXyz sum to the white
// point, so neutral sRGB maps to a* = b* = 0 (to ~1e-5).
constexpr double kWhiteX = 0.95047;
constexpr double kWhiteY = 1.0;
constexpr double kWhiteZ = 1.08883;
constexpr double kRgbToXyz[3][3] = {{0.4124564, 0.3575761, 0.1804375},
                                    {0.2126729, 0.7151522, 0.0721750},
                                    {0.0193339, 0.1191920, 0.9503041}};
constexpr double kXyzToRgb[3][3] = {{3.2404542, -1.5371385, -0.4985314},
                                    {-0.9692660, 1.8760108, 0.0415560},
                                    {0.0556434, -0.2040259, 1.0572252}};

// CIE constants for f(t): linear segment below (6/29)^3.
constexpr double kDelta = 6.0 / 29.0;

double srgb_to_linear_exact(double c) {
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double linear_to_srgb(double c) {
  return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
}

// 8-bit sRGB → linear, computed once (256 pow calls instead of three per pixel).
const std::array<double, 256>& linear_lut() {
  static const std::array<double, 256> kLut = [] {
    std::array<double, 256> t{};
    for (int i = 0; i < 256; ++i) t[i] = srgb_to_linear_exact(i / 255.0);
    return t;
  }();
  return kLut;
}

double lab_f(double t) {
  return t > kDelta * kDelta * kDelta ? std::cbrt(t) : t / (3 * kDelta * kDelta) + 4.0 / 29.0;
}

double lab_f_inv(double t) {
  return t > kDelta ? t * t * t : 3 * kDelta * kDelta * (t - 4.0 / 29.0);
}

std::uint8_t to_byte(double c) {
  const double v = std::round(std::clamp(c, 0.0, 1.0) * 255.0);
  return static_cast<std::uint8_t>(v);
}

double deg(double rad) {
  return rad * 180.0 / std::numbers::pi;
}
double rad(double deg) {
  return deg * std::numbers::pi / 180.0;
}

// Hue angle in degrees, 0..360; 0 for a neutral colour (as Sharma et al. specify).
double hue_deg(double b, double a) {
  if (a == 0 && b == 0) return 0;
  double h = deg(std::atan2(b, a));
  return h < 0 ? h + 360 : h;
}

// Reference colours for naming. Several rows may share a name, to give a broad hue
// family ("blue") anchors both at the pure primary and at the everyday mid tone, so
// that nearest-neighbour naming follows what people call the colour.
struct NamedColour {
  std::string_view name;
  Rgb8 rgb;
};
constexpr NamedColour kNamedColours[] = {
    {"black", {0, 0, 0}},
    {"dark grey", {64, 64, 64}},
    {"grey", {128, 128, 128}},
    {"light grey", {192, 192, 192}},
    {"white", {255, 255, 255}},
    {"red", {255, 0, 0}},
    {"red", {210, 35, 42}},
    {"dark red", {139, 0, 0}},
    {"maroon", {100, 24, 40}},
    {"coral", {255, 127, 80}},
    {"orange", {255, 128, 0}},
    {"orange", {240, 150, 30}},
    {"gold", {212, 168, 30}},
    {"yellow", {255, 255, 0}},
    {"yellow", {250, 220, 50}},
    {"cream", {250, 242, 210}},
    {"beige", {225, 205, 168}},
    {"tan", {200, 160, 110}},
    {"brown", {140, 80, 30}},
    {"brown", {100, 60, 30}},
    {"olive", {128, 128, 0}},
    {"lime", {170, 230, 50}},
    {"green", {0, 255, 0}},
    {"green", {40, 160, 60}},
    {"dark green", {0, 100, 0}},
    {"teal", {0, 128, 128}},
    {"cyan", {0, 255, 255}},
    {"sky blue", {135, 206, 235}},
    {"light blue", {180, 215, 240}},
    {"blue", {0, 0, 255}},
    {"blue", {30, 100, 200}},
    {"navy", {0, 0, 128}},
    {"navy", {20, 35, 80}},
    {"purple", {128, 0, 128}},
    {"purple", {110, 50, 150}},
    {"violet", {143, 0, 255}},
    {"magenta", {255, 0, 255}},
    {"pink", {255, 105, 180}},
    {"light pink", {255, 192, 203}},
};

struct NamedLab {
  std::string_view name;
  Lab lab;
};

const std::vector<NamedLab>& named_labs() {
  static const std::vector<NamedLab> kTable = [] {
    std::vector<NamedLab> t;
    t.reserve(std::size(kNamedColours));
    for (const auto& c : kNamedColours) t.push_back({c.name, srgb_to_lab(c.rgb)});
    return t;
  }();
  return kTable;
}

double distance_sq(const Lab& x, const Lab& y) {
  const double dl = x.l - y.l, da = x.a - y.a, db = x.b - y.b;
  return dl * dl + da * da + db * db;
}

// SplitMix64: tiny, fully specified generator, so seeding is identical on every platform
// and standard library (std::uniform_*_distribution is not).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// A distinct colour in the sample and how many sampled pixels had it.
struct WeightedPoint {
  Lab lab;
  double weight = 0;
};

// Regular-grid subsample of at most `max_samples` pixels, collapsed to distinct colours
// (sorted by packed RGB, so the order — and hence the seeding — depends only on content).
std::vector<WeightedPoint> sample_points(const RgbImage& image, int max_samples) {
  const std::size_t w = static_cast<std::size_t>(image.width);
  const std::size_t h = static_cast<std::size_t>(image.height);
  const std::size_t limit = static_cast<std::size_t>(std::max(1, max_samples));
  std::size_t step = 1;
  while (((w + step - 1) / step) * ((h + step - 1) / step) > limit) ++step;
  std::vector<std::uint32_t> packed;
  packed.reserve(((w + step - 1) / step) * ((h + step - 1) / step));
  for (std::size_t y = 0; y < h; y += step) {
    const std::uint8_t* row = image.pixels.data() + y * w * 3;
    for (std::size_t x = 0; x < w; x += step) {
      const std::uint8_t* p = row + x * 3;
      packed.push_back((std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2]);
    }
  }
  std::sort(packed.begin(), packed.end());
  std::vector<WeightedPoint> points;
  for (std::size_t i = 0; i < packed.size();) {
    std::size_t j = i;
    while (j < packed.size() && packed[j] == packed[i]) ++j;
    const std::uint32_t c = packed[i];
    const Rgb8 rgb{static_cast<std::uint8_t>(c >> 16), static_cast<std::uint8_t>(c >> 8),
                   static_cast<std::uint8_t>(c)};
    points.push_back({srgb_to_lab(rgb), static_cast<double>(j - i)});
    i = j;
  }
  return points;
}

// k-means++: the first centre by weight, each next one with probability ∝ weight × D².
// Stops early when every point coincides with a centre (fewer distinct colours than k).
std::vector<Lab> seed_centres(const std::vector<WeightedPoint>& points, int k, SplitMix64& rng) {
  std::vector<Lab> centres;
  double total = 0;
  for (const auto& p : points) total += p.weight;
  double target = rng.unit() * total;
  std::size_t first = points.size() - 1;
  for (std::size_t i = 0; i < points.size(); ++i) {
    target -= points[i].weight;
    if (target < 0) {
      first = i;
      break;
    }
  }
  centres.push_back(points[first].lab);
  std::vector<double> d2(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) d2[i] = distance_sq(points[i].lab, centres[0]);
  while (static_cast<int>(centres.size()) < k) {
    double sum = 0;
    for (std::size_t i = 0; i < points.size(); ++i) sum += points[i].weight * d2[i];
    if (sum <= 0) break;
    target = rng.unit() * sum;
    std::size_t pick = points.size();
    for (std::size_t i = 0; i < points.size(); ++i) {
      const double wd = points[i].weight * d2[i];
      if (wd <= 0) continue;
      pick = i;  // the last candidate absorbs rounding at the end of the range
      target -= wd;
      if (target < 0) break;
    }
    centres.push_back(points[pick].lab);
    for (std::size_t i = 0; i < points.size(); ++i) {
      d2[i] = std::min(d2[i], distance_sq(points[i].lab, centres.back()));
    }
  }
  return centres;
}

struct Cluster {
  Lab lab;
  double weight = 0;
};

// Lloyd iterations with Euclidean (ΔE76) assignment; clusters that empty out are dropped.
std::vector<Cluster> lloyd(const std::vector<WeightedPoint>& points, std::vector<Lab> centres,
                           int max_iterations) {
  std::vector<std::size_t> assignment(points.size(), std::numeric_limits<std::size_t>::max());
  std::vector<Cluster> clusters;
  for (int iter = 0; iter < std::max(1, max_iterations); ++iter) {
    bool changed = false;
    for (std::size_t i = 0; i < points.size(); ++i) {
      std::size_t best = 0;
      double best_d = std::numeric_limits<double>::infinity();
      for (std::size_t c = 0; c < centres.size(); ++c) {
        const double d = distance_sq(points[i].lab, centres[c]);
        if (d < best_d) {
          best_d = d;
          best = c;
        }
      }
      if (assignment[i] != best) {
        assignment[i] = best;
        changed = true;
      }
    }
    clusters.assign(centres.size(), Cluster{});
    for (std::size_t i = 0; i < points.size(); ++i) {
      Cluster& c = clusters[assignment[i]];
      const double w = points[i].weight;
      c.lab.l += w * points[i].lab.l;
      c.lab.a += w * points[i].lab.a;
      c.lab.b += w * points[i].lab.b;
      c.weight += w;
    }
    for (std::size_t c = 0; c < clusters.size(); ++c) {
      if (clusters[c].weight > 0) {
        clusters[c].lab.l /= clusters[c].weight;
        clusters[c].lab.a /= clusters[c].weight;
        clusters[c].lab.b /= clusters[c].weight;
        centres[c] = clusters[c].lab;
      }
    }
    if (!changed) break;
  }
  std::erase_if(clusters, [](const Cluster& c) { return c.weight <= 0; });
  return clusters;
}

// Repeatedly merges the closest pair of clusters (by ΔE2000) while it is below the
// threshold; the merged centroid is the weighted mean, i.e. the centroid of the union.
void merge_close(std::vector<Cluster>& clusters, double threshold) {
  while (clusters.size() > 1) {
    std::size_t bi = 0, bj = 0;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < clusters.size(); ++i) {
      for (std::size_t j = i + 1; j < clusters.size(); ++j) {
        const double d = delta_e2000(clusters[i].lab, clusters[j].lab);
        if (d < best) {
          best = d;
          bi = i;
          bj = j;
        }
      }
    }
    if (best >= threshold) return;
    Cluster& x = clusters[bi];
    const Cluster& y = clusters[bj];
    const double w = x.weight + y.weight;
    x.lab = {(x.lab.l * x.weight + y.lab.l * y.weight) / w,
             (x.lab.a * x.weight + y.lab.a * y.weight) / w,
             (x.lab.b * x.weight + y.lab.b * y.weight) / w};
    x.weight = w;
    clusters.erase(clusters.begin() + static_cast<std::ptrdiff_t>(bj));
  }
}

}  // namespace

Lab srgb_to_lab(Rgb8 rgb) {
  const auto& lut = linear_lut();
  const double r = lut[rgb.r], g = lut[rgb.g], b = lut[rgb.b];
  const double x = kRgbToXyz[0][0] * r + kRgbToXyz[0][1] * g + kRgbToXyz[0][2] * b;
  const double y = kRgbToXyz[1][0] * r + kRgbToXyz[1][1] * g + kRgbToXyz[1][2] * b;
  const double z = kRgbToXyz[2][0] * r + kRgbToXyz[2][1] * g + kRgbToXyz[2][2] * b;
  const double fx = lab_f(x / kWhiteX), fy = lab_f(y / kWhiteY), fz = lab_f(z / kWhiteZ);
  return {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

Rgb8 lab_to_srgb(const Lab& lab) {
  const double fy = (lab.l + 16) / 116;
  const double fx = fy + lab.a / 500;
  const double fz = fy - lab.b / 200;
  const double x = kWhiteX * lab_f_inv(fx), y = kWhiteY * lab_f_inv(fy),
               z = kWhiteZ * lab_f_inv(fz);
  double rgb[3];
  for (int i = 0; i < 3; ++i) {
    const double lin = kXyzToRgb[i][0] * x + kXyzToRgb[i][1] * y + kXyzToRgb[i][2] * z;
    rgb[i] = linear_to_srgb(std::clamp(lin, 0.0, 1.0));
  }
  return {to_byte(rgb[0]), to_byte(rgb[1]), to_byte(rgb[2])};
}

double delta_e2000(const Lab& x, const Lab& y) {
  constexpr double k25pow7 = 6103515625.0;  // 25^7
  // Step 1: a' stretched by G (the neutral-axis correction), C' and h'.
  const double c1 = std::hypot(x.a, x.b), c2 = std::hypot(y.a, y.b);
  const double c_mean7 = std::pow((c1 + c2) / 2, 7);
  const double g = 0.5 * (1 - std::sqrt(c_mean7 / (c_mean7 + k25pow7)));
  const double a1 = (1 + g) * x.a, a2 = (1 + g) * y.a;
  const double cp1 = std::hypot(a1, x.b), cp2 = std::hypot(a2, y.b);
  const double hp1 = hue_deg(x.b, a1), hp2 = hue_deg(y.b, a2);

  // Step 2: ΔL', ΔC', ΔH'.
  const double dl = y.l - x.l;
  const double dc = cp2 - cp1;
  double dh = 0;
  if (cp1 * cp2 != 0) {
    dh = hp2 - hp1;
    if (dh > 180) {
      dh -= 360;
    } else if (dh < -180) {
      dh += 360;
    }
  }
  const double big_dh = 2 * std::sqrt(cp1 * cp2) * std::sin(rad(dh / 2));

  // Step 3: weighting functions around the mean L', C', h'.
  const double l_mean = (x.l + y.l) / 2;
  const double cp_mean = (cp1 + cp2) / 2;
  double hp_mean = hp1 + hp2;
  if (cp1 * cp2 != 0) {
    if (std::abs(hp1 - hp2) <= 180) {
      hp_mean /= 2;
    } else if (hp1 + hp2 < 360) {
      hp_mean = (hp1 + hp2 + 360) / 2;
    } else {
      hp_mean = (hp1 + hp2 - 360) / 2;
    }
  }
  const double t = 1 - 0.17 * std::cos(rad(hp_mean - 30)) + 0.24 * std::cos(rad(2 * hp_mean)) +
                   0.32 * std::cos(rad(3 * hp_mean + 6)) - 0.20 * std::cos(rad(4 * hp_mean - 63));
  const double d_theta = 30 * std::exp(-std::pow((hp_mean - 275) / 25, 2));
  const double cp_mean7 = std::pow(cp_mean, 7);
  const double rc = 2 * std::sqrt(cp_mean7 / (cp_mean7 + k25pow7));
  const double l50 = (l_mean - 50) * (l_mean - 50);
  const double sl = 1 + 0.015 * l50 / std::sqrt(20 + l50);
  const double sc = 1 + 0.045 * cp_mean;
  const double sh = 1 + 0.015 * cp_mean * t;
  const double rt = -std::sin(rad(2 * d_theta)) * rc;

  const double tl = dl / sl, tc = dc / sc, th = big_dh / sh;
  return std::sqrt(std::max(0.0, tl * tl + tc * tc + th * th + rt * tc * th));
}

std::string hex_colour(Rgb8 rgb) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", rgb.r, rgb.g, rgb.b);
  return buf;
}

std::string_view colour_name(const Lab& lab) {
  std::string_view best_name;
  double best = std::numeric_limits<double>::infinity();
  for (const auto& ref : named_labs()) {
    const double d = delta_e2000(lab, ref.lab);
    if (d < best) {
      best = d;
      best_name = ref.name;
    }
  }
  return best_name;
}

std::vector<ColourCluster> dominant_colours(const RgbImage& image, const KMeansOptions& options) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() < static_cast<std::size_t>(image.width) * image.height * 3) {
    return {};
  }
  const std::vector<WeightedPoint> points = sample_points(image, options.max_samples);
  SplitMix64 rng(options.seed);
  std::vector<Cluster> clusters =
      lloyd(points, seed_centres(points, std::max(1, options.k), rng), options.max_iterations);
  merge_close(clusters, options.merge_delta_e);

  double total = 0;
  for (const auto& c : clusters) total += c.weight;
  std::vector<ColourCluster> out;
  out.reserve(clusters.size());
  for (const auto& c : clusters) out.push_back({c.lab, lab_to_srgb(c.lab), c.weight / total});
  // Largest share first; ties broken by the colour itself so the order is total.
  std::sort(out.begin(), out.end(), [](const ColourCluster& x, const ColourCluster& y) {
    if (x.share != y.share) return x.share > y.share;
    if (x.lab.l != y.lab.l) return x.lab.l > y.lab.l;
    if (x.lab.a != y.lab.a) return x.lab.a > y.lab.a;
    return x.lab.b > y.lab.b;
  });
  return out;
}

ToneStats tone_stats(const RgbImage& image) {
  const std::size_t width = static_cast<std::size_t>(std::max(0, image.width));
  const std::size_t height = static_cast<std::size_t>(std::max(0, image.height));
  if (width * height == 0 || image.pixels.size() < width * height * 3) return {};
  // Every step-th pixel of every step-th row: means and spreads need no more.
  std::size_t step = 1;
  while ((width / step) * (height / step) > kToneSamples) ++step;
  // Flat graphics repeat colours in long runs: reuse the previous conversion.
  double sum_l = 0, sum_l2 = 0, sum_c = 0;
  std::size_t n = 0;
  Rgb8 prev{};
  Lab prev_lab = srgb_to_lab(prev);
  double prev_c = std::hypot(prev_lab.a, prev_lab.b);
  for (std::size_t y = 0; y < height; y += step) {
    for (std::size_t x = 0; x < width; x += step) {
      const std::uint8_t* p = image.pixels.data() + (y * width + x) * 3;
      if (p[0] != prev.r || p[1] != prev.g || p[2] != prev.b) {
        prev = {p[0], p[1], p[2]};
        prev_lab = srgb_to_lab(prev);
        prev_c = std::hypot(prev_lab.a, prev_lab.b);
      }
      sum_l += prev_lab.l;
      sum_l2 += prev_lab.l * prev_lab.l;
      sum_c += prev_c;
      ++n;
    }
  }
  const double count = static_cast<double>(n);
  const double mean_l = sum_l / count;
  const double var_l = std::max(0.0, sum_l2 / count - mean_l * mean_l);
  ToneStats tone;
  tone.brightness = std::clamp(mean_l / 100, 0.0, 1.0);
  tone.contrast = std::clamp(std::sqrt(var_l) / 100, 0.0, 1.0);
  tone.saturation = std::clamp(sum_c / count / 100, 0.0, 1.0);
  return tone;
}

}  // namespace adloom
