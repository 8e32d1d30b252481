// The JobQueue contract (src/jobs/job_queue.h) against SqliteJobQueue, with a fake clock:
// leases, expiry and backoff are driven by advancing time, never by sleeping.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jobs/sqlite_job_queue.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_metadata_store.h"
#include "support/temp_dir.h"

namespace adloom {
namespace {

constexpr TimeMs kStart = 1'764'292'143'000;
constexpr std::int64_t kLeaseMs = 10'000;
constexpr std::int64_t kBackoffBase = 1'000;
constexpr std::int64_t kBackoffMax = 60'000;
constexpr int kDefaultMaxAttempts = 3;

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
void expect_same_job(const Job& a, const Job& b) {
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

// --- enqueue / get ------------------------------------------------------------------------

TEST_F(JobQueueTest, EnqueueThenGet) {
  auto r = queue_->enqueue(ctx_, JobSpec{"sleep", R"({"steps":2})", std::nullopt, 0});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const auto& [job, created] = *r;
  EXPECT_TRUE(created);
  EXPECT_TRUE(is_valid_id(job.id, "job")) << job.id;
  EXPECT_EQ(job.workspace_id, ctx_.workspace_id);
  EXPECT_EQ(job.kind, "sleep");
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.payload, R"({"steps":2})");
  EXPECT_EQ(job.step, 0);
  EXPECT_EQ(job.step_count, 0);
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(job.max_attempts, kDefaultMaxAttempts);
  EXPECT_EQ(job.run_after, kStart);
  EXPECT_EQ(job.created_at, kStart);
  EXPECT_EQ(job.updated_at, kStart);
  EXPECT_FALSE(job.lease_owner.has_value());
  EXPECT_FALSE(job.lease_expires_at.has_value());
  EXPECT_FALSE(job.result.has_value());
  EXPECT_FALSE(job.finished_at.has_value());
  EXPECT_FALSE(job.idempotency_key.has_value());
  EXPECT_FALSE(job.cancel_requested);
  EXPECT_TRUE(job.steps.empty());

  Job got = get(job.id);
  EXPECT_EQ(got.id, job.id);
  expect_same_job(got, job);
  EXPECT_EQ(got.payload, job.payload);
}

TEST_F(JobQueueTest, EnqueueHonoursExplicitMaxAttempts) {
  Job j = enqueue("sleep", 7);
  EXPECT_EQ(j.max_attempts, 7);
}

TEST_F(JobQueueTest, EnqueueValidates) {
  auto empty_kind = queue_->enqueue(ctx_, JobSpec{"", "{}", std::nullopt, 0});
  ASSERT_FALSE(empty_kind.is_ok());
  EXPECT_EQ(empty_kind.status().code(), ErrorCode::kInvalidArgument);
  for (int bad : {-1, 101}) {
    auto r = queue_->enqueue(ctx_, JobSpec{"sleep", "{}", std::nullopt, bad});
    ASSERT_FALSE(r.is_ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  }
  auto list = list_all(JobFilter{});
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(observer_.size(), 0u);
}

TEST_F(JobQueueTest, GetUnknownIsNotFound) {
  auto r = queue_->get(ctx_, new_id("job", kStart));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

TEST_F(JobQueueTest, IdempotencyKeyReturnsTheSameJob) {
  JobSpec spec{"sleep", R"({"ms":1})", std::string("key-1"), 0};
  auto first = queue_->enqueue(ctx_, spec);
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  EXPECT_TRUE(first->second);
  EXPECT_EQ(first->first.idempotency_key, std::optional<std::string>("key-1"));
  const std::size_t events_after_first = observer_.size();

  clock_.advance(5);
  JobSpec again = spec;
  again.payload = R"({"ms":2})";  // the key alone decides
  auto second = queue_->enqueue(ctx_, again);
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_FALSE(second->second);
  EXPECT_EQ(second->first.id, first->first.id);
  EXPECT_EQ(second->first.payload, R"({"ms":1})");
  EXPECT_EQ(observer_.size(), events_after_first);  // nothing changed, nothing published

  // Another key: another job.
  JobSpec other = spec;
  other.idempotency_key = "key-2";
  auto third = queue_->enqueue(ctx_, other);
  ASSERT_TRUE(third.is_ok());
  EXPECT_TRUE(third->second);
  EXPECT_NE(third->first.id, first->first.id);

  // No key: always a new job.
  JobSpec no_key{"sleep", "{}", std::nullopt, 0};
  auto n1 = queue_->enqueue(ctx_, no_key);
  auto n2 = queue_->enqueue(ctx_, no_key);
  ASSERT_TRUE(n1.is_ok() && n2.is_ok());
  EXPECT_NE(n1->first.id, n2->first.id);
  EXPECT_EQ(list_all(JobFilter{}).size(), 4u);
}

TEST_F(JobQueueTest, IdempotencyKeyIsPerWorkspace) {
  RequestContext other = other_workspace();
  JobSpec spec{"sleep", "{}", std::string("same-key"), 0};
  auto a = queue_->enqueue(ctx_, spec);
  auto b = queue_->enqueue(other, spec);
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  EXPECT_TRUE(a->second);
  EXPECT_TRUE(b->second);
  EXPECT_NE(a->first.id, b->first.id);
  EXPECT_EQ(b->first.workspace_id, other.workspace_id);

  auto b2 = queue_->enqueue(other, spec);
  ASSERT_TRUE(b2.is_ok());
  EXPECT_FALSE(b2->second);
  EXPECT_EQ(b2->first.id, b->first.id);
}

// --- lease --------------------------------------------------------------------------------

TEST_F(JobQueueTest, LeaseReturnsNulloptWhenNothingIsReady) {
  EXPECT_FALSE(lease().has_value());
  enqueue("sleep");
  EXPECT_FALSE(lease("w1", {}).has_value());         // no kinds: nothing
  EXPECT_FALSE(lease("w1", {"other"}).has_value());  // only other kinds
}

TEST_F(JobQueueTest, LeasePicksOldestReadyJobOfRequestedKinds) {
  Job a1 = enqueue("a");
  clock_.advance(1);
  Job b1 = enqueue("b");
  clock_.advance(1);
  Job a2 = enqueue("a");
  clock_.advance(1);
  Job c1 = enqueue("c");
  clock_.advance(1);

  auto lb = lease("w1", {"b"});
  ASSERT_TRUE(lb.has_value());
  EXPECT_EQ(lb->job_id, b1.id);

  auto la = lease("w1", {"a", "b"});
  ASSERT_TRUE(la.has_value());
  EXPECT_EQ(la->job_id, a1.id);
  auto la2 = lease("w2", {"b", "a"});
  ASSERT_TRUE(la2.has_value());
  EXPECT_EQ(la2->job_id, a2.id);

  EXPECT_FALSE(lease("w3", {"a", "b"}).has_value());
  EXPECT_EQ(get(c1.id).state, JobState::kQueued);  // never offered to a/b workers
}

TEST_F(JobQueueTest, LeaseFillsTheLeaseAndMarksRunning) {
  Job j = enqueue("sleep", 0, R"({"steps":3})");
  clock_.advance(100);
  auto l = lease("worker-7");
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->job_id, j.id);
  EXPECT_EQ(l->workspace_id, ctx_.workspace_id);
  EXPECT_EQ(l->kind, "sleep");
  EXPECT_EQ(l->worker, "worker-7");
  EXPECT_FALSE(l->token.empty());
  EXPECT_EQ(l->attempt, 1);
  EXPECT_EQ(l->job.id, j.id);
  EXPECT_EQ(l->job.payload, R"({"steps":3})");
  EXPECT_EQ(l->job.state, JobState::kRunning);
  EXPECT_EQ(l->job.attempts, 1);

  Job got = get(j.id);
  EXPECT_EQ(got.state, JobState::kRunning);
  EXPECT_EQ(got.attempts, 1);
  EXPECT_EQ(got.lease_owner, std::optional<std::string>(l->token));
  EXPECT_EQ(got.lease_expires_at, std::optional<TimeMs>(kStart + 100 + kLeaseMs));
  EXPECT_EQ(got.updated_at, kStart + 100);
  EXPECT_FALSE(got.last_error.has_value());
}

TEST_F(JobQueueTest, LeaseTokensAreUniquePerLease) {
  enqueue("sleep");
  auto l1 = lease("w1");
  ASSERT_TRUE(l1.has_value());
  ASSERT_TRUE(queue_->release(*l1).is_ok());
  auto l2 = lease("w1");  // same worker, same job, new lease
  ASSERT_TRUE(l2.has_value());
  EXPECT_NE(l1->token, l2->token);
  // The released lease is dead even though worker and job match.
  EXPECT_EQ(queue_->renew(*l1).code(), ErrorCode::kConflict);
  EXPECT_TRUE(queue_->renew(*l2).is_ok());
}

TEST_F(JobQueueTest, LiveLeaseIsExclusive) {
  Job j = enqueue("sleep");
  auto l1 = lease("w1");
  ASSERT_TRUE(l1.has_value());
  EXPECT_FALSE(lease("w2").has_value());
  clock_.advance(kLeaseMs - 1);
  EXPECT_FALSE(lease("w2").has_value());
  EXPECT_EQ(get(j.id).lease_owner, std::optional<std::string>(l1->token));
}

TEST_F(JobQueueTest, RenewExtendsTheLease) {
  Job j = enqueue("sleep");
  auto l1 = lease("w1");
  ASSERT_TRUE(l1.has_value());
  clock_.advance(kLeaseMs - 1);
  ASSERT_TRUE(queue_->renew(*l1).is_ok());
  EXPECT_EQ(get(j.id).lease_expires_at, std::optional<TimeMs>(clock_.now_ms() + kLeaseMs));
  clock_.advance(kLeaseMs - 1);  // past the original expiry, within the renewed one
  EXPECT_FALSE(lease("w2").has_value());
  EXPECT_EQ(get(j.id).lease_owner, std::optional<std::string>(l1->token));
}

TEST_F(JobQueueTest, ExpiredLeaseIsTakenOverAndTheOldLeaseIsFenced) {
  Job j = enqueue("sleep");
  auto old_lease = lease("w1");
  ASSERT_TRUE(old_lease.has_value());
  ASSERT_TRUE(queue_->set_progress(*old_lease, 3, 0.0, "starting").is_ok());
  ASSERT_TRUE(queue_->complete_step(*old_lease, 0, "one", R"({"n":1})").is_ok());

  clock_.advance(kLeaseMs + 1);
  auto new_lease = lease("w2");
  ASSERT_TRUE(new_lease.has_value());
  EXPECT_EQ(new_lease->job_id, j.id);
  EXPECT_EQ(new_lease->attempt, 2);
  EXPECT_NE(new_lease->token, old_lease->token);
  EXPECT_EQ(new_lease->job.step, 1);  // resumes at the first unfinished step
  ASSERT_EQ(new_lease->job.steps.size(), 1u);
  EXPECT_EQ(new_lease->job.steps[0].output, R"({"n":1})");
  ASSERT_TRUE(new_lease->job.last_error.has_value());
  EXPECT_NE(new_lease->job.last_error->find("taken over"), std::string::npos);

  clock_.advance(10);
  const Job before = get(j.id);
  const std::size_t events_before = observer_.size();
  EXPECT_EQ(queue_->complete_step(*old_lease, 1, "two", "{}").code(), ErrorCode::kConflict);
  EXPECT_EQ(queue_->succeed(*old_lease, "{}").code(), ErrorCode::kConflict);
  EXPECT_EQ(queue_->fail(*old_lease, "boom", true).code(), ErrorCode::kConflict);
  EXPECT_EQ(queue_->fail(*old_lease, "boom", false).code(), ErrorCode::kConflict);
  EXPECT_EQ(queue_->renew(*old_lease).code(), ErrorCode::kConflict);
  EXPECT_EQ(queue_->set_progress(*old_lease, 3, 0.9, "x").code(), ErrorCode::kConflict);
  EXPECT_EQ(queue_->release(*old_lease).code(), ErrorCode::kConflict);
  EXPECT_EQ(queue_->mark_canceled(*old_lease).code(), ErrorCode::kConflict);
  const Job after = get(j.id);
  expect_same_job(after, before);
  EXPECT_EQ(after.lease_owner, std::optional<std::string>(new_lease->token));
  EXPECT_EQ(observer_.size(), events_before);  // rejected calls publish nothing

  // The new holder carries on normally.
  ASSERT_TRUE(queue_->complete_step(*new_lease, 1, "two", R"({"n":2})").is_ok());
  ASSERT_TRUE(queue_->succeed(*new_lease, R"({"done":true})").is_ok());
  Job done = get(j.id);
  EXPECT_EQ(done.state, JobState::kSucceeded);
  ASSERT_EQ(done.steps.size(), 2u);
  EXPECT_EQ(done.steps[0].attempt, 1);
  EXPECT_EQ(done.steps[0].worker, "w1");
  EXPECT_EQ(done.steps[1].attempt, 2);
  EXPECT_EQ(done.steps[1].worker, "w2");
  // A finished job stays fenced for everyone.
  EXPECT_EQ(queue_->renew(*new_lease).code(), ErrorCode::kConflict);
  EXPECT_EQ(queue_->succeed(*new_lease, "{}").code(), ErrorCode::kConflict);
}

// --- steps --------------------------------------------------------------------------------

TEST_F(JobQueueTest, CompleteStepStoresOutputAndAdvances) {
  Job j = enqueue("sleep");
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->set_progress(*l, 2, 0.0, "step 1 of 2").is_ok());
  Job progressed = get(j.id);
  EXPECT_EQ(progressed.step_count, 2);
  EXPECT_EQ(progressed.progress_message, std::optional<std::string>("step 1 of 2"));

  clock_.advance(250);
  ASSERT_TRUE(queue_->complete_step(*l, 0, "first", R"({"a":1})").is_ok());
  Job after = get(j.id);
  EXPECT_EQ(after.state, JobState::kRunning);
  EXPECT_EQ(after.step, 1);
  EXPECT_DOUBLE_EQ(after.progress, 0.5);
  EXPECT_EQ(after.lease_expires_at, std::optional<TimeMs>(kStart + 250 + kLeaseMs));
  ASSERT_EQ(after.steps.size(), 1u);
  const StepOutput& s = after.steps[0];
  EXPECT_EQ(s.step, 0);
  EXPECT_EQ(s.name, "first");
  EXPECT_EQ(s.output, R"({"a":1})");
  EXPECT_EQ(s.attempt, 1);
  EXPECT_EQ(s.worker, "w1");
  EXPECT_EQ(s.completed_at, kStart + 250);

  ASSERT_TRUE(queue_->complete_step(*l, 1, "second", R"({"b":2})").is_ok());
  clock_.advance(1);
  ASSERT_TRUE(queue_->succeed(*l, R"({"ok":1})").is_ok());
  Job done = get(j.id);
  EXPECT_EQ(done.state, JobState::kSucceeded);
  EXPECT_EQ(done.step, 2);
  EXPECT_EQ(done.result, std::optional<std::string>(R"({"ok":1})"));
  EXPECT_DOUBLE_EQ(done.progress, 1.0);
  EXPECT_EQ(done.finished_at, std::optional<TimeMs>(kStart + 251));
  EXPECT_FALSE(done.lease_owner.has_value());
  EXPECT_FALSE(done.lease_expires_at.has_value());
  ASSERT_EQ(done.steps.size(), 2u);
  EXPECT_EQ(done.steps[1].name, "second");
}

TEST_F(JobQueueTest, CompletingAStoredStepAgainFailsAndDuplicatesNothing) {
  Job j = enqueue("sleep");
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->complete_step(*l, 0, "first", R"({"v":1})").is_ok());
  const Job before = get(j.id);
  clock_.advance(3);
  Status again = queue_->complete_step(*l, 0, "first", R"({"v":2})");
  EXPECT_FALSE(again.is_ok());
  EXPECT_EQ(again.code(), ErrorCode::kAlreadyExists) << again.to_string();
  const Job after = get(j.id);
  expect_same_job(after, before);
  ASSERT_EQ(after.steps.size(), 1u);
  EXPECT_EQ(after.steps[0].output, R"({"v":1})");
  EXPECT_EQ(after.step, 1);
  // The lease is still good.
  EXPECT_TRUE(queue_->complete_step(*l, 1, "second", "{}").is_ok());
}

// --- fail / backoff / dead -----------------------------------------------------------------

TEST_F(JobQueueTest, RetryableFailureBacksOffThenRunsAgainUntilDead) {
  Job j = enqueue("sleep", 3);
  for (int n = 1; n <= 3; ++n) {
    SCOPED_TRACE("attempt " + std::to_string(n));
    auto l = lease("w1");
    ASSERT_TRUE(l.has_value());
    EXPECT_EQ(l->attempt, n);
    clock_.advance(7);
    const TimeMs failed_at = clock_.now_ms();
    ASSERT_TRUE(queue_->fail(*l, "transient " + std::to_string(n), true).is_ok());
    Job f = get(j.id);
    EXPECT_EQ(f.attempts, n);
    EXPECT_EQ(f.last_error, std::optional<std::string>("transient " + std::to_string(n)));
    EXPECT_FALSE(f.lease_owner.has_value());
    EXPECT_FALSE(f.lease_expires_at.has_value());
    if (n == 3) {
      EXPECT_EQ(f.state, JobState::kDead);
      EXPECT_EQ(f.finished_at, std::optional<TimeMs>(failed_at));
      clock_.advance(kBackoffMax * 10);
      EXPECT_FALSE(lease("w1").has_value());  // dead is final
      break;
    }
    EXPECT_EQ(f.state, JobState::kFailed);
    EXPECT_FALSE(f.finished_at.has_value());
    const std::int64_t full = kBackoffBase << (n - 1);
    EXPECT_GE(f.run_after, failed_at + full / 2);
    EXPECT_LE(f.run_after, failed_at + full);

    clock_.set(f.run_after - 1);
    EXPECT_FALSE(lease("w2").has_value()) << "leasable before run_after";
    EXPECT_EQ(get(j.id).state, JobState::kFailed);
    clock_.set(f.run_after);
  }
}

TEST_F(JobQueueTest, BackoffIsCappedAtMax) {
  Job j = enqueue("sleep", 20);
  for (int n = 1; n <= 10; ++n) {
    auto l = lease("w1");
    ASSERT_TRUE(l.has_value());
    const TimeMs failed_at = clock_.now_ms();
    ASSERT_TRUE(queue_->fail(*l, "again", true).is_ok());
    Job f = get(j.id);
    ASSERT_EQ(f.state, JobState::kFailed);
    const std::int64_t full = std::min<std::int64_t>(kBackoffBase << (n - 1), kBackoffMax);
    EXPECT_GE(f.run_after - failed_at, full / 2) << n;
    EXPECT_LE(f.run_after - failed_at, full) << n;
    clock_.set(f.run_after);
  }
}

TEST_F(JobQueueTest, RetryableFailureOnLastAttemptIsDead) {
  Job j = enqueue("sleep", 1);
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->fail(*l, "transient", true).is_ok());
  Job d = get(j.id);
  EXPECT_EQ(d.state, JobState::kDead);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.last_error, std::optional<std::string>("transient"));
  EXPECT_TRUE(d.finished_at.has_value());
}

