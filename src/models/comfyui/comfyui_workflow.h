// ComfyUI workflows as adloom uses them: an API-format graph read from the user's file,
// checked once, then copied and filled with one request's values per image. The
// placeholder rules are in comfyui_image_model.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace adloom {

// The values placed into one copy of the workflow.
struct WorkflowFill {
  std::string prompt;
  std::string negative_prompt;
  std::uint64_t seed = 0;
  int width = 0;
  int height = 0;
};

// Reads and checks the workflow file: a JSON object of nodes, each with a class_type
// string and an inputs object, holding {{prompt}} and {{seed}}. kInvalidArgument naming
// the file and what is wrong (the UI export format is recognised and explained).
Result<nlohmann::json> load_workflow(const std::string& path);

// Whether any string value of `graph` contains `placeholder` ("{{negative_prompt}}").
bool workflow_has(const nlohmann::json& graph, std::string_view placeholder);

// Replaces the placeholders in `graph` (a copy of a loaded workflow) with `fill`'s values.
void fill_workflow(nlohmann::json& graph, const WorkflowFill& fill);

}  // namespace adloom
