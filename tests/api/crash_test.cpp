// kill -9 mid-job, restart: every job ends exactly once, no job lost, no step output
// duplicated. Run it in a loop with --gtest_repeat=20 (see docs/architecture.md).
#include <map>
#include <set>

#include "api/api_fixture.h"

namespace adloom::testing {
namespace {

class CrashTest : public ApiTest {};

constexpr int kJobs = 8;
constexpr int kSteps = 4;

TEST_F(CrashTest, KillDashNineMidJobLosesNothingAndDuplicatesNothing) {
  // Short leases so the restarted server takes over the dead process's jobs quickly.
  const std::vector<std::string> sets = {"jobs.workers=2", "jobs.lease_ms=600", "jobs.poll_ms=50"};
  start(sets);
  std::vector<std::string> ids;
  for (int i = 0; i < kJobs; ++i) {
    ids.push_back(enqueue({{"kind", "sleep"},
                           {"idempotency_key", "crash-" + std::to_string(i)},
                           {"payload", {{"steps", kSteps}, {"ms", 40}}}})["id"]);
  }
  // Kill while jobs are mid-way: at least one job has stored a step and is still running.
  ASSERT_TRUE(wait_until([](const nlohmann::json& jobs) {
    for (const auto& j : jobs) {
      if (j["state"] == "running" && j["step"].get<int>() >= 1) return true;
    }
    return false;
  }));
  server_->kill9();

  start(sets);
  // Enqueueing again with the same keys must not create duplicates.
  for (int i = 0; i < kJobs; ++i) {
    auto r = client_->post_json("/api/v1/jobs", {{"kind", "sleep"},
                                                 {"idempotency_key", "crash-" + std::to_string(i)},
                                                 {"payload", {{"steps", kSteps}, {"ms", 40}}}});
    EXPECT_EQ(r.status, 200) << r.body;
  }
  ASSERT_TRUE(wait_until([](const nlohmann::json& jobs) {
    for (const auto& j : jobs) {
      if (j["state"] != "succeeded") return false;
    }
    return jobs.size() == static_cast<std::size_t>(kJobs);
  }));

  auto jobs = client_->get("/api/v1/jobs?limit=500").json()["jobs"];
  ASSERT_EQ(jobs.size(), static_cast<std::size_t>(kJobs));
  int taken_over = 0;
  for (const auto& j : jobs) {
    EXPECT_EQ(j["state"], "succeeded");
    ASSERT_EQ(j["steps"].size(), static_cast<std::size_t>(kSteps)) << j.dump();
    for (int s = 0; s < kSteps; ++s) EXPECT_EQ(j["steps"][s]["step"], s);
    if (j["attempts"].get<int>() > 1) ++taken_over;
  }
  EXPECT_GE(taken_over, 1) << "the kill must have interrupted at least one job";
}

// A generation job killed mid-way: after the restart the job finishes with exactly the
// images asked for, each slot once, and no image stored twice.
TEST_F(CrashTest, KillDashNineDuringGenerationCompletesWithExactlyTheImagesAsked) {
  const std::vector<std::string> sets = {"jobs.workers=1", "jobs.lease_ms=600", "jobs.poll_ms=50"};
  start(sets);
  constexpr int kImages = 8;
  auto campaign = client_->post_json(
      "/api/v1/campaigns", {{"name", "Crash"}, {"product", "Lamp"}, {"format", "1024x1024"}});
  ASSERT_EQ(campaign.status, 201) << campaign.body;
  const std::string base = "/api/v1/campaigns/" + campaign.json()["id"].get<std::string>();
  ASSERT_EQ(client_->post_json(base + "/prompts", nlohmann::json::object()).status, 201);
  auto started = client_->post_json(base + "/generations", {{"n", kImages}, {"seed", 5}});
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string job = started.json()["job"]["id"];
  const std::string generation = started.json()["id"];
  ASSERT_TRUE(wait_until([&](const nlohmann::json& jobs) {
    for (const auto& j : jobs) {
      if (j["id"] == job && j["state"] == "running" && j["step"].get<int>() >= 2) return true;
    }
    return false;
  }));
  server_->kill9();

  start(sets);
  ASSERT_TRUE(wait_job(job, {"succeeded"}, 120000));
  auto g = client_->get("/api/v1/generations/" + generation).json();
  EXPECT_EQ(g["state"], "succeeded");
  ASSERT_EQ(g["images"].size(), static_cast<std::size_t>(kImages)) << g.dump(2);
  std::set<std::string> assets;
  for (int i = 0; i < kImages; ++i) {
    EXPECT_EQ(g["images"][i]["slot"], i);
    EXPECT_EQ(g["images"][i]["outcome"], "ok");
    assets.insert(g["images"][i]["asset_id"].get<std::string>());
  }
  EXPECT_EQ(assets.size(), static_cast<std::size_t>(kImages));
  auto queue = client_->get("/api/v1/review-queue?limit=200").json();
  EXPECT_EQ(queue["items"].size(), static_cast<std::size_t>(kImages));
  auto listed = client_->get("/api/v1/assets?limit=200").json();
  EXPECT_EQ(listed["assets"].size(), static_cast<std::size_t>(kImages))
      << "an image was stored twice";
  auto j = client_->get("/api/v1/jobs/" + job).json();
  EXPECT_GE(j["attempts"].get<int>(), 2) << "the kill must have interrupted the job";
  EXPECT_EQ(client_->get(base).json()["state"], "in_review");
}

}  // namespace
}  // namespace adloom::testing