TEST_F(JobQueueTest, NonRetryableFailureIsDeadAtOnce) {
  Job j = enqueue("sleep", 5);
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->fail(*l, "bad payload", false).is_ok());
  Job d = get(j.id);
  EXPECT_EQ(d.state, JobState::kDead);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.last_error, std::optional<std::string>("bad payload"));
  EXPECT_EQ(d.finished_at, std::optional<TimeMs>(clock_.now_ms()));
  EXPECT_FALSE(d.lease_owner.has_value());
  clock_.advance(kBackoffMax * 10);
  EXPECT_FALSE(lease("w1").has_value());
}

TEST_F(JobQueueTest, TakeoverOnTheLastAttemptMarksDead) {
  Job j = enqueue("sleep", 1);
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  clock_.advance(1);
  Job next = enqueue("sleep");  // ready behind the crashed one
  clock_.advance(kLeaseMs + 1);
  observer_.clear();

  auto taken = lease("w2");
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->job_id, next.id);  // the exhausted job is skipped, the next one leased

  Job d = get(j.id);
  EXPECT_EQ(d.state, JobState::kDead);
  EXPECT_EQ(d.attempts, 1);
  ASSERT_TRUE(d.last_error.has_value());
  EXPECT_FALSE(d.last_error->empty());
  EXPECT_EQ(d.finished_at, std::optional<TimeMs>(clock_.now_ms()));
  EXPECT_FALSE(d.lease_owner.has_value());
  EXPECT_EQ(queue_->complete_step(*l, 0, "x", "{}").code(), ErrorCode::kConflict);

  bool saw_dead = false;
  for (const auto& e : observer_.events()) {
    if (e.id == j.id && e.state == JobState::kDead) saw_dead = true;
  }
  EXPECT_TRUE(saw_dead);
}

