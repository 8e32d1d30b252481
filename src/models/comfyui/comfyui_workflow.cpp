#include "models/comfyui/comfyui_workflow.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

namespace adloom {
namespace {

using nlohmann::json;

constexpr std::uintmax_t kMaxWorkflowBytes = 16u << 20;

// Visits every string value of `v` (keys excluded).
template <typename F>
void for_each_string(const json& v, F&& f) {
  if (v.is_string()) {
    f(v.get_ref<const std::string&>());
  } else if (v.is_structured()) {
    for (const auto& child : v) for_each_string(child, f);
  }
}

// The text of a placeholder's value, or nullopt when `name` is not one.
std::optional<std::string> value_of(std::string_view name, const WorkflowFill& fill) {
  if (name == "prompt") return fill.prompt;
  if (name == "negative_prompt") return fill.negative_prompt;
  if (name == "seed") return std::to_string(fill.seed);
  if (name == "width") return std::to_string(fill.width);
  if (name == "height") return std::to_string(fill.height);
  if (name == "batch_size") return std::string("1");
  return std::nullopt;
}

// One pass over `s`, so placeholder-like text inside the prompt is never replaced again.
std::string replace_in(const std::string& s, const WorkflowFill& fill) {
  std::string out;
  std::size_t at = 0;
  while (at < s.size()) {
    const auto open = s.find("{{", at);
    const auto close = open == std::string::npos ? open : s.find("}}", open + 2);
    if (close == std::string::npos) break;
    const auto value = value_of(std::string_view(s).substr(open + 2, close - open - 2), fill);
    out.append(s, at, open - at);
    if (value) {
      out += *value;
      at = close + 2;
    } else {  // not ours ("{{" in a prompt): keep it
      out += "{{";
      at = open + 2;
    }
  }
  out.append(s, std::min(at, s.size()));
  return out;
}

Status check_graph(const json& graph, const std::string& path) {
  if (!graph.is_object() || graph.empty()) {
    return invalid_argument(fmt::format(
        "the ComfyUI workflow {} must be a JSON object of nodes (the API format)", path));
  }
  if (graph.contains("nodes") && graph.contains("links")) {
    return invalid_argument(fmt::format(
        "the ComfyUI workflow {} is in the UI format: export it with \"Save (API Format)\" "
        "(older versions: enable the dev mode options in the settings first)",
        path));
  }
  for (const auto& [id, node] : graph.items()) {
    if (!node.is_object() || !node.contains("class_type") || !node["class_type"].is_string() ||
        !node.contains("inputs") || !node["inputs"].is_object()) {
      return invalid_argument(fmt::format(
          "the ComfyUI workflow {}: node '{}' needs a class_type string and an inputs object", path,
          id));
    }
  }
  for (const auto* required : {"{{prompt}}", "{{seed}}"}) {
    if (!workflow_has(graph, required)) {
      return invalid_argument(fmt::format(
          "the ComfyUI workflow {} has no {} placeholder: put \"{}\" where it belongs (the "
          "positive prompt text, the sampler's seed)",
          path, required, required));
    }
  }
  return Status::ok();
}

}  // namespace

bool workflow_has(const json& graph, std::string_view placeholder) {
  bool found = false;
  for_each_string(graph, [&](const std::string& s) {
    found = found || s.find(placeholder) != std::string::npos;
  });
  return found;
}

Result<json> load_workflow(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return invalid_argument(
        fmt::format("cannot read the ComfyUI workflow {}: {}", path, ec.message()));
  }
  if (size > kMaxWorkflowBytes) {
    return invalid_argument(
        fmt::format("the ComfyUI workflow {} is too large ({} bytes)", path, size));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return invalid_argument("cannot read the ComfyUI workflow " + path);
  json graph;
  try {
    graph = json::parse(text.str());
  } catch (const json::parse_error& e) {
    return invalid_argument(fmt::format("the ComfyUI workflow {} is not JSON: {}", path, e.what()));
  }
  ADLOOM_TRY(check_graph(graph, path));
  return graph;
}

void fill_workflow(json& v, const WorkflowFill& fill) {
  if (v.is_structured()) {
    for (auto& child : v) fill_workflow(child, fill);
    return;
  }
  if (!v.is_string()) return;
  const auto& s = v.get_ref<const std::string&>();
  if (s == "{{seed}}") {
    v = fill.seed;
  } else if (s == "{{width}}") {
    v = fill.width;
  } else if (s == "{{height}}") {
    v = fill.height;
  } else if (s == "{{batch_size}}") {
    v = 1;
  } else if (s.find("{{") != std::string::npos) {
    v = replace_in(s, fill);
  }
}

}  // namespace adloom
