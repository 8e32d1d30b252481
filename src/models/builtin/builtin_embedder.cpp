// BuiltinEmbedder: hashed text features + a small colour/edge descriptor (see the header
// for the vector layout). Everything here is deterministic: stable hashes (FNV-1a 64 with
// a splitmix64 finaliser), features summed in a fixed (sorted) order, no randomness.
#include "models/builtin/builtin_embedder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <utility>

#include <fmt/format.h>

#include "imaging/image.h"

namespace adloom {
namespace {

// Changing any constant below changes the vectors: bump the "v1" in model_id() then.

// ---- Text ---------------------------------------------------------------------------

// Relative weight of each feature kind. Unigrams carry the meaning; bigrams add phrase
// order; character n-grams link inflections ("running" / "run") at a lower weight: the
// ~2·len n-grams of a word together weigh about as much as the word itself.
constexpr double kUnigramWeight = 1.0;
constexpr double kBigramWeight = 0.5;
constexpr double kCharGramWeight = 0.3;
// Longer words are truncated (bounds the n-gram count of pathological input).
constexpr std::size_t kMaxWordBytes = 48;

// A small English stop-word list, sorted (binary search; checked at compile time).
constexpr std::array<std::string_view, 72> kStopWords = {
    "a",    "about", "after", "all",  "also", "am",  "an",    "and",  "any", "are",   "as",
    "at",   "be",    "been",  "but",  "by",   "can", "could", "did",  "do",  "does",  "for",
    "from", "had",   "has",   "have", "he",   "her", "his",   "how",  "i",   "if",    "in",
    "into", "is",    "it",    "its",  "just", "me",  "more",  "my",   "no",  "not",   "of",
    "on",   "or",    "our",   "out",  "she",  "so",  "than",  "that", "the", "their", "them",
    "then", "there", "they",  "this", "to",   "up",  "us",    "was",  "we",  "were",  "what",
    "when", "which", "who",   "will", "with", "you"};
static_assert(std::is_sorted(kStopWords.begin(), kStopWords.end()));

bool is_stop_word(std::string_view word) {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), word);
}

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = kFnvOffset) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return h;
}

// splitmix64's finaliser: spreads FNV's weakly mixed bits over the whole word, so both
// the bucket (low bits, modulo) and the sign (top bit) are well distributed.
std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Lower-cased words: runs of ASCII letters/digits and non-ASCII bytes (so UTF-8 words
// stay whole; they are not case-folded). Apostrophes (' and U+2019) are dropped inside
// words ("don't" → "dont"); every other byte separates words.
std::vector<std::string> tokenise(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  const auto finish = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\'') continue;
    if (c == 0xE2 && text.substr(i, 3) == "\xE2\x80\x99") {
      i += 2;
      continue;
    }
    const bool ascii_alnum =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ascii_alnum && c < 0x80) {
      finish();
      continue;
    }
    if (word.size() >= kMaxWordBytes) continue;
    word.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  finish();
  return words;
}

struct Feature {
  std::uint64_t hash = 0;
  double weight = 0;
};

void add_feature(std::vector<Feature>& out, std::string_view kind, std::string_view text,
                 double weight) {
  out.push_back({mix64(fnv1a(text, fnv1a(kind))), weight});
}

// Adds the text features into `part`; false when the text has no words.
bool embed_text(std::string_view text, std::span<double> part) {
  const std::vector<std::string> all = tokenise(text);
  if (all.empty()) return false;
  std::vector<std::string> words;
  for (const std::string& w : all) {
    if (!is_stop_word(w)) words.push_back(w);
  }
  // "the who": only stop-words; they are all the query has, so use them.
  if (words.empty()) words = all;

  std::vector<Feature> features;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    add_feature(features, "w", w, kUnigramWeight);
    if (i + 1 < words.size()) add_feature(features, "b", w + ' ' + words[i + 1], kBigramWeight);
    const std::string marked = '<' + w + '>';
    for (const std::size_t n : {std::size_t{3}, std::size_t{4}}) {
      for (std::size_t p = 0; p + n <= marked.size(); ++p) {
        add_feature(features, "c", std::string_view(marked).substr(p, n), kCharGramWeight);
      }
    }
  }
  // Sorting fixes the summation order (bit-identical results) and groups repeats for tf.
  std::sort(features.begin(), features.end(),
            [](const Feature& a, const Feature& b) { return a.hash < b.hash; });
  for (std::size_t i = 0; i < features.size();) {
    std::size_t j = i;
    while (j < features.size() && features[j].hash == features[i].hash) ++j;
    const double tf = static_cast<double>(j - i);
    const std::uint64_t h = features[i].hash;
    const double sign = (h >> 63) != 0 ? -1.0 : 1.0;
    part[h % part.size()] += sign * features[i].weight * (1.0 + std::log(tf));
    i = j;
  }
  return true;
}

