#include "jobs/sqlite_job_queue.h"

#include <random>

#include "core/ids.h"

namespace adloom {
namespace {

using sqlite::Connection;
using sqlite::Statement;

constexpr const char* kJobColumns =
    "id, workspace_id, kind, state, step, step_count, payload, result, attempts, "
    "max_attempts, run_after, lease_owner, lease_expires_at, cancel_requested, progress, "
    "progress_message, last_error, idempotency_key, created_at, updated_at, finished_at";

Job read_job_row(const Statement& s) {
  Job j;
  j.id = s.column_text(0);
  j.workspace_id = s.column_text(1);
  j.kind = s.column_text(2);
  j.state = parse_job_state(s.column_text(3)).value_or(JobState::kQueued);
  j.step = static_cast<int>(s.column_int(4));
  j.step_count = static_cast<int>(s.column_int(5));
  j.payload = s.column_text(6);
  j.result = s.column_optional_text(7);
  j.attempts = static_cast<int>(s.column_int(8));
  j.max_attempts = static_cast<int>(s.column_int(9));
  j.run_after = s.column_int(10);
  j.lease_owner = s.column_optional_text(11);
  if (!s.column_is_null(12)) j.lease_expires_at = s.column_int(12);
  j.cancel_requested = s.column_int(13) != 0;
  j.progress = s.column_double(14);
  j.progress_message = s.column_optional_text(15);
  j.last_error = s.column_optional_text(16);
  j.idempotency_key = s.column_optional_text(17);
  j.created_at = s.column_int(18);
  j.updated_at = s.column_int(19);
  if (!s.column_is_null(20)) j.finished_at = s.column_int(20);
  return j;
}

Status load_steps(Connection& c, Job& job) {
  ADLOOM_ASSIGN(auto q,
                c.prepare("SELECT step, name, output, attempt, worker, completed_at FROM job_steps "
                          "WHERE job_id = ? ORDER BY step"));
  q.bind(1, job.id);
  job.steps.clear();
  for (;;) {
    ADLOOM_ASSIGN(bool row, q.step());
    if (!row) return Status::ok();
    job.steps.push_back(StepOutput{static_cast<int>(q.column_int(0)), q.column_text(1),
                                   q.column_text(2), static_cast<int>(q.column_int(3)),
                                   q.column_text(4), q.column_int(5)});
  }
}

// The job with its steps; nullopt when absent (or in another workspace).
Result<std::optional<Job>> load_job(Connection& c, const WorkspaceId& ws, const JobId& id) {
  ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kJobColumns +
                                  " FROM jobs WHERE id = ? AND workspace_id = ?"));
  q.bind(1, id).bind(2, ws);
  ADLOOM_ASSIGN(bool found, q.step());
  if (!found) return std::optional<Job>{};
  Job job = read_job_row(q);
  ADLOOM_TRY(load_steps(c, job));
  return std::optional<Job>{std::move(job)};
}

double unit_random() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

Status lease_lost(const JobLease& lease) {
  return conflict("lease on job " + lease.job_id + " was lost (expired and taken over)");
}

}  // namespace

void SqliteJobQueue::notify(const WorkspaceId& ws, const JobId& id) {
  if (observer_ == nullptr) return;
  std::optional<Job> job;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(job, load_job(c, ws, id));
    return Status::ok();
  });
  if (st.is_ok() && job) observer_->on_job_changed(*job);
}

