// /api/v1/campaigns: create from a brief, list (by state, newest first), read, edit the
// brief (PATCH), move through the lifecycle (POST …/state); /api/v1/audit: who did what.
// Wire format in docs/campaigns.md.
#include "api/api.h"
#include "api/asset_json.h"
#include "api/json_io.h"
#include "services/campaign_service.h"

namespace adloom {
namespace {

const std::set<std::string> kBriefKeys = {"name",     "description", "channel",        "objective",
                                          "audience", "start_date",  "end_date",       "product",
                                          "format",   "tone",        "call_to_action", "brand_kit"};

Json campaign_to_json(const CampaignRecord& r) {
  const Campaign& c = r.campaign;
  const CampaignFields& f = c.fields;
  const CampaignPlan& p = r.plan;
  Json next = Json::array();
  for (const auto s : manual_moves(r.state)) next.push_back(campaign_state_name(s));
  return {{"id", c.id},
          {"name", f.name},
          {"description", f.description},
          {"channel", f.channel},
          {"objective", f.objective},
          {"audience", f.audience},
          {"start_date", f.start_date},
          {"end_date", f.end_date},
          {"product", p.product},
          {"format", p.format},
          {"tone", p.tone},
          {"call_to_action", p.call_to_action},
          {"brand_kit", p.brand_kit_id ? Json(*p.brand_kit_id) : Json(nullptr)},
          {"state", campaign_state_name(r.state)},
          {"state_changed_at",
           r.state_changed_at > 0 ? Json(format_rfc3339(r.state_changed_at)) : Json(nullptr)},
          {"next_states", next},
          {"kpis", kpis_to_json(c.kpis)},
          {"created_at", format_rfc3339(c.created_at)},
          {"updated_at", format_rfc3339(c.updated_at)}};
}

Json audit_to_json(const AuditEntry& e) {
  return {{"id", e.id},
          {"at", format_rfc3339(e.at)},
          {"actor", e.actor},
          {"action", e.action},
          {"subject_type", e.subject_type},
          {"subject_id", e.subject_id},
          {"detail", Json::parse(e.detail, nullptr, false)}};
}

// Every present brief key of `body` (null strings count as "").
Result<CampaignPatch> parse_patch(const Json& body) {
  ADLOOM_TRY(check_keys(body, kBriefKeys, "campaign"));
  CampaignPatch p;
  const std::pair<const char*, std::optional<std::string>*> text[] = {
      {"name", &p.name},
      {"description", &p.description},
      {"channel", &p.channel},
      {"objective", &p.objective},
      {"audience", &p.audience},
      {"start_date", &p.start_date},
      {"end_date", &p.end_date},
      {"product", &p.product},
      {"format", &p.format},
      {"tone", &p.tone},
      {"call_to_action", &p.call_to_action}};
  for (const auto& [key, out] : text) {
    if (!body.contains(key)) continue;
    ADLOOM_ASSIGN(auto value, optional_string(body, key));
    *out = value.value_or("");
  }
  if (body.contains("brand_kit")) {
    ADLOOM_ASSIGN(auto kit, optional_string(body, "brand_kit"));
    if (kit && !is_valid_id(*kit, "bk")) {
      return invalid_argument("brand_kit: brand kit " + *kit + " does not exist");
    }
    p.brand_kit = kit;
  }
  return p;
}

CampaignDraft draft_from(const CampaignPatch& p) {
  CampaignDraft d;
  d.fields = CampaignFields{p.name.value_or(""),     p.description.value_or(""),
                            p.channel.value_or(""),  p.objective.value_or(""),
                            p.audience.value_or(""), p.start_date.value_or(""),
                            p.end_date.value_or("")};
  d.plan = CampaignPlan{p.product.value_or(""), p.format.value_or(""), p.tone.value_or(""),
                        p.call_to_action.value_or(""), p.brand_kit.value_or(std::nullopt)};
  return d;
}

Result<CampaignListFilter> parse_list_filter(const HttpRequest& req) {
  CampaignListFilter f;
  if (auto it = req.query.find("state"); it != req.query.end() && !it->second.empty()) {
    f.state = parse_campaign_state(it->second);
    if (!f.state) {
      return invalid_argument(
          "state must be draft, generating, in_review, approved, live, "
          "completed or archived");
    }
  }
  if (auto it = req.query.find("cursor"); it != req.query.end() && !it->second.empty()) {
    if (!is_valid_id(it->second, "cmp")) return invalid_argument("cursor is not a campaign id");
    f.before = it->second;
  }
  ADLOOM_ASSIGN(auto limit, query_int(req, "limit", 50, 1, 500));
  f.limit = static_cast<int>(limit);
  return f;
}

Result<AuditFilter> parse_audit_filter(const HttpRequest& req) {
  AuditFilter f;
  if (auto it = req.query.find("subject"); it != req.query.end() && !it->second.empty()) {
    f.subject_id = it->second;
  }
  if (auto it = req.query.find("cursor"); it != req.query.end() && !it->second.empty()) {
    if (!is_valid_id(it->second, "aud")) return invalid_argument("cursor is not an audit entry id");
    f.before = it->second;
  }
  ADLOOM_ASSIGN(auto limit, query_int(req, "limit", 50, 1, 500));
  f.limit = static_cast<int>(limit);
  return f;
}

}  // namespace

void register_campaign_routes(Router& router, ApiDeps& deps) {
  router.add("POST", "/api/v1/campaigns",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_ASSIGN(CampaignPatch patch, parse_patch(body));
               ADLOOM_ASSIGN(CampaignRecord created, deps.campaigns.create(ctx, draft_from(patch)));
               HttpResponse resp = json_response(201, campaign_to_json(created));
               resp.headers.emplace_back("Location", "/api/v1/campaigns/" + created.campaign.id);
               return resp;
             });

