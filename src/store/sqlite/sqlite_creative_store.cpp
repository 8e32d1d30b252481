#include "store/sqlite/sqlite_creative_store.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_rows.h"

namespace adloom {

std::string_view prompt_source_name(PromptSource source) {
  switch (source) {
    case PromptSource::kModel: return "model";
    case PromptSource::kUser: return "user";
    case PromptSource::kRestore: return "restore";
  }
  return "model";
}

std::string_view generation_state_name(GenerationState state) {
  switch (state) {
    case GenerationState::kRunning: return "running";
    case GenerationState::kSucceeded: return "succeeded";
    case GenerationState::kFailed: return "failed";
    case GenerationState::kCanceled: return "canceled";
  }
  return "running";
}

std::string_view image_outcome_name(ImageOutcome outcome) {
  switch (outcome) {
    case ImageOutcome::kOk: return "ok";
    case ImageOutcome::kRefused: return "refused";
    case ImageOutcome::kFailed: return "failed";
  }
  return "ok";
}

namespace {

using nlohmann::json;
using sqlite::append_audit;
using sqlite::Connection;
using sqlite::Statement;

PromptSource parse_source(const std::string& s) {
  if (s == "user") return PromptSource::kUser;
  if (s == "restore") return PromptSource::kRestore;
  return PromptSource::kModel;
}

GenerationState parse_generation_state(const std::string& s) {
  if (s == "succeeded") return GenerationState::kSucceeded;
  if (s == "failed") return GenerationState::kFailed;
  if (s == "canceled") return GenerationState::kCanceled;
  return GenerationState::kRunning;
}

ImageOutcome parse_outcome(const std::string& s) {
  if (s == "refused") return ImageOutcome::kRefused;
  if (s == "failed") return ImageOutcome::kFailed;
  return ImageOutcome::kOk;
}

constexpr const char* kPromptColumns =
    "id, campaign_id, version, source, author, engine, prompt, negative_prompt, reasoning, "
    "structure, variants, inputs, restored_from, created_at, "
    "(SELECT count(*) FROM generation_images gi JOIN generations g ON g.id = gi.generation_id "
    "JOIN assets a ON a.id = gi.asset_id WHERE g.prompt_version_id = prompt_versions.id AND "
    "a.review_state = 'approved'), "
    "(SELECT count(*) FROM generation_images gi JOIN generations g ON g.id = gi.generation_id "
    "JOIN assets a ON a.id = gi.asset_id WHERE g.prompt_version_id = prompt_versions.id AND "
    "a.review_state = 'rejected')";

PromptVersion read_prompt(const Statement& s) {
  PromptVersion p;
  p.id = s.column_text(0);
  p.campaign_id = s.column_text(1);
  p.version = static_cast<int>(s.column_int(2));
  p.source = parse_source(s.column_text(3));
  p.author = s.column_text(4);
  p.engine = s.column_text(5);
  p.prompt = s.column_text(6);
  p.negative_prompt = s.column_text(7);
  p.reasoning = s.column_text(8);
  p.structure = s.column_text(9);
  p.variants = s.column_text(10);
  p.inputs = s.column_text(11);
  if (!s.column_is_null(12)) p.restored_from = static_cast<int>(s.column_int(12));
  p.created_at = s.column_int(13);
  p.approved = static_cast<int>(s.column_int(14));
  p.rejected = static_cast<int>(s.column_int(15));
  return p;
}

constexpr const char* kGenerationColumns =
    "id, campaign_id, prompt_version_id, job_id, engine, params, brief, state, requested_by, "
    "created_at, finished_at";

Generation read_generation(const Statement& s) {
  Generation g;
  g.id = s.column_text(0);
  g.campaign_id = s.column_text(1);
  g.prompt_version_id = s.column_text(2);
  g.job_id = s.column_text(3);
  g.engine = s.column_text(4);
  g.params = s.column_text(5);
  g.brief = s.column_text(6);
  g.state = parse_generation_state(s.column_text(7));
  g.requested_by = s.column_text(8);
  g.created_at = s.column_int(9);
  if (!s.column_is_null(10)) g.finished_at = s.column_int(10);
  return g;
}

constexpr const char* kImageColumns =
    "gi.generation_id, gi.slot, gi.seed, gi.variant, gi.prompt, gi.outcome, gi.reason, "
    "gi.asset_id, gi.model, gi.took_ms, gi.created_at";
constexpr int kImageColumnCount = 11;

GenerationImage read_image(const Statement& s, int first) {
  GenerationImage i;
  i.generation_id = s.column_text(first);
  i.slot = static_cast<int>(s.column_int(first + 1));
  i.seed = static_cast<std::uint64_t>(s.column_int(first + 2));
  i.variant = s.column_text(first + 3);
  i.prompt = s.column_text(first + 4);
  i.outcome = parse_outcome(s.column_text(first + 5));
  i.reason = s.column_text(first + 6);
  i.asset_id = s.column_optional_text(first + 7);
  i.model = s.column_text(first + 8);
  i.took_ms = s.column_double(first + 9);
  i.created_at = s.column_int(first + 10);
  return i;
}

Status require_campaign(Connection& c, const WorkspaceId& ws, const CampaignId& id) {
  ADLOOM_ASSIGN(auto q, c.prepare("SELECT 1 FROM campaigns WHERE id = ? AND workspace_id = ?"));
  q.bind(1, id).bind(2, ws);
  ADLOOM_ASSIGN(bool found, q.step());
  if (!found) return not_found("campaign " + id + " does not exist");
  return Status::ok();
}

Result<CampaignState> campaign_state(Connection& c, const WorkspaceId& ws, const CampaignId& id) {
  ADLOOM_ASSIGN(auto q, c.prepare("SELECT state FROM campaigns WHERE id = ? AND workspace_id = ?"));
  q.bind(1, id).bind(2, ws);
  ADLOOM_ASSIGN(bool found, q.step());
  if (!found) return not_found("campaign " + id + " does not exist");
  return parse_campaign_state(q.column_text(0)).value_or(CampaignState::kCompleted);
}

// Moves the campaign (the caller checked the move is legal) and audits it as the system.
Status move(Connection& c, const RequestContext& ctx, TimeMs now, const CampaignId& id,
            CampaignState from, CampaignState to, const std::string& reason) {
  ADLOOM_ASSIGN(auto q, c.prepare("UPDATE campaigns SET state = ?, state_changed_at = ? "
                                  "WHERE id = ? AND workspace_id = ? AND state = ?"));
  q.bind(1, campaign_state_name(to)).bind(2, now).bind(3, id).bind(4, ctx.workspace_id);
  q.bind(5, campaign_state_name(from));
  ADLOOM_TRY(q.run());
  if (c.changes() == 0) return conflict("campaign " + id + " changed state meanwhile");
  return append_audit(
      c, ctx, now, "campaign.state_changed", "campaign", id,
      json{{"from", campaign_state_name(from)}, {"to", campaign_state_name(to)}, {"reason", reason}}
          .dump());
}

Result<std::vector<AssetId>> load_generation_refs(Connection& c, const std::string& id) {
  ADLOOM_ASSIGN(auto q, c.prepare("SELECT asset_id FROM generation_references "
                                  "WHERE generation_id = ? ORDER BY rowid"));
  q.bind(1, id);
  std::vector<AssetId> out;
  for (;;) {
    ADLOOM_ASSIGN(bool row, q.step());
    if (!row) return out;
    out.push_back(q.column_text(0));
  }
}

Result<std::vector<Generation>> load_generations(Connection& c, const std::string& where,
                                                 const std::string& a, const std::string& b) {
  ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kGenerationColumns +
                                  " FROM generations WHERE " + where + " ORDER BY id DESC"));
  q.bind(1, a).bind(2, b);
  std::vector<Generation> out;
  for (;;) {
    ADLOOM_ASSIGN(bool row, q.step());
    if (!row) break;
    out.push_back(read_generation(q));
  }
  for (auto& g : out) {
    ADLOOM_ASSIGN(g.references, load_generation_refs(c, g.id));
  }
  return out;
}

