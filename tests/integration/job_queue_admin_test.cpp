// JobQueue contract, client and operator side: enqueue and idempotency, get/list with
// paging and filters, cancel, retry, workspace isolation, count_by_state and the observer.
// Fixture: job_queue_fixture.h.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "integration/job_queue_fixture.h"

namespace adloom::job_queue_test {
namespace {

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
  auto second = queue_->enqueue(ctx_, spec);  // same key, kind and payload
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_FALSE(second->second);
  EXPECT_EQ(second->first.id, first->first.id);
  EXPECT_EQ(second->first.payload, R"({"ms":1})");
  EXPECT_EQ(second->first.created_at, kStart);
  EXPECT_EQ(second->first.updated_at, kStart);
  EXPECT_EQ(observer_.size(), events_after_first);  // nothing changed, nothing published

  // The existing job is returned whatever state it is in by now.
  auto l = lease("w1");
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(queue_->succeed(*l, "{}").is_ok());
  auto after_success = queue_->enqueue(ctx_, spec);
  ASSERT_TRUE(after_success.is_ok()) << after_success.status().to_string();
  EXPECT_FALSE(after_success->second);
  EXPECT_EQ(after_success->first.id, first->first.id);
  EXPECT_EQ(after_success->first.state, JobState::kSucceeded);

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

TEST_F(JobQueueTest, IdempotencyKeyReusedForADifferentJobConflicts) {
  JobSpec spec{"sleep", R"({"ms":1})", std::string("key-1"), 0};
  auto first = queue_->enqueue(ctx_, spec);
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  ASSERT_TRUE(first->second);
  const std::size_t events_after_first = observer_.size();
  clock_.advance(5);

  JobSpec other_payload = spec;
  other_payload.payload = R"({"ms":2})";
  JobSpec other_kind = spec;
  other_kind.kind = "render";
  JobSpec other_both = spec;
  other_both.kind = "render";
  other_both.payload = "{}";
  for (const JobSpec& s : {other_payload, other_kind, other_both}) {
    SCOPED_TRACE(s.kind + " " + s.payload);
    auto r = queue_->enqueue(ctx_, s);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kConflict) << r.status().to_string();
  }

  // Nothing was created or changed, nothing published; the original job is intact.
  EXPECT_EQ(observer_.size(), events_after_first);
  auto all = list_all(JobFilter{});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, first->first.id);
  EXPECT_EQ(all[0].kind, "sleep");
  EXPECT_EQ(all[0].payload, R"({"ms":1})");
  expect_same_job(get(first->first.id), first->first);

  // The original spec still finds the original job.
  auto same = queue_->enqueue(ctx_, spec);
  ASSERT_TRUE(same.is_ok()) << same.status().to_string();
  EXPECT_FALSE(same->second);
  EXPECT_EQ(same->first.id, first->first.id);

  // A different payload under the same key in another workspace is no conflict.
  RequestContext other = other_workspace();
  auto elsewhere = queue_->enqueue(other, other_payload);
  ASSERT_TRUE(elsewhere.is_ok()) << elsewhere.status().to_string();
  EXPECT_TRUE(elsewhere->second);
  EXPECT_NE(elsewhere->first.id, first->first.id);
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
  // Renewals only move the lease expiry: nothing is published.
  const std::size_t events_before_renew = observer_.size();
  clock_.advance(10);
  ASSERT_TRUE(queue_->renew(*l).is_ok());
  EXPECT_EQ(observer_.size(), events_before_renew);
  // Rejected and read-only calls publish nothing.
  EXPECT_EQ(queue_->complete_step(*l, 0, "first", "{}").code(), ErrorCode::kConflict);
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
                        JobState::kFailed,    // fail (renew published nothing)
                        JobState::kCanceled,  // cancel
                        JobState::kQueued,    // retry
                    }));
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(events[2].step_count, 2);
  EXPECT_EQ(events[2].progress_message, std::optional<std::string>("step 1"));
  EXPECT_EQ(events[3].step, 1);
  ASSERT_EQ(events[3].steps.size(), 1u);  // events carry the job with its steps
  EXPECT_EQ(events[4].last_error, std::optional<std::string>("transient"));
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
                      {k.id, JobState::kCanceled},   // mark_canceled (renew: no event)
                  }));
}

}  // namespace
}  // namespace adloom::job_queue_test
