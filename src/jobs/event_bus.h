// EventBus: in-process fan-out of job changes to subscribers (the SSE endpoint).
// Scope: one process. Changes made by `adloom worker` processes elsewhere reach clients
// of that process only; a database-polling relay comes with the scaled deployment.
//
// Thread safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "jobs/job_queue.h"

namespace adloom {

struct JobEvent {
  std::uint64_t seq = 0;  // increasing per process
  Job job;                // the job after the change
};

class EventBus final : public JobObserver {
 public:
  // A bounded queue of events for one workspace. When a slow consumer lets it fill, the
  // oldest events are dropped and `dropped()` counts them (clients then re-read state).
  class Subscription {
   public:
    explicit Subscription(WorkspaceId ws) : workspace_id_(std::move(ws)) {}
    std::vector<JobEvent> take();
    // `notify` runs (on the publishing thread) whenever events arrive or the bus closes.
    void set_notify(std::function<void()> notify);
    bool closed() const;
    std::uint64_t dropped() const;
    const WorkspaceId& workspace_id() const { return workspace_id_; }

   private:
    friend class EventBus;
    void push(const JobEvent& event);
    void close();

    static constexpr std::size_t kCapacity = 1000;
    const WorkspaceId workspace_id_;
    mutable std::mutex mu_;
    std::deque<JobEvent> queue_;
    std::function<void()> notify_;
    bool closed_ = false;
    std::uint64_t dropped_ = 0;
  };

  std::shared_ptr<Subscription> subscribe(const WorkspaceId& workspace_id);
  void on_job_changed(const Job& job) override;
  // Ends every subscription (server shutdown); later subscriptions start closed.
  void close_all();

 private:
  std::mutex mu_;
  std::uint64_t seq_ = 0;
  bool closed_ = false;
  std::vector<std::weak_ptr<Subscription>> subs_;
};

}  // namespace adloom
