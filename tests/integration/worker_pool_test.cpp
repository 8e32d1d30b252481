// WorkerPool with real threads, the built-in handlers and the system clock. Outcomes are
// awaited by polling the queue with a bounded deadline (the only place tests may sleep).
#include "jobs/worker_pool.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jobs/sqlite_job_queue.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_metadata_store.h"
#include "support/temp_dir.h"

namespace adloom {
namespace {

using namespace std::chrono_literals;

constexpr auto kDeadline = 30s;

class WorkerPoolTest : public ::testing::Test {
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
    register_builtin_handlers(handlers_);
  }

  void TearDown() override {
    pool_.reset();  // joins the threads before the queue and database go away
  }

  // Creates the queue and the pool (not started); lease_ms is shared by both, as in the app.
  void make_pool(std::int64_t lease_ms = 30000, BackoffPolicy backoff = {}, int workers = 2) {
    JobQueueOptions qopts;
    qopts.lease_ms = lease_ms;
    qopts.backoff = backoff;
    queue_ = std::make_unique<SqliteJobQueue>(*db_, clock_, qopts, nullptr);
    WorkerPoolOptions popts;
    popts.workers = workers;
    popts.lease_ms = lease_ms;
    popts.poll_ms = 10;
    popts.name = "pooltest";
    pool_ = std::make_unique<WorkerPool>(*queue_, handlers_, popts);
  }

  Job enqueue(const std::string& payload, const std::string& kind = "sleep") {
    JobSpec spec;
    spec.kind = kind;
    spec.payload = payload;
    auto r = queue_->enqueue(ctx_, spec);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    if (pool_) pool_->wake();
    return r.is_ok() ? r->first : Job{};
  }

  Job get_job(const JobId& id) {
    auto r = queue_->get(ctx_, id);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? *r : Job{};
  }

  // Polls until `done(job)` holds or the deadline passes (then fails the test).
  Job wait_for(const JobId& id, const std::function<bool(const Job&)>& done,
               const std::string& what) {
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    for (;;) {
      auto r = queue_->get(ctx_, id);
      if (r.is_ok() && done(*r)) return *r;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "timed out waiting for job " << id << " to be " << what << "; state "
                      << (r.is_ok() ? std::string(job_state_name(r->state))
                                    : r.status().to_string());
        return r.is_ok() ? *r : Job{};
      }
      std::this_thread::sleep_for(5ms);
    }
  }

  Job wait_for_state(const JobId& id, JobState state) {
    return wait_for(
        id, [state](const Job& j) { return j.state == state; }, std::string(job_state_name(state)));
  }

  // Running under the pool, inside the handler's sleep.
  Job wait_until_sleeping(const JobId& id) {
    return wait_for(
        id,
        [](const Job& j) {
          return j.state == JobState::kRunning && j.lease_owner &&
                 j.lease_owner->rfind("pooltest-", 0) == 0 && j.progress_message &&
                 j.progress_message->find("sleeping") != std::string::npos;
        },
        "sleeping in a pool worker");
  }

  void wait_for_idle_pool() {
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (pool_->running_jobs() != 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "pool still running " << pool_->running_jobs() << " jobs";
        return;
      }
      std::this_thread::sleep_for(5ms);
    }
  }

  testing::TempDir dir_;
  SystemClock clock_;
  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<SqliteMetadataStore> store_;
  RequestContext ctx_;
  HandlerRegistry handlers_;
  std::unique_ptr<SqliteJobQueue> queue_;
  std::unique_ptr<WorkerPool> pool_;
};

TEST_F(WorkerPoolTest, RunsManyJobsToSuccessWithEveryStepStored) {
  make_pool();
  pool_->start();
  std::vector<JobId> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(enqueue(R"({"steps":3,"ms":5})").id);

  for (const auto& id : ids) {
    Job j = wait_for_state(id, JobState::kSucceeded);
    ASSERT_EQ(j.state, JobState::kSucceeded);
    EXPECT_EQ(j.attempts, 1);
    EXPECT_EQ(j.step, 3);
    EXPECT_EQ(j.step_count, 3);
    EXPECT_DOUBLE_EQ(j.progress, 1.0);
    EXPECT_FALSE(j.last_error.has_value());
    EXPECT_FALSE(j.lease_owner.has_value());
    EXPECT_TRUE(j.finished_at.has_value());
    ASSERT_EQ(j.steps.size(), 3u) << id;
    for (int s = 0; s < 3; ++s) {
      const StepOutput& out = j.steps[static_cast<std::size_t>(s)];
      EXPECT_EQ(out.step, s);
      EXPECT_EQ(out.name, "sleep-" + std::to_string(s + 1));
      EXPECT_EQ(out.attempt, 1);
      EXPECT_EQ(out.worker.rfind("pooltest-", 0), 0u) << out.worker;
      auto parsed = nlohmann::json::parse(out.output, nullptr, false);
      ASSERT_FALSE(parsed.is_discarded()) << out.output;
      EXPECT_EQ(parsed.value("step", -1), s);
      EXPECT_EQ(parsed.value("slept_ms", -1), 5);
    }
    EXPECT_EQ(j.result, std::optional<std::string>(j.steps.back().output));
  }
  auto counts = queue_->count_by_state();
  ASSERT_TRUE(counts.is_ok());
  EXPECT_EQ(*counts, (std::map<JobState, std::int64_t>{{JobState::kSucceeded, 20}}));
  wait_for_idle_pool();
}

