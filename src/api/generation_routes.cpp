// Generation, review and export (docs/campaigns.md):
//   POST /api/v1/campaigns/{id}/generations     start one (202, with its job)
//   GET  /api/v1/campaigns/{id}/generations     the campaign's, newest first, with images
//   GET  /api/v1/generations/{id}               one, with its images so far
//   POST /api/v1/generations/{id}/cancel        stop it (its job too)
//   GET  /api/v1/review-queue                   ?campaign=&state=pending|approved|rejected|all
//   POST /api/v1/review-queue/decisions         {"decisions": [{asset_id, decision, reason}]}
//   POST /api/v1/assets/{id}/review             {"decision", "reason"}: one image
//   POST /api/v1/campaigns/{id}/export          a zip of the approved images + manifest.csv
#include "api/api.h"
#include "api/asset_json.h"
#include "api/job_json.h"
#include "api/json_io.h"
#include "core/ids.h"
#include "services/generation_service.h"
#include "services/review_service.h"

namespace adloom {
namespace {

Json image_to_json(const GenerationImage& i) {
  Json out = {{"slot", i.slot},
              {"seed", i.seed},
              {"variant", i.variant},
              {"prompt", i.prompt},
              {"outcome", image_outcome_name(i.outcome)},
              {"reason", i.reason.empty() ? Json(nullptr) : Json(i.reason)},
              {"asset_id", i.asset_id ? Json(*i.asset_id) : Json(nullptr)},
              {"model", i.model},
              {"model_ms", i.took_ms},
              {"created_at", format_rfc3339(i.created_at)}};
  if (i.asset_id) {
    const std::string base = "/api/v1/assets/" + *i.asset_id + "/content?rendition=";
    out["thumb"] = base + "thumb";
    out["preview"] = base + "preview";
  }
  return out;
}

Json generation_to_json(const GenerationView& v) {
  const Generation& g = v.generation;
  Json images = Json::array();
  for (const auto& i : v.images) images.push_back(image_to_json(i));
  return {{"id", g.id},
          {"campaign_id", g.campaign_id},
          {"prompt_version_id", g.prompt_version_id},
          {"job_id", g.job_id},
          {"engine", g.engine},
          {"params", json_or_text(g.params)},
          {"brief", json_or_text(g.brief)},
          {"references", g.references},
          {"state", generation_state_name(g.state)},
          {"requested_by", g.requested_by},
          {"created_at", format_rfc3339(g.created_at)},
          {"finished_at", g.finished_at ? Json(format_rfc3339(*g.finished_at)) : Json(nullptr)},
          {"images", images}};
}

Json item_to_json(const ReviewItem& item) {
  Json asset = asset_to_json(item.asset);
  return {{"asset", asset},
          {"review_state", review_state_name(item.asset.review_state)},
          {"campaign_id", item.asset.campaign_id ? Json(*item.asset.campaign_id) : Json(nullptr)},
          {"campaign_name", item.campaign_name},
          {"generation_id", item.image.generation_id},
          {"prompt_version_id", item.prompt_version_id},
          {"image", image_to_json(item.image)},
          {"reviewer", item.reviewer ? Json(*item.reviewer) : Json(nullptr)},
          {"decided_at", item.decided_at ? Json(format_rfc3339(*item.decided_at)) : Json(nullptr)},
          {"reason", item.reason.empty() ? Json(nullptr) : Json(item.reason)}};
}

Result<GenerationRequest> parse_generation(const Json& body) {
  ADLOOM_TRY(check_keys(
      body, {"n", "width", "height", "seed", "quality", "style", "prompt_version", "variation_of"},
      "generation request"));
  GenerationRequest r;
  ADLOOM_ASSIGN(auto n, optional_int(body, "n", 1, GenerationService::kMaxImages));
  r.n = static_cast<int>(n.value_or(5));
  ADLOOM_ASSIGN(auto width, optional_int(body, "width", 1, 100'000));
  ADLOOM_ASSIGN(auto height, optional_int(body, "height", 1, 100'000));
  if (width) r.width = static_cast<int>(*width);
  if (height) r.height = static_cast<int>(*height);
  constexpr std::int64_t kMaxSeed = (std::int64_t{1} << 53) - 1;
  ADLOOM_ASSIGN(auto seed, optional_int(body, "seed", 0, kMaxSeed));
  if (seed) r.seed = static_cast<std::uint64_t>(*seed);
  ADLOOM_ASSIGN(auto quality, optional_string(body, "quality"));
  if (quality) r.quality = *quality;
  ADLOOM_TRY(read_string(body, "style", r.style));
  ADLOOM_ASSIGN(auto version, optional_int(body, "prompt_version", 1, 1'000'000));
  r.prompt_version = static_cast<int>(version.value_or(0));
  ADLOOM_ASSIGN(r.variation_of, optional_string(body, "variation_of"));
  return r;
}

Result<ReviewQueueFilter> parse_queue_filter(const HttpRequest& req) {
  ReviewQueueFilter f;
  if (auto it = req.query.find("campaign"); it != req.query.end() && !it->second.empty()) {
    f.campaign_id = it->second;
  }
  if (auto it = req.query.find("state"); it != req.query.end() && !it->second.empty()) {
    if (it->second == "all") {
      f.states = {ReviewState::kPending, ReviewState::kApproved, ReviewState::kRejected};
    } else {
      const auto state = parse_review_state(it->second);
      if (!state || *state == ReviewState::kNone) {
        return invalid_argument("state must be pending, approved, rejected or all");
      }
      f.states = {*state};
    }
  }
  if (auto it = req.query.find("cursor"); it != req.query.end() && !it->second.empty()) {
    f.after = it->second;
  }
  ADLOOM_ASSIGN(auto limit, query_int(req, "limit", 50, 1, 200));
  f.limit = static_cast<int>(limit);
  return f;
}

Result<Decision> parse_decision(const Json& j, std::optional<AssetId> asset) {
  if (!j.is_object()) return invalid_argument("a decision is an object");
  ADLOOM_TRY(check_keys(j, {"asset_id", "decision", "reason"}, "decision"));
  Decision d;
  if (asset) {
    d.asset_id = *asset;
  } else {
    ADLOOM_ASSIGN(auto id, optional_string(j, "asset_id"));
    if (!id) return invalid_argument("each decision names its image in \"asset_id\"");
    d.asset_id = *id;
  }
  ADLOOM_ASSIGN(auto decision, optional_string(j, "decision"));
  if (decision == "approved" || decision == "approve") {
    d.decision = ReviewState::kApproved;
  } else if (decision == "rejected" || decision == "reject") {
    d.decision = ReviewState::kRejected;
  } else {
    return invalid_argument("decision must be \"approved\" or \"rejected\"");
  }
  ADLOOM_TRY(read_string(j, "reason", d.reason));
  return d;
}

Json decided_to_json(const std::vector<ReviewItem>& items) {
  Json list = Json::array();
  for (const auto& i : items) list.push_back(item_to_json(i));
  return {{"decided", list}};
}

}  // namespace

void register_generation_routes(Router& router, ApiDeps& deps) {
  router.add("POST", "/api/v1/campaigns/{id}/generations",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               Json body = Json::object();
               if (!req.body.empty()) {
                 ADLOOM_ASSIGN(body, parse_json_body(req));
               }
               ADLOOM_ASSIGN(GenerationRequest request, parse_generation(body));
               ADLOOM_ASSIGN(auto started, deps.generations.start(ctx, id, request));
               if (deps.on_job_enqueued) deps.on_job_enqueued();
               ADLOOM_ASSIGN(GenerationView view, deps.generations.get(ctx, started.first.id));
               ADLOOM_ASSIGN(Job job, deps.jobs.get(ctx, started.second));
               Json out = generation_to_json(view);
               out["job"] = job_to_json(job);
               HttpResponse resp = json_response(202, out);
               resp.headers.emplace_back("Location", "/api/v1/generations/" + view.generation.id);
               return resp;
             });

  router.add("GET", "/api/v1/campaigns/{id}/generations",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               ADLOOM_ASSIGN(auto views, deps.generations.list(ctx, id));
               Json list = Json::array();
               for (const auto& v : views) list.push_back(generation_to_json(v));
               return json_response(200, {{"generations", list}});
             });

  router.add("GET", "/api/v1/generations/{id}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               const std::string& id = req.param("id");
               if (!is_valid_id(id, "gen"))
                 return not_found("generation " + id + " does not exist");
               ADLOOM_ASSIGN(GenerationView view, deps.generations.get(ctx, id));
               return json_response(200, generation_to_json(view));
             });

  router.add("POST", "/api/v1/generations/{id}/cancel",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               const std::string& id = req.param("id");
               if (!is_valid_id(id, "gen")) {
                 return not_found("generation " + id + " does not exist");
               }
               ADLOOM_ASSIGN(GenerationView view, deps.generations.cancel(ctx, id));
               return json_response(200, generation_to_json(view));
             });