// The review item's query: the asset, its first generation slot, campaign name, prompt
// version and last decision. `where` is appended after the workspace condition (?1).
std::string review_select(const std::string& where) {
  std::string cols = sqlite::kAssetColumns;
  std::string prefixed;
  for (std::size_t at = 0; at < cols.size();) {
    const auto comma = cols.find(',', at);
    std::string name = cols.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    name.erase(0, name.find_first_not_of(' '));
    prefixed += (prefixed.empty() ? "a." : ", a.") + name;
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return "SELECT " + prefixed + ", " + kImageColumns +
         ", c.name, g.prompt_version_id, r.reviewer, r.at, r.reason FROM assets a "
         "JOIN generation_images gi ON gi.rowid = (SELECT rowid FROM generation_images "
         "WHERE asset_id = a.id ORDER BY created_at, slot LIMIT 1) "
         "JOIN generations g ON g.id = gi.generation_id "
         "JOIN campaigns c ON c.id = g.campaign_id "
         "LEFT JOIN reviews r ON r.id = (SELECT id FROM reviews WHERE asset_id = a.id "
         "ORDER BY id DESC LIMIT 1) "
         "WHERE a.workspace_id = ?1 AND a.kind = 'generated' " +
         where;
}

constexpr int kAssetColumnCount = 30;

ReviewItem read_item(const Statement& s) {
  ReviewItem item;
  item.asset = sqlite::read_asset(s, 0);
  item.image = read_image(s, kAssetColumnCount);
  constexpr int kRest = kAssetColumnCount + kImageColumnCount;
  item.campaign_name = s.column_text(kRest);
  item.prompt_version_id = s.column_text(kRest + 1);
  item.reviewer = s.column_optional_text(kRest + 2);
  if (!s.column_is_null(kRest + 3)) item.decided_at = s.column_int(kRest + 3);
  item.reason = s.column_text(kRest + 4);
  return item;
}

Result<std::optional<ReviewItem>> load_item(Connection& c, const WorkspaceId& ws,
                                            const AssetId& id) {
  ADLOOM_ASSIGN(auto q, c.prepare(review_select("AND a.id = ?2")));
  q.bind(1, ws).bind(2, id);
  ADLOOM_ASSIGN(bool row, q.step());
  if (!row) return std::optional<ReviewItem>();
  return std::optional<ReviewItem>(read_item(q));
}

// After decisions: a campaign in review with every image decided and one approved at
// least is approved.
Status settle_campaign(Connection& c, const RequestContext& ctx, TimeMs now, const CampaignId& id) {
  ADLOOM_ASSIGN(CampaignState state, campaign_state(c, ctx.workspace_id, id));
  if (state != CampaignState::kInReview) return Status::ok();
  ADLOOM_ASSIGN(auto q,
                c.prepare("SELECT sum(a.review_state = 'pending'), sum(a.review_state = "
                          "'approved') FROM assets a WHERE a.id IN (SELECT gi.asset_id FROM "
                          "generation_images gi JOIN generations g ON g.id = gi.generation_id "
                          "WHERE g.campaign_id = ?)"));
  q.bind(1, id);
  ADLOOM_ASSIGN(bool row, q.step());
  if (!row || q.column_int(0) > 0 || q.column_int(1) == 0) return Status::ok();
  return move(c, ctx, now, id, CampaignState::kInReview, CampaignState::kApproved,
              "every image is reviewed");
}

}  // namespace

