// Logging set-up. Every log line is one event: "event=name key=value …" (text) or one
// JSON object per line (json). Never log secrets, tokens or image bytes.
#pragma once

#include <string>

#include "core/status.h"

namespace adloom {

// Configures the default spdlog logger (stderr). `level`: trace|debug|info|warn|error;
// `format`: text|json.
Status init_logging(const std::string& level, const std::string& format);

}  // namespace adloom