Result<std::pair<Job, bool>> SqliteJobQueue::enqueue(const RequestContext& ctx,
                                                     const JobSpec& spec) {
  if (spec.kind.empty()) return invalid_argument("job kind must not be empty");
  if (spec.max_attempts < 0 || spec.max_attempts > 100) {
    return invalid_argument("max_attempts must be between 1 and 100 (0: the default)");
  }
  TimeMs now = clock_.now_ms();
  JobId id = new_id("job", now);
  bool created = false;
  std::optional<Job> job;  // read in the same transaction: a worker may claim it right after
  Status st = db_.write([&](Connection& c) -> Status {
    if (spec.idempotency_key) {
      ADLOOM_ASSIGN(auto q,
                    c.prepare("SELECT id, kind, payload FROM jobs WHERE workspace_id = ? AND "
                              "idempotency_key = ?"));
      q.bind(1, ctx.workspace_id).bind(2, *spec.idempotency_key);
      ADLOOM_ASSIGN(bool found, q.step());
      if (found) {
        if (q.column_text(1) != spec.kind || q.column_text(2) != spec.payload) {
          return conflict("idempotency key '" + *spec.idempotency_key +
                          "' was already used for a different job (" + q.column_text(0) + ")");
        }
        id = q.column_text(0);
        ADLOOM_ASSIGN(job, load_job(c, ctx.workspace_id, id));
        return Status::ok();
      }
    }
    ADLOOM_ASSIGN(
        auto ins,
        c.prepare(
            "INSERT INTO jobs(id, workspace_id, kind, state, payload, max_attempts, run_after, "
            "idempotency_key, created_at, updated_at) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, "
            "?)"));
    int max_attempts = spec.max_attempts > 0 ? spec.max_attempts : options_.default_max_attempts;
    ins.bind(1, id).bind(2, ctx.workspace_id).bind(3, spec.kind).bind(4, spec.payload);
    ins.bind(5, static_cast<std::int64_t>(max_attempts)).bind(6, now);
    ins.bind(7, spec.idempotency_key).bind(8, now).bind(9, now);
    ADLOOM_TRY(ins.run());
    created = true;
    ADLOOM_ASSIGN(job, load_job(c, ctx.workspace_id, id));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (!job) return internal_error("job " + id + " vanished while it was enqueued");
  // Observers get the state as it is now (a worker may already run it), so events never go
  // backwards; the caller gets the job as it was enqueued.
  if (created) notify(ctx.workspace_id, id);
  return std::make_pair(std::move(*job), created);
}

Result<std::optional<JobLease>> SqliteJobQueue::lease(const std::string& worker,
                                                      const std::vector<std::string>& kinds) {
  if (kinds.empty()) return std::optional<JobLease>{};
  TimeMs now = clock_.now_ms();
  std::optional<JobLease> out;
  std::vector<std::pair<WorkspaceId, JobId>> changed;
  std::string placeholders;
  for (std::size_t i = 0; i < kinds.size(); ++i) placeholders += i ? ",?" : "?";
  Status st = db_.write([&](Connection& c) -> Status {
    changed.clear();
    out.reset();
    // Expired leases of jobs whose cancel was requested: finish the cancel, do not run.
    ADLOOM_ASSIGN(
        auto expired_cancel,
        c.prepare(
            "UPDATE jobs SET state = 'canceled', lease_owner = NULL, lease_expires_at = NULL, "
            "updated_at = ?1, finished_at = ?1 WHERE state = 'running' AND cancel_requested = 1 "
            "AND lease_expires_at <= ?1 RETURNING workspace_id, id"));
    expired_cancel.bind(1, now);
    for (;;) {
      ADLOOM_ASSIGN(bool row, expired_cancel.step());
      if (!row) break;
      changed.emplace_back(expired_cancel.column_text(0), expired_cancel.column_text(1));
    }
    for (;;) {
      ADLOOM_ASSIGN(auto pick,
                    c.prepare("SELECT id, workspace_id, attempts, max_attempts, state FROM jobs "
                              "WHERE kind IN (" +
                              placeholders +
                              ") AND ("
                              "(state IN ('queued', 'failed') AND run_after <= ?) OR "
                              "(state = 'running' AND lease_expires_at <= ?)) "
                              "ORDER BY run_after, id LIMIT 1"));
      int i = 1;
      for (const auto& k : kinds) pick.bind(i++, k);
      pick.bind(i, now);
      pick.bind(i + 1, now);
      ADLOOM_ASSIGN(bool found, pick.step());
      if (!found) return Status::ok();
      JobId id = pick.column_text(0);
      WorkspaceId ws = pick.column_text(1);
      int attempts = static_cast<int>(pick.column_int(2));
      int max_attempts = static_cast<int>(pick.column_int(3));
      bool takeover = pick.column_text(4) == "running";
      if (attempts >= max_attempts) {
        // Only reachable by takeover: the last attempt died with its worker.
        ADLOOM_ASSIGN(
            auto dead,
            c.prepare(
                "UPDATE jobs SET state = 'dead', lease_owner = NULL, lease_expires_at = NULL, "
                "last_error = ?, updated_at = ?, finished_at = ? WHERE id = ?"));
        dead.bind(1, "worker stopped responding on the last attempt (" + std::to_string(attempts) +
                         " of " + std::to_string(max_attempts) + ")");
        dead.bind(2, now).bind(3, now).bind(4, id);
        ADLOOM_TRY(dead.run());
        changed.emplace_back(ws, id);
        continue;
      }
      JobLease l;
      l.job_id = id;
      l.workspace_id = ws;
      l.token = worker + "/" + random_hex(8);
      l.worker = worker;
      l.attempt = attempts + 1;
      ADLOOM_ASSIGN(
          auto upd,
          c.prepare("UPDATE jobs SET state = 'running', lease_owner = ?, lease_expires_at = ?, "
                    "attempts = attempts + 1, updated_at = ?, last_error = coalesce(?, last_error) "
                    "WHERE id = ?"));
      upd.bind(1, l.token).bind(2, now + options_.lease_ms).bind(3, now);
      upd.bind(4, takeover ? std::optional<std::string>("previous worker stopped responding; "
                                                        "lease taken over")
                           : std::nullopt);
      upd.bind(5, id);
      ADLOOM_TRY(upd.run());
      ADLOOM_ASSIGN(auto job, load_job(c, ws, id));
      l.kind = job->kind;
      l.job = std::move(*job);
      out = std::move(l);
      changed.emplace_back(ws, id);
      return Status::ok();
    }
  });
  if (!st.is_ok()) return st;
  for (const auto& [ws, id] : changed) notify(ws, id);
  return out;
}

Status SqliteJobQueue::with_lease(const JobLease& lease,
                                  const std::function<Status(Connection&)>& fn, bool publish) {
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(
        auto q,
        c.prepare("SELECT 1 FROM jobs WHERE id = ? AND state = 'running' AND lease_owner = ?"));
    q.bind(1, lease.job_id).bind(2, lease.token);
    ADLOOM_ASSIGN(bool held, q.step());
    if (!held) return lease_lost(lease);
    return fn(c);
  });
  if (publish && st.is_ok()) notify(lease.workspace_id, lease.job_id);
  return st;
}