TEST_F(WorkerPoolTest, PlannedFailuresAreRetriedWithBackoffThenSucceed) {
  make_pool(30000, BackoffPolicy{1, 5});
  pool_->start();
  Job j = enqueue(R"({"steps":2,"ms":1,"fail_attempts":2,"fail_step":1})");
  Job done = wait_for(
      j.id, [](const Job& x) { return is_terminal(x.state); }, "finished");
  ASSERT_EQ(done.state, JobState::kSucceeded) << done.last_error.value_or("");
  EXPECT_EQ(done.attempts, 3);
  ASSERT_TRUE(done.last_error.has_value());
  EXPECT_NE(done.last_error->find("planned failure on attempt 2"), std::string::npos)
      << *done.last_error;
  ASSERT_EQ(done.steps.size(), 2u);
  EXPECT_EQ(done.steps[0].attempt, 1);  // stored by the first attempt, never rerun
  EXPECT_EQ(done.steps[1].attempt, 3);
  auto out = nlohmann::json::parse(done.steps[1].output, nullptr, false);
  ASSERT_FALSE(out.is_discarded());
  EXPECT_EQ(out.value("attempt", 0), 3);
}

TEST_F(WorkerPoolTest, InvalidPayloadIsDeadWithAReadableError) {
  make_pool();
  pool_->start();
  Job j = enqueue(R"({"steps":0})");
  Job dead = wait_for(
      j.id, [](const Job& x) { return is_terminal(x.state); }, "finished");
  ASSERT_EQ(dead.state, JobState::kDead);
  EXPECT_EQ(dead.attempts, 1);  // not retried: the payload will not get better
  ASSERT_TRUE(dead.last_error.has_value());
  EXPECT_NE(dead.last_error->find("steps must be between 1 and 100"), std::string::npos)
      << *dead.last_error;
  EXPECT_TRUE(dead.steps.empty());

  Job garbage = enqueue("not json");
  Job dead2 = wait_for(
      garbage.id, [](const Job& x) { return is_terminal(x.state); }, "finished");
  ASSERT_EQ(dead2.state, JobState::kDead);
  ASSERT_TRUE(dead2.last_error.has_value());
  EXPECT_NE(dead2.last_error->find("JSON object"), std::string::npos) << *dead2.last_error;
}

TEST_F(WorkerPoolTest, StopDuringALongStepReleasesTheJobAndKeepsItsSteps) {
  make_pool();
  Job j = enqueue(R"({"steps":3,"ms":60000})");
  // A previous run stored step 0 and gave the job back (as a stopping pool does).
  {
    auto l = queue_->lease("earlier-worker", {"sleep"});
    ASSERT_TRUE(l.is_ok() && l->has_value());
    ASSERT_TRUE(queue_->complete_step(**l, 0, "sleep-1", R"({"step":0})").is_ok());
    ASSERT_TRUE(queue_->release(**l).is_ok());
  }
  pool_->start();
  Job running = wait_until_sleeping(j.id);
  ASSERT_EQ(running.state, JobState::kRunning);
  EXPECT_EQ(running.step, 1);

  const auto t0 = std::chrono::steady_clock::now();
  pool_->stop();
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, 10s) << "stop() waited for the step instead of interrupting it";
  EXPECT_EQ(pool_->running_jobs(), 0);

  Job after = get_job(j.id);
  EXPECT_EQ(after.state, JobState::kQueued);
  EXPECT_EQ(after.attempts, 0);  // released: this attempt does not count
  EXPECT_FALSE(after.lease_owner.has_value());
  EXPECT_FALSE(after.finished_at.has_value());
  EXPECT_EQ(after.step, 1);
  ASSERT_EQ(after.steps.size(), 1u);
  EXPECT_EQ(after.steps[0].output, R"({"step":0})");
  EXPECT_EQ(after.steps[0].worker, "earlier-worker");

  pool_->stop();  // idempotent
}

TEST_F(WorkerPoolTest, CancelOfARunningJobEndsCanceled) {
  make_pool(300);  // renewer runs every 100 ms
  pool_->start();
  Job j = enqueue(R"({"steps":2,"ms":60000})");
  wait_until_sleeping(j.id);

  auto requested = queue_->cancel(ctx_, j.id);
  ASSERT_TRUE(requested.is_ok()) << requested.status().to_string();
  EXPECT_TRUE(requested->cancel_requested);

  Job canceled = wait_for_state(j.id, JobState::kCanceled);
  ASSERT_EQ(canceled.state, JobState::kCanceled);
  EXPECT_TRUE(canceled.finished_at.has_value());
  EXPECT_FALSE(canceled.lease_owner.has_value());
  EXPECT_TRUE(canceled.steps.empty());
  wait_for_idle_pool();

  const auto t0 = std::chrono::steady_clock::now();
  pool_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
  EXPECT_EQ(get_job(j.id).state, JobState::kCanceled);
}

}  // namespace
}  // namespace adloom
