// Adapters for OpenAI-compatible HTTP APIs (providers.md §6): OpenAI itself and the local
// servers that speak its dialect — llama.cpp `llama-server`, vLLM, Ollama (`/v1`),
// LocalAI, stable-diffusion.cpp's server. One class per interface:
//   OpenAiTextModel   POST {endpoint}/chat/completions
//   OpenAiEmbedder    POST {endpoint}/embeddings
//   OpenAiImageModel  POST {endpoint}/images/generations
// Each borrows the provider's HttpClient (owned by the composition root, shared by all
// adapters of that provider, and outliving them): timeouts, retries, the circuit breaker
// and the concurrency limit are decided there, not here. Errors are mapped by
// models/provider_errors.h.
//
// Thread safety: every method may be called concurrently (the adapters hold only
// immutable options).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/embedder.h"
#include "models/image_model.h"
#include "models/text_model.h"
#include "net/http_client.h"

namespace adloom {

struct OpenAiTextOptions {
  // Base URL including the version prefix, without a trailing slash:
  // "https://api.openai.com/v1", "http://127.0.0.1:8080/v1" (llama-server),
  // "http://127.0.0.1:11434/v1" (Ollama).
  std::string endpoint;
  std::string api_key;  // sent as "Authorization: Bearer …"; empty: no header (local servers)
  std::string model;    // "gpt-4o-mini", "llama3.2-vision"; required
  // Where the key is configured, named in the message of a 401/403.
  std::string credentials_setting = "providers.openai.api_key";
};

class OpenAiTextModel final : public TextModel {
 public:
  using Options = OpenAiTextOptions;
  // `http` must outlive the model. kInvalidArgument for an empty endpoint or model.
  static Result<std::unique_ptr<OpenAiTextModel>> create(HttpClient& http, Options options);

  std::string name() const override { return "openai:" + options_.model; }
  // One system message (when request.system is set) and one user message: the prompt as a
  // string, or, with images, an array of a text part followed by one image_url part per
  // image as a data: URL. finish_reason "content_filter" (or a `refusal` in the message)
  // is kRefused; a 400 is kInvalidArgument (e.g. images sent to a model without vision).
  Result<TextResponse> generate(const TextRequest& request, const ModelCall& call) override;

 private:
  OpenAiTextModel(HttpClient& http, Options options) : http_(http), options_(std::move(options)) {}

  HttpClient& http_;
  const Options options_;
};

struct OpenAiEmbedderOptions {
  std::string endpoint;  // as OpenAiTextOptions::endpoint
  std::string api_key;
  std::string model;  // "text-embedding-3-small", "nomic-embed-text"; required
  // The vector size the model returns, from configuration (the vector index is created
  // with it); every answer is checked against it. Required (> 0).
  int dimension = 0;
  // Send `dimensions` = dimension, asking the model to shorten its vectors (OpenAI's
  // text-embedding-3 models, Ollama). Off by default: older models and some servers
  // reject the field.
  bool send_dimensions = false;
  std::string credentials_setting = "providers.openai.api_key";
};

// OpenAI-compatible embedding endpoints are text-only (the multimodal variants of
// llama.cpp and vLLM use request shapes of their own), so this embedder reads
// EmbedInput::text alone: images are searched through their descriptions (the analyser's
// text, OCR and tags, which are part of every asset's text), and an image-only input is
// refused with kInvalidArgument.
class OpenAiEmbedder final : public Embedder {
 public:
  using Options = OpenAiEmbedderOptions;
  // kInvalidArgument for missing options.
  static Result<std::unique_ptr<OpenAiEmbedder>> create(HttpClient& http, Options options);

  // "openai:<model>:<dimension>"
  std::string model_id() const override;
  int dimension() const override { return options_.dimension; }
  // 0: images are never looked at, so callers pass the smallest rendition.
  int image_side() const override { return 0; }
  // The text's vector, L2-normalised. kInvalidArgument without text (an image alone
  // included); kFailedPrecondition when the answer's dimension is not dimension().
  Result<std::vector<float>> embed(const EmbedInput& input, const ModelCall& call) override;

 private:
  OpenAiEmbedder(HttpClient& http, Options options) : http_(http), options_(std::move(options)) {}

  HttpClient& http_;
  const Options options_;
};

// Which server's variant of /images/generations is spoken.
enum class OpenAiImageDialect {
  kOpenAi,   // OpenAI, Ollama (experimental): listed sizes, no negative prompt, no seed
  kLocalAi,  // LocalAI: any size, `negative_prompt` and `seed` fields
  kSdCpp,    // stable-diffusion.cpp server: any size, seed and negative prompt as
             // <sd_cpp_extra_args>{json}</sd_cpp_extra_args> appended to the prompt
};

struct OpenAiImageOptions {
  std::string endpoint;  // as OpenAiTextOptions::endpoint
  std::string api_key;
  std::string model;  // "gpt-image-1", "dall-e-3"; may be empty for servers with one model
  OpenAiImageDialect dialect = OpenAiImageDialect::kOpenAi;
  // kOpenAi only: the sizes the model makes (the default: gpt-image-1's). Requests are
  // made at the closest one and fitted to the size asked for.
  std::vector<std::pair<int, int>> sizes = {{1024, 1024}, {1536, 1024}, {1024, 1536}};
  std::string credentials_setting = "providers.openai.api_key";
};

class OpenAiImageModel final : public ImageModel {
 public:
  using Options = OpenAiImageOptions;
  // kInvalidArgument for an empty endpoint or (kOpenAi) an empty or non-positive size list.
  static Result<std::unique_ptr<OpenAiImageModel>> create(HttpClient& http, Options options);

  std::string name() const override;  // "openai:<model>" ("openai:default" without a model)
  const ImageModelLimits& limits() const override { return limits_; }
  // n = 1, size = model_size(limits(), width, height), b64_json; the image is fitted to
  // exactly width × height when the model made another size. A 400 with code
  // content_policy_violation is kRefused with the provider's message.
  Result<GeneratedImage> generate(const ImageRequest& request, const ModelCall& call) override;

 private:
  OpenAiImageModel(HttpClient& http, Options options, ImageModelLimits limits)
      : http_(http), options_(std::move(options)), limits_(std::move(limits)) {}

  HttpClient& http_;
  const Options options_;
  const ImageModelLimits limits_;
};

}  // namespace adloom