Status SqliteJobQueue::renew(const JobLease& lease) {
  bool cancel = false;
  Status st = with_lease(
      lease,
      [&](Connection& c) -> Status {
        TimeMs now = clock_.now_ms();
        ADLOOM_ASSIGN(
            auto q,
            c.prepare(
                "UPDATE jobs SET lease_expires_at = ? WHERE id = ? RETURNING cancel_requested"));
        q.bind(1, now + options_.lease_ms).bind(2, lease.job_id);
        ADLOOM_ASSIGN(bool row, q.step());
        cancel = row && q.column_int(0) != 0;
        return q.run();
      },
      /*publish=*/false);
  if (!st.is_ok()) return st;
  return cancel ? cancelled("job " + lease.job_id + " was canceled") : Status::ok();
}

Status SqliteJobQueue::set_progress(const JobLease& lease, int step_count, double progress,
                                    const std::string& message) {
  return with_lease(lease, [&](Connection& c) -> Status {
    ADLOOM_ASSIGN(
        auto q,
        c.prepare(
            "UPDATE jobs SET step_count = ?, progress = ?, progress_message = ?, updated_at = ? "
            "WHERE id = ?"));
    q.bind(1, static_cast<std::int64_t>(step_count)).bind(2, progress).bind(3, message);
    q.bind(4, clock_.now_ms()).bind(5, lease.job_id);
    return q.run();
  });
}

