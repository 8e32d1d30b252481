// BedrockRuntime: the calls every Bedrock adapter makes — POST /model/{id}/invoke and
// /model/{id}/converse on the Bedrock Runtime endpoint — signed with SigV4 (service
// "bedrock") or sent with a Bedrock API key, and Bedrock's error shapes turned into
// Status values in one place. The adapters (bedrock_models.h) build the bodies.
// Thread safety: call() may be used from any thread; the object is immutable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "net/http_client.h"
#include "net/sigv4.h"

namespace adloom {

struct BedrockOptions {
  std::string endpoint;        // "https://bedrock-runtime.us-east-1.amazonaws.com", no trailing /
  std::string region;          // the signing region
  AwsCredentials credentials;  // used when there is no bearer token
  std::optional<std::string> bearer_token;  // a Bedrock API key: sent instead of SigV4
};

class BedrockRuntime {
 public:
  // `http` must outlive this object.
  BedrockRuntime(HttpClient& http, BedrockOptions options)
      : http_(http), options_(std::move(options)) {}

  // The answer of `operation` ("invoke" or "converse") of `model`, parsed. Errors: Bedrock's
  // exceptions mapped to codes — ValidationException: kRefused when it is a content filter
  // ("blocked by our content filters"), else kInvalidArgument; AccessDeniedException and
  // credential problems: kFailedPrecondition saying what to enable or fix ("enable model
  // access for x in us-east-1"); ResourceNotFoundException: kFailedPrecondition;
  // ThrottlingException / ModelNotReadyException: kResourceExhausted; ModelTimeoutException:
  // kDeadlineExceeded; 5xx: kUnavailable; and those of HttpClient::send.
  Result<nlohmann::json> call(std::string_view model, std::string_view operation,
                              const nlohmann::json& body, const CallControl& control) const;

  const std::string& region() const { return options_.region; }

 private:
  HttpClient& http_;
  BedrockOptions options_;
};

// The default endpoint of a region: https://bedrock-runtime.<region>.amazonaws.com.
std::string bedrock_endpoint(std::string_view region);

}  // namespace adloom
