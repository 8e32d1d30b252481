// The plan of the built-in template composer: what each part of the prompt says and why,
// derived from the meta-prompt inputs with no template involved. template_composer.cpp
// renders plans through the (user-editable) mustache templates and fits them to the image
// model's limit. Pure and deterministic: the same inputs give the same plan.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "models/builtin/prompt_vocabulary.h"
#include "models/meta_prompt.h"

namespace adloom::prompt_plan {

// The variables of prompt.mustache and variant.mustache; "" means absent. Values are free
// of the brand's banned terms.
struct Parts {
  std::string subject;           // the product, else the campaign name
  std::string subject_details;   // the references' key elements: "person and dog"
  std::string setting;           // the brief's description, first sentence
  std::string audience;          // the brief's audience
  std::string reference_scenes;  // the references' descriptions: "runner on a ridge; …"
  std::string worked;            // phrases borrowed from what worked: "misty ridgeline, …"
  std::string composition;       // the composition option with the frame
  std::string lighting;
  std::string palette;  // "forest green (#1B4D3E), sunrise orange (#FF7A00)"
  std::string style;
  std::string style_words;     // the brand's style words
  std::string reference_look;  // the references' tonal qualities: "high contrast"
  std::string mood;            // the brand's tone words and the brief's tone
  std::string format;          // "1080x1080 square feed post"
  std::string brand;           // the brand's name (not used by the default templates)
  std::string channel;         // the brief's channel (not used by the default templates)
  bool operator==(const Parts&) const = default;
};

// One option index per axis (prompt_vocabulary::options order).
struct Triple {
  std::size_t composition = 0;
  std::size_t lighting = 0;
  std::size_t style = 0;
  bool operator==(const Triple&) const = default;
};

struct VariantPlan {
  Triple choice;
  std::string name;  // "Close-up · soft studio light · photographic"
  std::string axis;  // "baseline" (the main prompt's choices), "composition", "lighting", …
};

struct ReferenceNote {
  std::string asset_id;
  std::string shaped;  // "its elements (person) in the subject and its colours in the palette"
};

struct WorkedNote {
  std::string asset_id;
  std::string why;       // the input's `why`, else one made from its KPI and approvals
  std::string borrowed;  // the phrases taken, quoted: "\"misty ridgeline\""; may be ""
};

// Where each part came from, in words, for reasoning.mustache. "" means absent.
struct Reasons {
  std::string subject_from;
  std::string setting_from;
  std::string composition_from;
  std::string lighting_from;
  std::string palette_from;
  std::string style_from;
  std::string mood_from;
  std::vector<ReferenceNote> references;
  std::vector<WorkedNote> what_worked;
  std::string overlay;      // the text the layout adds (CTA, disclosures)
  std::string banned_note;  // that banned terms were kept out (never naming them)
};

struct Plan {
  std::vector<std::string> banned;  // the brand's banned terms
  std::size_t max_prompt_chars = 0;
  std::string image_model;
  Parts base;                   // every part but composition, lighting and style
  Triple main;                  // the main prompt's choices
  std::string people;           // who a lifestyle scene shows
  std::string palette_compact;  // the palette's first colours, for short prompts
  prompt_vocabulary::FrameFormat frame;
  Reasons reasons;
  std::vector<std::string> used_references;  // asset ids, references first
};

// The plan for `inputs`. Banned terms are taken out of the inputs first: phrases of
// descriptions and past prompts that hold one are dropped, list items (tone words,
// elements, …) holding one are dropped, and the term is removed from other text.
Plan make_plan(const MetaPromptInputs& inputs);

// The parts for one choice of options; `compact` uses the short phrases of composition,
// lighting and style (for tight limits).
Parts parts_for(const Plan& plan, const Triple& choice, bool compact);

// `count` (at most kMaxVariants) deliberately different choices: the main one first,
// then one axis changed at a time, taking composition, lighting and style in turn, then
// two or three axes at once. The choices are pairwise different.
constexpr int kMaxVariants = 24;
std::vector<VariantPlan> variant_plans(const Plan& plan, int count);

// The short phrases of a choice: "close-up product hero shot, golden hour light,
// photographic".
std::string compact_choice(const Triple& choice);

// Fitting: the optional parts, least important first. Step i clears (or shortens) what
// steps 0..i name; template_composer applies them in order until a prompt fits.
struct FitStep {
  const char* what;  // for the reasoning: "reference details"
  void (*apply)(Parts& parts, const Plan& plan, const Triple& choice);
};
const std::vector<FitStep>& fit_steps();

}  // namespace adloom::prompt_plan
