// ModelCall: what every model call carries besides its input — when to give up (stop
// token, deadline, the retry budget shared with the job's attempts) and whom to bill
// (workspace, campaign, generation), so that the metering of each call is exact.
// A default ModelCall means: no deadline, the provider's own retries, unattributed.
#pragma once

#include <string>

#include "core/ids.h"
#include "net/http_client.h"

namespace adloom {

struct ModelCall {
  CallControl control;
  WorkspaceId workspace;      // "" for calls outside a workspace (models check)
  std::string campaign_id;    // "" when not for a campaign
  std::string generation_id;  // "" when not for a generation
};

// A provider refused the content (a guardrail, a content filter): not an error of the
// caller's permissions and never worth a retry. The message gives the provider's reason.
// Carried as ErrorCode::kRefused.
inline Status refused(std::string message) {
  return {ErrorCode::kRefused, std::move(message)};
}

}  // namespace adloom
