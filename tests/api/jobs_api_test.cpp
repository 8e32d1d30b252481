// The jobs API and its event stream, against the real binary.
#include "api/api_fixture.h"

namespace adloom::testing {
namespace {

class JobsApiTest : public ApiTest {};

TEST_F(JobsApiTest, EnqueuedJobRunsAndReportsStepsThroughEvents) {
  start();
  auto job = enqueue({{"kind", "sleep"}, {"payload", {{"steps", 3}, {"ms", 10}}}});
  std::string id = job["id"];
  EXPECT_EQ(job["state"], "queued");
  ASSERT_TRUE(wait_job(id, {"succeeded"}));
  auto done = client_->get("/api/v1/jobs/" + id).json();
  EXPECT_EQ(done["attempts"], 1);
  EXPECT_EQ(done["step"], 3);
  EXPECT_EQ(done["step_count"], 3);
  EXPECT_DOUBLE_EQ(done["progress"].get<double>(), 1.0);
  ASSERT_EQ(done["steps"].size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(done["steps"][i]["step"], i);
    EXPECT_EQ(done["steps"][i]["name"], "sleep-" + std::to_string(i + 1));
    EXPECT_EQ(done["steps"][i]["output"]["slept_ms"], 10);
  }
  EXPECT_EQ(done["result"]["step"], 2);
}

TEST_F(JobsApiTest, EventStreamCarriesEachStateChange) {
  start();
  HttpClient events(server_->url());
  std::string id;
  std::vector<std::string> seen;
  bool ended = events.stream_events(
      "/api/v1/events",
      [&](const std::string& event, const std::string& data) {
        if (event == ":" && id.empty()) {
          id = enqueue({{"kind", "sleep"}, {"payload", {{"steps", 2}, {"ms", 5}}}})["id"];
          return true;
        }
        if (event != "job") return true;
        auto j = nlohmann::json::parse(data);
        if (j["id"] != id) return true;
        seen.push_back(j["state"].get<std::string>() + "@" + std::to_string(j["step"].get<int>()));
        return j["state"] != "succeeded";
      },
      60000);
  ASSERT_TRUE(ended);
  ASSERT_FALSE(seen.empty());
  // Events carry each job's state as it is when published: a worker that claims the job at once
  // makes "running@0" the first one.
  EXPECT_TRUE(seen.front() == "queued@0" || seen.front() == "running@0") << seen.front();
  EXPECT_EQ(seen.back(), "succeeded@2");
  EXPECT_NE(std::find(seen.begin(), seen.end(), "running@1"), seen.end());
}

TEST_F(JobsApiTest, IdempotencyKeyReturnsTheSameJob) {
  start({"jobs.workers=0"});
  nlohmann::json spec = {{"kind", "noop"}, {"idempotency_key", "import-42"}};
  auto first = client_->post_json("/api/v1/jobs", spec);
  auto second = client_->post_json("/api/v1/jobs", spec);
  EXPECT_EQ(first.status, 201);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(first.json()["id"], second.json()["id"]);
  EXPECT_EQ(client_->get("/api/v1/jobs").json()["jobs"].size(), 1u);
  // The same key for a different request is refused rather than silently ignored.
  auto other =
      client_->post_json("/api/v1/jobs", {{"kind", "sleep"}, {"idempotency_key", "import-42"}});
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(other.json()["error"]["code"], "conflict");
}

TEST_F(JobsApiTest, ListPagesNewestFirstWithFilters) {
  start({"jobs.workers=0"});
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(enqueue({{"kind", i % 2 ? "noop" : "sleep"}})["id"]);
  std::vector<std::string> listed;
  std::string cursor;
  int pages = 0;
  do {
    auto page =
        client_->get("/api/v1/jobs?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor)).json();
    for (const auto& j : page["jobs"]) listed.push_back(j["id"]);
    cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  std::reverse(ids.begin(), ids.end());
  EXPECT_EQ(listed, ids);
  EXPECT_EQ(client_->get("/api/v1/jobs?kind=noop").json()["jobs"].size(), 3u);
  EXPECT_EQ(client_->get("/api/v1/jobs?state=queued").json()["jobs"].size(), 7u);
  EXPECT_EQ(client_->get("/api/v1/jobs?state=succeeded").json()["jobs"].size(), 0u);
}

TEST_F(JobsApiTest, CancelAndRetryFollowTheStateMachine) {
  start({"jobs.workers=0"});
  std::string id = enqueue({{"kind", "noop"}})["id"];
  auto canceled = client_->post_json("/api/v1/jobs/" + id + "/cancel", nlohmann::json::object());
  ASSERT_EQ(canceled.status, 200) << canceled.body;
  EXPECT_EQ(canceled.json()["state"], "canceled");
  auto again = client_->post_json("/api/v1/jobs/" + id + "/cancel", nlohmann::json::object());
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json()["error"]["code"], "conflict");
  auto retried = client_->post_json("/api/v1/jobs/" + id + "/retry", nlohmann::json::object());
  ASSERT_EQ(retried.status, 200);
  EXPECT_EQ(retried.json()["state"], "queued");
  auto bad_retry = client_->post_json("/api/v1/jobs/" + id + "/retry", nlohmann::json::object());
  EXPECT_EQ(bad_retry.status, 409);
}

TEST_F(JobsApiTest, CancelStopsARunningJob) {
  start({"jobs.workers=1", "jobs.lease_ms=600"});
  std::string id = enqueue({{"kind", "sleep"}, {"payload", {{"steps", 3}, {"ms", 60000}}}})["id"];
  ASSERT_TRUE(wait_job(id, {"running"}));
  auto r = client_->post_json("/api/v1/jobs/" + id + "/cancel", nlohmann::json::object());
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.json()["cancel_requested"]);
  ASSERT_TRUE(wait_job(id, {"canceled"}, 30000));
}

TEST_F(JobsApiTest, FailingJobRetriesWithBackoffThenDiesAndCanBeRetried) {
  start({"jobs.backoff_base_ms=10", "jobs.backoff_max_ms=20"});
  std::string id = enqueue(
      {{"kind", "sleep"},
       {"max_attempts", 2},
       {"payload", {{"steps", 2}, {"ms", 1}, {"fail_attempts", 5}, {"fail_step", 1}}}})["id"];
  ASSERT_TRUE(wait_job(id, {"dead"}));
  auto dead = client_->get("/api/v1/jobs/" + id).json();
  EXPECT_EQ(dead["attempts"], 2);
  EXPECT_NE(dead["last_error"].get<std::string>().find("planned failure"), std::string::npos);
  // Step 0 succeeded once and was kept across attempts; step 1 never completed.
  ASSERT_EQ(dead["steps"].size(), 1u);
  EXPECT_EQ(dead["steps"][0]["attempt"], 1);

  auto retried = client_->post_json("/api/v1/jobs/" + id + "/retry", nlohmann::json::object());
  ASSERT_EQ(retried.status, 200);
  EXPECT_EQ(retried.json()["step"], 1) << "retry resumes at the unfinished step";
  ASSERT_TRUE(wait_job(id, {"dead"}));
}

}  // namespace
}  // namespace adloom::testing
