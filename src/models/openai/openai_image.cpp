// OpenAiImageModel: POST {endpoint}/images/generations in the OpenAI, LocalAI or
// stable-diffusion.cpp dialect.
#include <fmt/format.h>

#include "imaging/image.h"
#include "models/openai/openai_internal.h"
#include "models/openai/openai_models.h"
#include "models/provider_errors.h"
#include "net/encoding.h"

namespace adloom {
namespace {

using openai_internal::kProvider;

ImageModelLimits limits_for(const OpenAiImageOptions& options) {
  ImageModelLimits l;
  if (options.dialect == OpenAiImageDialect::kOpenAi) {
    // Any requested size within the default sides is made at the closest listed size
    // and fitted.
    l.sizes = options.sizes;
    // OpenAI takes no seed: the seed recorded is adloom's own, so that a creative's
    // provenance stays complete, but the same seed does not reproduce the same image.
    l.max_seed = 4294967295ULL;
    l.max_prompt_chars = 4000;  // dall-e-3's limit; GPT image models take more
    l.negative_prompt = false;
  } else {
    // sd.cpp and LocalAI's stablediffusion-ggml: latent sides in steps of 64.
    l.min_side = 256;
    l.max_side = 2048;
    l.side_multiple = 64;
    l.max_seed = 4294967295ULL;
    l.negative_prompt = true;
  }
  return l;
}

// GPT image models always answer in base64 and reject `response_format`.
bool sends_response_format(const OpenAiImageOptions& options) {
  return !(options.dialect == OpenAiImageDialect::kOpenAi &&
           options.model.starts_with("gpt-image"));
}

nlohmann::json request_body(const OpenAiImageOptions& options, const ImageRequest& request,
                            std::pair<int, int> size) {
  std::string prompt = request.prompt;
  nlohmann::json body = {{"n", 1}, {"size", fmt::format("{}x{}", size.first, size.second)}};
  if (!options.model.empty()) body["model"] = options.model;
  if (sends_response_format(options)) body["response_format"] = "b64_json";
  switch (options.dialect) {
    case OpenAiImageDialect::kOpenAi: break;
    case OpenAiImageDialect::kLocalAi:
      if (!request.negative_prompt.empty()) body["negative_prompt"] = request.negative_prompt;
      body["seed"] = request.seed;
      break;
    case OpenAiImageDialect::kSdCpp: {
      // sd.cpp reads its native parameters from a JSON block at the end of the prompt.
      nlohmann::json extra = {{"seed", request.seed}};
      if (!request.negative_prompt.empty()) extra["negative_prompt"] = request.negative_prompt;
      prompt += fmt::format("<sd_cpp_extra_args>{}</sd_cpp_extra_args>", extra.dump());
      break;
    }
  }
  body["prompt"] = std::move(prompt);
  return body;
}

// A content-policy rejection is a refusal, not a bad request.
Status refusal_hook(const openai_internal::ApiError& error, const OutboundResponse& response) {
  if (response.status == 400 &&
      (error.code == "content_policy_violation" || error.code == "moderation_blocked")) {
    return refused(fmt::format("openai refused the prompt: {}", error.message));
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<OpenAiImageModel>> OpenAiImageModel::create(HttpClient& http,
                                                                   Options options) {
  if (options.endpoint.empty()) return invalid_argument("the OpenAI image model needs an endpoint");
  if (options.dialect == OpenAiImageDialect::kOpenAi) {
    if (options.sizes.empty()) {
      return invalid_argument("the OpenAI image model needs at least one size");
    }
    for (const auto& [w, h] : options.sizes) {
      if (w <= 0 || h <= 0) {
        return invalid_argument(fmt::format("the image size {}x{} is not positive", w, h));
      }
    }
  }
  ImageModelLimits limits = limits_for(options);
  return std::unique_ptr<OpenAiImageModel>(
      new OpenAiImageModel(http, std::move(options), std::move(limits)));
}

std::string OpenAiImageModel::name() const {
  return "openai:" + (options_.model.empty() ? std::string("default") : options_.model);
}

Result<GeneratedImage> OpenAiImageModel::generate(const ImageRequest& request,
                                                  const ModelCall& call) {
  if (request.width < 1 || request.height < 1) {
    return invalid_argument("width and height must be positive");
  }
  const auto size = model_size(limits_, request.width, request.height);
  const openai_internal::Target target{options_.endpoint, options_.api_key, options_.model,
                                       options_.credentials_setting};
  ADLOOM_ASSIGN(const nlohmann::json answer,
                openai_internal::post_json(http_, target, "/images/generations",
                                           request_body(options_, request, size), call.control,
                                           &refusal_hook));

  const auto data = answer.is_object() ? answer.find("data") : answer.end();
  if (!answer.is_object() || data == answer.end() || !data->is_array() || data->empty() ||
      !(*data)[0].is_object()) {
    return malformed_answer(kProvider, "no data[0] in the images answer");
  }
  const auto b64 = (*data)[0].find("b64_json");
  if (b64 == (*data)[0].end() || !b64->is_string()) {
    return malformed_answer(kProvider,
                            "data[0].b64_json is missing (is response_format honoured?)");
  }
  auto bytes = base64_decode(b64->get<std::string>());
  if (!bytes) return malformed_answer(kProvider, "data[0].b64_json is not base64");
  auto info = probe_image(*bytes, IntakeLimits{});
  if (!info) {
    return malformed_answer(kProvider,
                            "data[0].b64_json is not an image: " + info.status().message());
  }

  GeneratedImage out;
  out.model = name();
  if (info->width == request.width && info->height == request.height) {
    out.bytes = std::move(bytes).value();
    out.mime = info->mime;
  } else {
    ADLOOM_ASSIGN(EncodedImage fitted, fit_image(*bytes, request.width, request.height));
    out.bytes = std::move(fitted.bytes);
    out.mime = fitted.mime;
  }
  out.width = request.width;
  out.height = request.height;
  return out;
}

}  // namespace adloom
