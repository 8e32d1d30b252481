#include "models/bedrock/bedrock_models.h"

#include <cmath>

#include <fmt/format.h>

#include "imaging/image.h"
#include "models/provider_errors.h"
#include "net/encoding.h"

namespace adloom {
namespace {

using nlohmann::json;

// Bedrock's image block formats; TIFF is not one of them.
Result<std::string> bedrock_image_format(std::string_view bytes) {
  const std::string format = image_format_of(bytes);
  if (format == "jpeg" || format == "png" || format == "webp" || format == "gif") return format;
  return invalid_argument("Bedrock reads JPEG, PNG, WebP and GIF images only");
}

Result<std::vector<float>> read_vector(const json& v, int dimension, std::string_view model) {
  if (!v.is_array() || v.empty()) return malformed_answer("bedrock", "no embedding");
  if (static_cast<int>(v.size()) != dimension) {
    return Status(ErrorCode::kFailedPrecondition,
                  fmt::format("bedrock: {} returned {} dimensions, embedder.dimension is {}", model,
                              v.size(), dimension));
  }
  std::vector<float> out;
  out.reserve(v.size());
  for (const auto& x : v) {
    if (!x.is_number()) return malformed_answer("bedrock", "an embedding value is not a number");
    out.push_back(x.get<float>());
  }
  return out;
}

void normalise(std::vector<float>& v) {
  double norm = 0;
  for (float x : v) norm += static_cast<double>(x) * x;
  norm = std::sqrt(norm);
  if (norm > 0) {
    for (float& x : v) x = static_cast<float>(x / norm);
  }
}

// Titan reads at most 256 tokens of text: the start of it, cut between words.
std::string titan_text(const std::string& text) {
  constexpr std::size_t kMaxChars = 900;
  if (text.size() <= kMaxChars) return text;
  std::size_t cut = text.rfind(' ', kMaxChars);
  return text.substr(0, cut == std::string::npos ? kMaxChars : cut);
}

// The Stability models take an aspect ratio, not a size: these are their outputs.
struct StabilityAspect {
  const char* ratio;
  int width;
  int height;
};
constexpr StabilityAspect kStabilityAspects[] = {
    {"1:1", 1024, 1024}, {"16:9", 1344, 768}, {"21:9", 1536, 640},
    {"2:3", 832, 1248},  {"3:2", 1216, 832},  {"4:5", 896, 1120},
    {"5:4", 1120, 896},  {"9:16", 768, 1344}, {"9:21", 640, 1536}};

}  // namespace

Result<TextResponse> BedrockTextModel::generate(const TextRequest& request, const ModelCall& call) {
  json content = json::array({{{"text", request.prompt}}});
  for (const TextImage& image : request.images) {
    ADLOOM_ASSIGN(std::string format, bedrock_image_format(image.bytes));
    content.push_back(
        {{"image", {{"format", format}, {"source", {{"bytes", base64_encode(image.bytes)}}}}}});
  }
  json body = {{"messages", json::array({{{"role", "user"}, {"content", content}}})},
               {"inferenceConfig",
                {{"maxTokens", std::min(request.max_tokens, max_tokens_)},
                 {"temperature", std::clamp(request.temperature, 0.0, 1.0)}}}};
  if (!request.system.empty()) body["system"] = json::array({{{"text", request.system}}});
  ADLOOM_ASSIGN(json answer, runtime_.call(model_, "converse", body, call.control));

  TextResponse out;
  out.model = name();
  out.stop_reason = answer.value("stopReason", "");
  const json* blocks = nullptr;
  if (answer.contains("output") && answer["output"].contains("message") &&
      answer["output"]["message"].contains("content")) {
    blocks = &answer["output"]["message"]["content"];
  }
  if (blocks == nullptr || !blocks->is_array()) {
    return malformed_answer("bedrock", "no output.message.content");
  }
  for (const auto& block : *blocks) {
    if (block.contains("text") && block["text"].is_string())
      out.text += block["text"].get<std::string>();
  }
  if (answer.contains("usage") && answer["usage"].is_object()) {
    out.input_tokens = answer["usage"].value("inputTokens", 0);
    out.output_tokens = answer["usage"].value("outputTokens", 0);
  }
  if (out.stop_reason == "guardrail_intervened" || out.stop_reason == "content_filtered") {
    return refused(fmt::format("bedrock ({}) stopped the answer ({}): {}", model_, out.stop_reason,
                               clip_text(out.text, 300)));
  }
  return out;
}

Result<std::unique_ptr<BedrockEmbedder>> BedrockEmbedder::create(const BedrockRuntime& runtime,
                                                                 std::string model, int dimension) {
  const bool nova =
      model.find("nova") != std::string::npos && model.find("embed") != std::string::npos;
  const bool titan = model.starts_with("amazon.titan-embed-image");
  if (!nova && !titan) {
    return invalid_argument("models.embed.model '" + model +
                            "' is not a Bedrock multimodal embedding model: use "
                            "amazon.titan-embed-image-v1 or "
                            "amazon.nova-2-multimodal-embeddings-v1:0");
  }
  const std::vector<int> sizes =
      nova ? std::vector<int>{256, 384, 1024, 3072} : std::vector<int>{256, 384, 1024};
  if (std::find(sizes.begin(), sizes.end(), dimension) == sizes.end()) {
    return invalid_argument(fmt::format("embedder.dimension = {} is not one {} offers ({})",
                                        dimension, model, fmt::join(sizes, ", ")));
  }
  return std::unique_ptr<BedrockEmbedder>(
      new BedrockEmbedder(runtime, std::move(model), dimension, nova));
}

std::string BedrockEmbedder::model_id() const {
  return fmt::format("bedrock:{}:{}", model_, dimension_);
}

Result<std::vector<float>> BedrockEmbedder::embed(const EmbedInput& input, const ModelCall& call) {
  if (input.text.empty() && input.image.empty()) {
    return invalid_argument("nothing to embed: no text and no image");
  }
  ADLOOM_ASSIGN(std::vector<float> v, nova_ ? nova(input, call) : titan(input, call));
  normalise(v);
  return v;
}

Result<std::vector<float>> BedrockEmbedder::titan(const EmbedInput& input,
                                                  const ModelCall& call) const {
  // Given both, Titan returns the average of the text and image embeddings itself.
  json body = {{"embeddingConfig", {{"outputEmbeddingLength", dimension_}}}};
  if (!input.text.empty()) body["inputText"] = titan_text(input.text);
  if (!input.image.empty()) {
    ADLOOM_TRY(bedrock_image_format(input.image).status());
    body["inputImage"] = base64_encode(input.image);
  }
  ADLOOM_ASSIGN(json answer, runtime_.call(model_, "invoke", body, call.control));
  if (answer.contains("message") && answer["message"].is_string() &&
      !answer["message"].get<std::string>().empty()) {
    return malformed_answer("bedrock", answer["message"].get<std::string>());
  }
  return read_vector(answer.value("embedding", json()), dimension_, model_);
}

Result<std::vector<float>> BedrockEmbedder::nova(const EmbedInput& input,
                                                 const ModelCall& call) const {
  // One input per call; an item with text and an image is the mean of the two, as Titan
  // does it, so text queries and image queries both land near it.
  const std::string purpose = input.query ? "GENERIC_RETRIEVAL" : "GENERIC_INDEX";
  std::vector<json> inputs;
  if (!input.text.empty()) {
    inputs.push_back(
        {{"text", {{"truncationMode", "END"}, {"value", input.text.substr(0, 8000)}}}});
  }
  if (!input.image.empty()) {
    ADLOOM_ASSIGN(std::string format, bedrock_image_format(input.image));
    inputs.push_back({{"image",
                       {{"format", format},
                        {"detailLevel", "STANDARD_IMAGE"},
                        {"source", {{"bytes", base64_encode(input.image)}}}}}});
  }
  std::vector<float> sum(static_cast<std::size_t>(dimension_), 0.0F);
  for (const json& one : inputs) {
    json params = {{"embeddingPurpose", purpose}, {"embeddingDimension", dimension_}};
    params.update(one);
    const json body = {{"schemaVersion", "nova-multimodal-embed-v1"},
                       {"taskType", "SINGLE_EMBEDDING"},
                       {"singleEmbeddingParams", params}};
    ADLOOM_ASSIGN(json answer, runtime_.call(model_, "invoke", body, call.control));
    if (!answer.contains("embeddings") || !answer["embeddings"].is_array() ||
        answer["embeddings"].empty()) {
      return malformed_answer("bedrock", "no embeddings[0]");
    }
    ADLOOM_ASSIGN(
        std::vector<float> v,
        read_vector(answer["embeddings"][0].value("embedding", json()), dimension_, model_));
    normalise(v);
    for (std::size_t i = 0; i < v.size(); ++i) sum[i] += v[i];
  }
  return sum;
}

BedrockImageModel::BedrockImageModel(const BedrockRuntime& runtime, std::string model)
    : runtime_(runtime), model_(std::move(model)), stability_(model_.starts_with("stability.")) {
  if (stability_) {
    for (const auto& a : kStabilityAspects) limits_.sizes.emplace_back(a.width, a.height);
    limits_.max_seed = 4294967294ULL;
    limits_.max_prompt_chars = 10000;
  } else {
    // Nova Canvas / Titan Image: sides 320–4096 in multiples of 16, under 4.19 MP, 1:4 to
    // 4:1; AWS's own samples draw seeds from 0–858,993,459.
    limits_.min_side = 320;
    limits_.max_side = 4096;
    limits_.side_multiple = 16;
    limits_.max_pixels = 4194303;
    limits_.max_aspect = 4.0;
    limits_.max_seed = 858993459;
    limits_.max_prompt_chars = 1024;
    limits_.variations = true;
    limits_.palette_guidance = true;
  }
}

Result<GeneratedImage> BedrockImageModel::generate(const ImageRequest& request,
                                                   const ModelCall& call) {
  if (request.seed > limits_.max_seed) {
    return invalid_argument(fmt::format("the seed {} is above {}'s largest, {}", request.seed,
                                        model_, limits_.max_seed));
  }
  const auto [width, height] = model_size(limits_, request.width, request.height);
  ADLOOM_ASSIGN(std::string bytes,
                stability_ ? stability(request, call) : canvas(request, width, height, call));
  GeneratedImage out;
  out.model = name();
  // Bytes at the requested size are kept exactly as the model made them (with its own
  // content credentials); others are fitted, which re-encodes them.
  if (width == request.width && height == request.height && !stability_) {
    out.bytes = std::move(bytes);
    out.mime = "image/png";
  } else {
    ADLOOM_ASSIGN(EncodedImage fitted, fit_image(bytes, request.width, request.height));
    out.bytes = std::move(fitted.bytes);
    out.mime = fitted.mime;
  }
  out.width = request.width;
  out.height = request.height;
  return out;
}

Result<std::string> BedrockImageModel::canvas(const ImageRequest& request, int width, int height,
                                              const ModelCall& call) const {
  const std::string text = request.prompt.substr(0, limits_.max_prompt_chars);
  const std::string negative = request.negative_prompt.substr(0, limits_.max_prompt_chars);
  json body;
  json params = {{"text", text}};
  if (!negative.empty()) params["negativeText"] = negative;
  if (!request.init_image.empty()) {
    ADLOOM_TRY(bedrock_image_format(request.init_image).status());
    body["taskType"] = "IMAGE_VARIATION";
    params["images"] = json::array({base64_encode(request.init_image)});
    params["similarityStrength"] = 0.7;
    body["imageVariationParams"] = params;
  } else if (!request.palette.empty()) {
    body["taskType"] = "COLOR_GUIDED_GENERATION";
    std::vector<std::string> colours(
        request.palette.begin(), request.palette.begin() + static_cast<long>(std::min<std::size_t>(
                                                               10, request.palette.size())));
    for (auto& c : colours) {
      for (char& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    params["colors"] = colours;
    body["colorGuidedGenerationParams"] = params;
  } else {
    body["taskType"] = "TEXT_IMAGE";
    body["textToImageParams"] = params;
  }
  body["imageGenerationConfig"] = {
      {"numberOfImages", 1}, {"width", width},
      {"height", height},    {"quality", request.quality == "premium" ? "premium" : "standard"},
      {"cfgScale", 6.5},     {"seed", request.seed}};
  ADLOOM_ASSIGN(json answer, runtime_.call(model_, "invoke", body, call.control));
  const std::string error = answer.contains("error") && answer["error"].is_string()
                                ? answer["error"].get<std::string>()
                                : "";
  if (!answer.contains("images") || !answer["images"].is_array() || answer["images"].empty() ||
      !answer["images"][0].is_string()) {
    // Output moderation is not an exception: HTTP 200 with `error` and no image.
    if (!error.empty()) return refused("bedrock (" + model_ + ") refused the image: " + error);
    return malformed_answer("bedrock", "no images[0]");
  }
  auto decoded = base64_decode(answer["images"][0].get<std::string>());
  if (!decoded) return malformed_answer("bedrock", "images[0] is not base64");
  return std::move(decoded).value();
}

Result<std::string> BedrockImageModel::stability(const ImageRequest& request,
                                                 const ModelCall& call) const {
  const auto [width, height] = model_size(limits_, request.width, request.height);
  std::string ratio = "1:1";
  for (const auto& a : kStabilityAspects) {
    if (a.width == width && a.height == height) ratio = a.ratio;
  }
  json body = {{"prompt", request.prompt.substr(0, limits_.max_prompt_chars)},
               {"aspect_ratio", ratio},
               {"seed", request.seed},
               {"output_format", "png"}};
  if (!request.negative_prompt.empty()) body["negative_prompt"] = request.negative_prompt;
  ADLOOM_ASSIGN(json answer, runtime_.call(model_, "invoke", body, call.control));
  if (answer.contains("finish_reasons") && answer["finish_reasons"].is_array() &&
      !answer["finish_reasons"].empty() && answer["finish_reasons"][0].is_string()) {
    const std::string reason = answer["finish_reasons"][0].get<std::string>();
    if (reason.find("Filter") != std::string::npos) {
      return refused("bedrock (" + model_ + ") refused the image: " + reason);
    }
    return Status(ErrorCode::kUnavailable, "bedrock (" + model_ + ") made no image: " + reason);
  }
  if (!answer.contains("images") || !answer["images"].is_array() || answer["images"].empty() ||
      !answer["images"][0].is_string()) {
    return malformed_answer("bedrock", "no images[0]");
  }
  auto decoded = base64_decode(answer["images"][0].get<std::string>());
  if (!decoded) return malformed_answer("bedrock", "images[0] is not base64");
  return std::move(decoded).value();
}

}  // namespace adloom
