// TextModel: a large language model for meta-prompting. Implementations: builtin/ (the
// template composer, offline), then Bedrock and OpenAI-compatible (the providers issue).
// Thread safety: generate() may be called concurrently.
#pragma once

#include <string>

#include "core/status.h"

namespace adloom {

struct TextRequest {
  std::string system;
  std::string prompt;
  // The structured inputs `prompt` was written from (a JSON object), for engines that
  // do not read prose: the built-in template composer reads only these. Language models
  // read system + prompt. The meta-prompt contract is in services/meta_prompt.h.
  std::string input_json;
  int max_tokens = 1024;
  double temperature = 0.7;
};

struct TextResponse {
  std::string text;
  std::string model;  // the model that answered
  int input_tokens = 0;
  int output_tokens = 0;
};

class TextModel {
 public:
  virtual ~TextModel() = default;
  virtual std::string name() const = 0;
  virtual Result<TextResponse> generate(const TextRequest& request) = 0;
};

}  // namespace adloom
