#include "core/status.h"

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace adloom {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status st;
  EXPECT_TRUE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kOk);
  EXPECT_EQ(st.message(), "");
  EXPECT_EQ(st.to_string(), "ok");
  EXPECT_TRUE(Status::ok().is_ok());
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status st(ErrorCode::kNotFound, "job job_1 does not exist");
  EXPECT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kNotFound);
  EXPECT_EQ(st.message(), "job job_1 does not exist");
  EXPECT_EQ(st.to_string(), "not_found: job job_1 does not exist");
}

TEST(StatusTest, HelpersSetTheirCodes) {
  EXPECT_EQ(invalid_argument("x").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(not_found("x").code(), ErrorCode::kNotFound);
  EXPECT_EQ(conflict("x").code(), ErrorCode::kConflict);
  EXPECT_EQ(unavailable("x").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(internal_error("x").code(), ErrorCode::kInternal);
  EXPECT_EQ(cancelled("x").code(), ErrorCode::kCancelled);
  EXPECT_EQ(conflict("busy").message(), "busy");
}

// The wire names are a public contract (API error bodies, logs): this table must only grow.
TEST(StatusTest, ErrorCodeNamesAreStable) {
  const std::vector<std::pair<ErrorCode, std::string>> table = {
      {ErrorCode::kOk, "ok"},
      {ErrorCode::kInvalidArgument, "invalid_argument"},
      {ErrorCode::kNotFound, "not_found"},
      {ErrorCode::kAlreadyExists, "already_exists"},
      {ErrorCode::kConflict, "conflict"},
      {ErrorCode::kFailedPrecondition, "failed_precondition"},
      {ErrorCode::kUnauthenticated, "unauthenticated"},
      {ErrorCode::kPermissionDenied, "permission_denied"},
      {ErrorCode::kMethodNotAllowed, "method_not_allowed"},
      {ErrorCode::kPayloadTooLarge, "payload_too_large"},
      {ErrorCode::kUnsupportedMediaType, "unsupported_media_type"},
      {ErrorCode::kResourceExhausted, "resource_exhausted"},
      {ErrorCode::kUnavailable, "unavailable"},
      {ErrorCode::kDeadlineExceeded, "deadline_exceeded"},
      {ErrorCode::kCancelled, "cancelled"},
      {ErrorCode::kInternal, "internal"},
  };
  // Every enumerator, in declaration order: a new code must be added to this table.
  ASSERT_EQ(table.size(), static_cast<std::size_t>(ErrorCode::kInternal) + 1);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& [code, name] = table[i];
    EXPECT_EQ(static_cast<std::size_t>(code), i) << name;
    EXPECT_EQ(error_code_name(code), name);
    EXPECT_TRUE(seen.insert(name).second) << "duplicate wire name " << name;
  }
}

TEST(ResultTest, HoldsValue) {
  Result<int> r = 42;
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
  EXPECT_TRUE(r.status().is_ok());
}

TEST(ResultTest, HoldsError) {
  Result<std::string> r = not_found("nope");
  EXPECT_FALSE(r.is_ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.status().message(), "nope");
}

TEST(ResultTest, ArrowAndMoveOut) {
  Result<std::string> r = std::string("hello");
  EXPECT_EQ(r->size(), 5u);
  r.value() += "!";
  EXPECT_EQ(*r, "hello!");
  std::string moved = std::move(r).value();
  EXPECT_EQ(moved, "hello!");
}

TEST(ResultTest, MoveOnlyValue) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.is_ok());
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
}

// --- ADLOOM_TRY / ADLOOM_ASSIGN ----------------------------------------------------------

Status step(bool fail, int& calls) {
  ++calls;
  return fail ? conflict("step failed") : Status::ok();
}

Status two_steps(bool fail_first, bool fail_second, int& calls, bool& reached_end) {
  ADLOOM_TRY(step(fail_first, calls));
  ADLOOM_TRY(step(fail_second, calls));
  reached_end = true;
  return Status::ok();
}

TEST(MacroTest, TryPassesThroughOk) {
  int calls = 0;
  bool end = false;
  Status st = two_steps(false, false, calls, end);
  EXPECT_TRUE(st.is_ok());
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(end);
}

TEST(MacroTest, TryReturnsFirstError) {
  int calls = 0;
  bool end = false;
  Status st = two_steps(true, false, calls, end);
  EXPECT_EQ(st.code(), ErrorCode::kConflict);
  EXPECT_EQ(st.message(), "step failed");
  EXPECT_EQ(calls, 1);  // the second step never ran
  EXPECT_FALSE(end);
}

TEST(MacroTest, TryReturnsLaterError) {
  int calls = 0;
  bool end = false;
  Status st = two_steps(false, true, calls, end);
  EXPECT_EQ(st.code(), ErrorCode::kConflict);
  EXPECT_EQ(calls, 2);
  EXPECT_FALSE(end);
}

Result<int> parse_positive(int v) {
  if (v <= 0) return invalid_argument("not positive: " + std::to_string(v));
  return v;
}

Result<int> sum_of_two(int a, int b, bool& reached_end) {
  ADLOOM_ASSIGN(int x, parse_positive(a));
  ADLOOM_ASSIGN(int y, parse_positive(b));  // two on separate lines: distinct temporaries
  reached_end = true;
  return x + y;
}

TEST(MacroTest, AssignUnwrapsValues) {
  bool end = false;
  auto r = sum_of_two(2, 3, end);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, 5);
  EXPECT_TRUE(end);
}

TEST(MacroTest, AssignReturnsErrorEarly) {
  bool end = false;
  auto r = sum_of_two(-1, 3, end);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "not positive: -1");
  EXPECT_FALSE(end);

  auto r2 = sum_of_two(1, 0, end);
  ASSERT_FALSE(r2.is_ok());
  EXPECT_EQ(r2.status().message(), "not positive: 0");
  EXPECT_FALSE(end);
}

Status assign_into_existing(int v, int& out) {
  int tmp = -1;
  ADLOOM_ASSIGN(tmp, parse_positive(v));  // assigns to an existing variable too
  out = tmp;
  return Status::ok();
}

TEST(MacroTest, AssignToExistingVariableAndReturnAsStatus) {
  int out = 0;
  EXPECT_TRUE(assign_into_existing(9, out).is_ok());
  EXPECT_EQ(out, 9);
  out = 0;
  Status st = assign_into_existing(-4, out);
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(out, 0);
}

Result<std::unique_ptr<int>> make_box(bool ok) {
  if (!ok) return unavailable("no box");
  return std::make_unique<int>(11);
}

Result<int> unbox(bool ok) {
  ADLOOM_ASSIGN(auto box, make_box(ok));  // move-only values are moved out
  return *box;
}

TEST(MacroTest, AssignMovesMoveOnlyValues) {
  auto r = unbox(true);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, 11);
  EXPECT_EQ(unbox(false).status().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace adloom
