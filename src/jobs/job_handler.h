// JobHandler: the code behind one job kind. The worker pool calls plan() once per run and
// run_step() for each unfinished step, storing each output before the next step.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "jobs/job_queue.h"
#include "net/http_client.h"

namespace adloom {

struct StepContext {
  const JobLease& lease;                   // lease.job.payload is the job's input
  const std::vector<StepOutput>& outputs;  // outputs of the steps before this one
  std::stop_token stop;                    // cancel, lease loss or shutdown: return early
  std::function<void(const std::string& message)> report;  // progress text for the UI
  // The tries this step's outbound calls may spend: what is left of the job's attempts,
  // this one included. Model calls draw from it (ModelCall::control.budget), so HTTP
  // retries and job attempts share one count; once a step has spent it, its failure is
  // final (the worker does not queue another attempt).
  RetryBudget budget{1};
};

// Thread safety: one handler instance serves all workers concurrently; keep it stateless
// or synchronise.
class JobHandler {
 public:
  virtual ~JobHandler() = default;
  // Step names for this job (from its payload); fixed for the job's life. An error here
  // is not retried (the payload is bad).
  virtual Result<std::vector<std::string>> plan(const Job& job) const = 0;
  // Runs step `index` and returns its output (JSON text). Must be idempotent: a step whose
  // worker died before its output was stored runs again. Return kCancelled when `stop` is
  // requested. kUnavailable, kDeadlineExceeded, kResourceExhausted and kInternal are
  // retried with backoff; other errors make the job dead at once.
  virtual Result<std::string> run_step(StepContext& ctx, int index) = 0;
  // The job's result from its step outputs; by default the last step's output.
  virtual std::string result(const std::vector<StepOutput>& outputs) const;
};

using HandlerRegistry = std::map<std::string, std::unique_ptr<JobHandler>>;

bool is_retryable(ErrorCode code);

// Built-in kinds for tests and diagnostics (builtin_handlers.cpp):
//   noop  - one step, no effect.
//   sleep - payload {"steps": 1..100 (1), "ms": 0..600000 (100),
//                    "fail_attempts": 0..100 (0), "fail_step": step index (0)};
//           each step waits `ms` (interruptible); the first `fail_attempts` attempts fail
//           at step `fail_step` with a retryable error.
void register_builtin_handlers(HandlerRegistry& registry);
// Kinds that clients may enqueue directly through POST /api/v1/jobs.
bool is_client_enqueueable(const std::string& kind);

}  // namespace adloom