Status SqliteCreativeStore::set_references(const RequestContext& ctx, const CampaignId& campaign,
                                           const std::vector<AssetId>& assets) {
  const TimeMs now = clock_.now_ms();
  return db_.write([&](Connection& c) -> Status {
    ADLOOM_TRY(require_campaign(c, ctx.workspace_id, campaign));
    ADLOOM_ASSIGN(auto del, c.prepare("DELETE FROM campaign_references WHERE campaign_id = ?"));
    del.bind(1, campaign);
    ADLOOM_TRY(del.run());
    int position = 0;
    for (const auto& id : assets) {
      ADLOOM_ASSIGN(auto has, c.prepare("SELECT 1 FROM assets WHERE id = ? AND workspace_id = ?"));
      has.bind(1, id).bind(2, ctx.workspace_id);
      ADLOOM_ASSIGN(bool found, has.step());
      if (!found) return not_found("asset " + id + " does not exist in this workspace");
      ADLOOM_ASSIGN(auto q, c.prepare("INSERT INTO campaign_references(campaign_id, asset_id, "
                                      "workspace_id, position, selected_by, selected_at) VALUES "
                                      "(?, ?, ?, ?, ?, ?)"));
      q.bind(1, campaign).bind(2, id).bind(3, ctx.workspace_id).bind(4, std::int64_t{position++});
      q.bind(5, ctx.principal.id).bind(6, now);
      ADLOOM_TRY(q.run());
    }
    return append_audit(c, ctx, now, "campaign.references_selected", "campaign", campaign,
                        json{{"assets", assets}}.dump());
  });
}

