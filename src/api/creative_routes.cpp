// A campaign's references and prompts (docs/campaigns.md):
//   POST /api/v1/campaigns/{id}/references            recommendations, credit included
//   GET  /api/v1/campaigns/{id}/references            the selection
//   PUT  /api/v1/campaigns/{id}/references            {"assets": [...]}: select
//   POST /api/v1/campaigns/{id}/prompts               {} : the text model writes one;
//                                                     {"prompt", …}: a person's edit
//   GET  /api/v1/campaigns/{id}/prompts               every version, newest first
//   GET  /api/v1/campaigns/{id}/prompts/{version}     one ("latest" for the newest)
//   POST /api/v1/campaigns/{id}/prompts/{version}/restore
#include "api/api.h"
#include "api/json_io.h"
#include "api/search_json.h"
#include "core/ids.h"
#include "services/prompt_service.h"

namespace adloom {
namespace {

Result<int> version_param(const HttpRequest& req) {
  const std::string& v = req.param("version");
  if (v == "latest") return 0;
  int out = 0;
  for (const char c : v) {
    if (c < '0' || c > '9' || out > 1'000'000) {
      return not_found("prompt version " + v + " does not exist");
    }
    out = out * 10 + (c - '0');
  }
  if (out < 1) return not_found("prompt version " + v + " does not exist");
  return out;
}

Json credit_to_json(const std::optional<Credit>& c) {
  if (!c) return nullptr;
  return {{"approved", c->approved},
          {"rejected", c->rejected},
          {"kpi_mean", c->kpi_mean ? Json(*c->kpi_mean) : Json(nullptr)},
          {"kpi_count", c->kpi_count}};
}

Json selection_to_json(const std::vector<SelectedReference>& refs) {
  Json out = Json::array();
  for (const auto& r : refs) {
    out.push_back({{"asset_id", r.asset_id},
                   {"position", r.position},
                   {"selected_by", r.selected_by},
                   {"selected_at", format_rfc3339(r.selected_at)},
                   {"thumb", "/api/v1/assets/" + r.asset_id + "/content?rendition=thumb"}});
  }
  return {{"references", out}};
}

Json prompt_to_json(const PromptVersion& p) {
  return {{"id", p.id},
          {"campaign_id", p.campaign_id},
          {"version", p.version},
          {"source", prompt_source_name(p.source)},
          {"author", p.author},
          {"engine", p.engine},
          {"prompt", p.prompt},
          {"negative_prompt", p.negative_prompt},
          {"reasoning", p.reasoning},
          {"structure", json_or_text(p.structure)},
          {"variants", json_or_text(p.variants)},
          {"inputs", json_or_text(p.inputs)},
          {"restored_from", p.restored_from ? Json(*p.restored_from) : Json(nullptr)},
          {"credit", {{"approved", p.approved}, {"rejected", p.rejected}}},
          {"created_at", format_rfc3339(p.created_at)}};
}

Result<PromptEdit> parse_edit(const Json& body) {
  ADLOOM_TRY(check_keys(body, {"prompt", "negative_prompt", "variants"}, "prompt"));
  PromptEdit e;
  ADLOOM_TRY(read_string(body, "prompt", e.prompt));
  ADLOOM_ASSIGN(e.negative_prompt, optional_string(body, "negative_prompt"));
  if (const auto it = body.find("variants"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return invalid_argument("variants must be an array");
    for (const auto& v : *it) {
      if (!v.is_object()) return invalid_argument("each variant is an object with a prompt");
      ADLOOM_TRY(check_keys(v, {"name", "axis", "prompt"}, "variant"));
      PromptVariant variant;
      ADLOOM_TRY(read_string(v, "name", variant.name));
      ADLOOM_TRY(read_string(v, "axis", variant.axis));
      ADLOOM_TRY(read_string(v, "prompt", variant.prompt));
      if (variant.prompt.empty()) return invalid_argument("a variant needs a prompt");
      e.variants.push_back(std::move(variant));
    }
  }
  return e;
}

}  // namespace

void register_creative_routes(Router& router, ApiDeps& deps) {
  router.add(
      "POST", "/api/v1/campaigns/{id}/references",
      [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
        ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
        Json body = Json::object();
        if (!req.body.empty()) {
          ADLOOM_ASSIGN(body, parse_json_body(req));
        }
        ADLOOM_TRY(check_keys(body, {"k", "filter"}, "references request"));
        ADLOOM_ASSIGN(auto k, optional_int(body, "k", 1, SearchService::kMaxK));
        SearchFilter filter;
        if (body.contains("filter")) {
          ADLOOM_ASSIGN(filter, parse_search_filter(body["filter"]));
        }
        ADLOOM_ASSIGN(ReferenceList list,
                      deps.prompts.recommend(ctx, id, static_cast<int>(k.value_or(10)), filter));
        Json refs = Json::array();
        for (const auto& r : list.references) {
          Json j = search_hit_to_json(r.hit);
          j["credit"] = credit_to_json(r.credit);
          j["selected"] = r.selected;
          refs.push_back(std::move(j));
        }
        return json_response(200, {{"references", refs},
                                   {"kpi", list.kpi.empty() ? Json(nullptr) : Json(list.kpi)},
                                   {"stats",
                                    {{"vector_mode", list.stats.vector_mode},
                                     {"library_size", list.stats.library_size},
                                     {"took_ms", list.stats.took_ms}}}});
      });

  router.add("GET", "/api/v1/campaigns/{id}/references",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               ADLOOM_ASSIGN(auto refs, deps.prompts.selected(ctx, id));
               return json_response(200, selection_to_json(refs));
             });

