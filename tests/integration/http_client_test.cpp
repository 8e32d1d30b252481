// The outbound HTTP client against a fake provider's fault modes: retry then success
// (Retry-After honoured), a read timeout reported, the retry budget shared with job
// attempts, the circuit opening and recovering through a probe, and cancellation aborting
// the transfer in flight within a second.
#include "net/http_client.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "support/fake_provider.h"

namespace adloom {
namespace {

using nlohmann::json;
using testing::FakeProvider;
using Clock = std::chrono::steady_clock;

class HttpClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fake = std::make_unique<FakeProvider>("openai"); }
  static void TearDownTestSuite() { fake.reset(); }
  void SetUp() override { fake->reset(); }

  // Backoff waits drawn as 0 (full jitter's lower end): tests never wait on backoff.
  static HttpClientOptions options() {
    HttpClientOptions o;
    o.name = "fake";
    o.max_tries = 3;
    o.backoff_base_ms = 1;
    o.backoff_max_ms = 5000;
    o.circuit_failures = 1000;
    o.uniform01 = [] { return 0.0; };
    return o;
  }

  static std::unique_ptr<HttpClient> client(const HttpClientOptions& o) {
    auto c = HttpClient::create(o);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return std::move(c).value();
  }

  static OutboundRequest models_request() {
    OutboundRequest r;
    r.method = "GET";
    r.url = fake->url() + "/v1/models";
    return r;
  }

  // Faults apply to GET /v1/models only when asked by path (the fake's default is POSTs).
  static void fault(json f) {
    f["path_contains"] = "/v1/models";
    fake->set_fault(f);
  }

  static std::size_t model_calls() {
    std::size_t n = 0;
    for (const auto& r : fake->requests()) n += r["path"] == "/v1/models" ? 1 : 0;
    return n;
  }

  static std::unique_ptr<FakeProvider> fake;
};

std::unique_ptr<FakeProvider> HttpClientTest::fake;

TEST_F(HttpClientTest, ThrottledThenServedHonouringRetryAfter) {
  fault({{"mode", "throttle"}, {"count", 1}, {"retry_after", 1}});
  auto http = client(options());
  const auto started = Clock::now();
  auto r = http->send(models_request(), {});
  const auto waited = Clock::now() - started;
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(model_calls(), 2U);
  EXPECT_EQ(http->stats().retries, 1);
  // The drawn backoff is 0: only Retry-After can explain the wait.
  EXPECT_GE(waited, std::chrono::milliseconds(900));
}

TEST_F(HttpClientTest, ServerErrorsAreRetriedUntilTheTriesAreSpent) {
  fault({{"mode", "error503"}, {"count", 2}});
  auto http = client(options());
  auto ok = http->send(models_request(), {});
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(model_calls(), 3U);

  fake->reset();
  fault({{"mode", "error500"}, {"count", 5}});
  auto failed = http->send(models_request(), {});
  ASSERT_TRUE(failed.is_ok()) << "the final error response is returned for the caller to read";
  EXPECT_EQ(failed->status, 500);
  EXPECT_EQ(model_calls(), 3U);
}

TEST_F(HttpClientTest, TheRetryBudgetIsSharedAndNeverExceeded) {
  fault({{"mode", "error500"}, {"count", 10}});
  auto http = client(options());
  RetryBudget budget{2};  // what a job on its 4th of 5 attempts has left
  auto r = http->send(models_request(), {{}, kNoDeadline, &budget});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(budget.tries_left, 0);
  EXPECT_EQ(model_calls(), 2U);
  // A spent budget sends nothing more.
  auto none = http->send(models_request(), {{}, kNoDeadline, &budget});
  EXPECT_EQ(none.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(model_calls(), 2U);
}

TEST_F(HttpClientTest, ASilentServerIsATimeoutReportedInWords) {
  fault({{"mode", "slow"}, {"delay_ms", 10000}});
  auto o = options();
  o.read_timeout_ms = 300;
  o.max_tries = 1;
  auto http = client(o);
  const auto started = Clock::now();
  auto r = http->send(models_request(), {});
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_NE(r.status().message().find("did not answer within 300 ms"), std::string::npos)
      << r.status().message();
}

TEST_F(HttpClientTest, ATruncatedAnswerIsTransient) {
  fault({{"mode", "truncated"}});
  auto o = options();
  o.max_tries = 1;
  auto r = client(o)->send(models_request(), {});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable) << r.status().to_string();
}

TEST_F(HttpClientTest, TheCircuitOpensAfterFailuresAndRecoversThroughAProbe) {
  auto o = options();
  o.max_tries = 1;
  o.circuit_failures = 3;
  o.circuit_open_ms = 60000;
  auto http = client(o);
  fault({{"mode", "error500"}, {"count", 3}});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(http->send(models_request(), {}).is_ok());
  EXPECT_EQ(http->stats().circuit, CircuitState::kOpen);
  // Open: refused at once, nothing sent.
  auto refused = http->send(models_request(), {});
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(refused.status().message().find("circuit open"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(model_calls(), 3U);

  // With no pause left, the next call is the probe; its success closes the circuit.
  o.circuit_open_ms = 0;
  auto quick = client(o);
  fake->reset();
  fault({{"mode", "error500"}, {"count", 3}});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(quick->send(models_request(), {}).is_ok());
  EXPECT_EQ(quick->stats().circuit, CircuitState::kOpen);
  auto probe = quick->send(models_request(), {});
  ASSERT_TRUE(probe.is_ok());
  EXPECT_EQ(probe->status, 200);
  EXPECT_EQ(quick->stats().circuit, CircuitState::kClosed);
}

TEST_F(HttpClientTest, CancellingAbortsTheTransferInFlightWithinASecond) {
  fault({{"mode", "slow"}, {"delay_ms", 20000}});
  auto http = client(options());
  std::stop_source stop;
  Result<OutboundResponse> result = internal_error("not run");
  std::jthread caller([&] { result = http->send(models_request(), {stop.get_token()}); });
  // Cancel once the request has reached the fake (it waits for the fault's delay).
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (model_calls() == 0 && Clock::now() < deadline) std::this_thread::yield();
  ASSERT_EQ(model_calls(), 1U);
  const auto cancelled_at = Clock::now();
  stop.request_stop();
  caller.join();
  EXPECT_LT(Clock::now() - cancelled_at, std::chrono::seconds(1));
  EXPECT_EQ(result.status().code(), ErrorCode::kCancelled);
  // The fake saw its client go away (the request was aborted, not left running).
  bool aborted = false;
  while (!aborted && Clock::now() < deadline) {
    aborted = fake->requests()[0].value("aborted", false);
    if (!aborted) std::this_thread::yield();
  }
  EXPECT_TRUE(aborted) << fake->requests().dump(2);
}

}  // namespace
}  // namespace adloom