  router.add("GET", "/api/v1/campaigns",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignListFilter filter, parse_list_filter(req));
               ADLOOM_ASSIGN(CampaignPage page, deps.campaigns.list(ctx, filter));
               Json list = Json::array();
               for (const auto& r : page.campaigns) list.push_back(campaign_to_json(r));
               return json_response(200, {{"campaigns", list},
                                          {"next_cursor", page.next_cursor ? Json(*page.next_cursor)
                                                                           : Json(nullptr)}});
             });

  router.add("GET", "/api/v1/campaigns/{id}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               ADLOOM_ASSIGN(CampaignRecord r, deps.campaigns.get(ctx, id));
               return json_response(200, campaign_to_json(r));
             });

  router.add("PATCH", "/api/v1/campaigns/{id}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_ASSIGN(CampaignPatch patch, parse_patch(body));
               ADLOOM_ASSIGN(CampaignRecord r, deps.campaigns.update(ctx, id, patch));
               return json_response(200, campaign_to_json(r));
             });

  // {"to": "archived", "reason": "…"}: a manual lifecycle move (409 naming the possible
  // ones otherwise).
  router.add("POST", "/api/v1/campaigns/{id}/state",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(CampaignId id, campaign_id_param(req));
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_TRY(check_keys(body, {"to", "reason"}, "state change"));
               ADLOOM_ASSIGN(auto to_name, optional_string(body, "to"));
               if (!to_name) return invalid_argument("give the state to move to in \"to\"");
               const auto to = parse_campaign_state(*to_name);
               if (!to) {
                 return invalid_argument(
                     "to must be draft, generating, in_review, approved, "
                     "live, completed or archived");
               }
               ADLOOM_ASSIGN(auto reason, optional_string(body, "reason"));
               ADLOOM_ASSIGN(CampaignRecord r,
                             deps.campaigns.move(ctx, id, *to, reason.value_or("")));
               return json_response(200, campaign_to_json(r));
             });

  router.add("GET", "/api/v1/audit",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(AuditFilter filter, parse_audit_filter(req));
               ADLOOM_ASSIGN(AuditPage page, deps.campaigns.audit(ctx, filter));
               Json list = Json::array();
               for (const auto& e : page.entries) list.push_back(audit_to_json(e));
               return json_response(200, {{"entries", list},
                                          {"next_cursor", page.next_cursor ? Json(*page.next_cursor)
                                                                           : Json(nullptr)}});
             });
}

}  // namespace adloom
