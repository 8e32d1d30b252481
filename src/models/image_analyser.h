// ImageAnalyser: describes an image (colours, tone, text, a sentence). Implementations:
// builtin/ (offline algorithms, labelled "builtin"); vision_analyser.h (a vision language
// model's description merged with the builtin analyser's measurements).
// Thread safety: analyse() may be called concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "models/model_call.h"

namespace adloom {

struct ColourShare {
  std::string hex;            // "#1f6fb2"
  std::string name;           // human name: "blue", "dark red", "beige"
  double share = 0;           // fraction of pixels, 0..1
  double lab[3] = {0, 0, 0};  // CIE L*a*b* (D65)
};

struct ImageAnalysis {
  std::string engine;                 // "builtin"
  std::vector<ColourShare> colours;   // dominant first, shares sum to ~1
  double brightness = 0;              // mean L*/100, 0..1
  double contrast = 0;                // std-dev of L*/100, 0..1
  double saturation = 0;              // mean chroma/100, 0..1 (clamped)
  std::string orientation;            // "landscape", "portrait", "square"
  double aspect = 1;                  // width / height
  std::string ocr_text;               // "" when none found or skipped
  double ocr_confidence = 0;          // 0..100 mean word confidence
  bool ocr_ran = false;               // false when skipped (no text-like regions, or disabled)
  std::vector<std::string> elements;  // visible elements, e.g. "text", "large blue area"
  std::string description;            // one plain-English paragraph
  // What a vision model saw (empty from the builtin analyser).
  std::vector<std::string> subjects;  // "woman", "light jacket", "forest path"
  std::string setting;                // "a forest trail in spring"
  std::string style;                  // "lifestyle photograph"
  std::string mood;                   // "calm, fresh"
  std::vector<std::string> tags;      // short lowercase keywords
};

struct AnalyseOptions {
  bool ocr = true;
};

class ImageAnalyser {
 public:
  virtual ~ImageAnalyser() = default;
  virtual std::string name() const = 0;  // "builtin"
  // `image` is an encoded image (the asset's preview rendition). kInvalidArgument when
  // it cannot be decoded; kUnavailable for a transient engine failure.
  virtual Result<ImageAnalysis> analyse(std::string_view image, const AnalyseOptions& options,
                                        const ModelCall& call) = 0;
};

}  // namespace adloom
