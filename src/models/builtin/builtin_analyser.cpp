// The builtin analyser: measurements first (colours, tone, geometry, text), then words.
#include "models/builtin/builtin_analyser.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include "imaging/colour.h"
#include "imaging/image.h"

namespace adloom {
namespace {

// Wording thresholds. Tone values are 0..1 (see ToneStats); the cut-offs were chosen so
// that ordinary photos fall in the unmarked middle and only clear cases get a word.
constexpr double kSquareTolerance = 1.05;   // longer/shorter side within 5 % → "square"
constexpr double kLargeAreaShare = 0.40;    // a colour covering this much is an element
constexpr double kMinReportedShare = 0.01;  // smaller clusters are antialiasing and noise
constexpr double kAccentShare = 0.05;       // smaller colours are not worth naming
constexpr int kMaxAccents = 2;
constexpr double kBright = 0.70;             // mean L* ≥ 70
constexpr double kDark = 0.30;               // mean L* ≤ 30
constexpr double kHighContrast = 0.30;       // std-dev of L* ≥ 30
constexpr double kMonochrome = 0.04;         // mean chroma < 4: greys only
constexpr double kMuted = 0.15;              // mean chroma < 15
constexpr double kVivid = 0.50;              // mean chroma ≥ 50
constexpr std::size_t kMaxQuotedText = 160;  // bytes of OCR text quoted in the description

// Colours as people name them: clusters with the same name pooled, largest first.
struct NamedShare {
  std::string name;
  double share = 0;
};

std::vector<NamedShare> pool_by_name(const std::vector<ColourShare>& colours) {
  std::vector<NamedShare> out;
  for (const auto& c : colours) {
    auto it =
        std::find_if(out.begin(), out.end(), [&](const NamedShare& n) { return n.name == c.name; });
    if (it == out.end()) {
      out.push_back({c.name, c.share});
    } else {
      it->share += c.share;
    }
  }
  // Stable: equal shares keep the order of the (deterministically sorted) clusters.
  std::stable_sort(out.begin(), out.end(),
                   [](const NamedShare& x, const NamedShare& y) { return x.share > y.share; });
  return out;
}

std::string percent(double share) {
  return std::to_string(std::lround(share * 100)) + "%";
}

// "a", "a and b", "a, b and c".
std::string join_and(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " and " : ", ";
    out += items[i];
  }
  return out;
}

// OCR lines as one quotable line, cut at a UTF-8 character boundary when long.
std::string quotable(const std::string& text) {
  std::string one_line = text;
  std::replace(one_line.begin(), one_line.end(), '\n', ' ');
  if (one_line.size() <= kMaxQuotedText) return one_line;
  std::size_t cut = kMaxQuotedText;
  while (cut > 0 && (static_cast<unsigned char>(one_line[cut]) & 0xC0) == 0x80) --cut;
  one_line.resize(cut);
  while (!one_line.empty() && one_line.back() == ' ') one_line.pop_back();
  return one_line + "…";
}

std::string orientation_of(int width, int height) {
  const double longer = std::max(width, height), shorter = std::min(width, height);
  if (longer <= shorter * kSquareTolerance) return "square";
  return width > height ? "landscape" : "portrait";
}

// The colour-quality word, if any: greys only, muted or vivid.
std::string colourfulness(double saturation) {
  if (saturation < kMonochrome) return "black and white";
  if (saturation < kMuted) return "muted tones";
  if (saturation >= kVivid) return "vivid colours";
  return "";
}

std::vector<std::string> elements_of(const ImageAnalysis& a, const std::vector<NamedShare>& names) {
  std::vector<std::string> out;
  if (!a.ocr_text.empty()) out.emplace_back("text");
  for (const auto& n : names) {
    if (n.share >= kLargeAreaShare) out.push_back("large " + n.name + " area");
  }
  if (a.contrast >= kHighContrast) out.emplace_back("high contrast");
  if (std::string c = colourfulness(a.saturation); !c.empty()) out.push_back(std::move(c));
  if (a.brightness >= kBright) out.emplace_back("bright");
  if (a.brightness <= kDark) out.emplace_back("dark");
  return out;
}

// One paragraph, e.g. `A bright landscape image dominated by blue (62%) with white and
// orange accents, high contrast. Visible text: "SUMMER SALE 50% OFF".`
std::string describe(const ImageAnalysis& a, const std::vector<NamedShare>& names) {
  std::string s = "A ";
  if (a.brightness >= kBright) {
    s += "bright ";
  } else if (a.brightness <= kDark) {
    s += "dark ";
  }
  s += a.orientation + " image";

  if (!names.empty() && names.front().share >= kLargeAreaShare) {
    s += " dominated by " + names.front().name + " (" + percent(names.front().share) + ")";
    std::vector<std::string> accents;
    for (std::size_t i = 1; i < names.size() && accents.size() < kMaxAccents; ++i) {
      if (names[i].share >= kAccentShare) accents.push_back(names[i].name);
    }
    if (!accents.empty()) s += " with " + join_and(accents) + " accents";
  } else if (!names.empty()) {
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < names.size() && parts.size() < 3; ++i) {
      if (names[i].share >= kAccentShare) {
        parts.push_back(names[i].name + " (" + percent(names[i].share) + ")");
      }
    }
    if (!parts.empty()) s += " in " + join_and(parts);
  }

  std::vector<std::string> qualities;
  if (a.contrast >= kHighContrast) qualities.emplace_back("high contrast");
  if (std::string c = colourfulness(a.saturation); !c.empty()) qualities.push_back(std::move(c));
  for (const auto& q : qualities) s += ", " + q;
  s += ".";

  if (!a.ocr_text.empty()) s += " Visible text: \"" + quotable(a.ocr_text) + "\".";
  return s;
}

}  // namespace

BuiltinAnalyser::BuiltinAnalyser(BuiltinAnalyserOptions options)
    : options_(std::move(options)), ocr_(options_.ocr) {}

Result<ImageAnalysis> BuiltinAnalyser::analyse(std::string_view image,
                                               const AnalyseOptions& options, const ModelCall&) {
  ADLOOM_TRY(init_imaging());
  ADLOOM_ASSIGN(RgbImage small, decode_rgb(image, options_.colour_side));

  ImageAnalysis a;
  a.engine = name();
  for (const auto& c : dominant_colours(small)) {
    if (c.share < kMinReportedShare) continue;
    ColourShare share;
    share.hex = hex_colour(c.rgb);
    share.name = std::string(colour_name(c.lab));
    share.share = c.share;
    share.lab[0] = c.lab.l;
    share.lab[1] = c.lab.a;
    share.lab[2] = c.lab.b;
    a.colours.push_back(std::move(share));
  }
  const ToneStats tone = tone_stats(small);
  a.brightness = tone.brightness;
  a.contrast = tone.contrast;
  a.saturation = tone.saturation;
  a.aspect = static_cast<double>(small.width) / small.height;
  a.orientation = orientation_of(small.width, small.height);

  if (options.ocr && Ocr::has_text_like_regions(small)) {
    ADLOOM_ASSIGN(RgbImage large, decode_rgb(image, options_.ocr_side));
    ADLOOM_ASSIGN(OcrResult text, ocr_.read(large));
    a.ocr_ran = true;
    a.ocr_text = std::move(text.text);
    a.ocr_confidence = a.ocr_text.empty() ? 0 : text.confidence;
  }

  const std::vector<NamedShare> names = pool_by_name(a.colours);
  a.elements = elements_of(a, names);
  a.description = describe(a, names);
  return a;
}

}  // namespace adloom
