#include "jobs/job.h"

#include <algorithm>

namespace adloom {

std::string_view job_state_name(JobState state) {
  switch (state) {
    case JobState::kQueued: return "queued";
    case JobState::kRunning: return "running";
    case JobState::kSucceeded: return "succeeded";
    case JobState::kFailed: return "failed";
    case JobState::kDead: return "dead";
    case JobState::kCanceled: return "canceled";
  }
  return "queued";
}

std::optional<JobState> parse_job_state(std::string_view name) {
  for (auto s : {JobState::kQueued, JobState::kRunning, JobState::kSucceeded, JobState::kFailed,
                 JobState::kDead, JobState::kCanceled}) {
    if (job_state_name(s) == name) return s;
  }
  return std::nullopt;
}

bool is_terminal(JobState state) {
  return state == JobState::kSucceeded || state == JobState::kDead || state == JobState::kCanceled;
}

std::int64_t backoff_delay_ms(int attempt, const BackoffPolicy& policy, double unit_random) {
  int shift = std::clamp(attempt - 1, 0, 40);
  double delay = static_cast<double>(policy.base_ms) * static_cast<double>(1LL << shift);
  delay = std::min(delay, static_cast<double>(policy.max_ms));
  double jittered = delay / 2 + delay / 2 * std::clamp(unit_random, 0.0, 1.0);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(jittered));
}

}  // namespace adloom