// --- release ------------------------------------------------------------------------------

TEST_F(JobQueueTest, ReleaseQueuesAgainWithoutCountingTheAttempt) {
  Job j = enqueue("sleep", 2);
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->complete_step(*l, 0, "first", R"({"k":1})").is_ok());
  clock_.advance(20);
  ASSERT_TRUE(queue_->release(*l).is_ok());
  Job r = get(j.id);
  EXPECT_EQ(r.state, JobState::kQueued);
  EXPECT_EQ(r.attempts, 0);
  EXPECT_EQ(r.run_after, clock_.now_ms());
  EXPECT_FALSE(r.lease_owner.has_value());
  EXPECT_FALSE(r.lease_expires_at.has_value());
  EXPECT_FALSE(r.finished_at.has_value());
  EXPECT_EQ(r.step, 1);  // completed steps are kept
  ASSERT_EQ(r.steps.size(), 1u);

  // Releasing over and over never exhausts the attempts.
  for (int i = 0; i < 4; ++i) {
    auto again = lease("w1");
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->attempt, 1);
    EXPECT_EQ(again->job.step, 1);
    ASSERT_TRUE(queue_->release(*again).is_ok());
  }
  EXPECT_EQ(get(j.id).attempts, 0);
  EXPECT_EQ(get(j.id).state, JobState::kQueued);
}