Result<std::vector<SelectedReference>> SqliteCreativeStore::references(const RequestContext& ctx,
                                                                       const CampaignId& campaign) {
  std::vector<SelectedReference> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_TRY(require_campaign(c, ctx.workspace_id, campaign));
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT asset_id, position, selected_by, selected_at FROM "
                                    "campaign_references WHERE campaign_id = ? ORDER BY position"));
    q.bind(1, campaign);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) return Status::ok();
      out.push_back(SelectedReference{q.column_text(0), static_cast<int>(q.column_int(1)),
                                      q.column_text(2), q.column_int(3)});
    }
  });
  if (!st.is_ok()) return st;
  return out;
}

Result<PromptVersion> SqliteCreativeStore::add_prompt_version(const RequestContext& ctx,
                                                              const CampaignId& campaign,
                                                              const NewPromptVersion& v) {
  const TimeMs now = clock_.now_ms();
  const std::string id = new_id("pv", now);
  std::optional<PromptVersion> out;
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_TRY(require_campaign(c, ctx.workspace_id, campaign));
    ADLOOM_ASSIGN(auto q,
                  c.prepare("INSERT INTO prompt_versions(id, workspace_id, campaign_id, version, "
                            "source, author, engine, prompt, negative_prompt, reasoning, "
                            "structure, variants, inputs, restored_from, created_at) VALUES (?1, "
                            "?2, ?3, (SELECT coalesce(max(version), 0) + 1 FROM prompt_versions "
                            "WHERE campaign_id = ?3), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                            "?14)"));
    q.bind(1, id).bind(2, ctx.workspace_id).bind(3, campaign).bind(4, prompt_source_name(v.source));
    q.bind(5, ctx.principal.id).bind(6, v.engine).bind(7, v.prompt).bind(8, v.negative_prompt);
    q.bind(9, v.reasoning).bind(10, v.structure).bind(11, v.variants).bind(12, v.inputs);
    if (v.restored_from) q.bind(13, std::int64_t{*v.restored_from});
    q.bind(14, now);
    ADLOOM_TRY(q.run());
    ADLOOM_ASSIGN(auto r, c.prepare(std::string("SELECT ") + kPromptColumns +
                                    " FROM prompt_versions WHERE id = ?"));
    r.bind(1, id);
    ADLOOM_ASSIGN(bool row, r.step());
    if (!row) return internal_error("prompt version " + id + " vanished");
    out = read_prompt(r);
    return append_audit(c, ctx, now, "prompt.created", "campaign", campaign,
                        json{{"version", out->version},
                             {"source", prompt_source_name(v.source)},
                             {"prompt_version", id}}
                            .dump());
  });
  if (!st.is_ok()) return st;
  return std::move(*out);
}

