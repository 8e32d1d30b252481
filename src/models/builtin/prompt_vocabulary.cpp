#include "models/builtin/prompt_vocabulary.h"

#include <array>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <numeric>

#include "core/text.h"
#include "models/builtin/prompt_text.h"

namespace adloom::prompt_vocabulary {
namespace {

constexpr std::array kCompositions = {
    AxisOption{"Close-up", "close-up product hero shot",
               "close-up product hero shot, the product large, sharp and centred"},
    AxisOption{"Lifestyle scene", "wide lifestyle scene",
               "wide lifestyle scene with {people} using the product, the product clearly "
               "visible"},
    AxisOption{"Flat-lay", "top-down flat-lay",
               "flat-lay seen from directly above, the product arranged with a few related "
               "props"},
    AxisOption{"Action shot", "dynamic action shot",
               "dynamic low-angle action shot, the product in motion"},
    AxisOption{"Still life", "minimal still life",
               "minimal still life, the product alone on a seamless backdrop with generous "
               "negative space"},
    AxisOption{"Detail macro", "macro detail shot",
               "macro detail shot of the product's texture, materials and finish"},
};

constexpr std::array kLightings = {
    AxisOption{"golden hour", "golden hour light",
               "warm golden hour sunlight with long soft shadows"},
    AxisOption{"soft studio light", "soft studio light",
               "soft diffused studio lighting with gentle shadows"},
    AxisOption{"dramatic low-key", "dramatic low-key light",
               "dramatic low-key lighting, deep shadows and a crisp rim light"},
    AxisOption{"bright daylight", "bright daylight", "bright natural daylight, fresh and airy"},
    AxisOption{"blue hour", "cool blue hour light",
               "cool blue hour twilight with glowing highlights"},
};

constexpr std::array kStyles = {
    AxisOption{"photographic", "photographic",
               "photographic, high-end commercial photography, crisp detail, shallow depth of "
               "field"},
    AxisOption{"flat illustration", "flat illustration",
               "flat vector illustration, clean shapes, subtle texture"},
    AxisOption{"3D render", "3D render",
               "polished 3D render, soft global illumination, smooth materials"},
    AxisOption{"minimal graphic", "minimal graphic",
               "minimal graphic design, bold simple shapes, lots of negative space"},
    AxisOption{"cinematic", "cinematic still",
               "cinematic film still, anamorphic look, subtle film grain"},
};

constexpr std::size_t kDefaultLighting = 1;  // soft studio light
constexpr std::size_t kDefaultStyle = 0;     // photographic
constexpr std::size_t kCloseUp = 0;
constexpr std::size_t kLifestyle = 1;
constexpr double kWideBanner = 1.5;       // width / height from which a frame is a banner
constexpr double kRatioTolerance = 0.02;  // relative

// Keywords per option, in the options' order.
using Keywords = std::vector<std::vector<std::string_view>>;

const Keywords& lighting_keywords() {
  static const Keywords kKeywords = {
      {"golden", "sunset", "sunrise", "warm", "adventurous", "adventure", "outdoor", "outdoors",
       "summer", "energetic", "nature", "sunny", "trail", "rugged", "wild"},
      {"studio", "clean", "minimal", "minimalist", "calm", "clinical", "technical", "precise",
       "simple", "trustworthy", "professional", "sleek"},
      {"dramatic", "premium", "luxury", "luxurious", "bold", "elegant", "sophisticated", "powerful",
       "intense", "low-key", "dark", "moody"},
      {"daylight", "bright", "fresh", "playful", "friendly", "fun", "cheerful", "optimistic",
       "youthful", "airy", "sunlit"},
      {"twilight", "dusk", "night", "urban", "cool", "mysterious", "evening", "neon"},
  };
  return kKeywords;
}

const Keywords& style_keywords() {
  static const Keywords kKeywords = {
      {"photo", "photographic", "photography", "photoreal", "photorealistic", "realistic",
       "editorial", "documentary", "authentic", "lifestyle"},
      {"illustration", "illustrated", "illustrative", "flat", "cartoon", "vector", "drawn",
       "hand-drawn", "painterly", "sketch"},
      {"3d", "render", "rendered", "cgi", "isometric", "clay"},
      {"graphic", "geometric", "typographic", "bauhaus", "abstract"},
      {"cinematic", "film", "filmic", "movie", "anamorphic", "grain"},
  };
  return kKeywords;
}

Choice choose_by_keywords(const std::string& cue_text, const Keywords& keywords,
                          std::size_t fallback) {
  const std::vector<std::string> cue_words = prompt_text::words(cue_text);
  Choice best{fallback, {}};
  for (std::size_t option = 0; option < keywords.size(); ++option) {
    std::vector<std::string> hits;
    for (const auto& word : cue_words) {
      for (const auto keyword : keywords[option]) {
        if (word == keyword) hits.push_back(word);
      }
    }
    hits = prompt_text::unique_ci(hits);
    if (hits.size() > best.cues.size()) best = Choice{option, std::move(hits)};
  }
  return best;
}

struct KnownRatio {
  const char* name;
  double value;
};

std::string ratio_name(int width, int height) {
  static constexpr std::array<KnownRatio, 10> kKnown = {{{"1:1", 1.0},
                                                         {"4:5", 0.8},
                                                         {"3:4", 0.75},
                                                         {"2:3", 2.0 / 3},
                                                         {"9:16", 9.0 / 16},
                                                         {"16:9", 16.0 / 9},
                                                         {"1.91:1", 1.91},
                                                         {"3:2", 1.5},
                                                         {"4:3", 4.0 / 3},
                                                         {"2:1", 2.0}}};
  const double r = static_cast<double>(width) / height;
  for (const auto& known : kKnown) {
    if (std::abs(r - known.value) <= known.value * kRatioTolerance) return known.name;
  }
  const int g = std::gcd(width, height);
  return std::to_string(width / g) + ":" + std::to_string(height / g);
}

// "1080x1920", "1080 × 1920", "1080X1920" → width and height; false otherwise.
bool parse_size(std::string format, int& width, int& height) {
  std::string s;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format.compare(i, 2, "\xC3\x97") == 0) {  // "×"
      s += 'x';
      ++i;
    } else if (format[i] != ' ') {
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(format[i])));
    }
  }
  const std::size_t x = s.find_first_of("x*");
  if (x == std::string::npos || x == 0 || x + 1 == s.size() || x > 5 || s.size() - x > 6) {
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i != x && !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  width = std::stoi(s.substr(0, x));
  height = std::stoi(s.substr(x + 1));
  return width > 0 && height > 0;
}

