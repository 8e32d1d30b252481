#include "models/meta_prompt.h"

#include <nlohmann/json.hpp>

namespace adloom {
namespace {

using nlohmann::json;

// Reading is lenient about absent members (they stay empty) and strict about types.
template <typename T>
void read(const json& j, const char* key, T& out) {
  if (const auto it = j.find(key); it != j.end() && !it->is_null()) out = it->get<T>();
}

json colours_json(const std::vector<MetaPromptColour>& colours) {
  json out = json::array();
  for (const auto& c : colours) out.push_back({{"hex", c.hex}, {"name", c.name}, {"role", c.role}});
  return out;
}

std::vector<MetaPromptColour> read_colours(const json& j, const char* key) {
  std::vector<MetaPromptColour> out;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& c : *it) {
    MetaPromptColour colour;
    read(c, "hex", colour.hex);
    read(c, "name", colour.name);
    read(c, "role", colour.role);
    out.push_back(std::move(colour));
  }
  return out;
}

Brief read_brief(const json& j) {
  Brief b;
  read(j, "name", b.name);
  read(j, "product", b.product);
  read(j, "description", b.description);
  read(j, "objective", b.objective);
  read(j, "audience", b.audience);
  read(j, "channel", b.channel);
  read(j, "format", b.format);
  read(j, "tone", b.tone);
  read(j, "call_to_action", b.call_to_action);
  return b;
}

json brand_json(const MetaPromptBrand& b) {
  return {{"name", b.name},
          {"palette", colours_json(b.palette)},
          {"font_family", b.font_family},
          {"tone_words", b.tone_words},
          {"style_words", b.style_words},
          {"banned_terms", b.banned_terms},
          {"disclosures", b.disclosures}};
}

MetaPromptBrand read_brand(const json& j) {
  MetaPromptBrand b;
  read(j, "name", b.name);
  b.palette = read_colours(j, "palette");
  read(j, "font_family", b.font_family);
  read(j, "tone_words", b.tone_words);
  read(j, "style_words", b.style_words);
  read(j, "banned_terms", b.banned_terms);
  read(j, "disclosures", b.disclosures);
  return b;
}

json structure_json(const PromptStructure& s) {
  return {{"subject", s.subject},   {"setting", s.setting}, {"composition", s.composition},
          {"lighting", s.lighting}, {"palette", s.palette}, {"style", s.style},
          {"mood", s.mood},         {"format", s.format}};
}

PromptStructure read_structure(const json& j) {
  PromptStructure s;
  read(j, "subject", s.subject);
  read(j, "setting", s.setting);
  read(j, "composition", s.composition);
  read(j, "lighting", s.lighting);
  read(j, "palette", s.palette);
  read(j, "style", s.style);
  read(j, "mood", s.mood);
  read(j, "format", s.format);
  return s;
}

json inputs_object(const MetaPromptInputs& in) {
  json refs = json::array();
  for (const auto& r : in.references) {
    refs.push_back({{"asset_id", r.asset_id},
                    {"description", r.description},
                    {"elements", r.elements},
                    {"colours", colours_json(r.colours)},
                    {"prompt", r.prompt}});
  }
  json worked = json::array();
  for (const auto& w : in.what_worked) {
    json item = {{"asset_id", w.asset_id}, {"prompt", w.prompt},     {"description", w.description},
                 {"kpi", w.kpi},           {"approved", w.approved}, {"why", w.why}};
    item["kpi_value"] = w.kpi_value ? json(*w.kpi_value) : json(nullptr);
    worked.push_back(std::move(item));
  }
  return {
      {"brief", brief_json(in.brief)}, {"brand", in.brand ? brand_json(*in.brand) : json(nullptr)},
      {"references", std::move(refs)}, {"what_worked", std::move(worked)},
      {"image_model", in.image_model}, {"max_prompt_chars", in.max_prompt_chars},
      {"variants", in.variants}};
}

}  // namespace

nlohmann::json brief_json(const Brief& b) {
  return {
      {"name", b.name},           {"product", b.product},   {"description", b.description},
      {"objective", b.objective}, {"audience", b.audience}, {"channel", b.channel},
      {"format", b.format},       {"tone", b.tone},         {"call_to_action", b.call_to_action}};
}

std::string meta_prompt_inputs_json(const MetaPromptInputs& inputs) {
  return inputs_object(inputs).dump();
}

