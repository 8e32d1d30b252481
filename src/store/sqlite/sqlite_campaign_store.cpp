#include "store/sqlite/sqlite_campaign_store.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_rows.h"

namespace adloom {
namespace {

using sqlite::append_audit;
using sqlite::Connection;
using sqlite::Statement;

constexpr const char* kColumns =
    "id, workspace_id, name, description, channel, objective, audience, start_date, end_date, "
    "created_at, updated_at, product, format, tone, call_to_action, brand_kit_id, state, "
    "state_changed_at";

CampaignRecord read_record(const Statement& s) {
  CampaignRecord r;
  Campaign& c = r.campaign;
  c.id = s.column_text(0);
  c.workspace_id = s.column_text(1);
  c.fields = CampaignFields{s.column_text(2), s.column_text(3), s.column_text(4), s.column_text(5),
                            s.column_text(6), s.column_text(7), s.column_text(8)};
  c.created_at = s.column_int(9);
  c.updated_at = s.column_int(10);
  r.plan = CampaignPlan{s.column_text(11), s.column_text(12), s.column_text(13), s.column_text(14),
                        s.column_optional_text(15)};
  r.state = parse_campaign_state(s.column_text(16)).value_or(CampaignState::kCompleted);
  r.state_changed_at = s.column_int(17);
  return r;
}

Result<std::optional<CampaignRecord>> load_record(Connection& c, const WorkspaceId& ws,
                                                  const CampaignId& id) {
  ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kColumns +
                                  " FROM campaigns WHERE id = ? AND workspace_id = ?"));
  q.bind(1, id).bind(2, ws);
  ADLOOM_ASSIGN(bool found, q.step());
  if (!found) return std::optional<CampaignRecord>();
  CampaignRecord r = read_record(q);
  ADLOOM_ASSIGN(r.campaign.kpis, sqlite::load_kpis(c, "campaign_kpis", "campaign_id", id));
  return std::optional<CampaignRecord>(std::move(r));
}

Status campaign_not_found(const CampaignId& id) {
  return not_found("campaign " + id + " does not exist");
}

Status name_taken(const Status& st, const std::string& name) {
  if (st.code() != ErrorCode::kAlreadyExists) return st;
  return Status(ErrorCode::kAlreadyExists, "a campaign named '" + name + "' already exists");
}

// Binds the brief to ?3..?9 (library fields) and ?10..?14 (plan).
void bind_brief(Statement& q, const CampaignFields& f, const CampaignPlan& p) {
  q.bind(3, f.name).bind(4, f.description).bind(5, f.channel).bind(6, f.objective);
  q.bind(7, f.audience).bind(8, f.start_date).bind(9, f.end_date);
  q.bind(10, p.product).bind(11, p.format).bind(12, p.tone).bind(13, p.call_to_action);
  q.bind(14, p.brand_kit_id);
}

// The names of the brief's fields that differ, for the audit log.
std::vector<std::string> changed_fields(const CampaignRecord& old, const CampaignFields& f,
                                        const CampaignPlan& p) {
  const CampaignFields& o = old.campaign.fields;
  const CampaignPlan& op = old.plan;
  std::vector<std::string> out;
  const auto check = [&out](bool differs, const char* name) {
    if (differs) out.emplace_back(name);
  };
  check(o.name != f.name, "name");
  check(o.description != f.description, "description");
  check(o.channel != f.channel, "channel");
  check(o.objective != f.objective, "objective");
  check(o.audience != f.audience, "audience");
  check(o.start_date != f.start_date, "start_date");
  check(o.end_date != f.end_date, "end_date");
  check(op.product != p.product, "product");
  check(op.format != p.format, "format");
  check(op.tone != p.tone, "tone");
  check(op.call_to_action != p.call_to_action, "call_to_action");
  check(op.brand_kit_id != p.brand_kit_id, "brand_kit");
  return out;
}

}  // namespace

