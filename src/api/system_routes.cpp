// Health, readiness, metrics and version.
#include <openssl/crypto.h>

#include "api/api.h"
#include "api/json_io.h"
#include "core/clock.h"
#include "core/version.h"

namespace adloom {
namespace {

// Constant-time comparison, so the metrics token cannot be guessed byte by byte.
bool token_matches(std::string_view given, const std::string& expected) {
  return given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

void register_system_routes(Router& router, ApiDeps& deps) {
  // Liveness: the process answers. No dependency is checked here on purpose.
  router.add("GET", "/healthz", [](const RequestContext&, HttpRequest&) -> Result<HttpResponse> {
    return json_response(200, {{"status", "ok"}});
  });

  // Readiness: the database answers and the server is not shutting down.
  router.add("GET", "/readyz",
             [&deps](const RequestContext&, HttpRequest&) -> Result<HttpResponse> {
               Status db = deps.store.ping();
               bool draining = deps.draining != nullptr && deps.draining->load();
               bool ready = db.is_ok() && !draining;
               Json body = {{"status", ready ? "ready" : "not_ready"},
                            {"checks",
                             {{"database", db.is_ok() ? "ok" : db.to_string()},
                              {"accepting", draining ? "shutting down" : "ok"}}}};
               return json_response(ready ? 200 : 503, body);
             });

  router.add(
      "GET", "/metrics", [&deps](const RequestContext&, HttpRequest& req) -> Result<HttpResponse> {
        const std::string& token = deps.config.server_metrics_token;
        if (!token.empty()) {
          auto auth = req.header("authorization");
          if (!auth || auth->substr(0, 7) != "Bearer " || !token_matches(auth->substr(7), token)) {
            return Status(ErrorCode::kUnauthenticated,
                          "metrics require 'Authorization: Bearer <server.metrics_token>'");
          }
        }
        HttpResponse resp;
        resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
        resp.body = deps.metrics.render();
        return resp;
      });

  router.add("GET", "/api/v1/version",
             [&deps](const RequestContext&, HttpRequest&) -> Result<HttpResponse> {
               auto schema = deps.store.schema_version();
               if (!schema) return schema.status();
               return json_response(200, {{"version", kVersion},
                                          {"commit", kGitCommit},
                                          {"schema_version", *schema},
                                          {"store", deps.config.store_backend},
                                          {"blob", deps.config.blob_backend}});
             });

  // Each capability's engine and the state of its provider connection.
  router.add("GET", "/api/v1/models",
             [&deps](const RequestContext&, HttpRequest&) -> Result<HttpResponse> {
               Json models = Json::array();
               for (const EngineInfo& e : deps.models) {
                 Json m = {{"capability", e.capability},
                           {"provider", e.provider},
                           {"model", e.model},
                           {"circuit", nullptr},
                           {"last_success", nullptr},
                           {"last_failure", nullptr},
                           {"last_error", nullptr},
                           {"notice", e.notice.empty() ? Json(nullptr) : Json(e.notice)}};
                 if (e.http != nullptr) {
                   const HttpClientStats st = e.http->stats();
                   m["circuit"] = circuit_state_name(st.circuit);
                   m["requests"] = st.requests;
                   m["retries"] = st.retries;
                   m["failures"] = st.failures;
                   if (st.last_success_ms > 0)
                     m["last_success"] = format_rfc3339(st.last_success_ms);
                   if (st.last_failure_ms > 0) {
                     m["last_failure"] = format_rfc3339(st.last_failure_ms);
                     m["last_error"] = st.last_error;
                   }
                 }
                 models.push_back(std::move(m));
               }
               return json_response(200, {{"models", models}});
             });
}

}  // namespace adloom
