// LayoutComposer: the offline ImageModel ("builtin"). It cannot draw from words, so it lays
// out the creative's content instead: the hero image (or an abstract product stand-in in
// the brand colours), the logo, the headline, body, call-to-action button and disclosure,
// in the brand font and palette, in one of imaging/layout.h's layouts. The output is a
// plausible ad mock-up (PNG), good enough as a draft and for the whole pipeline offline.
//
// Everything follows from the request: the seed picks the layout (seed % kLayoutCount, so
// any kLayoutCount consecutive seeds give different layouts) and the small variations
// within it; the same request always gives byte-identical bytes on the same machine.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "imaging/layout.h"
#include "models/image_model.h"

namespace adloom {

constexpr const char* kLayoutComposerModel = "builtin:layout-v1";
// The composer reads the prompt only to pick a headline from its first words when the
// content has none; the limit is kept comparable to common providers' so that meta-prompts
// written for the offline engine also fit the hosted ones.
constexpr std::size_t kLayoutComposerMaxPromptChars = 2000;

class LayoutComposer final : public ImageModel {
 public:
  std::string name() const override { return "builtin"; }
  // 64..4096 px a side, any seed, palette guidance, the variation image as the hero.
  const ImageModelLimits& limits() const override;
  // Thread safe; calls init_imaging() itself. kInvalidArgument for a side outside
  // 64..4096 or an unreadable hero or logo; kInternal when libvips fails otherwise.
  // Reads: size, seed, palette, content (hero_image, else init_image, as the hero) and the
  // prompt (headline fallback); ignores negative_prompt, quality and style. An unknown or
  // empty font family renders in kDefaultLayoutFont.
  Result<GeneratedImage> generate(const ImageRequest& request, const ModelCall& call) override;
};

// The palette for a request's "#RRGGBB" colours in role order (primary, secondary, accent,
// background, text). Unreadable entries and absent roles are filled in: none at all gives
// the default palette; a missing secondary is a tint of the primary; a missing text colour
// is near-black or near-white, whichever reads on the background.
LayoutPalette layout_palette(const std::vector<std::string>& hex_colours);

// A short headline from the first words of a prompt: leading filler ("a photo of an") is
// skipped, it stops at punctuation or a linking word after a few words, at most six words,
// first letter capitalised. "" for an empty prompt.
std::string headline_from_prompt(const std::string& prompt);

}  // namespace adloom