Result<CampaignRecord> SqliteCampaignStore::create_campaign(const RequestContext& ctx,
                                                            const CampaignFields& fields,
                                                            const CampaignPlan& plan) {
  const TimeMs now = clock_.now_ms();
  const CampaignId id = new_id("cmp", now);
  std::optional<CampaignRecord> out;
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q,
                  c.prepare("INSERT INTO campaigns(id, workspace_id, name, description, "
                            "channel, objective, audience, start_date, end_date, product, "
                            "format, tone, call_to_action, brand_kit_id, state, "
                            "state_changed_at, created_at, updated_at) VALUES (?1, ?2, ?3, "
                            "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'draft', ?15, "
                            "?15, ?15)"));
    q.bind(1, id).bind(2, ctx.workspace_id).bind(15, now);
    bind_brief(q, fields, plan);
    ADLOOM_TRY(q.run());
    ADLOOM_TRY(append_audit(c, ctx, now, "campaign.created", "campaign", id,
                            nlohmann::json{{"name", fields.name}, {"state", "draft"}}.dump()));
    ADLOOM_ASSIGN(out, load_record(c, ctx.workspace_id, id));
    return Status::ok();
  });
  if (!st.is_ok()) return name_taken(st, fields.name);
  if (!out) return internal_error("campaign " + id + " vanished while it was created");
  return std::move(*out);
}

Result<CampaignRecord> SqliteCampaignStore::get_campaign_record(const RequestContext& ctx,
                                                                const CampaignId& id) {
  std::optional<CampaignRecord> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(out, load_record(c, ctx.workspace_id, id));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (!out) return campaign_not_found(id);
  return std::move(*out);
}

Result<CampaignPage> SqliteCampaignStore::list_campaign_records(const RequestContext& ctx,
                                                                const CampaignListFilter& filter) {
  CampaignPage page;
  const int limit = std::clamp(filter.limit, 1, 500);
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kColumns +
                                    " FROM campaigns WHERE workspace_id = ?1 AND (?2 IS NULL OR "
                                    "id < ?2) AND (?3 IS NULL OR state = ?3) ORDER BY id DESC "
                                    "LIMIT ?4"));
    q.bind(1, ctx.workspace_id).bind(2, filter.before);
    if (filter.state) {
      q.bind(3, campaign_state_name(*filter.state));
    } else {
      q.bind_null(3);
    }
    q.bind(4, static_cast<std::int64_t>(limit) + 1);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) break;
      page.campaigns.push_back(read_record(q));
    }
    if (page.campaigns.size() > static_cast<std::size_t>(limit)) {
      page.campaigns.pop_back();
      page.next_cursor = page.campaigns.back().campaign.id;
    }
    for (auto& r : page.campaigns) {
      ADLOOM_ASSIGN(r.campaign.kpis,
                    sqlite::load_kpis(c, "campaign_kpis", "campaign_id", r.campaign.id));
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return page;
}

Result<CampaignRecord> SqliteCampaignStore::update_campaign(
    const RequestContext& ctx, const CampaignId& id, const CampaignFields& fields,
    const CampaignPlan& plan, const std::vector<CampaignState>& editable_in) {
  std::optional<CampaignRecord> out;
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto current, load_record(c, ctx.workspace_id, id));
    if (!current) return campaign_not_found(id);
    if (std::find(editable_in.begin(), editable_in.end(), current->state) == editable_in.end()) {
      return conflict("campaign " + id + " is " + std::string(campaign_state_name(current->state)) +
                      "; its brief can be changed only when it is " +
                      campaign_state_list(editable_in));
    }
    const auto changed = changed_fields(*current, fields, plan);
    if (changed.empty()) {
      out = std::move(current);
      return Status::ok();
    }
    const TimeMs now = clock_.now_ms();
    ADLOOM_ASSIGN(auto q, c.prepare("UPDATE campaigns SET name = ?3, description = ?4, "
                                    "channel = ?5, objective = ?6, audience = ?7, start_date = ?8, "
                                    "end_date = ?9, product = ?10, format = ?11, tone = ?12, "
                                    "call_to_action = ?13, brand_kit_id = ?14, updated_at = ?15 "
                                    "WHERE id = ?1 AND workspace_id = ?2"));
    q.bind(1, id).bind(2, ctx.workspace_id).bind(15, now);
    bind_brief(q, fields, plan);
    ADLOOM_TRY(q.run());
    ADLOOM_TRY(append_audit(c, ctx, now, "campaign.updated", "campaign", id,
                            nlohmann::json{{"changed", changed}}.dump()));
    ADLOOM_ASSIGN(out, load_record(c, ctx.workspace_id, id));
    return Status::ok();
  });
  if (!st.is_ok()) return name_taken(st, fields.name);
  if (!out) return campaign_not_found(id);
  return std::move(*out);
}