  router.add("GET", "/api/v1/review-queue",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(ReviewQueueFilter filter, parse_queue_filter(req));
               ADLOOM_ASSIGN(ReviewPage page, deps.reviews.queue(ctx, filter));
               Json list = Json::array();
               for (const auto& i : page.items) list.push_back(item_to_json(i));
               return json_response(200, {{"items", list},
                                          {"next_cursor", page.next_cursor ? Json(*page.next_cursor)
                                                                           : Json(nullptr)}});
             });

  router.add("POST", "/api/v1/review-queue/decisions",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_TRY(check_keys(body, {"decisions"}, "review"));
               const auto it = body.find("decisions");
               if (it == body.end() || !it->is_array()) {
                 return invalid_argument("give the decisions in \"decisions\" (an array)");
               }
               std::vector<Decision> decisions;
               for (const auto& d : *it) {
                 ADLOOM_ASSIGN(Decision decision, parse_decision(d, std::nullopt));
                 decisions.push_back(std::move(decision));
               }
               ADLOOM_ASSIGN(auto decided, deps.reviews.decide(ctx, std::move(decisions)));
               if (deps.on_job_enqueued) deps.on_job_enqueued();
               return json_response(200, decided_to_json(decided));
             });

  router.add("POST", "/api/v1/assets/{id}/review",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               const std::string& id = req.param("id");
               if (!is_valid_id(id, "ast")) return not_found("asset " + id + " does not exist");
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_ASSIGN(Decision decision, parse_decision(body, id));
               ADLOOM_ASSIGN(auto decided, deps.reviews.decide(ctx, {decision}));
               if (deps.on_job_enqueued) deps.on_job_enqueued();
               if (decided.empty()) return internal_error("the decision was not recorded");
               return json_response(200, item_to_json(decided.front()));
             });

  router.add("POST", "/api/v1/campaigns/{id}/export",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               ADLOOM_ASSIGN(ExportFile file, deps.reviews.export_campaign(ctx, id));
               HttpResponse resp;
               resp.status = 200;
               resp.content_type = "application/zip";
               resp.body = std::move(file.bytes);
               resp.headers.emplace_back("Content-Disposition",
                                         "attachment; filename=\"" + file.filename + "\"");
               resp.headers.emplace_back("X-Adloom-Images", std::to_string(file.images));
               return resp;
             });
}

}  // namespace adloom
