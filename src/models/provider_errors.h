// Provider errors mapped in one place: every remote model adapter (OpenAI-compatible,
// AUTOMATIC1111, ComfyUI, Bedrock) turns a failed HTTP answer into a Status here, so the
// same HTTP status means the same ErrorCode whichever provider sent it, and the message
// tells a person what to fix. Adapters only extract the provider's own message from its
// error body (each provider shapes it differently) and catch their special cases (content
// filters) before calling http_error().
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "net/http_client.h"

namespace adloom {

// What the message of an error may point at. All optional.
struct ProviderErrorHints {
  std::string_view endpoint;  // base URL: "model 'x' not found on http://127.0.0.1:8080/v1"
  // The setting holding the credentials: "providers.openai.api_key". Empty: "the
  // credentials".
  std::string_view credentials_setting;
};

// The Status for a final response whose status is >= 400 (kInternal for a status below:
// a bug in the caller). `provider_message` is what the provider said (its error body's
// message, with its error code first when it has one: "invalid_api_key: Incorrect API
// key provided"); empty: the start of the body is used. Mapping:
//   400, 413, 422  kInvalidArgument    "openai rejected the request: …"
//   401, 403       kFailedPrecondition "openai: 401 invalid_api_key: … — check …"
//   404            kFailedPrecondition "model 'x' not found on <endpoint>: …"
//   408, 504       kDeadlineExceeded
//   429            kResourceExhausted
//   5xx            kUnavailable
//   other 4xx      kFailedPrecondition (the server does not speak the API we expect)
Status http_error(std::string_view provider, std::string_view model, const OutboundResponse& r,
                  std::string_view provider_message, const ProviderErrorHints& hints = {});

// The body of `r` parsed as JSON. A body that does not parse (truncated, HTML from a proxy)
// is kUnavailable "malformed answer from <provider>: …": a cut-off answer is transient.
Result<nlohmann::json> parse_json_body(std::string_view provider, const OutboundResponse& r);

// kUnavailable "malformed answer from <provider>: <what>", for a body that parsed but lacks
// what the adapter needs (`what`: "no choices[0].message").
Status malformed_answer(std::string_view provider, std::string_view what);

// The most telling message in an error body of any common shape — OpenAI's
// {"error":{"message","code"}}, FastAPI's {"detail": "…" | [{"loc","msg"}]}, A1111's
// {"error","detail"}, {"message"} — or the start of the body when it is not JSON. Never
// longer than ~500 characters (bodies may be whole HTML pages).
std::string error_body_message(std::string_view body);

// `text` cut to at most `max` bytes (on a UTF-8 boundary) with "…" appended when cut.
std::string clip_text(std::string_view text, std::size_t max);

}  // namespace adloom
