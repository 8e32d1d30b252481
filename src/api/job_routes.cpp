// /api/v1/jobs: list, inspect, enqueue (diagnostic kinds), retry and cancel jobs.
#include "api/api.h"
#include "api/job_json.h"
#include "jobs/job_handler.h"

namespace adloom {
namespace {

Result<JobId> job_id_param(const HttpRequest& req) {
  const std::string& id = req.param("id");
  if (!is_valid_id(id, "job")) return not_found("job " + id + " does not exist");
  return id;
}

Result<JobFilter> parse_filter(const HttpRequest& req) {
  JobFilter f;
  if (auto it = req.query.find("state"); it != req.query.end()) {
    f.state = parse_job_state(it->second);
    if (!f.state) {
      return invalid_argument(
          "state must be one of queued, running, succeeded, failed, dead, "
          "canceled");
    }
  }
  if (auto it = req.query.find("kind"); it != req.query.end()) f.kind = it->second;
  if (auto it = req.query.find("cursor"); it != req.query.end()) {
    if (!is_valid_id(it->second, "job")) return invalid_argument("cursor is not a job id");
    f.before = it->second;
  }
  ADLOOM_ASSIGN(auto limit, query_int(req, "limit", 50, 1, 500));
  f.limit = static_cast<int>(limit);
  return f;
}

Result<JobSpec> parse_spec(const Json& body) {
  JobSpec spec;
  ADLOOM_ASSIGN(auto kind, optional_string(body, "kind"));
  if (!kind || kind->empty()) return invalid_argument("kind is required");
  if (!is_client_enqueueable(*kind)) {
    return invalid_argument("job kind '" + *kind +
                            "' cannot be enqueued directly; allowed: noop, sleep");
  }
  spec.kind = *kind;
  if (auto it = body.find("payload"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return invalid_argument("payload must be a JSON object");
    spec.payload = it->dump();
  }
  ADLOOM_ASSIGN(spec.idempotency_key, optional_string(body, "idempotency_key"));
  if (spec.idempotency_key &&
      (spec.idempotency_key->empty() || spec.idempotency_key->size() > 200)) {
    return invalid_argument("idempotency_key must be 1 to 200 characters");
  }
  ADLOOM_ASSIGN(auto max_attempts, optional_int(body, "max_attempts", 1, 100));
  spec.max_attempts = static_cast<int>(max_attempts.value_or(0));
  return spec;
}

}  // namespace

void register_job_routes(Router& router, ApiDeps& deps) {
  router.add("GET", "/api/v1/jobs",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(JobFilter filter, parse_filter(req));
               ADLOOM_ASSIGN(JobPage page, deps.jobs.list(ctx, filter));
               Json jobs = Json::array();
               for (const auto& j : page.jobs) jobs.push_back(job_to_json(j));
               return json_response(200, {{"jobs", jobs},
                                          {"next_cursor", page.next_cursor ? Json(*page.next_cursor)
                                                                           : Json(nullptr)}});
             });

  router.add("POST", "/api/v1/jobs",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_ASSIGN(JobSpec spec, parse_spec(body));
               ADLOOM_ASSIGN(auto enqueued, deps.jobs.enqueue(ctx, spec));
               if (enqueued.second && deps.on_job_enqueued) deps.on_job_enqueued();
               return json_response(enqueued.second ? 201 : 200, job_to_json(enqueued.first));
             });

  router.add("GET", "/api/v1/jobs/{id}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(JobId id, job_id_param(req));
               ADLOOM_ASSIGN(Job job, deps.jobs.get(ctx, id));
               return json_response(200, job_to_json(job));
             });

  router.add("POST", "/api/v1/jobs/{id}/retry",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(JobId id, job_id_param(req));
               ADLOOM_ASSIGN(Job job, deps.jobs.retry(ctx, id));
               if (deps.on_job_enqueued) deps.on_job_enqueued();
               return json_response(200, job_to_json(job));
             });

  router.add("POST", "/api/v1/jobs/{id}/cancel",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(JobId id, job_id_param(req));
               ADLOOM_ASSIGN(Job job, deps.jobs.cancel(ctx, id));
               return json_response(200, job_to_json(job));
             });
}

}  // namespace adloom