// --- cancel -------------------------------------------------------------------------------

TEST_F(JobQueueTest, CancelQueuedJobIsImmediate) {
  Job j = enqueue("sleep");
  clock_.advance(5);
  auto c = queue_->cancel(ctx_, j.id);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c->state, JobState::kCanceled);
  EXPECT_EQ(c->finished_at, std::optional<TimeMs>(kStart + 5));
  EXPECT_EQ(get(j.id).state, JobState::kCanceled);
  EXPECT_FALSE(lease("w1").has_value());
  // Terminal: a second cancel conflicts.
  auto again = queue_->cancel(ctx_, j.id);
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kConflict);
}

TEST_F(JobQueueTest, CancelFailedJobIsImmediate) {
  Job j = enqueue("sleep", 3);
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->fail(*l, "transient", true).is_ok());
  auto c = queue_->cancel(ctx_, j.id);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c->state, JobState::kCanceled);
  clock_.advance(kBackoffMax * 10);
  EXPECT_FALSE(lease("w1").has_value());
}

TEST_F(JobQueueTest, CancelRunningJobIsRequestedThenAcknowledged) {
  Job j = enqueue("sleep");
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  auto c = queue_->cancel(ctx_, j.id);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c->state, JobState::kRunning);
  EXPECT_TRUE(c->cancel_requested);
  EXPECT_FALSE(c->finished_at.has_value());

  Status renewed = queue_->renew(*l);
  EXPECT_EQ(renewed.code(), ErrorCode::kCancelled) << renewed.to_string();
  EXPECT_EQ(get(j.id).state, JobState::kRunning);  // until the worker acknowledges

  clock_.advance(9);
  ASSERT_TRUE(queue_->mark_canceled(*l).is_ok());
  Job done = get(j.id);
  EXPECT_EQ(done.state, JobState::kCanceled);
  EXPECT_EQ(done.finished_at, std::optional<TimeMs>(clock_.now_ms()));
  EXPECT_FALSE(done.lease_owner.has_value());
  EXPECT_EQ(queue_->renew(*l).code(), ErrorCode::kConflict);
}

