// Status and Result<T>: expected failures as values, each with a stable machine code.
//
// Services return Status / Result<T> for anything a caller can cause or recover from
// (not found, validation, conflict, ...). Exceptions are kept for the truly unexpected;
// the HTTP adapter maps both, in one place, to status codes (src/api/errors.cpp).
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace adloom {

// Stable codes: they appear in API error bodies and logs; never renumber or rename.
enum class ErrorCode {
  kOk,
  kInvalidArgument,       // bad input from the caller (validation)
  kNotFound,              // the thing does not exist in this workspace
  kAlreadyExists,         // a unique key is taken
  kConflict,              // the request is valid but the current state forbids it
  kFailedPrecondition,    // a prerequisite is missing (e.g. schema too new)
  kUnauthenticated,       // no or bad credentials
  kPermissionDenied,      // authenticated but not allowed
  kMethodNotAllowed,      // the resource exists but not with this HTTP method
  kPayloadTooLarge,       // a size limit was exceeded
  kUnsupportedMediaType,  // the body's content type is not accepted
  kResourceExhausted,     // quota or rate limit
  kUnavailable,           // transient: retry later (busy database, provider down)
  kDeadlineExceeded,      // a timeout expired
  kCancelled,             // the operation was cancelled (job cancel, shutdown)
  kInternal,              // a bug or an unexpected environment failure
  kRefused,               // a model provider refused the content (guardrail, content filter)
};

// "invalid_argument", "not_found", ... : the wire name of a code.
std::string_view error_code_name(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }

  bool is_ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "not_found: job job_01... does not exist"
  std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) {
  return {ErrorCode::kInvalidArgument, std::move(m)};
}
inline Status not_found(std::string m) {
  return {ErrorCode::kNotFound, std::move(m)};
}
inline Status conflict(std::string m) {
  return {ErrorCode::kConflict, std::move(m)};
}
inline Status unavailable(std::string m) {
  return {ErrorCode::kUnavailable, std::move(m)};
}
inline Status internal_error(std::string m) {
  return {ErrorCode::kInternal, std::move(m)};
}
inline Status cancelled(std::string m) {
  return {ErrorCode::kCancelled, std::move(m)};
}

// A value or a non-ok Status. Accessing value() of an error is a bug (asserts).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).is_ok() && "Result needs a value or an error");
  }

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }

  T& value() & {
    assert(is_ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(is_ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(is_ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The error; Status::ok() when a value is held.
  Status status() const { return is_ok() ? Status::ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace adloom

// Early-return helpers, kept tiny. ADLOOM_TRY(expr) returns the Status of a failed
// Status expression; ADLOOM_ASSIGN(lhs, expr) unwraps a Result or returns its Status.
#define ADLOOM_CONCAT_INNER(a, b) a##b
#define ADLOOM_CONCAT(a, b) ADLOOM_CONCAT_INNER(a, b)
#define ADLOOM_TRY(expr)                        \
  do {                                          \
    ::adloom::Status adloom_st_ = (expr);       \
    if (!adloom_st_.is_ok()) return adloom_st_; \
  } while (0)
// NOLINTBEGIN(bugprone-macro-parentheses): lhs is a declaration, it cannot be parenthesised
#define ADLOOM_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                       \
  if (!tmp.is_ok()) return tmp.status();   \
  lhs = std::move(tmp).value()
#define ADLOOM_ASSIGN(lhs, expr) ADLOOM_ASSIGN_IMPL(ADLOOM_CONCAT(adloom_r_, __LINE__), lhs, expr)
// NOLINTEND(bugprone-macro-parentheses)