  router.add("PUT", "/api/v1/campaigns/{id}/references",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_TRY(check_keys(body, {"assets"}, "selection"));
               const auto it = body.find("assets");
               if (it == body.end() || !it->is_array()) {
                 return invalid_argument("give the selected asset ids in \"assets\" (an array)");
               }
               std::vector<AssetId> assets;
               for (const auto& a : *it) {
                 if (!a.is_string()) return invalid_argument("assets holds asset id strings");
                 assets.push_back(a.get<std::string>());
               }
               ADLOOM_ASSIGN(auto refs, deps.prompts.select(ctx, id, assets));
               return json_response(200, selection_to_json(refs));
             });

  router.add("POST", "/api/v1/campaigns/{id}/prompts",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               Json body = Json::object();
               if (!req.body.empty()) {
                 ADLOOM_ASSIGN(body, parse_json_body(req));
               }
               PromptVersion made;
               if (body.contains("prompt")) {
                 ADLOOM_ASSIGN(PromptEdit edit, parse_edit(body));
                 ADLOOM_ASSIGN(made, deps.prompts.edit(ctx, id, edit));
               } else {
                 ADLOOM_TRY(check_keys(body, {}, "prompt request"));
                 ADLOOM_ASSIGN(made, deps.prompts.compose(ctx, id));
               }
               return json_response(201, prompt_to_json(made));
             });

  router.add("GET", "/api/v1/campaigns/{id}/prompts",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               ADLOOM_ASSIGN(auto versions, deps.prompts.versions(ctx, id));
               Json list = Json::array();
               for (const auto& v : versions) list.push_back(prompt_to_json(v));
               return json_response(200, {{"prompts", list}});
             });

  router.add("GET", "/api/v1/campaigns/{id}/prompts/{version}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               ADLOOM_ASSIGN(int version, version_param(req));
               ADLOOM_ASSIGN(PromptVersion v, deps.prompts.version(ctx, id, version));
               return json_response(200, prompt_to_json(v));
             });

  router.add("POST", "/api/v1/campaigns/{id}/prompts/{version}/restore",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               ADLOOM_ASSIGN(int version, version_param(req));
               if (version == 0) return invalid_argument("name the version to restore by number");
               ADLOOM_ASSIGN(PromptVersion made, deps.prompts.restore(ctx, id, version));
               return json_response(201, prompt_to_json(made));
             });
}

}  // namespace adloom
