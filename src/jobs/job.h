// Jobs: durable, resumable units of background work (the Step Functions equivalent).
// A job runs a fixed list of named steps; each step's output is stored before the next
// step starts, so a retry or a takeover after a crash resumes at the first unfinished step.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/status.h"

namespace adloom {

// queued -> running -> succeeded
//                   -> failed (retryable; run_after set) -> running …
//                   -> dead (attempts exhausted or not retryable)
// queued|failed|running -> canceled (on request); failed|dead|canceled -> queued (retry)
enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kDead, kCanceled };

std::string_view job_state_name(JobState state);
std::optional<JobState> parse_job_state(std::string_view name);
bool is_terminal(JobState state);  // succeeded, dead, canceled

struct StepOutput {
  int step = 0;
  std::string name;
  std::string output;  // JSON text
  int attempt = 0;     // the attempt that produced it
  std::string worker;
  TimeMs completed_at = 0;
};

struct Job {
  JobId id;
  WorkspaceId workspace_id;
  std::string kind;
  JobState state = JobState::kQueued;
  int step = 0;                       // index of the next step to run
  int step_count = 0;                 // known once a worker first runs the job; 0 before
  std::string payload;                // JSON text, as enqueued
  std::optional<std::string> result;  // JSON text, set on success
  int attempts = 0;
  int max_attempts = 0;
  TimeMs run_after = 0;
  std::optional<std::string> lease_owner;
  std::optional<TimeMs> lease_expires_at;
  bool cancel_requested = false;
  double progress = 0;  // 0..1
  std::optional<std::string> progress_message;
  std::optional<std::string> last_error;
  std::optional<std::string> idempotency_key;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  std::optional<TimeMs> finished_at;
  std::vector<StepOutput> steps;  // completed steps, in order
};

struct BackoffPolicy {
  std::int64_t base_ms = 1000;
  std::int64_t max_ms = 300000;
};

// Delay before retry number `attempt` (1 = after the first failure): exponential
// (base * 2^(attempt-1), capped at max) with jitter drawn from [delay/2, delay] by
// `unit_random` in [0, 1). Pure, for tests.
std::int64_t backoff_delay_ms(int attempt, const BackoffPolicy& policy, double unit_random);

}  // namespace adloom
