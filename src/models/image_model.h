// ImageModel: makes one image from a prompt. Implementations: builtin/ (the layout
// composer, offline), then Bedrock, OpenAI-compatible, AUTOMATIC1111 and ComfyUI (the
// providers issue). The generation job calls it once per image, so each image succeeds,
// is refused or fails on its own.
// Thread safety: generate() may be called concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

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

class ImageModel {
 public:
  virtual ~ImageModel() = default;
  virtual std::string name() const = 0;  // "builtin", "bedrock", …
  // The longest prompt (characters) the model takes; longer prompts are refused by the
  // meta-prompt step with a message naming this limit.
  virtual std::size_t max_prompt_chars() const = 0;
  // One image at exactly width × height. Errors: kInvalidArgument (bad size or input),
  // kPermissionDenied (the provider refused the content: the message says why),
  // kUnavailable / kDeadlineExceeded (transient: the job retries), kInternal.
  virtual Result<GeneratedImage> generate(const ImageRequest& request) = 0;
};

}  // namespace adloom
