#include "api/router.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace adloom {
namespace {

RouteHandler handler_returning(int status) {
  return [status](const RequestContext&, HttpRequest&) -> Result<HttpResponse> {
    HttpResponse r;
    r.status = status;
    return r;
  };
}

HttpRequest request(const std::string& method, const std::string& path) {
  HttpRequest req;
  req.method = method;
  req.path = path;
  req.target = path;
  return req;
}

// The pattern that handled method+path, "" when none (404 or 405).
std::string matched_pattern(const Router& router, const std::string& method,
                            const std::string& path) {
  HttpRequest req = request(method, path);
  auto m = router.match(req);
  return m.route == nullptr ? "" : m.route->pattern;
}

TEST(RouterTest, LiteralBeatsParameterWhenParameterRegisteredFirst) {
  Router router;
  router.add("GET", "/a/{id}", handler_returning(1));
  router.add("GET", "/a/special", handler_returning(2));
  EXPECT_EQ(matched_pattern(router, "GET", "/a/special"), "/a/special");
  EXPECT_EQ(matched_pattern(router, "GET", "/a/other"), "/a/{id}");
}

TEST(RouterTest, LiteralBeatsParameterWhenLiteralRegisteredFirst) {
  Router router;
  router.add("GET", "/a/special", handler_returning(2));
  router.add("GET", "/a/{id}", handler_returning(1));
  EXPECT_EQ(matched_pattern(router, "GET", "/a/special"), "/a/special");
  EXPECT_EQ(matched_pattern(router, "GET", "/a/other"), "/a/{id}");
}

TEST(RouterTest, LiteralWinsAtTheFirstDifferingSegment) {
  for (bool reversed : {false, true}) {
    Router router;
    std::vector<std::string> patterns = {"/x/{a}/lit", "/x/lit/{b}"};
    if (reversed) std::swap(patterns[0], patterns[1]);
    for (const auto& p : patterns) router.add("GET", p, handler_returning(200));
    EXPECT_EQ(matched_pattern(router, "GET", "/x/lit/lit"), "/x/lit/{b}") << reversed;
    EXPECT_EQ(matched_pattern(router, "GET", "/x/other/lit"), "/x/{a}/lit") << reversed;
    EXPECT_EQ(matched_pattern(router, "GET", "/x/lit/other"), "/x/lit/{b}") << reversed;
  }
}

TEST(RouterTest, MatchedHandlerIsTheRoutesHandler) {
  Router router;
  router.add("GET", "/a/{id}", handler_returning(201));
  router.add("GET", "/a/special", handler_returning(202));
  HttpRequest req = request("GET", "/a/special");
  auto m = router.match(req);
  ASSERT_NE(m.route, nullptr);
  auto ctx = RequestContext::system("ws_test", "req-1");
  auto resp = m.route->handler(ctx, req);
  ASSERT_TRUE(resp.is_ok());
  EXPECT_EQ(resp->status, 202);
}

TEST(RouterTest, ExtractsPathParameters) {
  Router router;
  router.add("POST", "/api/v1/jobs/{id}/steps/{step}", handler_returning(200));
  router.add("GET", "/api/v1/jobs/{id}", handler_returning(200));
  HttpRequest req = request("POST", "/api/v1/jobs/job_123/steps/4");
  auto m = router.match(req);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/jobs/{id}/steps/{step}");
  EXPECT_EQ(req.param("id"), "job_123");
  EXPECT_EQ(req.param("step"), "4");
  EXPECT_EQ(req.param("missing"), "");
  EXPECT_EQ(req.path_params.size(), 2u);

  HttpRequest req2 = request("GET", "/api/v1/jobs/job_9");
  auto m2 = router.match(req2);
  ASSERT_NE(m2.route, nullptr);
  EXPECT_EQ(req2.param("id"), "job_9");
}

TEST(RouterTest, LiteralMatchSetsNoParameters) {
  Router router;
  router.add("GET", "/a/{id}", handler_returning(1));
  router.add("GET", "/a/special", handler_returning(2));
  HttpRequest req = request("GET", "/a/special");
  ASSERT_NE(router.match(req).route, nullptr);
  EXPECT_TRUE(req.path_params.empty());
}

TEST(RouterTest, ParameterDoesNotMatchAnEmptySegment) {
  Router router;
  router.add("GET", "/a/{id}", handler_returning(1));
  HttpRequest req = request("GET", "/a/");
  auto m = router.match(req);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allow.empty());
}

TEST(RouterTest, UnknownPathIsNotFoundWithEmptyAllow) {
  Router router;
  router.add("GET", "/a/{id}", handler_returning(1));
  router.add("POST", "/b", handler_returning(1));
  for (const char* path : {"/c", "/a", "/a/1/2", "/", "/b/x"}) {
    HttpRequest req = request("GET", path);
    auto m = router.match(req);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allow.empty()) << path;
  }
}

