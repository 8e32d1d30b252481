// JobQueue on SQLite. Leasing runs in a BEGIN IMMEDIATE transaction (one writer at a time),
// which is what makes "select a ready job, mark it running" atomic across threads and
// processes sharing the database file.
#pragma once

#include "core/clock.h"
#include "jobs/job_queue.h"
#include "store/sqlite/sqlite_db.h"

namespace adloom {

struct JobQueueOptions {
  std::int64_t lease_ms = 30000;
  int default_max_attempts = 5;
  BackoffPolicy backoff;
};

class SqliteJobQueue final : public JobQueue {
 public:
  // `db`, `clock` and `observer` (may be null) must outlive the queue.
  SqliteJobQueue(sqlite::Database& db, const Clock& clock, JobQueueOptions options,
                 JobObserver* observer)
      : db_(db), clock_(clock), options_(options), observer_(observer) {}

  Result<std::pair<Job, bool>> enqueue(const RequestContext& ctx, const JobSpec& spec) override;
  Result<std::optional<JobLease>> lease(const std::string& worker,
                                        const std::vector<std::string>& kinds) override;
  Status renew(const JobLease& lease) override;
  Status set_progress(const JobLease& lease, int step_count, double progress,
                      const std::string& message) override;
  Status complete_step(const JobLease& lease, int step, const std::string& name,
                       const std::string& output_json) override;
  Status succeed(const JobLease& lease, const std::string& result_json) override;
  Status fail(const JobLease& lease, const std::string& error, bool retryable) override;
  Status release(const JobLease& lease) override;
  Status mark_canceled(const JobLease& lease) override;
  Result<Job> get(const RequestContext& ctx, const JobId& id) override;
  Result<JobPage> list(const RequestContext& ctx, const JobFilter& filter) override;
  Result<Job> retry(const RequestContext& ctx, const JobId& id) override;
  Result<Job> cancel(const RequestContext& ctx, const JobId& id) override;
  Result<std::map<JobState, std::int64_t>> count_by_state() override;

 private:
  // Runs `fn` in a write transaction that first checks `lease` still holds the job
  // (fencing); then reloads the job and notifies the observer after commit.
  // Renewals pass publish=false: only the expiry moves, nothing a watcher needs.
  Status with_lease(const JobLease& lease, const std::function<Status(sqlite::Connection&)>& fn,
                    bool publish = true);
  void notify(const WorkspaceId& ws, const JobId& id);

  sqlite::Database& db_;
  const Clock& clock_;
  JobQueueOptions options_;
  JobObserver* observer_;
};

}  // namespace adloom
