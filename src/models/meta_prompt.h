// The meta-prompt contract between the prompt service and text models: what goes in
// (the brief, its selected references, the brand kit, what worked before, the image
// model's limits) and what comes back (a structured prompt, a negative prompt, the
// reasoning and deliberately different variants).
//
// Both travel as JSON: the inputs in TextRequest::input_json (and, for language models,
// inside the prompt text), the answer as the model's text — one JSON object, optionally
// inside a ``` fence. The field names below are the JSON names.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/brief.h"
#include "core/status.h"
#include "models/text_model.h"

namespace adloom {

struct MetaPromptColour {
  std::string hex;   // "#RRGGBB"
  std::string name;  // "deep teal"; may be ""
  std::string role;  // a brand colour's role (primary, …); "" for a reference's colour
};

// A selected reference: an asset of the library the new creative should learn from.
struct MetaPromptReference {
  std::string asset_id;
  std::string description;            // the uploader's, else the generated one
  std::vector<std::string> elements;  // what the analyser saw: "person", "product", "text", …
  std::vector<MetaPromptColour> colours;
  std::string prompt;  // the prompt that made it, when it was generated; else ""
};

// A past asset that performed: its prompt and description, and why it counts.
struct WhatWorked {
  std::string asset_id;
  std::string prompt;  // "" for creative that was not generated
  std::string description;
  std::string kpi;                  // "ctr", …; "" when it counts for approvals alone
  std::optional<double> kpi_value;  // the asset's value of `kpi`
  int approved = 0;                 // approved images it led to (credit)
  std::string why;                  // in words: "CTR 3.1% (top 10%), led to 2 approved images"
};

struct MetaPromptBrand {
  std::string name;
  std::vector<MetaPromptColour> palette;  // in role order: primary, secondary, accent, …
  std::string font_family;
  std::vector<std::string> tone_words;
  std::vector<std::string> style_words;
  std::vector<std::string> banned_terms;  // must never appear in the output
  std::vector<std::string> disclosures;
};

struct MetaPromptInputs {
  Brief brief;
  std::optional<MetaPromptBrand> brand;
  std::vector<MetaPromptReference> references;
  std::vector<WhatWorked> what_worked;
  std::string image_model;           // the engine the prompt is for: "builtin", "bedrock:…"
  std::size_t max_prompt_chars = 0;  // its prompt limit (characters); 0: none
  int variants = 5;                  // how many variants to write
};

// The structured prompt, part by part.
struct PromptStructure {
  std::string subject;
  std::string setting;
  std::string composition;
  std::string lighting;
  std::string palette;
  std::string style;
  std::string mood;
  std::string format;
};

struct PromptVariant {
  std::string name;    // short label for people: "Close-up, golden hour"
  std::string axis;    // what it changes: "composition", "lighting", "style", …
  std::string prompt;  // the whole prompt, ready for the image model
};

struct MetaPrompt {
  std::string prompt;
  std::string negative_prompt;
  std::string reasoning;  // why: which inputs shaped which part
  PromptStructure structure;
  std::vector<PromptVariant> variants;
  // The input ids the answer drew on ("ast_…"), as reported by the model.
  std::vector<std::string> used_references;
};

// A brief as the JSON object the inputs carry ({"name", "product", …, "call_to_action"}).
nlohmann::json brief_json(const Brief& brief);

std::string meta_prompt_inputs_json(const MetaPromptInputs& inputs);
// kInvalidArgument when `json` is not an object of the shape above ("brief" required).
Result<MetaPromptInputs> parse_meta_prompt_inputs(std::string_view json);

std::string meta_prompt_json(const MetaPrompt& prompt);
// The answer of a model: a JSON object, possibly fenced with ``` and surrounded by prose
// (the first '{' to the last '}' is read). kInvalidArgument with a plain reason when there
// is no such object or "prompt" is missing or empty.
Result<MetaPrompt> parse_meta_prompt(std::string_view model_text);

// The request a text model gets: instructions (system), the inputs as prose and JSON
// (prompt) and as JSON alone (input_json).
TextRequest meta_prompt_request(const MetaPromptInputs& inputs);

}  // namespace adloom
