// The one place where failures become HTTP: status codes per ErrorCode and the JSON error
// body {"error":{"code","message","request_id"}}.
#pragma once

#include <string>

#include "api/http_types.h"
#include "core/status.h"

namespace adloom {

int http_status_for(ErrorCode code);

// A JSON error response for `status` (which must not be ok).
HttpResponse error_response(const Status& status, const std::string& request_id);

}  // namespace adloom
