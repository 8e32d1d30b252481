// The art-direction vocabulary of the built-in template composer: the options along each
// variant axis (composition, lighting, style), how a brief's format and channel become a
// frame, and which option the brand's and brief's words call for. Pure, thread safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace adloom::prompt_vocabulary {

enum class Axis { kComposition, kLighting, kStyle };

// "composition", "lighting", "style".
std::string_view axis_name(Axis axis);

struct AxisOption {
  std::string_view label;    // for variant names: "Close-up", "golden hour", "3D render"
  std::string_view compact;  // the short phrase used when a prompt must be short
  // The full phrase. A composition's may hold "{people}": who is in the scene.
  std::string_view full;
};

// The options of an axis, in a fixed order (the order variants take them in).
std::span<const AxisOption> options(Axis axis);

// The frame a brief asks for, from its format ("1080x1920", "1200 × 628") and channel.
struct FrameFormat {
  int width = 0;  // 0 when the format gives no size
  int height = 0;
  std::string ratio;        // "1:1", "9:16", "1.91:1", "7:5"; "" when unknown
  std::string orientation;  // "square", "portrait", "landscape"; "" when unknown
  std::string kind;         // "feed post", "story", "banner", "email header", "image"
  std::string text;         // the format part: "1080x1080 square feed post"; may be ""
  std::string framing;      // for the composition: "square 1:1 frame"; may be ""
};
FrameFormat frame_format(const std::string& format, const std::string& channel);

// An option picked for the main prompt and the words that picked it (for the reasoning;
// empty when the default was taken).
struct Choice {
  std::size_t index = 0;
  std::vector<std::string> cues;
};

// Close-up product hero when there is a product and the frame is not a wide banner, else
// the lifestyle scene.
Choice choose_composition(bool has_product, const FrameFormat& frame);
// The option whose keywords occur most often among `cue_text`'s words (tone and style
// words, the brief's tone, the references' elements); ties go to the earlier option; no
// hit gives soft studio light / photographic.
Choice choose_lighting(const std::string& cue_text);
Choice choose_style(const std::string& cue_text);

}  // namespace adloom::prompt_vocabulary
