// Shared fixture for the JobQueue contract tests (src/jobs/job_queue.h) against
// SqliteJobQueue, with a fake clock: leases, expiry and backoff are driven by advancing
// time, never by sleeping. Used by job_queue_lease_test.cpp and job_queue_admin_test.cpp.
//
// Everything here lives in a named namespace: both test files share the one JobQueueTest
// fixture class (GoogleTest requires one fixture type per test suite name).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jobs/sqlite_job_queue.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_metadata_store.h"
#include "support/temp_dir.h"

namespace adloom::job_queue_test {

inline constexpr TimeMs kStart = 1'764'292'143'000;
inline constexpr std::int64_t kLeaseMs = 10'000;
inline constexpr std::int64_t kBackoffBase = 1'000;
inline constexpr std::int64_t kBackoffMax = 60'000;
inline constexpr int kDefaultMaxAttempts = 3;

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimeMs start) : now_(start) {}
  TimeMs now_ms() const override { return now_.load(); }
  void advance(TimeMs ms) { now_ += ms; }
  void set(TimeMs t) { now_ = t; }

 private:
  std::atomic<TimeMs> now_;
};

class RecordingObserver final : public JobObserver {
 public:
  void on_job_changed(const Job& job) override {
    std::lock_guard lock(mu_);
    events_.push_back(job);
  }
  std::vector<Job> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  std::size_t size() const {
    std::lock_guard lock(mu_);
    return events_.size();
  }
  void clear() {
    std::lock_guard lock(mu_);
    events_.clear();
  }

 private:
  mutable std::mutex mu_;
  std::vector<Job> events_;
};

class JobQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = sqlite::Database::open({(dir_.path() / "adloom.db").string(), 5000});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    store_ = std::make_unique<SqliteMetadataStore>(*db_, clock_);
    auto migrated = store_->migrate();
    ASSERT_TRUE(migrated.is_ok()) << migrated.status().to_string();
    auto ws = store_->ensure_default_workspace("Default");
    ASSERT_TRUE(ws.is_ok()) << ws.status().to_string();
    ctx_ = RequestContext::system(ws->id, "test");
    JobQueueOptions options;
    options.lease_ms = kLeaseMs;
    options.default_max_attempts = kDefaultMaxAttempts;
    options.backoff = BackoffPolicy{kBackoffBase, kBackoffMax};
    queue_ = std::make_unique<SqliteJobQueue>(*db_, clock_, options, &observer_);
  }

  RequestContext other_workspace() {
    auto ws = store_->create_workspace("Other");
    EXPECT_TRUE(ws.is_ok()) << ws.status().to_string();
    return RequestContext::system(ws.is_ok() ? ws->id : "", "test-other");
  }

  Job enqueue(const std::string& kind = "sleep", int max_attempts = 0,
              const std::string& payload = "{}") {
    return enqueue_in(ctx_, kind, max_attempts, payload);
  }

  Job enqueue_in(const RequestContext& ctx, const std::string& kind, int max_attempts = 0,
                 const std::string& payload = "{}") {
    JobSpec spec;
    spec.kind = kind;
    spec.payload = payload;
    spec.max_attempts = max_attempts;
    auto r = queue_->enqueue(ctx, spec);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    if (!r.is_ok()) return Job{};
    EXPECT_TRUE(r->second);
    return r->first;
  }

  std::optional<JobLease> lease(const std::string& worker = "w1",
                                const std::vector<std::string>& kinds = {"sleep"}) {
    auto r = queue_->lease(worker, kinds);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? *r : std::nullopt;
  }

  Job get(const JobId& id) { return get_in(ctx_, id); }

  Job get_in(const RequestContext& ctx, const JobId& id) {
    auto r = queue_->get(ctx, id);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? *r : Job{};
  }

  std::vector<Job> list_all(const JobFilter& filter) {
    auto r = queue_->list(ctx_, filter);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->jobs : std::vector<Job>{};
  }

  static std::vector<JobId> ids_of(const std::vector<Job>& jobs) {
    std::vector<JobId> ids;
    for (const auto& j : jobs) ids.push_back(j.id);
    return ids;
  }

  testing::TempDir dir_;
  FakeClock clock_{kStart};
  RecordingObserver observer_;
  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<SqliteMetadataStore> store_;
  std::unique_ptr<SqliteJobQueue> queue_;
  RequestContext ctx_;
};

// Fields that a fenced (rejected) call must leave untouched.
inline void expect_same_job(const Job& a, const Job& b) {
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.step_count, b.step_count);
  EXPECT_EQ(a.attempts, b.attempts);
  EXPECT_EQ(a.run_after, b.run_after);
  EXPECT_EQ(a.lease_owner, b.lease_owner);
  EXPECT_EQ(a.lease_expires_at, b.lease_expires_at);
  EXPECT_EQ(a.result, b.result);
  EXPECT_EQ(a.last_error, b.last_error);
  EXPECT_EQ(a.progress, b.progress);
  EXPECT_EQ(a.progress_message, b.progress_message);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.finished_at, b.finished_at);
  EXPECT_EQ(a.cancel_requested, b.cancel_requested);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    EXPECT_EQ(a.steps[i].step, b.steps[i].step);
    EXPECT_EQ(a.steps[i].output, b.steps[i].output);
    EXPECT_EQ(a.steps[i].attempt, b.steps[i].attempt);
  }
}

}  // namespace adloom::job_queue_test