TEST_F(JobQueueTest, ExpiredLeaseOfCancelRequestedJobIsCanceledWithoutRunning) {
  Job j = enqueue("sleep");
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->cancel(ctx_, j.id).is_ok());
  clock_.advance(kLeaseMs + 1);
  observer_.clear();

  EXPECT_FALSE(lease("w2").has_value());  // not handed to anyone
  Job c = get(j.id);
  EXPECT_EQ(c.state, JobState::kCanceled);
  EXPECT_EQ(c.attempts, 1);  // no new attempt was started
  EXPECT_EQ(c.finished_at, std::optional<TimeMs>(clock_.now_ms()));
  EXPECT_FALSE(c.lease_owner.has_value());
  EXPECT_EQ(queue_->mark_canceled(*l).code(), ErrorCode::kConflict);
  auto events = observer_.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, j.id);
  EXPECT_EQ(events[0].state, JobState::kCanceled);
}

TEST_F(JobQueueTest, CancelUnknownOrFinishedJob) {
  auto unknown = queue_->cancel(ctx_, new_id("job", kStart));
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.status().code(), ErrorCode::kNotFound);

  Job j = enqueue("sleep");
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->succeed(*l, "{}").is_ok());
  auto c = queue_->cancel(ctx_, j.id);
  ASSERT_FALSE(c.is_ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(get(j.id).state, JobState::kSucceeded);
}

