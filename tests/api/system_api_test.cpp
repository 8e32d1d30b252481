// Health, readiness, metrics, version and graceful shutdown of the real binary.
#include <future>
#include <thread>
#include <utility>

#include "api/api_fixture.h"

namespace adloom::testing {
namespace {

class SystemApiTest : public ApiTest {};

TEST_F(SystemApiTest, HealthAndReadiness) {
  start();
  auto h = client_->get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.json()["status"], "ok");
  auto r = client_->get("/readyz");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "ready");
  EXPECT_EQ(r.json()["checks"]["database"], "ok");
  EXPECT_FALSE(h.headers["x-request-id"].empty());
}

TEST_F(SystemApiTest, VersionReportsSchema) {
  start();
  auto v = client_->get("/api/v1/version");
  ASSERT_EQ(v.status, 200);
  auto j = v.json();
  EXPECT_TRUE(j["version"].is_string());
  EXPECT_EQ(j["schema_version"], 6);
  EXPECT_EQ(j["store"], "sqlite");
}

TEST_F(SystemApiTest, MetricsCountRequestsByRouteAndJobsByState) {
  start({"jobs.workers=0"});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client_->get("/healthz").status, 200);
  EXPECT_EQ(client_->get("/api/v1/nope").status, 404);
  enqueue({{"kind", "noop"}});
  auto m = client_->get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.headers["content-type"].find("text/plain"), std::string::npos);
  const auto& text = m.body;
  EXPECT_NE(
      text.find(R"(adloom_http_requests_total{method="GET",route="/healthz",status="200"} 3)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(R"(adloom_http_requests_total{method="GET",route="unmatched",status="404"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("adloom_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\""),
      std::string::npos);
  EXPECT_NE(text.find(R"(adloom_jobs{state="queued"} 1)"), std::string::npos) << text;
  // Ids never become labels: cardinality stays bounded.
  EXPECT_EQ(text.find("job_0"), std::string::npos);
}

TEST_F(SystemApiTest, MetricsTokenIsEnforcedAndNeverLogged) {
  start({"server.metrics_token=s3cret-token"});
  EXPECT_EQ(client_->get("/metrics").status, 401);
  EXPECT_EQ(client_->get("/metrics", {"Authorization: Bearer wrong-token!"}).status, 401);
  EXPECT_EQ(client_->get("/metrics", {"Authorization: Bearer s3cret-token"}).status, 200);
  EXPECT_EQ(server_->terminate(), 0);
  EXPECT_EQ(server_->log().find("s3cret-token"), std::string::npos);
}

TEST_F(SystemApiTest, SigtermEndsEventStreamsAndReleasesRunningJobs) {
  start({"jobs.workers=1"});
  auto job = enqueue({{"kind", "sleep"}, {"payload", {{"steps", 2}, {"ms", 60000}}}});
  std::string id = job["id"];
  ASSERT_TRUE(wait_job(id, {"running"}));

  // An open event stream must end cleanly when the server stops.
  std::promise<void> connected;
  std::atomic<bool> stream_ended{false};
  std::thread watcher([&] {
    HttpClient events(server_->url());
    bool first = true;
    events.stream_events(
        "/api/v1/events",
        [&](const std::string&, const std::string&) {
          if (std::exchange(first, false)) connected.set_value();
          return true;
        },
        60000);
    stream_ended = true;
  });
  ASSERT_EQ(connected.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(server_->terminate(), 0) << "graceful stop must exit 0";
  watcher.join();
  EXPECT_TRUE(stream_ended);

  // The interrupted job was released, not failed: queued again with its attempt uncounted.
  start({"jobs.workers=0"});
  auto after = client_->get("/api/v1/jobs/" + id).json();
  EXPECT_EQ(after["state"], "queued") << after.dump();
  EXPECT_EQ(after["attempts"], 0) << after.dump();
  EXPECT_NE(server_->log().find("event=shutdown_complete"), std::string::npos);
}

TEST_F(SystemApiTest, RestartKeepsDataAndDefaultWorkspace) {
  start({"jobs.workers=0"});
  auto job = enqueue({{"kind", "noop"}});
  std::string ws = job["workspace_id"];
  EXPECT_EQ(server_->terminate(), 0);
  start({"jobs.workers=0"});
  auto again = client_->get("/api/v1/jobs/" + job["id"].get<std::string>());
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["workspace_id"], ws);
}

}  // namespace
}  // namespace adloom::testing