Result<std::vector<PromptVersion>> SqliteCreativeStore::prompt_versions(
    const RequestContext& ctx, const CampaignId& campaign) {
  std::vector<PromptVersion> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_TRY(require_campaign(c, ctx.workspace_id, campaign));
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kPromptColumns +
                                    " FROM prompt_versions WHERE campaign_id = ? AND "
                                    "workspace_id = ? ORDER BY version DESC"));
    q.bind(1, campaign).bind(2, ctx.workspace_id);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) return Status::ok();
      out.push_back(read_prompt(q));
    }
  });
  if (!st.is_ok()) return st;
  return out;
}

Result<PromptVersion> SqliteCreativeStore::prompt_version(const RequestContext& ctx,
                                                          const CampaignId& campaign, int version) {
  std::optional<PromptVersion> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_TRY(require_campaign(c, ctx.workspace_id, campaign));
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kPromptColumns +
                                    " FROM prompt_versions WHERE campaign_id = ? AND "
                                    "workspace_id = ? AND (? = 0 OR version = ?) "
                                    "ORDER BY version DESC LIMIT 1"));
    q.bind(1, campaign).bind(2, ctx.workspace_id).bind(3, std::int64_t{version});
    q.bind(4, std::int64_t{version});
    ADLOOM_ASSIGN(bool row, q.step());
    if (row) out = read_prompt(q);
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (!out) {
    return not_found(version == 0 ? "campaign " + campaign + " has no prompt yet"
                                  : "campaign " + campaign + " has no prompt version " +
                                        std::to_string(version));
  }
  return std::move(*out);
}

Result<Generation> SqliteCreativeStore::start_generation(const RequestContext& ctx,
                                                         const Generation& generation) {
  const TimeMs now = clock_.now_ms();
  Generation g = generation;
  if (g.id.empty()) g.id = new_id("gen", now);
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(CampaignState state, campaign_state(c, ctx.workspace_id, g.campaign_id));
    if (state != CampaignState::kGenerating && !can_move(state, CampaignState::kGenerating)) {
      return conflict("campaign " + g.campaign_id + " is " +
                      std::string(campaign_state_name(state)) +
                      ": images can be generated in draft, generating, in_review or approved");
    }
    ADLOOM_ASSIGN(auto q,
                  c.prepare("INSERT INTO generations(id, workspace_id, campaign_id, "
                            "prompt_version_id, job_id, engine, params, brief, state, "
                            "requested_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', "
                            "?, ?)"));
    q.bind(1, g.id).bind(2, ctx.workspace_id).bind(3, g.campaign_id).bind(4, g.prompt_version_id);
    q.bind(5, g.job_id).bind(6, g.engine).bind(7, g.params).bind(8, g.brief);
    q.bind(9, ctx.principal.id).bind(10, now);
    ADLOOM_TRY(q.run());
    for (const auto& ref : g.references) {
      ADLOOM_ASSIGN(auto r, c.prepare("INSERT OR IGNORE INTO generation_references(generation_id, "
                                      "asset_id) VALUES (?, ?)"));
      r.bind(1, g.id).bind(2, ref);
      ADLOOM_TRY(r.run());
    }
    ADLOOM_TRY(append_audit(c, ctx, now, "generation.started", "campaign", g.campaign_id,
                            json{{"generation", g.id}, {"params", json::parse(g.params)}}.dump()));
    if (state == CampaignState::kGenerating) return Status::ok();
    return move(c, ctx, now, g.campaign_id, state, CampaignState::kGenerating,
                "generation " + g.id + " started");
  });
  if (!st.is_ok()) return st;
  return this->generation(ctx, g.id);
}

Status SqliteCreativeStore::set_generation_job(const RequestContext& ctx,
                                               const std::string& generation_id,
                                               const std::string& job_id) {
  return db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("UPDATE generations SET job_id = ? WHERE id = ? AND "
                                    "workspace_id = ?"));
    q.bind(1, job_id).bind(2, generation_id).bind(3, ctx.workspace_id);
    return q.run();
  });
}

