// VisionAnalyser: an ImageAnalyser made of a vision language model (any TextModel that
// reads images: Bedrock Converse, OpenAI-compatible chat) and the builtin analyser. The
// builtin analyser measures what it measures well (colours, tone, OCR); the language model
// says what the image shows (description, subjects, setting, style, mood, text, tags) as a
// JSON object that is validated before it is merged in. Provider-neutral: it never sees
// which provider answers.
// Thread safety: analyse() may be called concurrently if both engines allow it (they do).
#pragma once

#include <string>

#include "models/image_analyser.h"
#include "models/text_model.h"

namespace adloom {

// What the model says about an image, validated.
struct VisionDescription {
  std::string description;
  std::vector<std::string> subjects;
  std::string setting;
  std::string style;
  std::string mood;
  std::string text;  // words written in the image
  std::vector<std::string> tags;
};

// The model's answer read as a VisionDescription: the first '{' to the last '}' is parsed
// (fences and prose around it are ignored). kUnavailable "malformed answer …" when it is
// not such an object or `description` is missing or empty (the job tries again).
Result<VisionDescription> parse_vision_description(std::string_view model_text);

// The request sent with each image: instructions and the JSON shape to answer in.
TextRequest vision_request(std::string image_bytes, std::string mime);

class VisionAnalyser final : public ImageAnalyser {
 public:
  // Both must outlive the analyser.
  VisionAnalyser(TextModel& vision, ImageAnalyser& measurer)
      : vision_(vision), measurer_(measurer) {}
  std::string name() const override { return vision_.name(); }
  // The measurer's analysis with the model's description merged in: engine
  // "builtin+<model>", description and subjects from the model, elements = the model's
  // subjects then the measured elements, OCR text from the measurer (or the model's reading
  // when OCR found none). Errors of either engine.
  Result<ImageAnalysis> analyse(std::string_view image, const AnalyseOptions& options,
                                const ModelCall& call) override;

 private:
  TextModel& vision_;
  ImageAnalyser& measurer_;
};

}  // namespace adloom
