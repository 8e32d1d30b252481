// JobQueue: the durable queue. Implementations: SqliteJobQueue (embedded; workers in the
// serve process or in `adloom worker` processes sharing the database file); PostgreSQL
// (FOR UPDATE SKIP LOCKED) later, behind the same contract.
//
// Leases: a worker leases a ready job for `lease_ms`; it must renew before expiry. An
// expired lease may be taken over by any worker (the previous holder crashed or hung).
// Every lease-holder call is fenced by the lease token: once a lease is lost, the old
// holder's calls fail with kConflict and change nothing, so a step is committed once.
//
// Thread safety: every method may be called concurrently from any thread and process.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/request_context.h"
#include "jobs/job.h"

namespace adloom {

struct JobSpec {
  std::string kind;
  std::string payload = "{}";                  // JSON text
  std::optional<std::string> idempotency_key;  // same key in a workspace -> same job
  int max_attempts = 0;                        // 0: the queue's default
};

// What a worker holds while it runs a job.
struct JobLease {
  JobId job_id;
  WorkspaceId workspace_id;
  std::string kind;
  std::string token;  // fencing token, unique per lease
  std::string worker;
  int attempt = 0;  // 1-based attempt number of this lease
  Job job;          // snapshot at lease time, with completed steps
};

struct JobFilter {
  std::optional<JobState> state;
  std::optional<std::string> kind;
  std::optional<JobId> before;  // cursor: ids strictly less than this (newest first)
  int limit = 50;
};

struct JobPage {
  std::vector<Job> jobs;
  std::optional<JobId> next_cursor;  // pass as `before` for the next page
};

// Receives every committed state change (after commit). Called on the thread that made
// the change; must be cheap and must not call back into the queue.
class JobObserver {
 public:
  virtual ~JobObserver() = default;
  virtual void on_job_changed(const Job& job) = 0;
};

class JobQueue {
 public:
  virtual ~JobQueue() = default;

  // Enqueues, or returns the existing job when the idempotency key was used before in
  // this workspace for the same kind and payload (second member: true when newly
  // created); kConflict when the key was used for a different kind or payload.
  virtual Result<std::pair<Job, bool>> enqueue(const RequestContext& ctx, const JobSpec& spec) = 0;

  // Leases the oldest ready job of one of `kinds` (queued or failed with run_after <= now,
  // or running with an expired lease); nullopt when none. A takeover whose attempts are
  // already exhausted marks the job dead instead (a job that keeps crashing its worker).
  virtual Result<std::optional<JobLease>> lease(const std::string& worker,
                                                const std::vector<std::string>& kinds) = 0;
  // Extends the lease. kConflict: lease lost; kCancelled: cancel was requested.
  virtual Status renew(const JobLease& lease) = 0;
  // Sets the number of steps (once known) and progress for display.
  virtual Status set_progress(const JobLease& lease, int step_count, double progress,
                              const std::string& message) = 0;
  // Atomically stores step `step`'s output and advances the job to step + 1.
  // kConflict: lease lost, or `step` is not the job's next step (nothing stored).
  virtual Status complete_step(const JobLease& lease, int step, const std::string& name,
                               const std::string& output_json) = 0;
  virtual Status succeed(const JobLease& lease, const std::string& result_json) = 0;
  // A failed attempt: back to `failed` with backoff when retryable and attempts remain,
  // `canceled` when a cancel was requested, else `dead`.
  virtual Status fail(const JobLease& lease, const std::string& error, bool retryable) = 0;
  // Gives the job back untouched (shutdown): queued again (or canceled when a cancel was
  // requested), this attempt not counted.
  virtual Status release(const JobLease& lease) = 0;
  // Acknowledges a requested cancel: the job becomes canceled.
  virtual Status mark_canceled(const JobLease& lease) = 0;

  virtual Result<Job> get(const RequestContext& ctx, const JobId& id) = 0;
  virtual Result<JobPage> list(const RequestContext& ctx, const JobFilter& filter) = 0;
  // failed|dead|canceled -> queued now, attempts reset, resuming at the unfinished step.
  // kConflict for other states.
  virtual Result<Job> retry(const RequestContext& ctx, const JobId& id) = 0;
  // queued|failed -> canceled at once; running -> cancel requested (the worker stops at
  // its next step boundary or lease renewal). kConflict for terminal states.
  virtual Result<Job> cancel(const RequestContext& ctx, const JobId& id) = 0;

  // Job counts by state over all workspaces (operator metrics).
  virtual Result<std::map<JobState, std::int64_t>> count_by_state() = 0;
};

}  // namespace adloom
