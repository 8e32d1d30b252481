#include "models/bedrock/bedrock_runtime.h"

#include <fmt/format.h>

#include "models/model_call.h"
#include "models/provider_errors.h"
#include "net/encoding.h"

namespace adloom {
namespace {

// The exception name of an error answer: the x-amzn-ErrorType header, else the body's
// code/__type, cut at the first ':' and after any '#' (botocore's rule).
std::string error_type(const OutboundResponse& r, const nlohmann::json& body) {
  std::string type = r.header("x-amzn-errortype");
  if (type.empty() && body.is_object()) {
    for (const char* key : {"code", "Code", "__type"}) {
      if (body.contains(key) && body[key].is_string()) type = body[key].get<std::string>();
    }
  }
  type = type.substr(0, type.find(':'));
  if (const auto hash = type.find('#'); hash != std::string::npos) type = type.substr(hash + 1);
  return type;
}

bool is_content_filter(std::string_view message) {
  return message.find("content filter") != std::string_view::npos ||
         message.find("blocked by our content") != std::string_view::npos;
}

}  // namespace

std::string bedrock_endpoint(std::string_view region) {
  return fmt::format("https://bedrock-runtime.{}.amazonaws.com", region);
}

Result<nlohmann::json> BedrockRuntime::call(std::string_view model, std::string_view operation,
                                            const nlohmann::json& body,
                                            const CallControl& control) const {
  OutboundRequest request;
  request.method = "POST";
  request.url = fmt::format("{}/model/{}/{}", options_.endpoint, uri_encode(model), operation);
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  request.body = body.dump();
  RequestSigner sign;
  if (options_.bearer_token) {
    request.headers.push_back({"Authorization", "Bearer " + *options_.bearer_token});
  } else {
    sign = [this](OutboundRequest& r) {
      SigV4Params params;
      params.region = options_.region;
      params.service = "bedrock";
      return sigv4_sign(r, options_.credentials, params);
    };
  }
  ADLOOM_ASSIGN(OutboundResponse r, http_.send(std::move(request), control, sign));
  if (r.status < 400) return parse_json_body("bedrock", r);

  const nlohmann::json err = nlohmann::json::parse(r.body, nullptr, false);
  const std::string type = error_type(r, err);
  std::string message = err.is_object() && err.contains("message") && err["message"].is_string()
                            ? err["message"].get<std::string>()
                            : error_body_message(r.body);
  if (type == "ValidationException" && is_content_filter(message)) {
    return refused("bedrock (" + std::string(model) + ") refused the request: " + message);
  }
  if (type == "AccessDeniedException") {
    return Status(
        ErrorCode::kFailedPrecondition,
        fmt::format("bedrock: {} AccessDeniedException — enable model access for {} in "
                    "{} (Bedrock console, Model access), or give the credentials ({}) "
                    "bedrock:InvokeModel: {}",
                    r.status, model, options_.region,
                    options_.bearer_token ? "API key" : options_.credentials.source, message));
  }
  if (type == "ExpiredTokenException" || type == "UnrecognizedClientException" ||
      type == "InvalidSignatureException" || type == "MissingAuthenticationTokenException") {
    return Status(
        ErrorCode::kFailedPrecondition,
        fmt::format("bedrock: {} {} — the credentials ({}) were not accepted: {}", r.status, type,
                    options_.bearer_token ? "API key" : options_.credentials.source, message));
  }
  if (type == "ModelNotReadyException") {
    return Status(ErrorCode::kResourceExhausted,
                  "bedrock: " + std::string(model) + " is not ready yet: " + message);
  }
  if (type == "ServiceQuotaExceededException") {
    return Status(ErrorCode::kResourceExhausted, "bedrock: quota exceeded: " + message);
  }
  ProviderErrorHints hints;
  hints.endpoint = options_.endpoint;
  hints.credentials_setting = "providers.bedrock.*";
  return http_error("bedrock", model, r, type.empty() ? message : type + ": " + message, hints);
}

}  // namespace adloom
