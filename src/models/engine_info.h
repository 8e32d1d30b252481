// EngineInfo: which engine serves a capability, and the state of its provider connection,
// for GET /api/v1/models and `adloom models check`.
#pragma once

#include <string>

#include "net/http_client.h"

namespace adloom {

struct EngineInfo {
  std::string capability;            // "analyse", "embed", "text", "image"
  std::string provider;              // "builtin", "bedrock", …
  std::string model;                 // the engine's name: "bedrock:amazon.nova-pro-v1:0"
  const HttpClient* http = nullptr;  // the provider's client; null for builtin engines
  // What an operator must do for this engine to serve correctly, in words ("run `adloom
  // reindex`: 1200 assets were embedded with builtin:…"); "" when nothing.
  std::string notice;
};

}  // namespace adloom
