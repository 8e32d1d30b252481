// Bad input gets the right 4xx and the JSON error body, from the real binary.
#include "api/api_fixture.h"

namespace adloom::testing {
namespace {

class ErrorsApiTest : public ApiTest {
 protected:
  void SetUp() override { start({"server.max_body_bytes=2048", "jobs.workers=0"}); }

  // Asserts the {"error":{"code","message","request_id"}} shape and returns the error.
  nlohmann::json expect_error(const HttpResult& r, long status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body << r.error;
    EXPECT_EQ(r.headers.count("content-type") ? r.headers.at("content-type") : "",
              "application/json");
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    EXPECT_TRUE(body.is_object()) << r.body;
    if (!body.is_object()) return {};
    auto err = body["error"];
    EXPECT_EQ(err["code"], code) << r.body;
    EXPECT_TRUE(err["message"].is_string() && !err["message"].get<std::string>().empty());
    EXPECT_TRUE(err["request_id"].is_string());
    EXPECT_EQ(err["request_id"],
              r.headers.count("x-request-id") ? r.headers.at("x-request-id") : "?");
    return err;
  }
};

TEST_F(ErrorsApiTest, MalformedJsonIs400) {
  auto r = client_->request("POST", "/api/v1/jobs", R"({"kind": "noop",)",
                            {"Content-Type: application/json"});
  auto err = expect_error(r, 400, "invalid_argument");
  EXPECT_NE(err["message"].get<std::string>().find("malformed JSON"), std::string::npos);
}

TEST_F(ErrorsApiTest, NonObjectAndEmptyBodiesAre400) {
  expect_error(
      client_->request("POST", "/api/v1/jobs", "[1,2]", {"Content-Type: application/json"}), 400,
      "invalid_argument");
  expect_error(client_->request("POST", "/api/v1/jobs", "", {"Content-Type: application/json"}),
               400, "invalid_argument");
}

TEST_F(ErrorsApiTest, WrongContentTypeIs415) {
  auto r =
      client_->request("POST", "/api/v1/jobs", R"({"kind":"noop"})", {"Content-Type: text/plain"});
  expect_error(r, 415, "unsupported_media_type");
  expect_error(client_->request("POST", "/api/v1/jobs", R"({"kind":"noop"})", {}), 415,
               "unsupported_media_type");
  // Parameters on the media type are fine.
  auto ok = client_->request("POST", "/api/v1/jobs", R"({"kind":"noop"})",
                             {"Content-Type: application/json; charset=utf-8"});
  EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST_F(ErrorsApiTest, OversizedBodyIs413WithContentLength) {
  std::string big = R"({"kind":"noop","payload":{"pad":")" + std::string(4096, 'x') + "\"}}";
  auto r = client_->request("POST", "/api/v1/jobs", big, {"Content-Type: application/json"});
  auto err = expect_error(r, 413, "payload_too_large");
  EXPECT_NE(err["message"].get<std::string>().find("2048"), std::string::npos);
}

TEST_F(ErrorsApiTest, OversizedChunkedBodyIs413) {
  std::string big = R"({"kind":"noop","payload":{"pad":")" + std::string(4096, 'x') + "\"}}";
  auto r = client_->request("POST", "/api/v1/jobs", big,
                            {"Content-Type: application/json", "Transfer-Encoding: chunked"});
  expect_error(r, 413, "payload_too_large");
}

TEST_F(ErrorsApiTest, UnknownRouteIs404) {
  expect_error(client_->get("/api/v1/no-such-thing"), 404, "not_found");
  expect_error(client_->get("/"), 404, "not_found");
}

TEST_F(ErrorsApiTest, WrongMethodIs405WithAllow) {
  auto r = client_->request("DELETE", "/api/v1/jobs", "", {});
  expect_error(r, 405, "method_not_allowed");
  EXPECT_EQ(r.headers["allow"], "GET, POST");
  expect_error(client_->request("POST", "/healthz", "", {}), 405, "method_not_allowed");
}

TEST_F(ErrorsApiTest, BadIdsAndQueriesAreRejected) {
  expect_error(client_->get("/api/v1/jobs/not-a-job-id"), 404, "not_found");
  expect_error(client_->get("/api/v1/jobs/job_01M8FVSTNGGRD22MXHC1QS4NN2"), 404, "not_found");
  expect_error(client_->get("/api/v1/jobs?limit=abc"), 400, "invalid_argument");
  expect_error(client_->get("/api/v1/jobs?limit=0"), 400, "invalid_argument");
  expect_error(client_->get("/api/v1/jobs?state=sleeping"), 400, "invalid_argument");
  expect_error(client_->get("/api/v1/jobs?cursor=../../etc"), 400, "invalid_argument");
}

TEST_F(ErrorsApiTest, InvalidJobSpecsAre400) {
  expect_error(client_->post_json("/api/v1/jobs", {{"payload", {}}}), 400, "invalid_argument");
  expect_error(client_->post_json("/api/v1/jobs", {{"kind", "index_asset"}}), 400,
               "invalid_argument");
  expect_error(client_->post_json("/api/v1/jobs", {{"kind", 5}}), 400, "invalid_argument");
  expect_error(client_->post_json("/api/v1/jobs", {{"kind", "noop"}, {"payload", "x"}}), 400,
               "invalid_argument");
  expect_error(client_->post_json("/api/v1/jobs", {{"kind", "noop"}, {"max_attempts", 0}}), 400,
               "invalid_argument");
}

TEST_F(ErrorsApiTest, WorkspaceHeaderIsValidated) {
  expect_error(client_->get("/api/v1/jobs", {"X-Workspace-Id: nope"}), 400, "invalid_argument");
  expect_error(client_->get("/api/v1/jobs", {"X-Workspace-Id: ws_01M8FVSTNGGRD22MXHC1QS4NN2"}), 404,
               "not_found");
}

TEST_F(ErrorsApiTest, RequestIdIsEchoedWhenSaneAndReplacedOtherwise) {
  auto r = client_->get("/api/v1/nope", {"X-Request-Id: trace-abc.123"});
  auto err = expect_error(r, 404, "not_found");
  EXPECT_EQ(err["request_id"], "trace-abc.123");
  auto bad = client_->get("/api/v1/nope", {"X-Request-Id: has spaces and {braces}"});
  auto err2 = expect_error(bad, 404, "not_found");
  EXPECT_NE(err2["request_id"], "has spaces and {braces}");
}

TEST_F(ErrorsApiTest, ServerStaysHealthyAfterBadInput) {
  for (int i = 0; i < 20; ++i) {
    (void)client_->request("POST", "/api/v1/jobs", "{{{{", {"Content-Type: application/json"});
  }
  EXPECT_EQ(client_->get("/healthz").status, 200);
}

}  // namespace
}  // namespace adloom::testing
