#include "models/automatic1111/a1111_image_model.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "imaging/image.h"
#include "models/provider_errors.h"
#include "net/encoding.h"

namespace adloom {
namespace {

constexpr std::string_view kProvider = "automatic1111";

// Safety-checker extensions report a withheld image as an error; the words vary.
bool mentions_content_filter(std::string_view message) {
  const std::string m = lower_ascii(std::string(message));
  return m.find("nsfw") != std::string::npos || m.find("content filter") != std::string::npos ||
         m.find("content_filter") != std::string::npos ||
         m.find("safety checker") != std::string::npos;
}

// A1111 echoes `info` as a JSON document inside a string.
Result<std::int64_t> seed_used(const nlohmann::json& answer) {
  const auto info = answer.find("info");
  if (info == answer.end() || !info->is_string()) {
    return malformed_answer(kProvider, "no `info` string in the answer");
  }
  const auto parsed = nlohmann::json::parse(info->get<std::string>(), nullptr, false);
  if (!parsed.is_object()) return malformed_answer(kProvider, "`info` is not a JSON object");
  const auto seed = parsed.find("seed");
  if (seed == parsed.end() || !seed->is_number_integer()) {
    return malformed_answer(kProvider, "`info` has no integer seed");
  }
  return seed->get<std::int64_t>();
}

// The image at exactly width × height: as made when the server made that size, else
// fitted (scaled to cover, centre-cropped).
Result<GeneratedImage> exact_size(std::string bytes, int width, int height, std::string model) {
  auto info = probe_image(bytes, IntakeLimits{});
  if (!info) {
    return malformed_answer(kProvider, "images[0] is not an image: " + info.status().message());
  }
  GeneratedImage made;
  made.model = std::move(model);
  made.width = width;
  made.height = height;
  if (info->width == width && info->height == height) {
    made.bytes = std::move(bytes);
    made.mime = info->mime;
    return made;
  }
  ADLOOM_ASSIGN(EncodedImage fitted, fit_image(bytes, width, height));
  made.bytes = std::move(fitted.bytes);
  made.mime = fitted.mime;
  return made;
}

nlohmann::json request_body(const A1111ImageOptions& options, const ImageModelLimits& limits,
                            const ImageRequest& request) {
  const auto [width, height] = model_size(limits, request.width, request.height);
  nlohmann::json body = {{"prompt", request.prompt},
                         {"negative_prompt", request.negative_prompt},
                         {"seed", static_cast<std::int64_t>(request.seed)},
                         {"width", width},
                         {"height", height},
                         {"steps", options.steps},
                         {"cfg_scale", options.cfg_scale},
                         {"sampler_name", options.sampler_name},
                         {"batch_size", 1},
                         {"n_iter", 1}};
  if (!options.model.empty()) {
    body["override_settings"] = {{"sd_model_checkpoint", options.model}};
  }
  if (!request.init_image.empty()) {
    body["init_images"] = nlohmann::json::array({base64_encode(request.init_image)});
    body["denoising_strength"] = options.denoising_strength;
  }
  return body;
}

// The Status for a response >= 400.
Status error_status(const A1111ImageOptions& options, const OutboundResponse& response,
                    std::string_view endpoint) {
  const std::string said = error_body_message(response.body);
  if (response.status >= 500 && mentions_content_filter(said)) {
    return refused(fmt::format("AUTOMATIC1111 withheld the image: {}", said));
  }
  if (response.status == 404) {
    return {
        ErrorCode::kFailedPrecondition,
        fmt::format("{} has no /sdapi/v1 API: start the web UI with --api ({})", endpoint, said)};
  }
  return http_error(kProvider, options.model.empty() ? "default" : options.model, response, said,
                    {.endpoint = endpoint, .credentials_setting = {}});
}

}  // namespace

Result<std::unique_ptr<A1111ImageModel>> A1111ImageModel::create(HttpClient& http,
                                                                 Options options) {
  if (options.endpoint.empty()) return invalid_argument("AUTOMATIC1111 needs an endpoint");
  if (options.steps < 1 || options.steps > 150) {
    return invalid_argument(
        fmt::format("AUTOMATIC1111 steps must be 1..150, not {}", options.steps));
  }
  if (options.cfg_scale < 1 || options.cfg_scale > 30) {
    return invalid_argument(
        fmt::format("AUTOMATIC1111 cfg_scale must be 1..30, not {}", options.cfg_scale));
  }
  if (options.denoising_strength < 0 || options.denoising_strength > 1) {
    return invalid_argument(fmt::format("AUTOMATIC1111 denoising_strength must be 0..1, not {}",
                                        options.denoising_strength));
  }
  if (options.sampler_name.empty()) return invalid_argument("AUTOMATIC1111 needs a sampler name");
  return std::unique_ptr<A1111ImageModel>(new A1111ImageModel(http, std::move(options)));
}

A1111ImageModel::A1111ImageModel(HttpClient& http, Options options)
    : http_(http), options_(std::move(options)) {
  limits_.min_side = 64;
  limits_.max_side = 2048;
  limits_.side_multiple = 8;
  limits_.max_seed = 2147483647ULL;
  limits_.negative_prompt = true;
  limits_.variations = true;
}

std::string A1111ImageModel::name() const {
  return fmt::format("automatic1111:{}", options_.model.empty() ? "default" : options_.model);
}

Result<GeneratedImage> A1111ImageModel::generate(const ImageRequest& request,
                                                 const ModelCall& call) {
  if (request.width < 1 || request.height < 1) {
    return invalid_argument("width and height must be positive");
  }
  if (request.seed > limits_.max_seed) {
    return invalid_argument(fmt::format("the seed {} is above AUTOMATIC1111's largest, {}",
                                        request.seed, limits_.max_seed));
  }
  const bool img2img = !request.init_image.empty();
  std::string_view base = options_.endpoint;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  OutboundRequest out;
  out.method = "POST";
  out.url = fmt::format("{}/sdapi/v1/{}", base, img2img ? "img2img" : "txt2img");
  out.headers.push_back({"Content-Type", "application/json"});
  if (!options_.api_auth.empty()) {
    out.headers.push_back({"Authorization", "Basic " + base64_encode(options_.api_auth)});
  }
  out.body = request_body(options_, limits_, request).dump();
  ADLOOM_ASSIGN(const OutboundResponse response, http_.send(std::move(out), call.control));
  if (response.status >= 400) return error_status(options_, response, base);

  ADLOOM_ASSIGN(const nlohmann::json answer, parse_json_body(kProvider, response));
  if (!answer.is_object()) return malformed_answer(kProvider, "the answer is not an object");
  const auto images = answer.find("images");
  if (images == answer.end() || !images->is_array() || images->empty() ||
      !(*images)[0].is_string()) {
    return malformed_answer(kProvider, "no images[0] in the answer");
  }
  ADLOOM_ASSIGN(const std::int64_t seed, seed_used(answer));
  if (seed != static_cast<std::int64_t>(request.seed)) {
    return internal_error(
        fmt::format("AUTOMATIC1111 used seed {} instead of {}", seed, request.seed));
  }
  std::string_view encoded = (*images)[0].get_ref<const std::string&>();
  if (encoded.starts_with("data:")) {  // some builds send a data: URL
    const auto comma = encoded.find(',');
    encoded.remove_prefix(comma == std::string_view::npos ? encoded.size() : comma + 1);
  }
  auto bytes = base64_decode(encoded);
  if (!bytes) return malformed_answer(kProvider, "images[0] is not base64");
  return exact_size(std::move(bytes).value(), request.width, request.height, name());
}

}  // namespace adloom
