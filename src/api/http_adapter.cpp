#include <spdlog/spdlog.h>

#include "api/api.h"
#include "api/errors.h"

namespace adloom {

ApiAdapter::ApiAdapter(ApiDeps& deps) : deps_(deps) {
  register_system_routes(router_, deps_);
  register_job_routes(router_, deps_);
  register_event_routes(router_, deps_);
  register_asset_routes(router_, deps_);
  register_kpi_routes(router_, deps_);
  register_import_routes(router_, deps_);
  register_search_routes(router_, deps_);
  register_brand_routes(router_, deps_);
  register_campaign_routes(router_, deps_);
  register_creative_routes(router_, deps_);
  register_generation_routes(router_, deps_);
}

// Until accounts arrive (a later issue), every caller acts as the local operator (owner)
// in the workspace named by the X-Workspace-Id header, or the default workspace.
Result<RequestContext> ApiAdapter::context_for(const HttpRequest& req) {
  RequestContext ctx;
  ctx.request_id = req.request_id;
  ctx.principal = Principal{Principal::Kind::kUser, "local"};
  ctx.role = Role::kOwner;
  auto header = req.header("x-workspace-id");
  if (!header) {
    ctx.workspace_id = deps_.default_workspace;
    return ctx;
  }
  std::string ws(*header);
  if (!is_valid_id(ws, "ws")) return invalid_argument("X-Workspace-Id is not a workspace id");
  auto found = deps_.store.get_workspace(ws);
  if (!found) return found.status();
  ctx.workspace_id = ws;
  return ctx;
}

HttpResponse ApiAdapter::handle(HttpRequest& req) {
  auto match = router_.match(req);
  if (match.route == nullptr) {
    if (match.allow.empty()) {
      return error_response(not_found("no route for " + req.method + " " + req.path),
                            req.request_id);
    }
    std::string allow;
    for (const auto& m : match.allow) allow += (allow.empty() ? "" : ", ") + m;
    auto resp =
        error_response(Status(ErrorCode::kMethodNotAllowed, req.method + " is not allowed on " +
                                                                req.path + "; allowed: " + allow),
                       req.request_id);
    resp.headers.emplace_back("Allow", allow);
    resp.route = match.route ? match.route->pattern : "unmatched";
    return resp;
  }
  const std::string& route = match.route->pattern;
  Result<HttpResponse> result = internal_error("handler did not run");
  try {
    auto ctx = context_for(req);
    result = ctx ? match.route->handler(*ctx, req) : Result<HttpResponse>(ctx.status());
  } catch (const std::exception& e) {
    spdlog::error("event=handler_exception request_id={} route={} error=\"{}\"", req.request_id,
                  route, e.what());
    result = internal_error("unexpected server error (request " + req.request_id + ")");
  }
  HttpResponse resp =
      result ? std::move(result).value() : error_response(result.status(), req.request_id);
  resp.route = route;
  return resp;
}

void ApiAdapter::observe(const HttpRequest& req, const HttpResponse& resp, double seconds) {
  deps_.metrics.observe_request(resp.route, req.method, resp.status, seconds);
  if (!deps_.config.server_access_log) return;
  spdlog::info("event=http request_id={} method={} path={} route={} status={}{}{} ms={:.2f}",
               req.request_id, req.method, req.path, resp.route, resp.status,
               resp.error_code.empty() ? "" : " error=", resp.error_code, seconds * 1000);
}

}  // namespace adloom
