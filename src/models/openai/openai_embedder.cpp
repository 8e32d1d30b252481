// OpenAiEmbedder: POST {endpoint}/embeddings, one text per call.
#include <cmath>

#include <fmt/format.h>

#include "models/openai/openai_internal.h"
#include "models/openai/openai_models.h"
#include "models/provider_errors.h"

namespace adloom {

using openai_internal::kProvider;

Result<std::unique_ptr<OpenAiEmbedder>> OpenAiEmbedder::create(HttpClient& http, Options options) {
  if (options.endpoint.empty()) return invalid_argument("the OpenAI embedder needs an endpoint");
  if (options.model.empty()) return invalid_argument("the OpenAI embedder needs a model name");
  if (options.dimension <= 0) {
    return invalid_argument(fmt::format(
        "the embedding model '{}' needs its dimension (the size of its vectors) configured",
        options.model));
  }
  return std::unique_ptr<OpenAiEmbedder>(new OpenAiEmbedder(http, std::move(options)));
}

std::string OpenAiEmbedder::model_id() const {
  return fmt::format("openai:{}:{}", options_.model, options_.dimension);
}

Result<std::vector<float>> OpenAiEmbedder::embed(const EmbedInput& input, const ModelCall& call) {
  if (input.text.empty()) {
    if (!input.image.empty()) {
      return invalid_argument(
          fmt::format("the embedding model '{}' reads text only", options_.model));
    }
    return invalid_argument("nothing to embed: no text and no image");
  }
  // With an image too, only the text is embedded (see the class comment).
  nlohmann::json body = {{"model", options_.model}, {"input", input.text}};
  if (options_.send_dimensions) body["dimensions"] = options_.dimension;
  const openai_internal::Target target{options_.endpoint, options_.api_key, options_.model,
                                       options_.credentials_setting};
  ADLOOM_ASSIGN(const nlohmann::json answer,
                openai_internal::post_json(http_, target, "/embeddings", body, call.control));

  const auto data = answer.is_object() ? answer.find("data") : answer.end();
  if (!answer.is_object() || data == answer.end() || !data->is_array() || data->empty() ||
      !(*data)[0].is_object()) {
    return malformed_answer(kProvider, "no data[0] in the embeddings answer");
  }
  const auto embedding = (*data)[0].find("embedding");
  if (embedding == (*data)[0].end() || !embedding->is_array()) {
    return malformed_answer(kProvider, "data[0].embedding is not an array of numbers");
  }
  if (static_cast<int>(embedding->size()) != options_.dimension) {
    return Status(
        ErrorCode::kFailedPrecondition,
        fmt::format("the embedding model '{}' returned {} dimensions but {} are "
                    "configured (set the dimension to {}, or enable sending "
                    "`dimensions` if the model can shorten its vectors)",
                    options_.model, embedding->size(), options_.dimension, embedding->size()));
  }
  std::vector<float> vector;
  vector.reserve(embedding->size());
  double sum = 0;
  for (const auto& x : *embedding) {
    if (!x.is_number()) return malformed_answer(kProvider, "data[0].embedding holds a non-number");
    const double v = x.get<double>();
    if (!std::isfinite(v))
      return malformed_answer(kProvider, "data[0].embedding holds a non-finite number");
    sum += v * v;
    vector.push_back(static_cast<float>(v));
  }
  // Most servers already normalise; some (older llama.cpp pooling modes) do not, and the
  // index compares by inner product.
  if (sum <= 0) {
    return internal_error(
        fmt::format("the embedding model '{}' returned an all-zero vector", options_.model));
  }
  const double scale = 1.0 / std::sqrt(sum);
  for (float& v : vector) v = static_cast<float>(v * scale);
  return vector;
}

}  // namespace adloom