Result<Generation> SqliteCreativeStore::generation(const RequestContext& ctx,
                                                   const std::string& id) {
  std::vector<Generation> found;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(found,
                  load_generations(c, "id = ?1 AND workspace_id = ?2", id, ctx.workspace_id));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (found.empty()) return not_found("generation " + id + " does not exist");
  return std::move(found.front());
}

Result<std::vector<Generation>> SqliteCreativeStore::generations(const RequestContext& ctx,
                                                                 const CampaignId& campaign) {
  std::vector<Generation> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_TRY(require_campaign(c, ctx.workspace_id, campaign));
    ADLOOM_ASSIGN(out, load_generations(c, "campaign_id = ?1 AND workspace_id = ?2", campaign,
                                        ctx.workspace_id));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

Result<std::vector<GenerationImage>> SqliteCreativeStore::generation_images(
    const RequestContext& ctx, const std::string& generation_id) {
  std::vector<GenerationImage> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kImageColumns +
                                    " FROM generation_images gi WHERE gi.generation_id = ? AND "
                                    "gi.workspace_id = ? ORDER BY gi.slot"));
    q.bind(1, generation_id).bind(2, ctx.workspace_id);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) return Status::ok();
      out.push_back(read_image(q, 0));
    }
  });
  if (!st.is_ok()) return st;
  return out;
}

Result<GenerationImage> SqliteCreativeStore::record_image(const RequestContext& ctx,
                                                          GenerationImage image,
                                                          const std::optional<NewAsset>& asset) {
  const TimeMs now = clock_.now_ms();
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto existing, c.prepare(std::string("SELECT ") + kImageColumns +
                                           " FROM generation_images gi WHERE gi.generation_id = "
                                           "? AND gi.slot = ?"));
    existing.bind(1, image.generation_id).bind(2, std::int64_t{image.slot});
    ADLOOM_ASSIGN(bool found, existing.step());
    if (found) {
      image = read_image(existing, 0);
      return Status::ok();
    }
    if (asset && image.outcome == ImageOutcome::kOk) {
      ADLOOM_ASSIGN(auto inserted, sqlite::insert_asset_row(c, ctx, *asset, now));
      image.asset_id = inserted.first;
    }
    image.created_at = now;
    ADLOOM_ASSIGN(auto q, c.prepare("INSERT INTO generation_images(generation_id, slot, "
                                    "workspace_id, seed, variant, prompt, outcome, reason, "
                                    "asset_id, model, took_ms, created_at) VALUES (?, ?, ?, ?, ?, "
                                    "?, ?, ?, ?, ?, ?, ?)"));
    q.bind(1, image.generation_id).bind(2, std::int64_t{image.slot}).bind(3, ctx.workspace_id);
    q.bind(4, static_cast<std::int64_t>(image.seed)).bind(5, image.variant).bind(6, image.prompt);
    q.bind(7, image_outcome_name(image.outcome)).bind(8, image.reason).bind(9, image.asset_id);
    q.bind(10, image.model).bind(11, image.took_ms).bind(12, now);
    return q.run();
  });
  if (!st.is_ok()) return st;
  return image;
}