// ---- Visual -------------------------------------------------------------------------

// Layout of the visual descriptor (kVisualFeatures floats), offsets in floats.
constexpr int kBins = 4;  // per Lab axis
constexpr int kGrid = 4;  // colour layout grid
constexpr std::size_t kHistSize = std::size_t{kBins} * kBins * kBins;
constexpr std::size_t kCells = std::size_t{kGrid} * kGrid;
constexpr std::size_t kHistOffset = 0;                           // 64: soft Lab histogram
constexpr std::size_t kLayoutOffset = kHistSize;                 // 48: mean Lab of each cell
constexpr std::size_t kEdgeOffset = kLayoutOffset + kCells * 3;  // 1: strong-edge density
constexpr std::size_t kOrientOffset = kEdgeOffset + 1;           // 4: density per orientation
constexpr std::size_t kQuadrantOffset = kOrientOffset + 4;       // 4: density per quadrant
constexpr std::size_t kStatsOffset = kQuadrantOffset + 4;        // 7: tone and shape statistics
constexpr std::size_t kVisualEnd = kStatsOffset + 7;
static_assert(kVisualEnd == static_cast<std::size_t>(BuiltinEmbedder::kVisualFeatures));

// Block weights inside the visual part. The histogram and layout are unit vectors; edge
// and statistics features are fractions in [0, 1] (or [-1, 1]) used as they are.
constexpr double kHistWeight = 1.0;
constexpr double kLayoutWeight = 0.8;
constexpr double kEdgeWeight = 1.0;
constexpr double kStatsWeight = 0.5;

// Sobel magnitude (on L*, 0..100) above which a pixel counts as an edge: a clean step of
// 12 L* units (Sobel's gain is 4).
constexpr double kStrongEdge = 48.0;

// sRGB byte → linear light, once.
const std::array<double, 256>& srgb_to_linear() {
  static const std::array<double, 256> kTable = [] {
    std::array<double, 256> t{};
    for (int i = 0; i < 256; ++i) {
      const double c = i / 255.0;
      t[i] = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    }
    return t;
  }();
  return kTable;
}

struct Lab {
  double l = 0;
  double a = 0;
  double b = 0;
};