// --- retry --------------------------------------------------------------------------------

TEST_F(JobQueueTest, RetryDeadJobResumesAtTheUnfinishedStep) {
  Job j = enqueue("sleep", 2);
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->complete_step(*l, 0, "first", R"({"s":0})").is_ok());
  ASSERT_TRUE(queue_->fail(*l, "broken", false).is_ok());
  ASSERT_EQ(get(j.id).state, JobState::kDead);

  clock_.advance(1000);
  auto r = queue_->retry(ctx_, j.id);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->state, JobState::kQueued);
  EXPECT_EQ(r->attempts, 0);
  EXPECT_EQ(r->step, 1);
  ASSERT_EQ(r->steps.size(), 1u);
  EXPECT_EQ(r->steps[0].output, R"({"s":0})");
  EXPECT_EQ(r->run_after, clock_.now_ms());
  EXPECT_FALSE(r->finished_at.has_value());

  auto again = lease("w2");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->job_id, j.id);
  EXPECT_EQ(again->attempt, 1);
  EXPECT_EQ(again->job.step, 1);
  ASSERT_TRUE(queue_->complete_step(*again, 1, "second", "{}").is_ok());
  ASSERT_TRUE(queue_->succeed(*again, "{}").is_ok());
  EXPECT_EQ(get(j.id).steps.size(), 2u);
}

TEST_F(JobQueueTest, RetryFailedJobRunsNowNotAtItsBackoff) {
  Job j = enqueue("sleep", 5);
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->fail(*l, "transient", true).is_ok());
  ASSERT_GT(get(j.id).run_after, clock_.now_ms());
  auto r = queue_->retry(ctx_, j.id);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->state, JobState::kQueued);
  EXPECT_EQ(r->attempts, 0);
  EXPECT_EQ(r->run_after, clock_.now_ms());
  auto again = lease("w1");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->attempt, 1);
}

TEST_F(JobQueueTest, RetryCanceledJobClearsTheCancelRequest) {
  Job j = enqueue("sleep");
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->cancel(ctx_, j.id).is_ok());
  ASSERT_TRUE(queue_->mark_canceled(*l).is_ok());
  auto r = queue_->retry(ctx_, j.id);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->state, JobState::kQueued);
  EXPECT_FALSE(r->cancel_requested);
  EXPECT_EQ(r->attempts, 0);
  auto again = lease("w1");
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(queue_->renew(*again).is_ok());  // not reported as canceled any more
}

TEST_F(JobQueueTest, RetryOfSucceededRunningOrQueuedConflicts) {
  Job queued = enqueue("sleep");
  auto q = queue_->retry(ctx_, queued.id);
  ASSERT_FALSE(q.is_ok());
  EXPECT_EQ(q.status().code(), ErrorCode::kConflict);

  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  auto running = queue_->retry(ctx_, queued.id);
  ASSERT_FALSE(running.is_ok());
  EXPECT_EQ(running.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(get(queued.id).lease_owner, std::optional<std::string>(l->token));

  ASSERT_TRUE(queue_->succeed(*l, "{}").is_ok());
  auto succeeded = queue_->retry(ctx_, queued.id);
  ASSERT_FALSE(succeeded.is_ok());
  EXPECT_EQ(succeeded.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(get(queued.id).state, JobState::kSucceeded);

  auto unknown = queue_->retry(ctx_, new_id("job", kStart));
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.status().code(), ErrorCode::kNotFound);
}

// --- list ---------------------------------------------------------------------------------

TEST_F(JobQueueTest, ListPagesNewestFirstWithoutOverlap) {
  std::vector<JobId> created;
  for (int i = 0; i < 25; ++i) {
    created.push_back(enqueue("sleep").id);
    clock_.advance(1);  // distinct ms: creation order is id order
  }
  std::vector<JobId> seen;
  std::vector<std::size_t> sizes;
  JobFilter filter;
  filter.limit = 10;
  for (int page = 0; page < 10; ++page) {
    auto r = queue_->list(ctx_, filter);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    sizes.push_back(r->jobs.size());
    for (const auto& j : r->jobs) seen.push_back(j.id);
    if (!r->next_cursor) break;
    EXPECT_EQ(*r->next_cursor, r->jobs.back().id);
    filter.before = r->next_cursor;
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{10, 10, 5}));
  std::vector<JobId> newest_first(created.rbegin(), created.rend());
  EXPECT_EQ(seen, newest_first);
  EXPECT_EQ(std::set<JobId>(seen.begin(), seen.end()).size(), 25u);
}