Result<Generation> SqliteCreativeStore::finish_generation(const RequestContext& ctx,
                                                          const std::string& generation_id,
                                                          bool canceled) {
  const TimeMs now = clock_.now_ms();
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto gen, load_generations(c, "id = ?1 AND workspace_id = ?2", generation_id,
                                             ctx.workspace_id));
    if (gen.empty()) return not_found("generation " + generation_id + " does not exist");
    if (gen.front().state != GenerationState::kRunning) return Status::ok();
    const CampaignId& campaign = gen.front().campaign_id;
    ADLOOM_ASSIGN(auto q, c.prepare("UPDATE generations SET finished_at = ?1, state = CASE WHEN ?3 "
                                    "THEN 'canceled' WHEN EXISTS (SELECT 1 FROM generation_images "
                                    "WHERE generation_id = ?2 AND outcome = 'ok') THEN "
                                    "'succeeded' ELSE 'failed' END WHERE id = ?2"));
    q.bind(1, now).bind(2, generation_id).bind(3, std::int64_t{canceled ? 1 : 0});
    ADLOOM_TRY(q.run());
    if (canceled) {
      ADLOOM_TRY(append_audit(c, ctx, now, "generation.canceled", "campaign", campaign,
                              json{{"generation", generation_id}}.dump()));
    }
    ADLOOM_ASSIGN(auto others, c.prepare("SELECT count(*) FROM generations WHERE campaign_id = ? "
                                         "AND state = 'running'"));
    others.bind(1, campaign);
    ADLOOM_ASSIGN(bool row, others.step());
    if (row && others.column_int(0) > 0) return Status::ok();
    ADLOOM_ASSIGN(CampaignState state, campaign_state(c, ctx.workspace_id, campaign));
    if (state != CampaignState::kGenerating) return Status::ok();
    ADLOOM_ASSIGN(auto made, c.prepare("SELECT count(*) FROM generation_images gi JOIN "
                                       "generations g ON g.id = gi.generation_id WHERE "
                                       "g.campaign_id = ? AND gi.outcome = 'ok'"));
    made.bind(1, campaign);
    ADLOOM_ASSIGN(row, made.step());
    const bool any = row && made.column_int(0) > 0;
    return move(c, ctx, now, campaign, state,
                any ? CampaignState::kInReview : CampaignState::kDraft,
                any ? "images are ready for review" : "no image could be made");
  });
  if (!st.is_ok()) return st;
  return generation(ctx, generation_id);
}

Result<ReviewPage> SqliteCreativeStore::review_queue(const RequestContext& ctx,
                                                     const ReviewQueueFilter& f) {
  ReviewPage page;
  Status st = db_.read([&](Connection& c) -> Status {
    std::string where;
    if (!f.states.empty()) {
      where += "AND a.review_state IN (";
      for (std::size_t i = 0; i < f.states.size(); ++i) {
        where += (i == 0 ? "'" : ", '") + std::string(review_state_name(f.states[i])) + "'";
      }
      where += ") ";
    }
    if (f.campaign_id) where += "AND g.campaign_id = ?2 ";
    if (f.after) where += "AND a.id > ?3 ";
    where += "ORDER BY a.id LIMIT ?4";
    ADLOOM_ASSIGN(auto q, c.prepare(review_select(where)));
    q.bind(1, ctx.workspace_id);
    if (f.campaign_id) q.bind(2, *f.campaign_id);
    if (f.after) q.bind(3, *f.after);
    q.bind(4, std::int64_t{f.limit + 1});
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) return Status::ok();
      page.items.push_back(read_item(q));
    }
  });
  if (!st.is_ok()) return st;
  if (static_cast<int>(page.items.size()) > f.limit) {
    page.items.resize(static_cast<std::size_t>(f.limit));
    page.next_cursor = page.items.back().asset.id;
  }
  return page;
}

Result<ReviewItem> SqliteCreativeStore::review_item(const RequestContext& ctx,
                                                    const AssetId& asset) {
  std::optional<ReviewItem> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(out, load_item(c, ctx.workspace_id, asset));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (!out) return not_found("asset " + asset + " is not a generated image of this workspace");
  return std::move(*out);
}

