// The model engines behind the four capabilities (analyse, embed, text, image), built from
// the configuration (models.* and providers.*). The only place that knows provider types:
// services and workflows see the interfaces alone. One HttpClient per provider is shared by
// the capabilities that use it, so its concurrency limit and circuit breaker cover them all.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "models/embedder.h"
#include "models/engine_info.h"
#include "models/image_analyser.h"
#include "models/image_model.h"
#include "models/text_model.h"
#include "net/http_client.h"

namespace adloom {

struct ModelEngines {
  ImageAnalyser* analyser = nullptr;
  Embedder* embedder = nullptr;
  TextModel* text = nullptr;
  ImageModel* image = nullptr;
  std::vector<EngineInfo> engines;  // in capability order

  // Owners of everything above (declaration order = destruction order reversed: clients
  // outlive the engines that hold references to them).
  std::map<std::string, std::unique_ptr<HttpClient>> clients;  // by provider
  std::vector<std::shared_ptr<void>> owned;
};

// One capability's check: a tiny real request and what came of it.
struct EngineCheck {
  EngineInfo engine;
  bool ok = false;
  double ms = 0;
  std::string verdict;  // "ok", or the error in words ("failed_precondition: bedrock: 403 …")
};

// Sends each engine a tiny request (a one-word answer, a short text embedding, a small image
// description, the smallest image the model makes) and reports each outcome. Remote image
// models bill the image. Runs the checks one after another, each within `deadline_ms`.
std::vector<EngineCheck> check_model_engines(const ModelEngines& engines, int deadline_ms);

// Builds every engine; no network traffic. `env` is the process environment (AWS
// credential chain). `templates_dir` holds the builtin composer's editable templates.
// kInvalidArgument / kFailedPrecondition naming the setting to fix (a missing model id,
// no AWS credentials or region, an unreadable ComfyUI workflow, a dimension the embedding
// model does not offer).
Result<std::unique_ptr<ModelEngines>> build_model_engines(
    const Config& config, const std::map<std::string, std::string>& env,
    const std::string& templates_dir);

}  // namespace adloom
