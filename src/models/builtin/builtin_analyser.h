// BuiltinAnalyser: the offline ImageAnalyser ("builtin"). Colours and tone come from a
// 512 px decode (k-means in Lab, see imaging/colour.h); text from Tesseract on a larger
// decode, run only when the cheap detector sees glyph-like structure; elements and the
// description are composed from those measurements by fixed rules, so the same image
// always gives the same analysis.
#pragma once

#include <string>
#include <string_view>

#include "models/builtin/ocr.h"
#include "models/image_analyser.h"

namespace adloom {

struct BuiltinAnalyserOptions {
  int colour_side = 512;  // decode size for colours, tone and the text detector
  int ocr_side = 1600;    // decode size for OCR (longer side, never upscaled by decode)
  OcrOptions ocr;
};

class BuiltinAnalyser final : public ImageAnalyser {
 public:
  explicit BuiltinAnalyser(BuiltinAnalyserOptions options = {});

  std::string name() const override { return "builtin"; }
  // Thread safe. Calls init_imaging() itself. Orientation and aspect are measured on the
  // 512 px decode, whose aspect ratio matches the original to within a pixel's rounding.
  Result<ImageAnalysis> analyse(std::string_view image, const AnalyseOptions& options,
                                const ModelCall& call) override;

 private:
  BuiltinAnalyserOptions options_;
  Ocr ocr_;
};

}  // namespace adloom
