// kill -9 mid-job, restart: every job ends exactly once, no job lost, no step output
// duplicated. Run it in a loop with --gtest_repeat=20 (see docs/architecture.md).
#include <map>

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

}  // namespace
}  // namespace adloom::testing
