// The HTTP API: route registration per resource and the adapter that turns an HttpRequest
// into a call with a RequestContext, mapping every outcome to HTTP in one place.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "api/http_types.h"
#include "api/router.h"
#include "blob/blob_store.h"
#include "core/config.h"
#include "jobs/event_bus.h"
#include "jobs/job_queue.h"
#include "models/engine_info.h"
#include "obs/metrics.h"
#include "search/vector_index.h"
#include "services/brand_service.h"
#include "services/campaign_service.h"
#include "services/generation_service.h"
#include "services/library_service.h"
#include "services/prompt_service.h"
#include "services/review_service.h"
#include "services/search_service.h"
#include "store/asset_store.h"
#include "store/metadata_store.h"

namespace adloom {

// What the routes need; everything is owned by the composition root (src/app).
struct ApiDeps {
  const Config& config;
  MetadataStore& store;
  JobQueue& jobs;
  EventBus& events;
  Metrics& metrics;
  AssetStore& assets;
  BlobStore& blobs;
  VectorIndex& vectors;
  LibraryService& library;
  SearchService& search;
  BrandService& brands;
  CampaignService& campaigns;
  PromptService& prompts;
  GenerationService& generations;
  ReviewService& reviews;
  const std::vector<EngineInfo>& models;  // the capabilities' engines
  WorkspaceId default_workspace;
  std::function<void()> on_job_enqueued;  // wakes local workers
  std::atomic<bool>* draining = nullptr;  // true once shutdown began (readyz -> 503)
};

void register_system_routes(Router& router, ApiDeps& deps);
void register_job_routes(Router& router, ApiDeps& deps);
void register_event_routes(Router& router, ApiDeps& deps);
void register_asset_routes(Router& router, ApiDeps& deps);
void register_kpi_routes(Router& router, ApiDeps& deps);
void register_import_routes(Router& router, ApiDeps& deps);
void register_search_routes(Router& router, ApiDeps& deps);
void register_brand_routes(Router& router, ApiDeps& deps);
void register_campaign_routes(Router& router, ApiDeps& deps);
void register_creative_routes(Router& router, ApiDeps& deps);
void register_generation_routes(Router& router, ApiDeps& deps);

// The adapter: workspace and principal resolution, dispatch, error mapping, access log
// and metrics. Thread safe.
class ApiAdapter {
 public:
  explicit ApiAdapter(ApiDeps& deps);
  HttpResponse handle(HttpRequest& req);
  void observe(const HttpRequest& req, const HttpResponse& resp, double seconds);
  const Router& router() const { return router_; }

 private:
  Result<RequestContext> context_for(const HttpRequest& req);

  ApiDeps& deps_;
  Router router_;
};

}  // namespace adloom
