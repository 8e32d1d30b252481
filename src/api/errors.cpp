#include "api/errors.h"

#include <nlohmann/json.hpp>

namespace adloom {

int http_status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kMethodNotAllowed: return 405;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kFailedPrecondition: return 412;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kCancelled: return 499;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kDeadlineExceeded: return 504;
    // The request was understood and the caller may make it: the content was refused.
    case ErrorCode::kRefused: return 422;
  }
  return 500;
}

HttpResponse error_response(const Status& status, const std::string& request_id) {
  HttpResponse resp;
  resp.status = http_status_for(status.code());
  resp.error_code = std::string(error_code_name(status.code()));
  nlohmann::json body = {
      {"error",
       {{"code", resp.error_code}, {"message", status.message()}, {"request_id", request_id}}}};
  resp.body = body.dump();
  return resp;
}

}  // namespace adloom