Status SqliteJobQueue::complete_step(const JobLease& lease, int step, const std::string& name,
                                     const std::string& output_json) {
  return with_lease(lease, [&](Connection& c) -> Status {
    TimeMs now = clock_.now_ms();
    ADLOOM_ASSIGN(auto cur, c.prepare("SELECT step FROM jobs WHERE id = ?"));
    cur.bind(1, lease.job_id);
    ADLOOM_ASSIGN(bool row, cur.step());
    if (!row || cur.column_int(0) != step) {
      return conflict("job " + lease.job_id + " is at step " +
                      std::to_string(row ? cur.column_int(0) : -1) + ", not step " +
                      std::to_string(step));
    }
    ADLOOM_ASSIGN(
        auto ins,
        c.prepare(
            "INSERT INTO job_steps(job_id, workspace_id, step, name, output, attempt, worker, "
            "completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    ins.bind(1, lease.job_id).bind(2, lease.workspace_id).bind(3, static_cast<std::int64_t>(step));
    ins.bind(4, name).bind(5, output_json).bind(6, static_cast<std::int64_t>(lease.attempt));
    ins.bind(7, lease.worker).bind(8, now);
    ADLOOM_TRY(ins.run());
    ADLOOM_ASSIGN(auto upd,
                  c.prepare("UPDATE jobs SET step = ?, lease_expires_at = ?, updated_at = ?, "
                            "progress = CASE WHEN step_count > 0 THEN CAST(? AS REAL) / step_count "
                            "ELSE progress END "
                            "WHERE id = ?"));
    upd.bind(1, static_cast<std::int64_t>(step) + 1).bind(2, now + options_.lease_ms);
    upd.bind(3, now).bind(4, static_cast<std::int64_t>(step) + 1).bind(5, lease.job_id);
    return upd.run();
  });
}

Status SqliteJobQueue::succeed(const JobLease& lease, const std::string& result_json) {
  return with_lease(lease, [&](Connection& c) -> Status {
    TimeMs now = clock_.now_ms();
    ADLOOM_ASSIGN(
        auto q,
        c.prepare(
            "UPDATE jobs SET state = 'succeeded', result = ?, lease_owner = NULL, "
            "lease_expires_at = NULL, progress = 1, updated_at = ?, finished_at = ? WHERE id = ?"));
    q.bind(1, result_json).bind(2, now).bind(3, now).bind(4, lease.job_id);
    return q.run();
  });
}

Status SqliteJobQueue::fail(const JobLease& lease, const std::string& error, bool retryable) {
  return with_lease(lease, [&](Connection& c) -> Status {
    TimeMs now = clock_.now_ms();
    ADLOOM_ASSIGN(
        auto q,
        c.prepare("SELECT attempts, max_attempts, cancel_requested FROM jobs WHERE id = ?"));
    q.bind(1, lease.job_id);
    ADLOOM_ASSIGN(bool row, q.step());
    if (!row) return lease_lost(lease);
    int attempts = static_cast<int>(q.column_int(0));
    bool cancel = q.column_int(2) != 0;
    bool again = retryable && !cancel && attempts < q.column_int(1);
    ADLOOM_ASSIGN(
        auto upd,
        c.prepare("UPDATE jobs SET state = ?, run_after = ?, last_error = ?, lease_owner = NULL, "
                  "lease_expires_at = NULL, updated_at = ?, finished_at = ? WHERE id = ?"));
    upd.bind(1, again ? "failed" : cancel ? "canceled" : "dead");
    upd.bind(2, again ? now + backoff_delay_ms(attempts, options_.backoff, unit_random()) : now);
    upd.bind(3, error).bind(4, now);
    if (again) {
      upd.bind_null(5);
    } else {
      upd.bind(5, now);
    }
    upd.bind(6, lease.job_id);
    return upd.run();
  });
}

Status SqliteJobQueue::release(const JobLease& lease) {
  return with_lease(lease, [&](Connection& c) -> Status {
    TimeMs now = clock_.now_ms();
    ADLOOM_ASSIGN(
        auto q,
        c.prepare(
            "UPDATE jobs SET "
            "state = CASE WHEN cancel_requested = 1 THEN 'canceled' ELSE 'queued' END, "
            "attempts = max(attempts - 1, 0), run_after = ?1, lease_owner = NULL, "
            "lease_expires_at = NULL, updated_at = ?1, "
            "finished_at = CASE WHEN cancel_requested = 1 THEN ?1 ELSE NULL END WHERE id = ?2"));
    q.bind(1, now).bind(2, lease.job_id);
    return q.run();
  });
}

Status SqliteJobQueue::mark_canceled(const JobLease& lease) {
  return with_lease(lease, [&](Connection& c) -> Status {
    TimeMs now = clock_.now_ms();
    ADLOOM_ASSIGN(
        auto q,
        c.prepare(
            "UPDATE jobs SET state = 'canceled', lease_owner = NULL, lease_expires_at = NULL, "
            "updated_at = ?, finished_at = ? WHERE id = ?"));
    q.bind(1, now).bind(2, now).bind(3, lease.job_id);
    return q.run();
  });
}

Result<Job> SqliteJobQueue::get(const RequestContext& ctx, const JobId& id) {
  std::optional<Job> job;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(job, load_job(c, ctx.workspace_id, id));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (!job) return not_found("job " + id + " does not exist");
  return std::move(*job);
}

Result<JobPage> SqliteJobQueue::list(const RequestContext& ctx, const JobFilter& filter) {
  JobPage page;
  int limit = std::clamp(filter.limit, 1, 500);
  Status st = db_.read([&](Connection& c) -> Status {
    std::string sql = std::string("SELECT ") + kJobColumns +
                      " FROM jobs WHERE workspace_id = ?1 AND (?2 IS NULL OR state = ?2) "
                      "AND (?3 IS NULL OR kind = ?3) AND (?4 IS NULL OR id < ?4) "
                      "ORDER BY id DESC LIMIT ?5";
    ADLOOM_ASSIGN(auto q, c.prepare(sql));
    q.bind(1, ctx.workspace_id);
    q.bind(2, filter.state ? std::optional<std::string>(std::string(job_state_name(*filter.state)))
                           : std::nullopt);
    q.bind(3, filter.kind).bind(4, filter.before);
    q.bind(5, static_cast<std::int64_t>(limit) + 1);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) break;
      page.jobs.push_back(read_job_row(q));
    }
    if (page.jobs.size() > static_cast<std::size_t>(limit)) {
      page.jobs.pop_back();
      page.next_cursor = page.jobs.back().id;
    }
    for (auto& job : page.jobs) ADLOOM_TRY(load_steps(c, job));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return page;
}

Result<Job> SqliteJobQueue::retry(const RequestContext& ctx, const JobId& id) {
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto job, load_job(c, ctx.workspace_id, id));
    if (!job) return not_found("job " + id + " does not exist");
    if (job->state != JobState::kFailed && job->state != JobState::kDead &&
        job->state != JobState::kCanceled) {
      return conflict("job " + id + " is " + std::string(job_state_name(job->state)) +
                      "; only failed, dead or canceled jobs can be retried");
    }
    TimeMs now = clock_.now_ms();
    ADLOOM_ASSIGN(
        auto q,
        c.prepare(
            "UPDATE jobs SET state = 'queued', attempts = 0, run_after = ?, cancel_requested = 0, "
            "finished_at = NULL, updated_at = ? WHERE id = ?"));
    q.bind(1, now).bind(2, now).bind(3, id);
    return q.run();
  });
  if (!st.is_ok()) return st;
  notify(ctx.workspace_id, id);
  return get(ctx, id);
}

