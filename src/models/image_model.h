// ImageModel: makes one image from a prompt. Implementations: builtin/ (the layout
// composer, offline), bedrock/ (Nova Canvas, Titan Image, Stability), openai/
// (/v1/images/generations), automatic1111/ and comfyui/. The generation job calls it once
// per image, so each image succeeds, is refused or fails on its own.
// Thread safety: generate() may be called concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "models/model_call.h"

namespace adloom {

// What the creative says and shows. Prompt-driven models read `prompt`; the layout
// composer, which cannot draw from words, lays these out instead.
struct CreativeContent {
  std::string headline;        // the product or the campaign's name
  std::string body;            // one short line of supporting copy; may be empty
  std::string call_to_action;  // "Shop now"; may be empty
  std::string disclosure;      // required small print; may be empty
  std::string font_family;     // an installed family ("DejaVu Sans"); "" = the default
  // Encoded images (any format probe_image accepts), already checked; empty when absent.
  std::string hero_image;  // the selected reference or product image
  std::string logo_image;
};

struct ImageRequest {
  std::string prompt;
  std::string negative_prompt;
  int width = 1024;
  int height = 1024;
  std::uint64_t seed = 0;
  std::string quality = "standard";  // "standard" | "premium"
  std::string style;                 // free words ("photographic", "flat illustration")
  // Brand colours as "#RRGGBB", in role order: primary, secondary, accent, background,
  // text (absent roles left out). Models that take palette guidance use them.
  std::vector<std::string> palette;
  std::string init_image;  // encoded: "variations of this image"; empty for none
  CreativeContent content;
};

struct GeneratedImage {
  std::string bytes;  // encoded
  std::string mime;   // "image/png", "image/jpeg"
  int width = 0;
  int height = 0;
  std::string model;  // the engine and model that made it, e.g. "builtin:layout-v1"
};

// What a model accepts. GenerationService checks a request against these before it is
// queued (a 400 naming the limit); the adapter generates at model_size() and fits the
// result to exactly the requested size.
struct ImageModelLimits {
  int min_side = 64;
  int max_side = 4096;
  int side_multiple = 1;                   // both sides a multiple of this (Nova Canvas: 16)
  std::uint64_t max_pixels = 0;            // width × height at most this; 0: max_side² only
  double max_aspect = 0;                   // longer / shorter side at most this; 0: any
  std::vector<std::pair<int, int>> sizes;  // the only sizes it makes (DALL·E); empty: any
  std::uint64_t max_seed = 4294967295ULL;  // seeds run 0..max_seed
  std::size_t max_prompt_chars = 2000;
  bool negative_prompt = true;    // reads ImageRequest::negative_prompt
  bool variations = false;        // reads ImageRequest::init_image
  bool palette_guidance = false;  // reads ImageRequest::palette
};

// The size to ask the model for so that, after fitting (scale to cover, centre crop), the
// image is exactly width × height: the legal size closest in aspect and area. Callers
// have checked the requested size against the limits' max_side and min_side.
std::pair<int, int> model_size(const ImageModelLimits& limits, int width, int height);
// Why `request` does not suit the model, in words naming the limit ("the seed 900000000 is
// above this model's largest, 858993459"), or "" when it does.
std::string check_image_request(const ImageModelLimits& limits, const std::string& model, int width,
                                int height, std::uint64_t seed, bool variation);

class ImageModel {
 public:
  virtual ~ImageModel() = default;
  virtual std::string name() const = 0;  // "builtin", "bedrock:amazon.nova-canvas-v1:0", …
  virtual const ImageModelLimits& limits() const = 0;
  // The longest prompt (characters) the model takes; longer prompts are refused by the
  // meta-prompt step with a message naming this limit.
  std::size_t max_prompt_chars() const { return limits().max_prompt_chars; }
  // One image at exactly width × height, made with exactly request.seed. Errors:
  // kInvalidArgument (bad size or input), kRefused (the provider refused the content: the
  // message says why), kUnavailable / kDeadlineExceeded / kResourceExhausted (transient;
  // the tries in call.control are spent), kCancelled, kFailedPrecondition (credentials or
  // model access: the message says what to fix), kInternal.
  virtual Result<GeneratedImage> generate(const ImageRequest& request, const ModelCall& call) = 0;
};

}  // namespace adloom
