#include "jobs/worker_pool.h"

#include <algorithm>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace adloom {

WorkerPool::WorkerPool(JobQueue& queue, const HandlerRegistry& handlers, WorkerPoolOptions options)
    : queue_(queue), handlers_(handlers), options_(std::move(options)) {
  for (const auto& [kind, handler] : handlers_) kinds_.push_back(kind);
  char host[64] = {0};
  gethostname(host, sizeof(host) - 1);
  id_prefix_ = options_.name + "-" + host + "-" + std::to_string(getpid());
}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::start() {
  if (started_) return;
  started_ = true;
  for (int i = 0; i < options_.workers; ++i) {
    threads_.emplace_back([this, i](const std::stop_token& st) { worker_loop(st, i); });
  }
  if (options_.workers > 0)
    threads_.emplace_back([this](const std::stop_token& st) { renew_loop(st); });
}

void WorkerPool::stop() {
  if (!started_) return;
  started_ = false;
  // Thread tokens first, then the runs: a worker that registers a run after the sweep below
  // sees its token already stopped (worker_loop checks it under mu_), so no run is missed.
  for (auto& t : threads_) t.request_stop();
  {
    std::lock_guard lock(mu_);
    for (auto& [id, run] : runs_) {
      StopReason none = StopReason::kNone;
      run->reason.compare_exchange_strong(none, StopReason::kShutdown);
      run->stop.request_stop();
    }
  }
  cv_.notify_all();
  threads_.clear();  // joins
}

void WorkerPool::wake() {
  {
    std::lock_guard lock(mu_);
    ++wake_seq_;
  }
  cv_.notify_all();
}

int WorkerPool::running_jobs() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(runs_.size());
}

void WorkerPool::worker_loop(const std::stop_token& stop, int index) {
  const std::string worker = id_prefix_ + "-" + std::to_string(index);
  while (!stop.stop_requested()) {
    std::uint64_t seen;
    {
      std::lock_guard lock(mu_);
      seen = wake_seq_;
    }
    auto leased = queue_.lease(worker, kinds_);
    if (leased && *leased) {
      auto run = std::make_shared<Run>();
      run->lease = std::move(**leased);
      {
        std::lock_guard lock(mu_);
        runs_[run->lease.job_id] = run;
        if (stop.stop_requested()) {
          run->reason = StopReason::kShutdown;
          run->stop.request_stop();
        }
      }
      run_job(run);
      std::lock_guard lock(mu_);
      runs_.erase(run->lease.job_id);
      continue;
    }
    if (!leased) {
      spdlog::warn("event=lease_failed worker={} error=\"{}\"", worker,
                   leased.status().to_string());
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, stop, std::chrono::milliseconds(options_.poll_ms),
                 [&] { return wake_seq_ != seen; });
  }
}

void WorkerPool::renew_loop(const std::stop_token& stop) {
  const auto period = std::chrono::milliseconds(std::max<std::int64_t>(options_.lease_ms / 3, 1));
  std::mutex sleep_mu;
  std::condition_variable_any sleep_cv;
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(sleep_mu);
      sleep_cv.wait_for(lock, stop, period, [] { return false; });
    }
    if (stop.stop_requested()) break;
    std::vector<std::shared_ptr<Run>> runs;
    {
      std::lock_guard lock(mu_);
      for (auto& [id, run] : runs_) runs.push_back(run);
    }
    for (auto& run : runs) {
      Status st = queue_.renew(run->lease);
      if (st.is_ok()) continue;
      StopReason reason = st.code() == ErrorCode::kCancelled  ? StopReason::kCancel
                          : st.code() == ErrorCode::kConflict ? StopReason::kLeaseLost
                                                              : StopReason::kNone;
      if (reason == StopReason::kNone) {
        spdlog::warn("event=lease_renew_failed job_id={} error=\"{}\"", run->lease.job_id,
                     st.to_string());
        continue;  // transient (busy database): try again next period
      }
      StopReason none = StopReason::kNone;
      run->reason.compare_exchange_strong(none, reason);
      run->stop.request_stop();
    }
  }
}

