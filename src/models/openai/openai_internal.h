// What the three OpenAI-compatible adapters share: how a request is built and sent, and
// how OpenAI's error shape {"error":{"message","type","param","code"}} becomes a Status.
// Private to src/models/openai/.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "net/http_client.h"

namespace adloom::openai_internal {

inline constexpr std::string_view kProvider = "openai";

// Where and as whom to call.
struct Target {
  std::string_view endpoint;  // base URL incl. /v1; a trailing slash is tolerated
  std::string_view api_key;   // empty: no Authorization header
  std::string_view model;     // for error messages
  std::string_view credentials_setting;
};

// The provider's error, read from an OpenAI-shaped body.
struct ApiError {
  std::string message;  // "code: message" when there is a code
  std::string code;     // "content_policy_violation", "invalid_api_key"; may be empty
};
ApiError api_error(std::string_view body);

// POSTs `body` as JSON to {endpoint}{path} and returns the parsed answer of a 2xx response.
// A response >= 400 is returned as the mapped Status unless `on_error` (may be null)
// returns a non-ok Status for it first (content filters); a 2xx body that is not JSON is
// kUnavailable.
using ErrorHook = Status (*)(const ApiError& error, const OutboundResponse& response);
Result<nlohmann::json> post_json(HttpClient& http, const Target& target, std::string_view path,
                                 const nlohmann::json& body, const CallControl& control,
                                 ErrorHook on_error = nullptr);

}  // namespace adloom::openai_internal