// sRGB (D65) → CIE L*a*b* (D65 white).
Lab to_lab(std::uint8_t r8, std::uint8_t g8, std::uint8_t b8) {
  const auto& lin = srgb_to_linear();
  const double r = lin[r8];
  const double g = lin[g8];
  const double b = lin[b8];
  const double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
  const double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
  const auto f = [](double t) {
    constexpr double kDelta = 6.0 / 29.0;
    return t > kDelta * kDelta * kDelta ? std::cbrt(t) : t / (3 * kDelta * kDelta) + 4.0 / 29.0;
  };
  const double fx = f(x);
  const double fy = f(y);
  const double fz = f(z);
  return {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

// Soft (linear) assignment of a value to the two nearest of kBins bin centres.
struct AxisShare {
  int lo = 0;
  int hi = 0;
  double w_hi = 0;  // weight of `hi`; `lo` gets 1 - w_hi
};

AxisShare soft_bin(double v, double min, double width) {
  const double t = (v - min) / width - 0.5;  // in units of bins, 0 = first centre
  if (t <= 0) return {0, 0, 0};
  if (t >= kBins - 1) return {kBins - 1, kBins - 1, 0};
  const int lo = static_cast<int>(t);
  return {lo, lo + 1, t - lo};
}

double l2_norm(std::span<const double> v) {
  double s = 0;
  for (const double x : v) s += x * x;
  return std::sqrt(s);
}

void scale_to(std::span<double> v, double length) {
  const double n = l2_norm(v);
  if (n == 0) return;
  for (double& x : v) x *= length / n;
}

// Fills `out` (kVisualFeatures floats) from decoded pixels.
void embed_pixels(const RgbImage& img, std::span<double> out) {
  const int w = img.width;
  const int h = img.height;
  const std::size_t n = static_cast<std::size_t>(w) * h;
  std::vector<Lab> lab(n);
  for (std::size_t i = 0; i < n; ++i) {
    lab[i] = to_lab(img.pixels[3 * i], img.pixels[3 * i + 1], img.pixels[3 * i + 2]);
  }

  // Histogram (L* 0..100, a*/b* clamped to -100..100) and per-cell sums, one pass.
  std::span<double> hist = out.subspan(kHistOffset, kHistSize);
  std::array<Lab, kCells> cell_sum{};
  std::array<int, kCells> cell_count{};
  Lab sum;
  Lab sum_sq;
  double chroma_sum = 0;
  std::size_t white = 0;
  std::size_t black = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const Lab& p = lab[static_cast<std::size_t>(y) * w + x];
      const AxisShare sl = soft_bin(p.l, 0, 100.0 / kBins);
      const AxisShare sa = soft_bin(std::clamp(p.a, -100.0, 100.0), -100, 200.0 / kBins);
      const AxisShare sb = soft_bin(std::clamp(p.b, -100.0, 100.0), -100, 200.0 / kBins);
      for (int il = 0; il < 2; ++il) {
        for (int ia = 0; ia < 2; ++ia) {
          for (int ib = 0; ib < 2; ++ib) {
            const double wt = (il ? sl.w_hi : 1 - sl.w_hi) * (ia ? sa.w_hi : 1 - sa.w_hi) *
                              (ib ? sb.w_hi : 1 - sb.w_hi);
            const int bin = ((il ? sl.hi : sl.lo) * kBins + (ia ? sa.hi : sa.lo)) * kBins +
                            (ib ? sb.hi : sb.lo);
            hist[bin] += wt;
          }
        }
      }
      const int cell = (y * kGrid / h) * kGrid + x * kGrid / w;
      cell_sum[cell].l += p.l;
      cell_sum[cell].a += p.a;
      cell_sum[cell].b += p.b;
      ++cell_count[cell];
      sum.l += p.l;
      sum.a += p.a;
      sum.b += p.b;
      sum_sq.l += p.l * p.l;
      sum_sq.a += p.a * p.a;
      sum_sq.b += p.b * p.b;
      const double chroma = std::hypot(p.a, p.b);
      chroma_sum += chroma;
      if (p.l > 90 && chroma < 10) ++white;
      if (p.l < 15) ++black;
    }
  }
  const auto count = static_cast<double>(n);
  const Lab mean{sum.l / count, sum.a / count, sum.b / count};
  scale_to(hist, kHistWeight);

  // Layout: mean Lab per cell (/100); cells without pixels (images under 4 px) take the
  // image mean.
  std::span<double> layout = out.subspan(kLayoutOffset, kCells * 3);
  for (std::size_t c = 0; c < kCells; ++c) {
    const Lab m = cell_count[c] > 0
                      ? Lab{cell_sum[c].l / cell_count[c], cell_sum[c].a / cell_count[c],
                            cell_sum[c].b / cell_count[c]}
                      : mean;
    layout[3 * c] = m.l / 100;
    layout[3 * c + 1] = m.a / 100;
    layout[3 * c + 2] = m.b / 100;
  }
  scale_to(layout, kLayoutWeight);

  // Edges: Sobel on L* over interior pixels. Orientation bins (0°, 45°, 90°, 135°, of the
  // gradient, modulo 180°) hold the fraction of pixels that are strong edges of that
  // orientation, so they sum to the density.
  if (w >= 3 && h >= 3) {
    std::array<double, 4> orient{};
    std::array<double, 4> quadrant{};
    std::array<double, 4> quadrant_pixels{};
    double strong = 0;
    const auto at = [&](int x, int y) { return lab[static_cast<std::size_t>(y) * w + x].l; };
    for (int y = 1; y < h - 1; ++y) {
      for (int x = 1; x < w - 1; ++x) {
        const double gx = (at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1)) -
                          (at(x - 1, y - 1) + 2 * at(x - 1, y) + at(x - 1, y + 1));
        const double gy = (at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1)) -
                          (at(x - 1, y - 1) + 2 * at(x, y - 1) + at(x + 1, y - 1));
        const int q = (y * 2 / h) * 2 + x * 2 / w;
        quadrant_pixels[q] += 1;
        if (std::hypot(gx, gy) <= kStrongEdge) continue;
        strong += 1;
        quadrant[q] += 1;
        double angle = std::atan2(gy, gx);  // -π..π
        if (angle < 0) angle += std::numbers::pi;
        const int bin = static_cast<int>(std::floor(angle / (std::numbers::pi / 4) + 0.5)) % 4;
        orient[bin] += 1;
      }
    }
    const double interior = static_cast<double>(w - 2) * (h - 2);
    out[kEdgeOffset] = kEdgeWeight * strong / interior;
    for (std::size_t i = 0; i < 4; ++i) {
      out[kOrientOffset + i] = kEdgeWeight * orient[i] / interior;
      if (quadrant_pixels[i] > 0) {
        out[kQuadrantOffset + i] = kEdgeWeight * quadrant[i] / quadrant_pixels[i];
      }
    }
  }

  // Statistics: spread of L*, a*, b*; mean chroma; near-white and near-black shares;
  // shape (tanh of the log aspect ratio: 0 square, > 0 landscape, < 0 portrait).
  const auto spread = [&](double sq, double m) {
    return std::sqrt(std::max(0.0, sq / count - m * m)) / 100;
  };
  std::span<double> stats = out.subspan(kStatsOffset, kVisualEnd - kStatsOffset);
  stats[0] = spread(sum_sq.l, mean.l);
  stats[1] = spread(sum_sq.a, mean.a);
  stats[2] = spread(sum_sq.b, mean.b);
  stats[3] = std::min(1.0, chroma_sum / count / 100);
  stats[4] = static_cast<double>(white) / count;
  stats[5] = static_cast<double>(black) / count;
  stats[6] = std::tanh(std::log(static_cast<double>(w) / h));
  for (double& s : stats) s *= kStatsWeight;
}

}  // namespace

