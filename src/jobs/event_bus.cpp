#include "jobs/event_bus.h"

#include <algorithm>

namespace adloom {

std::vector<JobEvent> EventBus::Subscription::take() {
  std::lock_guard lock(mu_);
  std::vector<JobEvent> out(std::make_move_iterator(queue_.begin()),
                            std::make_move_iterator(queue_.end()));
  queue_.clear();
  return out;
}

void EventBus::Subscription::set_notify(std::function<void()> notify) {
  std::lock_guard lock(mu_);
  notify_ = std::move(notify);
}

bool EventBus::Subscription::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

std::uint64_t EventBus::Subscription::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void EventBus::Subscription::push(const JobEvent& event) {
  std::function<void()> notify;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    if (queue_.size() >= kCapacity) {
      queue_.pop_front();
      ++dropped_;
    }
    queue_.push_back(event);
    notify = notify_;
  }
  if (notify) notify();
}

void EventBus::Subscription::close() {
  std::function<void()> notify;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    notify = notify_;
  }
  if (notify) notify();
}

std::shared_ptr<EventBus::Subscription> EventBus::subscribe(const WorkspaceId& workspace_id) {
  auto sub = std::make_shared<Subscription>(workspace_id);
  std::lock_guard lock(mu_);
  if (closed_) {
    sub->closed_ = true;
    return sub;
  }
  subs_.push_back(sub);
  return sub;
}

void EventBus::on_job_changed(const Job& job) {
  std::vector<std::shared_ptr<Subscription>> targets;
  JobEvent event;
  {
    std::lock_guard lock(mu_);
    event = JobEvent{++seq_, job};
    std::erase_if(subs_, [](const auto& w) { return w.expired(); });
    for (const auto& w : subs_) {
      if (auto s = w.lock(); s && s->workspace_id() == job.workspace_id) targets.push_back(s);
    }
  }
  for (const auto& s : targets) s->push(event);
}

void EventBus::close_all() {
  std::vector<std::shared_ptr<Subscription>> targets;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    for (const auto& w : subs_) {
      if (auto s = w.lock()) targets.push_back(s);
    }
    subs_.clear();
  }
  for (const auto& s : targets) s->close();
}

}  // namespace adloom
