// TextModel: a large language model for meta-prompting. Implementations arrive with the
// campaigns issue (builtin template composer) and the providers issue (Bedrock,
// OpenAI-compatible). Declared here so services can be written against it.
// Thread safety: generate() may be called concurrently.
#pragma once

#include <string>

#include "core/status.h"

namespace adloom {

struct TextRequest {
  std::string system;
  std::string prompt;
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
