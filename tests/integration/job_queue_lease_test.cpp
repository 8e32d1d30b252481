// JobQueue contract, worker side: leasing, renewal, expiry and takeover, fencing, steps,
// fail/backoff/dead and release. Fixture: job_queue_fixture.h.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "integration/job_queue_fixture.h"

namespace adloom::job_queue_test {
namespace {

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
  const std::size_t events_before = observer_.size();
  // Step 0 is no longer the job's next step: a conflict, and nothing is stored.
  Status again = queue_->complete_step(*l, 0, "first", R"({"v":2})");
  EXPECT_FALSE(again.is_ok());
  EXPECT_EQ(again.code(), ErrorCode::kConflict) << again.to_string();
  EXPECT_EQ(observer_.size(), events_before);
  const Job after = get(j.id);
  expect_same_job(after, before);
  ASSERT_EQ(after.steps.size(), 1u);
  EXPECT_EQ(after.steps[0].output, R"({"v":1})");
  EXPECT_EQ(after.step, 1);
  // The lease is still good.
  EXPECT_TRUE(queue_->complete_step(*l, 1, "second", "{}").is_ok());
}

TEST_F(JobQueueTest, CompletingAStepAheadOfTheNextStepConflictsAndStoresNothing) {
  Job j = enqueue("sleep");
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->set_progress(*l, 3, 0.0, "step 1 of 3").is_ok());
  const Job before = get(j.id);
  ASSERT_EQ(before.step, 0);
  const std::size_t events_before = observer_.size();
  clock_.advance(3);

  // At step 0: neither skipping ahead nor going back is accepted.
  for (int step : {2, 1, -1}) {
    Status skipped = queue_->complete_step(*l, step, "ahead", R"({"skip":true})");
    EXPECT_EQ(skipped.code(), ErrorCode::kConflict) << step << ": " << skipped.to_string();
  }
  const Job after = get(j.id);
  expect_same_job(after, before);
  EXPECT_EQ(after.step, 0);
  EXPECT_TRUE(after.steps.empty());
  EXPECT_EQ(observer_.size(), events_before);  // rejected calls publish nothing

  // The lease is still good, and the steps go in order from the current one.
  ASSERT_TRUE(queue_->complete_step(*l, 0, "first", R"({"n":0})").is_ok());
  EXPECT_EQ(queue_->complete_step(*l, 2, "third", "{}").code(), ErrorCode::kConflict);
  ASSERT_TRUE(queue_->complete_step(*l, 1, "second", R"({"n":1})").is_ok());
  ASSERT_TRUE(queue_->complete_step(*l, 2, "third", R"({"n":2})").is_ok());
  Job done = get(j.id);
  EXPECT_EQ(done.step, 3);
  ASSERT_EQ(done.steps.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(done.steps[static_cast<std::size_t>(i)].step, i);
    EXPECT_EQ(done.steps[static_cast<std::size_t>(i)].output, R"({"n":)" + std::to_string(i) + "}");
  }
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

TEST_F(JobQueueTest, FailureOfACancelRequestedJobEndsCanceled) {
  for (bool retryable : {true, false}) {
    SCOPED_TRACE(retryable ? "retryable" : "not retryable");
    Job j = enqueue("sleep", 5);  // attempts remain: only the cancel stops a retry
    auto l = lease("w1");
    ASSERT_TRUE(l.has_value());
    ASSERT_EQ(l->job_id, j.id);
    ASSERT_TRUE(queue_->cancel(ctx_, j.id).is_ok());
    clock_.advance(7);
    observer_.clear();

    ASSERT_TRUE(queue_->fail(*l, "interrupted", retryable).is_ok());
    Job c = get(j.id);
    EXPECT_EQ(c.state, JobState::kCanceled);
    EXPECT_EQ(c.attempts, 1);
    EXPECT_EQ(c.last_error, std::optional<std::string>("interrupted"));
    EXPECT_EQ(c.finished_at, std::optional<TimeMs>(clock_.now_ms()));
    EXPECT_FALSE(c.lease_owner.has_value());
    EXPECT_FALSE(c.lease_expires_at.has_value());
    auto events = observer_.events();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].state, JobState::kCanceled);

    // Terminal: never leased again, however long we wait; the old lease is fenced.
    clock_.advance(kBackoffMax * 10);
    EXPECT_FALSE(lease("w2").has_value());
    EXPECT_EQ(get(j.id).state, JobState::kCanceled);
    EXPECT_EQ(queue_->fail(*l, "again", retryable).code(), ErrorCode::kConflict);
    EXPECT_EQ(queue_->mark_canceled(*l).code(), ErrorCode::kConflict);
  }
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

TEST_F(JobQueueTest, ReleaseOfACancelRequestedJobEndsCanceled) {
  Job j = enqueue("sleep", 3);
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->complete_step(*l, 0, "first", R"({"k":1})").is_ok());
  ASSERT_TRUE(queue_->cancel(ctx_, j.id).is_ok());
  clock_.advance(20);
  observer_.clear();

  ASSERT_TRUE(queue_->release(*l).is_ok());
  Job c = get(j.id);
  EXPECT_EQ(c.state, JobState::kCanceled);
  EXPECT_EQ(c.finished_at, std::optional<TimeMs>(clock_.now_ms()));
  EXPECT_EQ(c.attempts, 0);  // the released attempt is not counted
  EXPECT_FALSE(c.lease_owner.has_value());
  EXPECT_FALSE(c.lease_expires_at.has_value());
  EXPECT_EQ(c.step, 1);  // completed steps are kept
  ASSERT_EQ(c.steps.size(), 1u);
  auto events = observer_.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].state, JobState::kCanceled);
  EXPECT_EQ(events[0].finished_at, c.finished_at);

  clock_.advance(kBackoffMax * 10);
  EXPECT_FALSE(lease("w2").has_value());
  EXPECT_EQ(queue_->release(*l).code(), ErrorCode::kConflict);
  EXPECT_EQ(get(j.id).state, JobState::kCanceled);
}

TEST_F(JobQueueTest, ReleaseAfterRetryOfACanceledJobQueuesAgain) {
  // Cancel via release, retry (clears the request), then release again: queued this time.
  Job j = enqueue("sleep");
  auto l1 = lease("w1");
  ASSERT_TRUE(l1.has_value());
  ASSERT_TRUE(queue_->cancel(ctx_, j.id).is_ok());
  ASSERT_TRUE(queue_->release(*l1).is_ok());
  ASSERT_EQ(get(j.id).state, JobState::kCanceled);
  ASSERT_TRUE(get(j.id).finished_at.has_value());

  clock_.advance(5);
  ASSERT_TRUE(queue_->retry(ctx_, j.id).is_ok());
  auto l2 = lease("w1");
  ASSERT_TRUE(l2.has_value());
  ASSERT_EQ(l2->job_id, j.id);
  clock_.advance(5);
  ASSERT_TRUE(queue_->release(*l2).is_ok());
  Job r = get(j.id);
  EXPECT_EQ(r.state, JobState::kQueued);
  EXPECT_FALSE(r.cancel_requested);
  EXPECT_FALSE(r.finished_at.has_value());
  EXPECT_EQ(r.run_after, clock_.now_ms());
  EXPECT_EQ(r.attempts, 0);
  auto l3 = lease("w2");
  ASSERT_TRUE(l3.has_value());
  EXPECT_EQ(l3->job_id, j.id);
}

}  // namespace
}  // namespace adloom::job_queue_test
