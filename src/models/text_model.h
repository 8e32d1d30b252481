// TextModel: a large language model for meta-prompting and, with images, for describing
// them. Implementations: builtin/ (the template composer, offline), bedrock/ (Converse),
// openai/ (chat completions).
// Thread safety: generate() may be called concurrently.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "models/model_call.h"

namespace adloom {

// An image shown to the model with the prompt.
struct TextImage {
  std::string bytes;  // encoded
  std::string mime;   // "image/jpeg", "image/png", "image/webp", "image/gif"
};

struct TextRequest {
  std::string system;
  std::string prompt;
  std::vector<TextImage> images;  // after the prompt; models without vision refuse them
  // The structured inputs `prompt` was written from (a JSON object), for engines that
  // do not read prose: the built-in template composer reads only these. Language models
  // read system + prompt. The meta-prompt contract is in services/meta_prompt.h.
  std::string input_json;
  int max_tokens = 1024;
  double temperature = 0.7;
};

struct TextResponse {
  std::string text;
  std::string model;  // the engine and model that answered, e.g. "bedrock:amazon.nova-pro-v1:0"
  int input_tokens = 0;
  int output_tokens = 0;
  // Why the model stopped, as the provider says it ("end_turn", "max_tokens", "stop").
  std::string stop_reason;
};

class TextModel {
 public:
  virtual ~TextModel() = default;
  virtual std::string name() const = 0;  // "builtin", "bedrock:amazon.nova-pro-v1:0", …
  // Errors: kRefused (a guardrail or content filter stopped it: the message says why),
  // kInvalidArgument (the request does not suit the model), kUnavailable /
  // kDeadlineExceeded / kResourceExhausted (transient, the tries in call.control spent),
  // kCancelled, kFailedPrecondition (credentials, model access: the message says what to
  // fix), kInternal (the answer could not be read).
  virtual Result<TextResponse> generate(const TextRequest& request, const ModelCall& call) = 0;
};

}  // namespace adloom