Result<MetaPromptInputs> parse_meta_prompt_inputs(std::string_view text) {
  try {
    const json j = json::parse(text);
    if (!j.is_object() || !j.contains("brief") || !j["brief"].is_object()) {
      return invalid_argument("meta-prompt inputs: a JSON object with a \"brief\" object");
    }
    MetaPromptInputs in;
    in.brief = read_brief(j["brief"]);
    if (const auto b = j.find("brand"); b != j.end() && b->is_object()) in.brand = read_brand(*b);
    if (const auto refs = j.find("references"); refs != j.end() && refs->is_array()) {
      for (const auto& r : *refs) {
        MetaPromptReference ref;
        read(r, "asset_id", ref.asset_id);
        read(r, "description", ref.description);
        read(r, "elements", ref.elements);
        ref.colours = read_colours(r, "colours");
        read(r, "prompt", ref.prompt);
        in.references.push_back(std::move(ref));
      }
    }
    if (const auto ws = j.find("what_worked"); ws != j.end() && ws->is_array()) {
      for (const auto& w : *ws) {
        WhatWorked item;
        read(w, "asset_id", item.asset_id);
        read(w, "prompt", item.prompt);
        read(w, "description", item.description);
        read(w, "kpi", item.kpi);
        if (const auto v = w.find("kpi_value"); v != w.end() && v->is_number()) {
          item.kpi_value = v->get<double>();
        }
        read(w, "approved", item.approved);
        read(w, "why", item.why);
        in.what_worked.push_back(std::move(item));
      }
    }
    read(j, "image_model", in.image_model);
    read(j, "max_prompt_chars", in.max_prompt_chars);
    read(j, "variants", in.variants);
    return in;
  } catch (const json::exception& e) {
    return invalid_argument(std::string("meta-prompt inputs: ") + e.what());
  }
}

std::string meta_prompt_json(const MetaPrompt& p) {
  json variants = json::array();
  for (const auto& v : p.variants) {
    variants.push_back({{"name", v.name}, {"axis", v.axis}, {"prompt", v.prompt}});
  }
  return json{{"prompt", p.prompt},
              {"negative_prompt", p.negative_prompt},
              {"reasoning", p.reasoning},
              {"structure", structure_json(p.structure)},
              {"variants", std::move(variants)},
              {"used_references", p.used_references}}
      .dump();
}

Result<MetaPrompt> parse_meta_prompt(std::string_view text) {
  const auto open = text.find('{');
  const auto close = text.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return invalid_argument("the text model's answer holds no JSON object");
  }
  try {
    const json j = json::parse(text.substr(open, close - open + 1));
    MetaPrompt p;
    read(j, "prompt", p.prompt);
    if (p.prompt.empty()) return invalid_argument("the text model's answer has no \"prompt\"");
    read(j, "negative_prompt", p.negative_prompt);
    read(j, "reasoning", p.reasoning);
    if (const auto s = j.find("structure"); s != j.end() && s->is_object()) {
      p.structure = read_structure(*s);
    }
    if (const auto vs = j.find("variants"); vs != j.end() && vs->is_array()) {
      for (const auto& v : *vs) {
        PromptVariant variant;
        if (v.is_string()) {
          variant.prompt = v.get<std::string>();  // a bare list of prompts is accepted too
        } else {
          read(v, "name", variant.name);
          read(v, "axis", variant.axis);
          read(v, "prompt", variant.prompt);
        }
        if (!variant.prompt.empty()) p.variants.push_back(std::move(variant));
      }
    }
    read(j, "used_references", p.used_references);
    return p;
  } catch (const json::exception& e) {
    return invalid_argument(std::string("the text model's answer is not valid JSON: ") + e.what());
  }
}

TextRequest meta_prompt_request(const MetaPromptInputs& inputs) {
  TextRequest request;
  request.system =
      "You write prompts for an image generation model for marketing creative. Answer with "
      "one JSON object and nothing else, with the members: prompt (string), negative_prompt "
      "(string), reasoning (string: which inputs shaped which part), structure (object with "
      "subject, setting, composition, lighting, palette, style, mood, format), variants (an "
      "array of objects with name, axis and prompt: deliberately different along composition, "
      "lighting and style), used_references (array of the asset ids you drew on). Never use "
      "any of the brand's banned terms. Keep every prompt within max_prompt_chars characters.";
  request.input_json = meta_prompt_inputs_json(inputs);
  request.prompt = "Write the image prompt and " + std::to_string(inputs.variants) +
                   " variants for this campaign. Inputs (JSON):\n" + request.input_json;
  request.temperature = 0.7;
  return request;
}

}  // namespace adloom