Result<Job> SqliteJobQueue::cancel(const RequestContext& ctx, const JobId& id) {
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto job, load_job(c, ctx.workspace_id, id));
    if (!job) return not_found("job " + id + " does not exist");
    if (is_terminal(job->state)) {
      return conflict("job " + id + " is already " + std::string(job_state_name(job->state)));
    }
    TimeMs now = clock_.now_ms();
    const char* sql =
        job->state == JobState::kRunning
            ? "UPDATE jobs SET cancel_requested = 1, updated_at = ?1 WHERE id = ?2"
            : "UPDATE jobs SET state = 'canceled', cancel_requested = 1, updated_at = ?1, "
              "finished_at = ?1 WHERE id = ?2";
    ADLOOM_ASSIGN(auto q, c.prepare(sql));
    q.bind(1, now).bind(2, id);
    return q.run();
  });
  if (!st.is_ok()) return st;
  notify(ctx.workspace_id, id);
  return get(ctx, id);
}

Result<std::map<JobState, std::int64_t>> SqliteJobQueue::count_by_state() {
  std::map<JobState, std::int64_t> counts;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT state, count(*) FROM jobs GROUP BY state"));
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) return Status::ok();
      if (auto s = parse_job_state(q.column_text(0))) counts[*s] = q.column_int(1);
    }
  });
  if (!st.is_ok()) return st;
  return counts;
}

}  // namespace adloom