Result<std::vector<ReviewItem>> SqliteCreativeStore::decide(
    const RequestContext& ctx, const std::vector<Decision>& decisions) {
  const TimeMs now = clock_.now_ms();
  std::vector<ReviewItem> out;
  Status st = db_.write([&](Connection& c) -> Status {
    out.clear();
    std::set<CampaignId> campaigns;
    for (const auto& d : decisions) {
      ADLOOM_ASSIGN(auto item, load_item(c, ctx.workspace_id, d.asset_id));
      if (!item) {
        return not_found("asset " + d.asset_id + " is not a generated image of this workspace");
      }
      if (item->asset.review_state != ReviewState::kPending) {
        return conflict("image " + d.asset_id + " is already " +
                        std::string(review_state_name(item->asset.review_state)));
      }
      const std::string decision(review_state_name(d.decision));
      ADLOOM_ASSIGN(auto u, c.prepare("UPDATE assets SET review_state = ?, updated_at = ? "
                                      "WHERE id = ? AND review_state = 'pending'"));
      u.bind(1, decision).bind(2, now).bind(3, d.asset_id);
      ADLOOM_TRY(u.run());
      if (c.changes() == 0) return conflict("image " + d.asset_id + " was decided meanwhile");
      ADLOOM_ASSIGN(auto r, c.prepare("INSERT INTO reviews(id, workspace_id, asset_id, decision, "
                                      "reason, reviewer, at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
      r.bind(1, new_id("rev", now)).bind(2, ctx.workspace_id).bind(3, d.asset_id);
      r.bind(4, decision).bind(5, d.reason).bind(6, ctx.principal.id).bind(7, now);
      ADLOOM_TRY(r.run());
      ADLOOM_ASSIGN(auto campaign, c.prepare("SELECT campaign_id FROM generations WHERE id = ?"));
      campaign.bind(1, item->image.generation_id);
      ADLOOM_ASSIGN(bool has, campaign.step());
      const CampaignId campaign_id = has ? campaign.column_text(0) : "";
      ADLOOM_TRY(append_audit(c, ctx, now, ("review." + decision).c_str(), "asset", d.asset_id,
                              json{{"reason", d.reason}, {"campaign", campaign_id}}.dump()));
      if (!campaign_id.empty()) campaigns.insert(campaign_id);
    }
    for (const auto& id : campaigns) ADLOOM_TRY(settle_campaign(c, ctx, now, id));
    for (const auto& d : decisions) {
      ADLOOM_ASSIGN(auto item, load_item(c, ctx.workspace_id, d.asset_id));
      if (item) out.push_back(std::move(*item));
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

Result<std::vector<Credit>> SqliteCreativeStore::credit(const RequestContext& ctx,
                                                        const std::vector<AssetId>& assets,
                                                        const std::string& metric) {
  std::vector<Credit> out;
  Status st = db_.read([&](Connection& c) -> Status {
    // The decided images each asset led to: as a reference of their generation, or itself.
    ADLOOM_ASSIGN(
        auto q,
        c.prepare("SELECT a.id, a.review_state, (SELECT value FROM asset_kpis k WHERE "
                  "k.asset_id = a.id AND k.metric = ?2 ORDER BY k.period = '' DESC, "
                  "k.updated_at DESC LIMIT 1) FROM assets a WHERE a.workspace_id = ?3 AND "
                  "a.review_state IN ('approved', 'rejected') AND (a.id = ?1 OR a.id IN (SELECT "
                  "gi.asset_id FROM generation_references gr JOIN generation_images gi ON "
                  "gi.generation_id = gr.generation_id WHERE gr.asset_id = ?1))"));
    for (const auto& id : assets) {
      q.reset();
      q.bind(1, id).bind(2, metric).bind(3, ctx.workspace_id);
      Credit credit;
      credit.asset_id = id;
      double sum = 0;
      for (;;) {
        ADLOOM_ASSIGN(bool row, q.step());
        if (!row) break;
        if (q.column_text(1) != "approved") {
          ++credit.rejected;
          continue;
        }
        ++credit.approved;
        if (!q.column_is_null(2)) {
          sum += q.column_double(2);
          ++credit.kpi_count;
        }
      }
      if (credit.kpi_count > 0) credit.kpi_mean = sum / credit.kpi_count;
      if (credit.approved + credit.rejected > 0) out.push_back(std::move(credit));
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

}  // namespace adloom
