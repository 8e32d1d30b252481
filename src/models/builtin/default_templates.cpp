// The default meta-prompt templates (mustache). Users override one by putting
// <name>.mustache in the templates directory (TemplateComposer::open).
//
// Rendering: every value is plain text, never HTML-escaped ({{x}} and {{{x}}} are the same).
// A part that is empty is absent, so optional text goes in a section:
// {{#mood}}Mood: {{mood}}.{{/mood}}. The output is tidied: white space runs become one
// space (new lines too, except in reasoning, which keeps its lines), spaces before
// punctuation and punctuation left doubled by empty parts are removed, sentences start
// with a capital. The brand's banned terms are removed from the output, template text
// included, and prompts are fitted to the image model's limit by leaving out parts.
//
// prompt.mustache (the main prompt) and variant.mustache (each variant) receive:
//   subject           the product, else the campaign name        "Trailblazer 2 running shoe"
//   subject_details   key elements of the references             "person and dog"
//   setting           the brief's description, first sentence
//   audience          the brief's audience                        "trail runners 25-40"
//   reference_scenes  the references' descriptions, "; "-joined
//   worked            phrases borrowed from what worked, ", "-joined
//   composition       e.g. "close-up product hero shot, …, square 1:1 frame, clean space …"
//   lighting          e.g. "warm golden hour sunlight with long soft shadows"
//   palette           brand colours with hex in role order, else the references' colours
//   style             e.g. "photographic, high-end commercial photography, …"
//   style_words       the brand's style words                     "rugged, premium"
//   reference_look    the references' tonal qualities             "high contrast"
//   mood              the brand's tone words and the brief's tone "bold, adventurous"
//   format            e.g. "1080x1080 square feed post"
//   brand, channel    the brand's name and the brief's channel (unused by default)
// variant.mustache also receives:
//   variant_name      "Close-up · golden hour · photographic"
//   variant_axis      "baseline", "composition", "lighting", "style", "composition and …"
//   {{> prompt}}      the partial: prompt.mustache rendered with the variant's parts
//
// negative.mustache receives:
//   quality           generic quality negatives ("blurry, distorted text, watermark, …")
//   no_text           "captions, lettering" (the layout adds the text)
//   off_brand         "off-brand colours" when there is a palette
//   brand, channel
//
// reasoning.mustache receives (one line of output per line of template):
//   subject_from, setting_from, composition_from, lighting_from, palette_from, style_from,
//   mood_from         where each part came from, in words
//   references        list of {asset_id, shaped}: what each reference shaped
//   what_worked       list of {asset_id, why, borrowed}: why it counts and the quoted
//                     phrases taken ("" when none)
//   overlay           what the layout overlays instead (headline, CTA, disclosures)
//   banned_note       that banned terms are kept out (never naming them)
//   length_note       what was left out to fit the image model's limit
//   variants          list of {name, axis, last}
//   variant_count     how many variants ("5"); absent when none
//   image_model       the image model the prompts are for
#include "models/builtin/default_templates.h"

#include <array>

namespace adloom {
namespace {

constexpr std::string_view kPrompt =
    R"({{! The main image prompt. Variables: docs/meta-prompt-templates.md }}
{{subject}}{{#subject_details}} with {{subject_details}}{{/subject_details}}
{{#setting}}, {{setting}}{{/setting}}{{#audience}}, appealing to {{audience}}{{/audience}}
{{#reference_scenes}}, echoing {{reference_scenes}}{{/reference_scenes}}
{{#worked}}, {{worked}}{{/worked}}.
{{composition}}.
{{lighting}}.
{{#palette}}Colour palette: {{palette}}.{{/palette}}
{{style}}{{#style_words}}, {{style_words}}{{/style_words}}{{#reference_look}}, {{reference_look}}{{/reference_look}}.
{{#mood}}Mood: {{mood}}.{{/mood}}
{{#format}}{{format}}.{{/format}}
)";

constexpr std::string_view kVariant =
    R"({{! One variant's prompt: by default the main prompt's template with the variant's
    composition, lighting and style. Variables: docs/meta-prompt-templates.md }}
{{> prompt}}
)";

constexpr std::string_view kNegative =
    R"({{! The negative prompt: what the image must not show. }}
{{quality}}{{#no_text}}, {{no_text}}{{/no_text}}{{#off_brand}}, {{off_brand}}{{/off_brand}}
)";

constexpr std::string_view kReasoning =
    R"({{! Why the prompt says what it says; one line of output per line here. }}
Subject: {{subject_from}}.
Setting: {{setting_from}}.
Composition: {{composition_from}}.
Lighting: {{lighting_from}}.
{{#palette_from}}Palette: {{palette_from}}.{{/palette_from}}
Style: {{style_from}}.
{{#mood_from}}Mood: {{mood_from}}.{{/mood_from}}
{{#references}}
Reference {{asset_id}}: {{shaped}}.
{{/references}}
{{#what_worked}}
What worked: {{asset_id}}, {{why}}{{#borrowed}}; borrowed {{borrowed}}{{/borrowed}}.
{{/what_worked}}
{{overlay}}.
{{#banned_note}}{{banned_note}}.{{/banned_note}}
{{#length_note}}{{length_note}}.{{/length_note}}
{{#variant_count}}Variants: {{#variants}}{{name}} ({{axis}}){{^last}}; {{/last}}{{/variants}}.{{/variant_count}}
)";

constexpr std::array<DefaultTemplate, 4> kDefaults = {{{"prompt", kPrompt},
                                                       {"variant", kVariant},
                                                       {"negative", kNegative},
                                                       {"reasoning", kReasoning}}};

}  // namespace

std::span<const DefaultTemplate> default_templates() {
  return kDefaults;
}

std::string_view default_template(std::string_view name) {
  for (const auto& t : kDefaults) {
    if (t.name == name) return t.text;
  }
  return {};
}

}  // namespace adloom
