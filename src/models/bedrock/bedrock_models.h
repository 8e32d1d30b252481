// Amazon Bedrock behind the model interfaces:
//   BedrockTextModel  TextModel through Converse: any Converse model (Nova Pro/Lite, Claude,
//                     Llama, …), with images for vision; token usage reported.
//   BedrockEmbedder   Embedder: Titan Multimodal Embeddings G1 (256/384/1024; text and image
//                     in one call, averaged by the model) or Nova Multimodal Embeddings
//                     (256/384/1024/3072; one input per call, averaged here).
//   BedrockImageModel ImageModel: Nova Canvas / Titan Image (TEXT_IMAGE with negative text,
//                     COLOR_GUIDED_GENERATION from the brand palette, IMAGE_VARIATION for
//                     variations) and the Stability models (aspect ratios, one image a call).
// Wire formats: ../shared/reference/providers.md §2–5. Thread safety: all calls may run
// concurrently (the runtime is shared and immutable).
#pragma once

#include <string>

#include "models/bedrock/bedrock_runtime.h"
#include "models/embedder.h"
#include "models/image_model.h"
#include "models/text_model.h"

namespace adloom {

class BedrockTextModel final : public TextModel {
 public:
  // `max_tokens` caps TextRequest::max_tokens.
  BedrockTextModel(const BedrockRuntime& runtime, std::string model, int max_tokens)
      : runtime_(runtime), model_(std::move(model)), max_tokens_(max_tokens) {}
  std::string name() const override { return "bedrock:" + model_; }
  // A stop for a guardrail or content filter (stopReason guardrail_intervened,
  // content_filtered) is kRefused with the model's own words.
  Result<TextResponse> generate(const TextRequest& request, const ModelCall& call) override;

 private:
  const BedrockRuntime& runtime_;
  std::string model_;
  int max_tokens_;
};

class BedrockEmbedder final : public Embedder {
 public:
  // kInvalidArgument when the model is neither Titan Multimodal nor Nova Multimodal, or
  // the dimension is not one the model offers.
  static Result<std::unique_ptr<BedrockEmbedder>> create(const BedrockRuntime& runtime,
                                                         std::string model, int dimension);
  std::string model_id() const override;  // "bedrock:<model>:<dimension>"
  int dimension() const override { return dimension_; }
  int image_side() const override { return 1024; }
  Result<std::vector<float>> embed(const EmbedInput& input, const ModelCall& call) override;

 private:
  BedrockEmbedder(const BedrockRuntime& runtime, std::string model, int dimension, bool nova)
      : runtime_(runtime), model_(std::move(model)), dimension_(dimension), nova_(nova) {}
  Result<std::vector<float>> titan(const EmbedInput& input, const ModelCall& call) const;
  Result<std::vector<float>> nova(const EmbedInput& input, const ModelCall& call) const;

  const BedrockRuntime& runtime_;
  std::string model_;
  int dimension_;
  bool nova_;
};

class BedrockImageModel final : public ImageModel {
 public:
  // Stability models by their "stability." prefix; every other id takes the Nova Canvas /
  // Titan Image request.
  BedrockImageModel(const BedrockRuntime& runtime, std::string model);
  std::string name() const override { return "bedrock:" + model_; }
  const ImageModelLimits& limits() const override { return limits_; }
  Result<GeneratedImage> generate(const ImageRequest& request, const ModelCall& call) override;

 private:
  Result<std::string> canvas(const ImageRequest& request, int width, int height,
                             const ModelCall& call) const;
  Result<std::string> stability(const ImageRequest& request, const ModelCall& call) const;

  const BedrockRuntime& runtime_;
  std::string model_;
  bool stability_;
  ImageModelLimits limits_;
};

}  // namespace adloom