TEST(RouterTest, WrongMethodIsMethodNotAllowedWithSortedAllow) {
  Router router;
  // Registered out of order on purpose; allow comes back sorted.
  router.add("POST", "/jobs/{id}", handler_returning(1));
  router.add("GET", "/jobs/{id}", handler_returning(1));
  router.add("DELETE", "/jobs/{job}", handler_returning(1));
  router.add("PUT", "/other/{id}", handler_returning(1));
  HttpRequest req = request("PATCH", "/jobs/j1");
  auto m = router.match(req);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allow, (std::vector<std::string>{"DELETE", "GET", "POST"}));

  // A matched method also reports the allow list.
  HttpRequest ok = request("DELETE", "/jobs/j1");
  auto m2 = router.match(ok);
  ASSERT_NE(m2.route, nullptr);
  EXPECT_EQ(m2.route->pattern, "/jobs/{job}");
  EXPECT_EQ(ok.param("job"), "j1");
  EXPECT_EQ(m2.allow, (std::vector<std::string>{"DELETE", "GET", "POST"}));
}

TEST(RouterTest, AllowComesFromTheMostSpecificPattern) {
  Router router;
  router.add("GET", "/a/special", handler_returning(1));
  router.add("POST", "/a/{id}", handler_returning(1));
  router.add("DELETE", "/a/{id}", handler_returning(1));
  HttpRequest req = request("PUT", "/a/x");
  auto m = router.match(req);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allow, (std::vector<std::string>{"DELETE", "POST"}));
  HttpRequest req2 = request("PUT", "/a/special");
  auto m2 = router.match(req2);
  EXPECT_EQ(m2.route, nullptr);
  EXPECT_EQ(m2.allow, (std::vector<std::string>{"GET"}));
}

TEST(RouterTest, HeadFallsBackToGet) {
  Router router;
  router.add("GET", "/healthz", handler_returning(1));
  router.add("POST", "/submit", handler_returning(1));
  HttpRequest head = request("HEAD", "/healthz");
  auto m = router.match(head);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "GET");
  EXPECT_EQ(head.method, "HEAD");  // the request itself is untouched

  HttpRequest head_post = request("HEAD", "/submit");  // no GET there: 405
  auto m2 = router.match(head_post);
  EXPECT_EQ(m2.route, nullptr);
  EXPECT_EQ(m2.allow, (std::vector<std::string>{"POST"}));
}

TEST(RouterTest, DuplicateRouteThrows) {
  Router router;
  router.add("GET", "/jobs/{id}", handler_returning(1));
  EXPECT_THROW(router.add("GET", "/jobs/{id}", handler_returning(2)), std::logic_error);
  // Another method on the same pattern is fine.
  EXPECT_NO_THROW(router.add("POST", "/jobs/{id}", handler_returning(3)));
  EXPECT_EQ(router.routes().size(), 2u);
}

TEST(RouterTest, SameShapeWithDifferentParameterNameThrows) {
  Router router;
  router.add("GET", "/jobs/{id}", handler_returning(1));
  EXPECT_THROW(router.add("GET", "/jobs/{job_id}", handler_returning(2)), std::logic_error);
  router.add("GET", "/jobs/{id}/steps/{n}", handler_returning(1));
  EXPECT_THROW(router.add("GET", "/jobs/{x}/steps/{y}", handler_returning(2)), std::logic_error);
  EXPECT_EQ(router.routes().size(), 2u);
}

TEST(RouterTest, PatternMustStartWithSlash) {
  Router router;
  EXPECT_THROW(router.add("GET", "jobs", handler_returning(1)), std::logic_error);
  EXPECT_THROW(router.add("GET", "", handler_returning(1)), std::logic_error);
}

TEST(RouterTest, TrailingSlashIsADifferentPath) {
  Router router;
  router.add("GET", "/jobs", handler_returning(1));
  EXPECT_EQ(matched_pattern(router, "GET", "/jobs"), "/jobs");
  HttpRequest req = request("GET", "/jobs/");
  auto m = router.match(req);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allow.empty());

  // Both can be registered, and each matches only itself.
  EXPECT_NO_THROW(router.add("GET", "/jobs/", handler_returning(2)));
  EXPECT_EQ(matched_pattern(router, "GET", "/jobs/"), "/jobs/");
  EXPECT_EQ(matched_pattern(router, "GET", "/jobs"), "/jobs");
}

TEST(RouterTest, RootPath) {
  Router router;
  router.add("GET", "/", handler_returning(1));
  EXPECT_EQ(matched_pattern(router, "GET", "/"), "/");
  EXPECT_EQ(matched_pattern(router, "GET", "/x"), "");
}

}  // namespace
}  // namespace adloom