bool mentions(const std::string& channel, std::initializer_list<std::string_view> words) {
  for (const auto w : words) {
    if (channel.find(w) != std::string::npos) return true;
  }
  return false;
}

std::string kind_of(const std::string& channel_text, const std::string& ratio, double aspect) {
  const std::string channel = lower_ascii(channel_text);
  if (mentions(channel, {"story", "stories", "reel", "tiktok", "shorts"}) || ratio == "9:16") {
    return "story";
  }
  if (mentions(channel, {"email", "newsletter"})) return "email header";
  if (mentions(channel, {"banner", "display", "web"}) || aspect >= kWideBanner) return "banner";
  if (mentions(channel, {"instagram", "facebook", "linkedin", "twitter", "pinterest", "social",
                         "feed", "threads", "meta"})) {
    return "feed post";
  }
  return "image";
}

std::string framing_of(const FrameFormat& f) {
  if (f.orientation == "square") return "square 1:1 frame";
  if (f.kind == "story") {
    return "tall " + (f.ratio.empty() ? std::string("9:16") : f.ratio) +
           " frame, key content in the middle, clear of the top and bottom edges";
  }
  if (f.ratio.empty()) return f.orientation.empty() ? "" : f.orientation + " frame";
  if (f.orientation == "landscape") return "wide " + f.ratio + " frame, subject off-centre";
  return f.ratio + " " + f.orientation + " frame";
}

}  // namespace

std::string_view axis_name(Axis axis) {
  switch (axis) {
    case Axis::kComposition: return "composition";
    case Axis::kLighting: return "lighting";
    case Axis::kStyle: return "style";
  }
  return "";
}

std::span<const AxisOption> options(Axis axis) {
  switch (axis) {
    case Axis::kComposition: return kCompositions;
    case Axis::kLighting: return kLightings;
    case Axis::kStyle: return kStyles;
  }
  return {};
}

FrameFormat frame_format(const std::string& format, const std::string& channel) {
  FrameFormat f;
  double aspect = 0;
  if (parse_size(format, f.width, f.height)) {
    aspect = static_cast<double>(f.width) / f.height;
    f.ratio = ratio_name(f.width, f.height);
    f.orientation = f.ratio == "1:1" ? "square" : aspect < 1 ? "portrait" : "landscape";
  }
  f.kind = kind_of(channel, f.ratio, aspect);
  if (f.ratio.empty() && f.kind == "story") {
    f.ratio = "9:16";
    f.orientation = "portrait";
  } else if (f.ratio.empty() && f.kind == "feed post") {
    f.ratio = "1:1";
    f.orientation = "square";
  }
  std::string size = f.width > 0 ? std::to_string(f.width) + "x" + std::to_string(f.height) : "";
  const bool plain = f.kind == "image" && f.orientation.empty();
  f.text = plain ? size : prompt_text::join({size, f.orientation, f.kind}, " ");
  if (!f.text.empty() && !f.ratio.empty() && f.orientation != "square") f.text += ", " + f.ratio;
  f.framing = framing_of(f);
  return f;
}

Choice choose_composition(bool has_product, const FrameFormat& frame) {
  const bool wide =
      frame.width > 0 && static_cast<double>(frame.width) / frame.height >= kWideBanner;
  if (wide) return {kLifestyle, {"a wide " + frame.ratio + " frame"}};
  if (has_product) return {kCloseUp, {"a named product"}};
  return {kLifestyle, {"no product named"}};
}

Choice choose_lighting(const std::string& cue_text) {
  return choose_by_keywords(cue_text, lighting_keywords(), kDefaultLighting);
}

Choice choose_style(const std::string& cue_text) {
  return choose_by_keywords(cue_text, style_keywords(), kDefaultStyle);
}

}  // namespace adloom::prompt_vocabulary