Result<CampaignRecord> SqliteCampaignStore::move_campaign(const RequestContext& ctx,
                                                          const CampaignId& id, CampaignState from,
                                                          CampaignState to,
                                                          const std::string& reason) {
  std::optional<CampaignRecord> out;
  Status st = db_.write([&](Connection& c) -> Status {
    const TimeMs now = clock_.now_ms();
    ADLOOM_ASSIGN(auto q, c.prepare("UPDATE campaigns SET state = ?4, state_changed_at = ?5, "
                                    "updated_at = ?5 WHERE id = ?1 AND workspace_id = ?2 AND "
                                    "state = ?3"));
    q.bind(1, id).bind(2, ctx.workspace_id).bind(3, campaign_state_name(from));
    q.bind(4, campaign_state_name(to)).bind(5, now);
    ADLOOM_TRY(q.run());
    if (c.changes() == 0) {
      ADLOOM_ASSIGN(auto current, load_record(c, ctx.workspace_id, id));
      if (!current) return campaign_not_found(id);
      return conflict("campaign " + id + " is " + std::string(campaign_state_name(current->state)) +
                      ", not " + std::string(campaign_state_name(from)) +
                      " (it was moved meanwhile): reload it");
    }
    nlohmann::json detail = {{"from", campaign_state_name(from)}, {"to", campaign_state_name(to)}};
    if (!reason.empty()) detail["reason"] = reason;
    ADLOOM_TRY(append_audit(c, ctx, now, "campaign.state_changed", "campaign", id, detail.dump()));
    ADLOOM_ASSIGN(out, load_record(c, ctx.workspace_id, id));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (!out) return campaign_not_found(id);
  return std::move(*out);
}

Result<AuditPage> SqliteCampaignStore::list_audit(const RequestContext& ctx,
                                                  const AuditFilter& filter) {
  // Insertion order (rowid), not id order: ids made in the same millisecond are unordered.
  AuditPage page;
  const int limit = std::clamp(filter.limit, 1, 500);
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT id, workspace_id, at, actor, action, subject_type, "
                                    "subject_id, detail FROM audit_log WHERE workspace_id = ?1 AND "
                                    "(?2 IS NULL OR subject_id = ?2) AND (?3 IS NULL OR rowid < "
                                    "(SELECT rowid FROM audit_log WHERE id = ?3)) "
                                    "ORDER BY rowid DESC LIMIT ?4"));
    q.bind(1, ctx.workspace_id).bind(2, filter.subject_id).bind(3, filter.before);
    q.bind(4, static_cast<std::int64_t>(limit) + 1);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) break;
      page.entries.push_back(AuditEntry{q.column_text(0), q.column_text(1), q.column_int(2),
                                        q.column_text(3), q.column_text(4), q.column_text(5),
                                        q.column_text(6), q.column_text(7)});
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (page.entries.size() > static_cast<std::size_t>(limit)) {
    page.entries.pop_back();
    page.next_cursor = page.entries.back().id;
  }
  return page;
}

}  // namespace adloom
