// A1111ImageModel: images from an AUTOMATIC1111 stable-diffusion-webui or Forge server
// started with --api (providers.md §7.1): POST {endpoint}/sdapi/v1/txt2img, or
// /sdapi/v1/img2img when the request carries an init image.
//
// The server runs one job at a time; its own queue makes concurrent calls wait, so the
// provider's HttpClient should allow few transfers (and a long read timeout).
// Thread safety: generate() may be called concurrently (immutable options only).
#pragma once

#include <memory>
#include <string>

#include "models/image_model.h"
#include "net/http_client.h"

namespace adloom {

struct A1111ImageOptions {
  std::string endpoint;  // "http://127.0.0.1:7860", without /sdapi/v1; required
  // The checkpoint to use ("sd_xl_base_1.0.safetensors [31e35c80fc]" or a title prefix
  // the server resolves), sent as override_settings.sd_model_checkpoint and restored by
  // the server afterwards. Empty: whatever the server has loaded.
  std::string model;
  // "user:password" for a server started with --api-auth (HTTP Basic); empty: none.
  std::string api_auth;
  int steps = 30;
  double cfg_scale = 7.0;
  std::string sampler_name = "Euler a";
  // img2img only: how far from the init image the result may move (0..1).
  double denoising_strength = 0.6;
};

class A1111ImageModel final : public ImageModel {
 public:
  using Options = A1111ImageOptions;
  // `http` must outlive the model. kInvalidArgument for out-of-range options.
  static Result<std::unique_ptr<A1111ImageModel>> create(HttpClient& http, Options options);

  std::string name() const override;  // "automatic1111:<model or 'default'>"
  // Sides 64..2048 in multiples of 8, seeds 0..2^31-1 (the web UI keeps seeds in a
  // 32-bit signed int), negative prompts, variations (img2img).
  const ImageModelLimits& limits() const override { return limits_; }
  // Generates at model_size() with exactly request.seed (checked against the seed the
  // server reports in `info`: kInternal if it used another), then fits the image to
  // width × height. An HTTP 500 whose error mentions NSFW or a content filter (safety
  // checker extensions) is kRefused; other 5xx are kUnavailable.
  Result<GeneratedImage> generate(const ImageRequest& request, const ModelCall& call) override;

 private:
  A1111ImageModel(HttpClient& http, Options options);

  HttpClient& http_;
  const Options options_;
  ImageModelLimits limits_;
};

}  // namespace adloom
