#include "models/vision_analyser.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "imaging/image.h"

namespace adloom {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxWords = 40;  // subjects and tags kept

Status malformed(const std::string& what) {
  return unavailable("malformed answer from the vision model: " + what);
}

std::string string_field(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return {};
  return j[key].get<std::string>();
}

std::vector<std::string> string_list(const json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (j[key].is_string()) {
    out.push_back(j[key].get<std::string>());
    return out;
  }
  if (!j[key].is_array()) return out;
  for (const auto& item : j[key]) {
    if (item.is_string() && !item.get<std::string>().empty() && out.size() < kMaxWords) {
      out.push_back(item.get<std::string>());
    }
  }
  return out;
}

}  // namespace

Result<VisionDescription> parse_vision_description(std::string_view model_text) {
  const std::size_t open = model_text.find('{');
  const std::size_t close = model_text.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return malformed("no JSON object in its answer");
  }
  const json j = json::parse(model_text.substr(open, close - open + 1), nullptr, false);
  if (!j.is_object()) return malformed("its JSON does not parse");
  VisionDescription d;
  d.description = string_field(j, "description");
  if (d.description.empty()) return malformed("no \"description\"");
  d.subjects = string_list(j, "subjects");
  d.setting = string_field(j, "setting");
  d.style = string_field(j, "style");
  d.mood = string_field(j, "mood");
  d.text = string_field(j, "text");
  d.tags = string_list(j, "tags");
  for (std::string& tag : d.tags) {
    std::transform(tag.begin(), tag.end(), tag.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return d;
}

TextRequest vision_request(std::string image_bytes, std::string mime) {
  TextRequest r;
  r.system =
      "You describe marketing images for a searchable creative library. Answer with one JSON "
      "object and nothing else.";
  r.prompt =
      "Describe this image as JSON with exactly these fields:\n"
      "{\"description\": \"one or two plain sentences on what the image shows\",\n"
      " \"subjects\": [\"the main things or people in it\"],\n"
      " \"setting\": \"where it is\",\n"
      " \"style\": \"photograph, illustration, 3D render, …\",\n"
      " \"mood\": \"the feeling it gives\",\n"
      " \"text\": \"the words written in the image, or an empty string\",\n"
      " \"tags\": [\"up to 10 short lowercase keywords\"]}";
  r.images.push_back({std::move(image_bytes), std::move(mime)});
  r.max_tokens = 800;
  r.temperature = 0.2;
  return r;
}

Result<ImageAnalysis> VisionAnalyser::analyse(std::string_view image, const AnalyseOptions& options,
                                              const ModelCall& call) {
  ADLOOM_ASSIGN(ImageAnalysis a, measurer_.analyse(image, options, call));
  const std::string format = image_format_of(image);
  TextRequest request = vision_request(std::string(image), "image/" + format);
  ADLOOM_ASSIGN(TextResponse answer, vision_.generate(request, call));
  ADLOOM_ASSIGN(VisionDescription d, parse_vision_description(answer.text));
  a.engine = "builtin+" + answer.model;
  a.description = d.description;
  a.subjects = d.subjects;
  a.setting = d.setting;
  a.style = d.style;
  a.mood = d.mood;
  a.tags = d.tags;
  std::vector<std::string> elements = d.subjects;
  elements.insert(elements.end(), a.elements.begin(), a.elements.end());
  a.elements = std::move(elements);
  if (a.ocr_text.empty() && !d.text.empty()) a.ocr_text = d.text;
  return a;
}

}  // namespace adloom