TEST_F(JobQueueTest, ListExactlyOnePageHasNoCursor) {
  for (int i = 0; i < 10; ++i) enqueue("sleep");
  JobFilter filter;
  filter.limit = 10;
  auto r = queue_->list(ctx_, filter);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->jobs.size(), 10u);
  EXPECT_FALSE(r->next_cursor.has_value());
}

TEST_F(JobQueueTest, ListFiltersByStateAndKind) {
  Job a1 = enqueue("a");
  clock_.advance(1);
  Job a2 = enqueue("a");
  clock_.advance(1);
  Job b1 = enqueue("b");
  clock_.advance(1);
  Job b2 = enqueue("b");
  clock_.advance(1);
  auto l = lease("w1", {"a"});  // a1 running
  ASSERT_TRUE(l.has_value());
  ASSERT_EQ(l->job_id, a1.id);
  ASSERT_TRUE(queue_->cancel(ctx_, b2.id).is_ok());  // b2 canceled

  JobFilter by_kind;
  by_kind.kind = "a";
  EXPECT_EQ(ids_of(list_all(by_kind)), (std::vector<JobId>{a2.id, a1.id}));

  JobFilter queued;
  queued.state = JobState::kQueued;
  EXPECT_EQ(ids_of(list_all(queued)), (std::vector<JobId>{b1.id, a2.id}));

  JobFilter running;
  running.state = JobState::kRunning;
  EXPECT_EQ(ids_of(list_all(running)), (std::vector<JobId>{a1.id}));

  JobFilter both;
  both.state = JobState::kQueued;
  both.kind = "b";
  EXPECT_EQ(ids_of(list_all(both)), (std::vector<JobId>{b1.id}));

  JobFilter none;
  none.state = JobState::kSucceeded;
  EXPECT_TRUE(list_all(none).empty());
  JobFilter unknown_kind;
  unknown_kind.kind = "zzz";
  EXPECT_TRUE(list_all(unknown_kind).empty());

  // Filters combine with paging.
  JobFilter paged;
  paged.kind = "b";
  paged.limit = 1;
  auto p1 = queue_->list(ctx_, paged);
  ASSERT_TRUE(p1.is_ok());
  EXPECT_EQ(ids_of(p1->jobs), (std::vector<JobId>{b2.id}));
  ASSERT_TRUE(p1->next_cursor.has_value());
  paged.before = p1->next_cursor;
  auto p2 = queue_->list(ctx_, paged);
  ASSERT_TRUE(p2.is_ok());
  EXPECT_EQ(ids_of(p2->jobs), (std::vector<JobId>{b1.id}));
  EXPECT_FALSE(p2->next_cursor.has_value());
}

TEST_F(JobQueueTest, ListIncludesCompletedSteps) {
  Job j = enqueue("sleep");
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->complete_step(*l, 0, "first", R"({"x":1})").is_ok());
  auto jobs = list_all(JobFilter{});
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_EQ(jobs[0].steps.size(), 1u);
  EXPECT_EQ(jobs[0].steps[0].output, R"({"x":1})");
}

// --- workspaces ---------------------------------------------------------------------------