Result<std::unique_ptr<BuiltinEmbedder>> BuiltinEmbedder::create(const Options& options) {
  if (options.dimension <= 0 || options.dimension > 65536) {
    return invalid_argument(
        fmt::format("embedding dimension {} is out of range 1..65536", options.dimension));
  }
  if (options.text_dimension <= 0 || options.text_dimension > options.dimension) {
    return invalid_argument(fmt::format("text dimension {} must be within 1..{}",
                                        options.text_dimension, options.dimension));
  }
  const int visual = options.dimension - options.text_dimension;
  if (visual != 0 && visual < kVisualFeatures) {
    return invalid_argument(
        fmt::format("the visual part needs 0 or at least {} dimensions, got {} ({} - {})",
                    kVisualFeatures, visual, options.dimension, options.text_dimension));
  }
  if (!std::isfinite(options.text_weight) || !std::isfinite(options.visual_weight) ||
      options.text_weight <= 0 || options.visual_weight < 0) {
    return invalid_argument("embedding weights must be finite, text > 0 and visual >= 0");
  }
  return std::unique_ptr<BuiltinEmbedder>(new BuiltinEmbedder(options));
}

std::string BuiltinEmbedder::model_id() const {
  const double ratio = static_cast<double>(options_.visual_weight) / options_.text_weight;
  return fmt::format("builtin-hash-v1-d{}-t{}-w{:g}", options_.dimension, options_.text_dimension,
                     ratio);
}

Result<std::vector<float>> BuiltinEmbedder::embed(const EmbedInput& input, const ModelCall&) {
  if (input.text.empty() && input.image.empty()) {
    return invalid_argument("nothing to embed: both text and image are empty");
  }
  const auto dims = static_cast<std::size_t>(options_.dimension);
  const auto text_dims = static_cast<std::size_t>(options_.text_dimension);
  std::vector<double> v(dims, 0.0);
  std::span<double> text_part(v.data(), text_dims);
  std::span<double> visual_part(v.data() + text_dims, dims - text_dims);

  if (embed_text(input.text, text_part)) scale_to(text_part, options_.text_weight);

  if (!input.image.empty() && !visual_part.empty() && options_.visual_weight > 0) {
    ADLOOM_TRY(init_imaging());
    ADLOOM_ASSIGN(const RgbImage pixels, decode_rgb(input.image, kAnalysisSide));
    if (pixels.width <= 0 || pixels.height <= 0) return invalid_argument("image has no pixels");
    embed_pixels(pixels, visual_part.first(kVisualFeatures));
    scale_to(visual_part, options_.visual_weight);
  }

  const double norm = l2_norm(v);
  if (norm == 0) {
    // Only reachable without a used image: a decoded image always fills the histogram.
    return invalid_argument(input.image.empty()
                                ? "nothing to embed: the text has no words"
                                : "nothing to embed: the text has no words and this model "
                                  "ignores images (no visual part)");
  }
  std::vector<float> out(dims);
  for (std::size_t i = 0; i < dims; ++i) out[i] = static_cast<float>(v[i] / norm);
  return out;
}

}  // namespace adloom
