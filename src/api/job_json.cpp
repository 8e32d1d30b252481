#include "api/job_json.h"

namespace adloom {
namespace {

// Stored JSON text back to a value; text that is not JSON is returned as a string.
Json parse_stored(const std::string& text) {
  auto j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json(text) : j;
}

Json optional_time(const std::optional<TimeMs>& t) {
  return t ? Json(format_rfc3339(*t)) : Json(nullptr);
}

Json optional_text(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

}  // namespace

Json job_to_json(const Job& job) {
  Json steps = Json::array();
  for (const auto& s : job.steps) {
    steps.push_back({{"step", s.step},
                     {"name", s.name},
                     {"output", parse_stored(s.output)},
                     {"attempt", s.attempt},
                     {"worker", s.worker},
                     {"completed_at", format_rfc3339(s.completed_at)}});
  }
  return {{"id", job.id},
          {"workspace_id", job.workspace_id},
          {"kind", job.kind},
          {"state", job_state_name(job.state)},
          {"step", job.step},
          {"step_count", job.step_count},
          {"progress", job.progress},
          {"progress_message", optional_text(job.progress_message)},
          {"payload", parse_stored(job.payload)},
          {"result", job.result ? parse_stored(*job.result) : Json(nullptr)},
          {"attempts", job.attempts},
          {"max_attempts", job.max_attempts},
          {"run_after", format_rfc3339(job.run_after)},
          {"lease_expires_at", optional_time(job.lease_expires_at)},
          {"cancel_requested", job.cancel_requested},
          {"last_error", optional_text(job.last_error)},
          {"idempotency_key", optional_text(job.idempotency_key)},
          {"created_at", format_rfc3339(job.created_at)},
          {"updated_at", format_rfc3339(job.updated_at)},
          {"finished_at", optional_time(job.finished_at)},
          {"steps", steps}};
}

}  // namespace adloom