TEST_F(JobQueueTest, OtherWorkspacesCannotSeeOrTouchTheJob) {
  RequestContext other = other_workspace();
  Job j = enqueue("sleep", 3);
  Job theirs = enqueue_in(other, "sleep");

  auto g = queue_->get(other, j.id);
  ASSERT_FALSE(g.is_ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kNotFound);

  auto listed = queue_->list(other, JobFilter{});
  ASSERT_TRUE(listed.is_ok());
  EXPECT_EQ(ids_of(listed->jobs), (std::vector<JobId>{theirs.id}));
  EXPECT_EQ(ids_of(list_all(JobFilter{})), (std::vector<JobId>{j.id}));

  auto c = queue_->cancel(other, j.id);
  ASSERT_FALSE(c.is_ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(get(j.id).state, JobState::kQueued);

  // Make it retryable, then try to retry it from the other workspace.
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  const bool mine_first = l->job_id == j.id;
  auto l2 = lease("w1");
  ASSERT_TRUE(l2.has_value());
  const JobLease& mine = mine_first ? *l : *l2;
  EXPECT_EQ(mine.workspace_id, ctx_.workspace_id);
  EXPECT_EQ((mine_first ? *l2 : *l).workspace_id, other.workspace_id);
  ASSERT_TRUE(queue_->fail(mine, "broken", false).is_ok());
  auto r = queue_->retry(other, j.id);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(get(j.id).state, JobState::kDead);
  EXPECT_EQ(get_in(other, theirs.id).state, JobState::kRunning);
}

TEST_F(JobQueueTest, CountByStateCoversAllWorkspaces) {
  RequestContext other = other_workspace();
  auto counts0 = queue_->count_by_state();
  ASSERT_TRUE(counts0.is_ok());
  EXPECT_TRUE(counts0->empty());

  enqueue("s", 3);
  enqueue("d", 3);
  enqueue("f", 3);
  enqueue("r", 3);
  Job canceled = enqueue("c", 3);
  enqueue("q");
  enqueue_in(other, "q");
  enqueue_in(other, "q");

  auto ls = lease("w", {"s"});
  ASSERT_TRUE(ls.has_value());
  ASSERT_TRUE(queue_->succeed(*ls, "{}").is_ok());
  auto ld = lease("w", {"d"});
  ASSERT_TRUE(ld.has_value());
  ASSERT_TRUE(queue_->fail(*ld, "x", false).is_ok());
  auto lf = lease("w", {"f"});
  ASSERT_TRUE(lf.has_value());
  ASSERT_TRUE(queue_->fail(*lf, "x", true).is_ok());
  ASSERT_TRUE(lease("w", {"r"}).has_value());
  ASSERT_TRUE(queue_->cancel(ctx_, canceled.id).is_ok());

  auto counts = queue_->count_by_state();
  ASSERT_TRUE(counts.is_ok()) << counts.status().to_string();
  std::map<JobState, std::int64_t> expected = {
      {JobState::kQueued, 3}, {JobState::kRunning, 1}, {JobState::kSucceeded, 1},
      {JobState::kFailed, 1}, {JobState::kDead, 1},    {JobState::kCanceled, 1},
  };
  EXPECT_EQ(*counts, expected);
}

// --- observer -----------------------------------------------------------------------------

TEST_F(JobQueueTest, ObserverSeesEveryCommittedChange) {
  Job j = enqueue("sleep", 3);
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->set_progress(*l, 2, 0.0, "step 1").is_ok());
  ASSERT_TRUE(queue_->complete_step(*l, 0, "first", "{}").is_ok());
  ASSERT_TRUE(queue_->renew(*l).is_ok());
  // Rejected and read-only calls publish nothing.
  EXPECT_FALSE(queue_->complete_step(*l, 0, "first", "{}").is_ok());
  (void)queue_->get(ctx_, j.id);
  (void)queue_->list(ctx_, JobFilter{});
  (void)queue_->count_by_state();
  EXPECT_FALSE(queue_->retry(ctx_, j.id).is_ok());
  ASSERT_TRUE(queue_->fail(*l, "transient", true).is_ok());
  auto canceled = queue_->cancel(ctx_, j.id);
  ASSERT_TRUE(canceled.is_ok());
  auto retried = queue_->retry(ctx_, j.id);
  ASSERT_TRUE(retried.is_ok());

  auto events = observer_.events();
  std::vector<JobState> states;
  for (const auto& e : events) {
    EXPECT_EQ(e.id, j.id);
    EXPECT_EQ(e.workspace_id, ctx_.workspace_id);
    states.push_back(e.state);
  }
  EXPECT_EQ(states, (std::vector<JobState>{
                        JobState::kQueued,    // enqueue
                        JobState::kRunning,   // lease
                        JobState::kRunning,   // set_progress
                        JobState::kRunning,   // complete_step
                        JobState::kRunning,   // renew
                        JobState::kFailed,    // fail
                        JobState::kCanceled,  // cancel
                        JobState::kQueued,    // retry
                    }));
  ASSERT_EQ(events.size(), 8u);
  EXPECT_EQ(events[2].step_count, 2);
  EXPECT_EQ(events[2].progress_message, std::optional<std::string>("step 1"));
  EXPECT_EQ(events[3].step, 1);
  ASSERT_EQ(events[3].steps.size(), 1u);  // events carry the job with its steps
  EXPECT_EQ(events[5].last_error, std::optional<std::string>("transient"));
  // The last event is the job as stored now.
  expect_same_job(events.back(), get(j.id));

  // succeed and mark_canceled and release publish too.
  observer_.clear();
  auto l2 = lease("w1");
  ASSERT_TRUE(l2.has_value());
  ASSERT_TRUE(queue_->release(*l2).is_ok());
  auto l3 = lease("w1");
  ASSERT_TRUE(l3.has_value());
  ASSERT_TRUE(queue_->succeed(*l3, "{}").is_ok());
  Job k = enqueue("sleep");
  auto l4 = lease("w1");
  ASSERT_TRUE(l4.has_value());
  ASSERT_TRUE(queue_->cancel(ctx_, k.id).is_ok());
  EXPECT_EQ(queue_->renew(*l4).code(), ErrorCode::kCancelled);
  ASSERT_TRUE(queue_->mark_canceled(*l4).is_ok());
  std::vector<std::pair<JobId, JobState>> seen;
  for (const auto& e : observer_.events()) seen.emplace_back(e.id, e.state);
  EXPECT_EQ(seen, (std::vector<std::pair<JobId, JobState>>{
                      {j.id, JobState::kRunning},    // lease
                      {j.id, JobState::kQueued},     // release
                      {j.id, JobState::kRunning},    // lease
                      {j.id, JobState::kSucceeded},  // succeed
                      {k.id, JobState::kQueued},     // enqueue
                      {k.id, JobState::kRunning},    // lease
                      {k.id, JobState::kRunning},    // cancel requested
                      {k.id, JobState::kRunning},    // renew (reports the cancel)
                      {k.id, JobState::kCanceled},   // mark_canceled
                  }));
}

}  // namespace
}  // namespace adloom
