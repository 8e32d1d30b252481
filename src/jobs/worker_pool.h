// WorkerPool: threads that lease jobs from the queue and run their handlers, plus one
// thread that renews the leases of running jobs. Used by `adloom serve` (embedded
// workers) and `adloom worker` (workers only).
//
// Threads: `workers` worker threads and one renewer, all std::jthread owned here and
// joined in stop(). Shutdown: running handlers see their stop token; a step that still
// finishes is stored; the job is then released (queued again, attempt not counted).
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job_handler.h"
#include "jobs/job_queue.h"

namespace adloom {

struct WorkerPoolOptions {
  int workers = 2;
  std::int64_t lease_ms = 30000;  // must match the queue's lease; renewed every third
  std::int64_t poll_ms = 500;     // idle wait between lease attempts (wake() cuts it short)
  std::string name = "worker";    // worker ids are "<name>-<host pid>-<n>"
};

class WorkerPool {
 public:
  // `queue` and `handlers` must outlive the pool.
  WorkerPool(JobQueue& queue, const HandlerRegistry& handlers, WorkerPoolOptions options);
  ~WorkerPool();  // stop()s
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void start();
  void stop();  // idempotent; blocks until all threads are joined
  // Wakes idle workers now (a job was enqueued in this process).
  void wake();
  int running_jobs() const;

 private:
  enum class StopReason { kNone, kCancel, kLeaseLost, kShutdown };
  struct Run {
    JobLease lease;
    std::stop_source stop;
    std::atomic<StopReason> reason{StopReason::kNone};
  };

  void worker_loop(const std::stop_token& stop, int index);
  void renew_loop(const std::stop_token& stop);
  void run_job(const std::shared_ptr<Run>& run);
  void finish_stopped(Run& run);

  JobQueue& queue_;
  const HandlerRegistry& handlers_;
  WorkerPoolOptions options_;
  std::vector<std::string> kinds_;
  std::string id_prefix_;

  mutable std::mutex mu_;  // guards runs_, wake_seq_
  std::condition_variable_any cv_;
  std::uint64_t wake_seq_ = 0;
  std::map<JobId, std::shared_ptr<Run>> runs_;
  std::vector<std::jthread> threads_;
  bool started_ = false;
};

}  // namespace adloom