void WorkerPool::finish_stopped(Run& run) {
  const JobLease& lease = run.lease;
  Status st;
  switch (run.reason.load()) {
    case StopReason::kCancel: st = queue_.mark_canceled(lease); break;
    case StopReason::kShutdown: st = queue_.release(lease); break;
    case StopReason::kLeaseLost:
    case StopReason::kNone: return;  // another worker owns it now
  }
  if (!st.is_ok()) {
    spdlog::warn("event=job_stop_failed job_id={} error=\"{}\"", lease.job_id, st.to_string());
  }
}

void WorkerPool::run_job(const std::shared_ptr<Run>& run) {
  const JobLease& lease = run->lease;
  const Job& job = lease.job;
  spdlog::info("event=job_started job_id={} kind={} attempt={} step={} worker={}", job.id, job.kind,
               lease.attempt, job.step, lease.worker);
  auto it = handlers_.find(job.kind);
  if (it == handlers_.end()) {
    (void)queue_.fail(lease, "no handler for job kind '" + job.kind + "'", false);
    return;
  }
  JobHandler& handler = *it->second;
  auto plan = handler.plan(job);
  if (!plan) {
    (void)queue_.fail(lease, "invalid job: " + plan.status().message(), false);
    return;
  }
  const auto& names = *plan;
  const int count = static_cast<int>(names.size());
  std::vector<StepOutput> outputs = job.steps;
  int next = job.step;  // first step not yet stored
  for (int i = job.step; i < count; ++i) {
    if (run->stop.get_token().stop_requested()) break;
    (void)queue_.set_progress(lease, count, static_cast<double>(i) / count,
                              "step " + std::to_string(i + 1) + " of " + std::to_string(count) +
                                  ": " + names[static_cast<std::size_t>(i)]);
    StepContext ctx{lease, outputs, run->stop.get_token(),
                    [&](const std::string& message) {
                      (void)queue_.set_progress(lease, count, static_cast<double>(i) / count,
                                                message);
                    },
                    RetryBudget{std::max(1, job.max_attempts - lease.attempt + 1)}};
    Result<std::string> out = internal_error("step did not run");
    try {
      out = handler.run_step(ctx, i);
    } catch (const std::exception& e) {
      out = internal_error(std::string("unexpected error: ") + e.what());
    }
    const std::string& name = names[static_cast<std::size_t>(i)];
    if (!out) {
      if (run->stop.get_token().stop_requested()) break;
      spdlog::warn("event=job_step_failed job_id={} step={} attempt={} error=\"{}\"", job.id, name,
                   lease.attempt, out.status().to_string());
      // A step that spent the job's remaining tries on outbound retries has had them.
      const bool spent = ctx.budget.tries_left <= 0;
      (void)queue_.fail(lease, "step '" + name + "' failed: " + out.status().message(),
                        is_retryable(out.status().code()) && !spent);
      return;
    }
    Status st = queue_.complete_step(lease, i, name, *out);
    if (!st.is_ok()) {
      spdlog::warn("event=job_step_not_stored job_id={} step={} error=\"{}\"", job.id, name,
                   st.to_string());
      return;  // lease lost or database down: the job will be taken over later
    }
    outputs.push_back(StepOutput{i, name, *out, lease.attempt, lease.worker, 0});
    next = i + 1;
    // Renewing at each step boundary also notices a cancel promptly.
    Status renewed = queue_.renew(lease);
    if (renewed.code() == ErrorCode::kCancelled) {
      StopReason none = StopReason::kNone;
      run->reason.compare_exchange_strong(none, StopReason::kCancel);
      run->stop.request_stop();
    }
  }
  if (next < count) {  // stopped early: cancel, shutdown or lease lost
    finish_stopped(*run);
    return;
  }
  Status st = queue_.succeed(lease, handler.result(outputs));
  if (!st.is_ok()) {
    spdlog::warn("event=job_succeed_failed job_id={} error=\"{}\"", job.id, st.to_string());
    return;
  }
  spdlog::info("event=job_succeeded job_id={} kind={} attempt={}", job.id, job.kind, lease.attempt);
}

}  // namespace adloom
