#include "models/builtin/layout_composer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <sstream>
#include <string_view>

#include "core/text.h"
#include "imaging/colour.h"
#include "imaging/fonts.h"
#include "imaging/image.h"

namespace adloom {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// "#RRGGBB" or "#RGB" (the '#' optional, surrounding spaces ignored).
std::optional<Rgb8> parse_hex(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (!s.empty() && s.front() == '#') s.remove_prefix(1);
  if (s.size() != 6 && s.size() != 3) return std::nullopt;
  std::array<int, 6> d{};
  for (std::size_t i = 0; i < 6; ++i) {
    d[i] = hex_digit(s[s.size() == 6 ? i : i / 2]);
    if (d[i] < 0) return std::nullopt;
  }
  auto byte = [&](int i) { return static_cast<std::uint8_t>(d[i] * 16 + d[i + 1]); };
  return Rgb8{byte(0), byte(2), byte(4)};
}

Rgb8 blend(Rgb8 a, Rgb8 b, double t) {
  auto m = [t](std::uint8_t x, std::uint8_t y) {
    return static_cast<std::uint8_t>(std::clamp(x + (y - x) * t + 0.5, 0.0, 255.0));
  };
  return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b)};
}

bool is_light(Rgb8 c) {
  return srgb_to_lab(c).l > 60;
}

// Words skipped at the start of a prompt, and words a headline stops before.
bool is_filler(const std::string& w) {
  static constexpr std::string_view kFiller[] = {
      "a",         "an",           "the",      "photo",         "photograph", "image",   "picture",
      "of",        "ad",           "advert",   "advertisement", "for",        "showing", "render",
      "rendering", "illustration", "close-up", "closeup",       "shot",       "banner",  "poster"};
  return std::find(std::begin(kFiller), std::end(kFiller), w) != std::end(kFiller);
}
bool is_link(const std::string& w) {
  static constexpr std::string_view kLinks[] = {"on",    "in",   "with",  "at",   "against",
                                                "under", "over", "by",    "and",  "for",
                                                "from",  "near", "while", "that", "which"};
  return std::find(std::begin(kLinks), std::end(kLinks), w) != std::end(kLinks);
}

}  // namespace

LayoutPalette layout_palette(const std::vector<std::string>& hex_colours) {
  const LayoutPalette defaults;
  std::array<std::optional<Rgb8>, 5> role;
  for (std::size_t i = 0; i < role.size() && i < hex_colours.size(); ++i) {
    role[i] = parse_hex(hex_colours[i]);
  }
  if (std::none_of(role.begin(), role.end(), [](const auto& c) { return c.has_value(); })) {
    return defaults;
  }
  LayoutPalette p;
  p.primary = role[0].value_or(defaults.primary);
  p.background = role[3].value_or(defaults.background);
  p.secondary = role[1].value_or(blend(p.primary, p.background, 0.55));
  p.accent = role[2].value_or(defaults.accent);
  p.text =
      role[4].value_or(is_light(p.background) ? Rgb8{0x1F, 0x1F, 0x1F} : Rgb8{0xF5, 0xF5, 0xF5});
  return p;
}

std::string headline_from_prompt(const std::string& prompt) {
  constexpr std::size_t kMaxWords = 6;
  constexpr std::size_t kMinWordsBeforeLink = 2;
  std::vector<std::string> words;
  std::istringstream in(prompt);
  std::string word;
  while (in >> word && words.size() < kMaxWords) {
    const auto end = word.find_first_of(".,;:!?()\"");
    const bool stop = end != std::string::npos;
    word = word.substr(0, end);
    const std::string lower = lower_ascii(word);
    if (!word.empty()) {
      if (words.empty() && is_filler(lower)) continue;
      if (words.size() >= kMinWordsBeforeLink && is_link(lower)) break;
      words.push_back(word);
    }
    if (stop && !words.empty()) break;
  }
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

const ImageModelLimits& LayoutComposer::limits() const {
  static const ImageModelLimits kLimits = [] {
    ImageModelLimits l;
    l.min_side = 64;
    l.max_side = 4096;
    l.max_seed = UINT64_MAX;
    l.max_prompt_chars = kLayoutComposerMaxPromptChars;
    l.negative_prompt = false;
    l.variations = true;
    l.palette_guidance = true;
    return l;
  }();
  return kLimits;
}

Result<GeneratedImage> LayoutComposer::generate(const ImageRequest& request, const ModelCall&) {
  ADLOOM_TRY(init_imaging());
  if (request.width < kMinLayoutSide || request.width > kMaxLayoutSide ||
      request.height < kMinLayoutSide || request.height > kMaxLayoutSide) {
    return invalid_argument("image size must be between " + std::to_string(kMinLayoutSide) +
                            " and " + std::to_string(kMaxLayoutSide) +
                            " pixels on each side, not " + std::to_string(request.width) + "×" +
                            std::to_string(request.height));
  }
  const CreativeContent& content = request.content;
  LayoutSpec spec;
  spec.width = request.width;
  spec.height = request.height;
  spec.layout = static_cast<int>(request.seed % kLayoutCount);
  spec.seed = request.seed;
  spec.palette = layout_palette(request.palette);
  spec.headline =
      content.headline.empty() ? headline_from_prompt(request.prompt) : content.headline;
  spec.body = content.body;
  spec.call_to_action = content.call_to_action;
  spec.disclosure = content.disclosure;
  // Pango would silently substitute an unknown family; resolving it here makes the
  // fallback ours (and the spelling fontconfig's).
  spec.font_family = find_font_family(content.font_family).value_or(kDefaultLayoutFont);
  spec.hero_image = content.hero_image.empty() ? request.init_image : content.hero_image;
  spec.logo_image = content.logo_image;
  ADLOOM_ASSIGN(EncodedImage png, render_layout(spec));
  return GeneratedImage{std::move(png.bytes), std::move(png.mime), png.width, png.height,
                        kLayoutComposerModel};
}

}  // namespace adloom
