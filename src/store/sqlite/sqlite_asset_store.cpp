#include "store/sqlite/sqlite_asset_store.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_rows.h"

namespace adloom {

namespace sqlite {

Result<std::vector<KpiValue>> load_kpis(Connection& c, const char* table, const char* key,
                                        const std::string& id) {
  ADLOOM_ASSIGN(auto q,
                c.prepare(std::string("SELECT metric, value, period, source, updated_at FROM ") +
                          table + " WHERE " + key + " = ? ORDER BY metric, period"));
  q.bind(1, id);
  std::vector<KpiValue> out;
  for (;;) {
    ADLOOM_ASSIGN(bool row, q.step());
    if (!row) return out;
    out.push_back(KpiValue{q.column_text(0), q.column_double(1), q.column_text(2), q.column_text(3),
                           q.column_int(4)});
  }
}

std::vector<std::string> tags_from_json(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& t : j) {
    if (t.is_string()) out.push_back(t.get<std::string>());
  }
  return out;
}

Asset read_asset(const Statement& s, int first) {
  Asset a;
  a.id = s.column_text(first + 0);
  a.workspace_id = s.column_text(first + 1);
  a.label = s.column_int(first + 2);
  a.kind = s.column_text(first + 3);
  a.campaign_id = s.column_optional_text(first + 4);
  a.sha256 = s.column_text(first + 5);
  a.blob_key = s.column_text(first + 6);
  a.mime = s.column_text(first + 7);
  a.bytes = s.column_int(first + 8);
  a.width = static_cast<int>(s.column_int(first + 9));
  a.height = static_cast<int>(s.column_int(first + 10));
  a.thumb_key = s.column_optional_text(first + 11);
  a.preview_key = s.column_optional_text(first + 12);
  a.fields.original_name = s.column_text(first + 13);
  a.fields.description = s.column_text(first + 14);
  a.fields.channel = s.column_text(first + 15);
  a.fields.objective = s.column_text(first + 16);
  a.fields.audience = s.column_text(first + 17);
  a.fields.tags = tags_from_json(s.column_text(first + 18));
  a.fields.start_date = s.column_text(first + 19);
  a.fields.end_date = s.column_text(first + 20);
  a.analysis = s.column_optional_text(first + 21);
  a.ocr_text = s.column_text(first + 22);
  a.auto_description = s.column_text(first + 23);
  a.index_state = parse_index_state(s.column_text(first + 24)).value_or(IndexState::kPending);
  a.index_error = s.column_optional_text(first + 25);
  a.created_at = s.column_int(first + 26);
  a.updated_at = s.column_int(first + 27);
  a.review_state = parse_review_state(s.column_text(first + 28)).value_or(ReviewState::kNone);
  a.near_duplicate_of = s.column_optional_text(first + 29);
  return a;
}

Status append_audit(Connection& c, const RequestContext& ctx, TimeMs now, const char* action,
                    const std::string& subject_type, const std::string& subject_id,
                    const std::string& detail_json) {
  ADLOOM_ASSIGN(auto q, c.prepare("INSERT INTO audit_log(id, workspace_id, at, actor, action, "
                                  "subject_type, subject_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, "
                                  "?)"));
  q.bind(1, new_id("aud", now)).bind(2, ctx.workspace_id).bind(3, now).bind(4, ctx.principal.id);
  q.bind(5, action).bind(6, subject_type).bind(7, subject_id).bind(8, detail_json);
  return q.run();
}

std::string tags_to_json(const std::vector<std::string>& tags) {
  return nlohmann::json(tags).dump();
}

Result<std::pair<AssetId, bool>> insert_asset_row(Connection& c, const RequestContext& ctx,
                                                  const NewAsset& a, TimeMs now) {
  ADLOOM_ASSIGN(auto existing,
                c.prepare("SELECT id FROM assets WHERE workspace_id = ? AND sha256 = ?"));
  existing.bind(1, ctx.workspace_id).bind(2, a.sha256);
  ADLOOM_ASSIGN(bool found, existing.step());
  if (found) {
    return std::make_pair(existing.column_text(0), false);
  }
  if (a.campaign_id) {
    ADLOOM_ASSIGN(auto camp,
                  c.prepare("SELECT 1 FROM campaigns WHERE id = ? AND workspace_id = ?"));
    camp.bind(1, *a.campaign_id).bind(2, ctx.workspace_id);
    ADLOOM_ASSIGN(bool has, camp.step());
    if (!has) return not_found("campaign " + *a.campaign_id + " does not exist");
  }
  const AssetId id = new_id("ast", now);
  ADLOOM_ASSIGN(
      auto q,
      c.prepare(
          "INSERT INTO assets(id, workspace_id, label, kind, campaign_id, sha256, blob_key, "
          "mime, "
          "bytes, width, height, thumb_key, preview_key, original_name, description, channel, "
          "objective, audience, tags, start_date, end_date, created_at, updated_at, "
          "review_state) VALUES "
          "(?1, ?2, (SELECT coalesce(max(label), 0) + 1 FROM assets), ?3, ?4, ?5, ?5, ?6, ?7, "
          "?8, "
          "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20, ?21)"));
  q.bind(1, id).bind(2, ctx.workspace_id).bind(3, a.kind).bind(4, a.campaign_id);
  q.bind(5, a.sha256).bind(6, a.mime).bind(7, a.bytes);
  q.bind(8, static_cast<std::int64_t>(a.width)).bind(9, static_cast<std::int64_t>(a.height));
  q.bind(10, a.thumb_key).bind(11, a.preview_key).bind(12, a.fields.original_name);
  q.bind(13, a.fields.description).bind(14, a.fields.channel).bind(15, a.fields.objective);
  q.bind(16, a.fields.audience).bind(17, tags_to_json(a.fields.tags));
  q.bind(18, a.fields.start_date).bind(19, a.fields.end_date).bind(20, now);
  q.bind(21, review_state_name(a.review_state));
  ADLOOM_TRY(q.run());
  return std::make_pair(id, true);
}

}  // namespace sqlite

namespace {

using sqlite::kAssetColumns;
using sqlite::load_kpis;
using sqlite::read_asset;
using sqlite::tags_from_json;
using sqlite::tags_to_json;

using sqlite::Connection;
using sqlite::Statement;

constexpr const char* kCampaignColumns =
    "id, workspace_id, name, description, channel, objective, audience, start_date, end_date, "
    "created_at, updated_at";

Campaign read_campaign(const Statement& s) {
  Campaign c;
  c.id = s.column_text(0);
  c.workspace_id = s.column_text(1);
  c.fields = CampaignFields{s.column_text(2), s.column_text(3), s.column_text(4), s.column_text(5),
                            s.column_text(6), s.column_text(7), s.column_text(8)};
  c.created_at = s.column_int(9);
  c.updated_at = s.column_int(10);
  return c;
}

Status store_kpis(Connection& c, const char* table, const char* key, const std::string& id,
                  const WorkspaceId& ws, const std::vector<KpiValue>& kpis, TimeMs now) {
  for (const auto& k : kpis) {
    if (k.metric.empty()) return invalid_argument("a KPI needs a metric name");
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("INSERT INTO ") + table + "(" + key +
                                    ", workspace_id, metric, period, value, source, updated_at) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                                    "value = excluded.value, source = excluded.source, "
                                    "updated_at = excluded.updated_at"));
    q.bind(1, id).bind(2, ws).bind(3, k.metric).bind(4, k.period).bind(5, k.value);
    q.bind(6, k.source).bind(7, now);
    ADLOOM_TRY(q.run());
  }
  return Status::ok();
}

Result<std::optional<Asset>> load_asset(Connection& c, const WorkspaceId& ws, const AssetId& id) {
  ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kAssetColumns +
                                  " FROM assets WHERE id = ? AND workspace_id = ?"));
  q.bind(1, id).bind(2, ws);
  ADLOOM_ASSIGN(bool found, q.step());
  if (!found) return std::optional<Asset>{};
  Asset a = read_asset(q, 0);
  ADLOOM_ASSIGN(a.kpis, load_kpis(c, "asset_kpis", "asset_id", a.id));
  return std::optional<Asset>{std::move(a)};
}

Status require_asset(Connection& c, const WorkspaceId& ws, const AssetId& id) {
  ADLOOM_ASSIGN(auto q, c.prepare("SELECT 1 FROM assets WHERE id = ? AND workspace_id = ?"));
  q.bind(1, id).bind(2, ws);
  ADLOOM_ASSIGN(bool found, q.step());
  return found ? Status::ok() : not_found("asset " + id + " does not exist");
}

}  // namespace

std::string_view index_state_name(IndexState state) {
  switch (state) {
    case IndexState::kPending: return "pending";
    case IndexState::kIndexing: return "indexing";
    case IndexState::kIndexed: return "indexed";
    case IndexState::kFailed: return "failed";
  }
  return "pending";
}

std::optional<IndexState> parse_index_state(std::string_view name) {
  for (auto s :
       {IndexState::kPending, IndexState::kIndexing, IndexState::kIndexed, IndexState::kFailed}) {
    if (index_state_name(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view review_state_name(ReviewState state) {
  switch (state) {
    case ReviewState::kNone: return "none";
    case ReviewState::kPending: return "pending";
    case ReviewState::kApproved: return "approved";
    case ReviewState::kRejected: return "rejected";
  }
  return "none";
}

std::optional<ReviewState> parse_review_state(std::string_view name) {
  for (auto s : {ReviewState::kNone, ReviewState::kPending, ReviewState::kApproved,
                 ReviewState::kRejected}) {
    if (review_state_name(s) == name) return s;
  }
  return std::nullopt;
}

Result<Campaign> SqliteAssetStore::upsert_campaign(const RequestContext& ctx,
                                                   const CampaignFields& f) {
  if (f.name.empty()) return invalid_argument("a campaign needs a name");
  TimeMs now = clock_.now_ms();
  CampaignId id;
  Status st = db_.write([&](Connection& c) -> Status {
    // Non-empty fields overwrite; empty ones keep what is stored.
    ADLOOM_ASSIGN(
        auto q,
        c.prepare("INSERT INTO campaigns(id, workspace_id, name, description, channel, objective, "
                  "audience, "
                  "start_date, end_date, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                  "?7, ?8, ?9, "
                  "?10, ?10) ON CONFLICT (workspace_id, name) DO UPDATE SET "
                  "description = coalesce(nullif(excluded.description, ''), description), "
                  "channel = coalesce(nullif(excluded.channel, ''), channel), "
                  "objective = coalesce(nullif(excluded.objective, ''), objective), "
                  "audience = coalesce(nullif(excluded.audience, ''), audience), "
                  "start_date = coalesce(nullif(excluded.start_date, ''), start_date), "
                  "end_date = coalesce(nullif(excluded.end_date, ''), end_date), updated_at = ?10 "
                  "RETURNING id"));
    q.bind(1, new_id("cmp", now)).bind(2, ctx.workspace_id).bind(3, f.name).bind(4, f.description);
    q.bind(5, f.channel).bind(6, f.objective).bind(7, f.audience).bind(8, f.start_date);
    q.bind(9, f.end_date).bind(10, now);
    ADLOOM_ASSIGN(bool row, q.step());
    if (!row) return internal_error("campaign upsert returned no row");
    id = q.column_text(0);
    return q.run();
  });
  if (!st.is_ok()) return st;
  return get_campaign(ctx, id);
}

Result<Campaign> SqliteAssetStore::get_campaign(const RequestContext& ctx, const CampaignId& id) {
  std::optional<Campaign> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kCampaignColumns +
                                    " FROM campaigns WHERE id = ? AND workspace_id = ?"));
    q.bind(1, id).bind(2, ctx.workspace_id);
    ADLOOM_ASSIGN(bool found, q.step());
    if (!found) return Status::ok();
    out = read_campaign(q);
    ADLOOM_ASSIGN(out->kpis, load_kpis(c, "campaign_kpis", "campaign_id", id));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (!out) return not_found("campaign " + id + " does not exist");
  return std::move(*out);
}

Result<std::vector<Campaign>> SqliteAssetStore::list_campaigns(const RequestContext& ctx) {
  std::vector<Campaign> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kCampaignColumns +
                                    " FROM campaigns WHERE workspace_id = ? ORDER BY name"));
    q.bind(1, ctx.workspace_id);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) break;
      out.push_back(read_campaign(q));
    }
    for (auto& camp : out) {
      ADLOOM_ASSIGN(camp.kpis, load_kpis(c, "campaign_kpis", "campaign_id", camp.id));
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

Status SqliteAssetStore::set_campaign_kpis(const RequestContext& ctx, const CampaignId& id,
                                           const std::vector<KpiValue>& kpis) {
  return db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT 1 FROM campaigns WHERE id = ? AND workspace_id = ?"));
    q.bind(1, id).bind(2, ctx.workspace_id);
    ADLOOM_ASSIGN(bool found, q.step());
    if (!found) return not_found("campaign " + id + " does not exist");
    return store_kpis(c, "campaign_kpis", "campaign_id", id, ctx.workspace_id, kpis,
                      clock_.now_ms());
  });
}

Result<std::pair<Asset, bool>> SqliteAssetStore::insert_asset(const RequestContext& ctx,
                                                              const NewAsset& a) {
  const TimeMs now = clock_.now_ms();
  std::pair<AssetId, bool> inserted;
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(inserted, sqlite::insert_asset_row(c, ctx, a, now));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  auto asset = get_asset(ctx, inserted.first);
  if (!asset) return asset.status();
  return std::make_pair(std::move(asset).value(), inserted.second);
}

Result<Asset> SqliteAssetStore::get_asset(const RequestContext& ctx, const AssetId& id) {
  std::optional<Asset> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(out, load_asset(c, ctx.workspace_id, id));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (!out) return not_found("asset " + id + " does not exist");
  return std::move(*out);
}

Result<std::optional<Asset>> SqliteAssetStore::find_asset_by_sha256(const RequestContext& ctx,
                                                                    const std::string& sha256) {
  std::optional<Asset> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT id FROM assets WHERE workspace_id = ? AND sha256 = ?"));
    q.bind(1, ctx.workspace_id).bind(2, sha256);
    ADLOOM_ASSIGN(bool found, q.step());
    if (!found) return Status::ok();
    ADLOOM_ASSIGN(out, load_asset(c, ctx.workspace_id, q.column_text(0)));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

Result<AssetPage> SqliteAssetStore::list_assets(const RequestContext& ctx, const AssetFilter& f) {
  AssetPage page;
  int limit = std::clamp(f.limit, 1, 500);
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(
        auto q,
        c.prepare(std::string("SELECT ") + kAssetColumns +
                  " FROM assets WHERE workspace_id = ?1 AND (?2 IS NULL OR campaign_id = ?2) "
                  "AND (?3 IS NULL OR channel = ?3) AND (?4 IS NULL OR objective = ?4) "
                  "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?5)) "
                  "AND (?6 IS NULL OR index_state = ?6) AND (?7 IS NULL OR id < ?7) "
                  "ORDER BY id DESC LIMIT ?8"));
    q.bind(1, ctx.workspace_id).bind(2, f.campaign_id).bind(3, f.channel).bind(4, f.objective);
    q.bind(5, f.tag);
    q.bind(6, f.index_state
                  ? std::optional<std::string>(std::string(index_state_name(*f.index_state)))
                  : std::nullopt);
    q.bind(7, f.before).bind(8, static_cast<std::int64_t>(limit) + 1);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) break;
      page.assets.push_back(read_asset(q, 0));
    }
    if (page.assets.size() > static_cast<std::size_t>(limit)) {
      page.assets.pop_back();
      page.next_cursor = page.assets.back().id;
    }
    for (auto& a : page.assets) {
      ADLOOM_ASSIGN(a.kpis, load_kpis(c, "asset_kpis", "asset_id", a.id));
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return page;
}

Result<Asset> SqliteAssetStore::update_asset(const RequestContext& ctx, const AssetId& id,
                                             const AssetFields& f,
                                             const std::optional<CampaignId>& campaign_id) {
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_TRY(require_asset(c, ctx.workspace_id, id));
    if (campaign_id) {
      ADLOOM_ASSIGN(auto camp,
                    c.prepare("SELECT 1 FROM campaigns WHERE id = ? AND workspace_id = ?"));
      camp.bind(1, *campaign_id).bind(2, ctx.workspace_id);
      ADLOOM_ASSIGN(bool has, camp.step());
      if (!has) return not_found("campaign " + *campaign_id + " does not exist");
    }
    ADLOOM_ASSIGN(
        auto q,
        c.prepare(
            "UPDATE assets SET campaign_id = ?, original_name = ?, description = ?, channel = ?, "
            "objective = ?, audience = ?, tags = ?, start_date = ?, end_date = ?, "
            "index_state = 'pending', updated_at = max(?, updated_at + 1) WHERE id = ?"));
    q.bind(1, campaign_id).bind(2, f.original_name).bind(3, f.description).bind(4, f.channel);
    q.bind(5, f.objective).bind(6, f.audience).bind(7, tags_to_json(f.tags)).bind(8, f.start_date);
    q.bind(9, f.end_date).bind(10, clock_.now_ms()).bind(11, id);
    return q.run();
  });
  if (!st.is_ok()) return st;
  return get_asset(ctx, id);
}

Status SqliteAssetStore::set_asset_kpis(const RequestContext& ctx, const AssetId& id,
                                        const std::vector<KpiValue>& kpis) {
  return db_.write([&](Connection& c) -> Status {
    ADLOOM_TRY(require_asset(c, ctx.workspace_id, id));
    return store_kpis(c, "asset_kpis", "asset_id", id, ctx.workspace_id, kpis, clock_.now_ms());
  });
}

Status SqliteAssetStore::set_analysis(const RequestContext& ctx, const AssetId& id,
                                      const std::string& analysis_json, const std::string& ocr_text,
                                      const std::string& description) {
  return db_.write([&](Connection& c) -> Status {
    ADLOOM_TRY(require_asset(c, ctx.workspace_id, id));
    ADLOOM_ASSIGN(auto q, c.prepare("UPDATE assets SET analysis = ?, ocr_text = ?, "
                                    "auto_description = ?, updated_at = ? WHERE id = ?"));
    q.bind(1, analysis_json).bind(2, ocr_text).bind(3, description).bind(4, clock_.now_ms());
    q.bind(5, id);
    return q.run();
  });
}

Status SqliteAssetStore::set_index_state(const RequestContext& ctx, const AssetId& id,
                                         IndexState state,
                                         const std::optional<std::string>& error) {
  return db_.write([&](Connection& c) -> Status {
    ADLOOM_TRY(require_asset(c, ctx.workspace_id, id));
    ADLOOM_ASSIGN(auto q, c.prepare("UPDATE assets SET index_state = ?, index_error = ?, "
                                    "updated_at = ? WHERE id = ?"));
    q.bind(1, index_state_name(state)).bind(2, error).bind(3, clock_.now_ms()).bind(4, id);
    return q.run();
  });
}

Status SqliteAssetStore::put_embedding(const RequestContext& ctx, const AssetId& id,
                                       const std::string& model, const std::vector<float>& vector) {
  return db_.write([&](Connection& c) -> Status {
    ADLOOM_TRY(require_asset(c, ctx.workspace_id, id));
    ADLOOM_ASSIGN(auto q, c.prepare("INSERT INTO asset_embeddings(asset_id, workspace_id, model, "
                                    "dimension, vector, created_at) "
                                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (asset_id) DO UPDATE "
                                    "SET model = excluded.model, "
                                    "dimension = excluded.dimension, vector = excluded.vector, "
                                    "created_at = excluded.created_at"));
    std::string raw(vector.size() * sizeof(float), '\0');
    std::memcpy(raw.data(), vector.data(), raw.size());
    q.bind(1, id).bind(2, ctx.workspace_id).bind(3, model);
    q.bind(4, static_cast<std::int64_t>(vector.size())).bind_blob(5, raw).bind(6, clock_.now_ms());
    return q.run();
  });
}

Result<std::optional<std::vector<float>>> SqliteAssetStore::get_embedding(
    const RequestContext& ctx, const AssetId& id, const std::string& model) {
  std::optional<std::vector<float>> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT vector FROM asset_embeddings WHERE asset_id = ? AND "
                                    "workspace_id = ? AND model = ?"));
    q.bind(1, id).bind(2, ctx.workspace_id).bind(3, model);
    ADLOOM_ASSIGN(bool row, q.step());
    if (!row) return Status::ok();
    std::string raw = q.column_blob(0);
    std::vector<float> v(raw.size() / sizeof(float));
    std::memcpy(v.data(), raw.data(), v.size() * sizeof(float));
    out = std::move(v);
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

Result<std::map<std::string, std::int64_t>> SqliteAssetStore::embedding_models(
    const RequestContext& ctx) {
  std::map<std::string, std::int64_t> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT model, count(*) FROM asset_embeddings "
                                    "WHERE workspace_id = ? GROUP BY model"));
    q.bind(1, ctx.workspace_id);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) break;
      out[q.column_text(0)] = q.column_int(1);
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

Result<std::int64_t> SqliteAssetStore::count_embeddings(const RequestContext& ctx,
                                                        const std::string& model) {
  std::int64_t n = 0;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT count(*) FROM asset_embeddings WHERE workspace_id = ? "
                                    "AND model = ?"));
    q.bind(1, ctx.workspace_id).bind(2, model);
    ADLOOM_ASSIGN(bool row, q.step());
    if (row) n = q.column_int(0);
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return n;
}

Result<std::vector<std::pair<std::int64_t, std::vector<float>>>> SqliteAssetStore::list_embeddings(
    const RequestContext& ctx, const std::string& model) {
  std::vector<std::pair<std::int64_t, std::vector<float>>> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q,
                  c.prepare("SELECT a.label, e.vector FROM asset_embeddings e JOIN assets a "
                            "ON a.id = e.asset_id WHERE e.workspace_id = ? AND e.model = ? "
                            "ORDER BY a.label"));
    q.bind(1, ctx.workspace_id).bind(2, model);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) return Status::ok();
      std::string raw = q.column_blob(1);
      std::vector<float> v(raw.size() / sizeof(float));
      std::memcpy(v.data(), raw.data(), v.size() * sizeof(float));
      out.emplace_back(q.column_int(0), std::move(v));
    }
  });
  if (!st.is_ok()) return st;
  return out;
}

Status SqliteAssetStore::set_near_duplicate(const RequestContext& ctx, const AssetId& id,
                                            const std::optional<AssetId>& leader) {
  return db_.write([&](Connection& c) -> Status {
    ADLOOM_TRY(require_asset(c, ctx.workspace_id, id));
    ADLOOM_ASSIGN(auto q, c.prepare("UPDATE assets SET near_duplicate_of = ? WHERE id = ? AND "
                                    "near_duplicate_of IS NOT ?1"));
    q.bind(1, leader).bind(2, id);
    return q.run();
  });
}

Result<std::int64_t> SqliteAssetStore::library_rev(const RequestContext& ctx) {
  std::int64_t rev = 0;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT rev FROM library_revs WHERE workspace_id = ?"));
    q.bind(1, ctx.workspace_id);
    ADLOOM_ASSIGN(bool row, q.step());
    if (row) rev = q.column_int(0);
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return rev;
}

Result<CatalogChanges> SqliteAssetStore::catalog_changes(const RequestContext& ctx,
                                                         std::int64_t since_rev) {
  CatalogChanges out;
  Status st = db_.read([&](Connection& c) -> Status {
    // One snapshot: the revision and the rows agree.
    ADLOOM_ASSIGN(auto r, c.prepare("SELECT rev FROM library_revs WHERE workspace_id = ?"));
    r.bind(1, ctx.workspace_id);
    ADLOOM_ASSIGN(bool has_rev, r.step());
    out.rev = has_rev ? r.column_int(0) : 0;
    if (out.rev <= since_rev) return Status::ok();

    ADLOOM_ASSIGN(
        auto q,
        c.prepare("SELECT a.label, a.id, a.kind, a.review_state, a.index_state, "
                  "coalesce(nullif(a.channel, ''), c.channel, ''), "
                  "coalesce(nullif(a.objective, ''), c.objective, ''), "
                  "coalesce(nullif(a.audience, ''), c.audience, ''), a.campaign_id, "
                  "coalesce(nullif(a.start_date, ''), c.start_date, ''), a.created_at, a.tags, "
                  "a.near_duplicate_of FROM assets a LEFT JOIN campaigns c ON c.id = a.campaign_id "
                  "WHERE a.workspace_id = ?1 AND a.rev > ?2 ORDER BY a.label"));
    q.bind(1, ctx.workspace_id).bind(2, since_rev);
    std::unordered_map<std::int64_t, std::size_t> row_of;
    while (true) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) break;
      CatalogRow cr;
      cr.label = q.column_int(0);
      cr.id = q.column_text(1);
      cr.kind = q.column_text(2);
      cr.review_state = parse_review_state(q.column_text(3)).value_or(ReviewState::kNone);
      cr.index_state = parse_index_state(q.column_text(4)).value_or(IndexState::kPending);
      cr.channel = q.column_text(5);
      cr.objective = q.column_text(6);
      cr.audience = q.column_text(7);
      cr.campaign_id = q.column_optional_text(8);
      cr.date = q.column_text(9);
      cr.created_at = q.column_int(10);
      cr.tags = tags_from_json(q.column_text(11));
      cr.near_duplicate_of = q.column_optional_text(12);
      row_of.emplace(cr.label, out.rows.size());
      out.rows.push_back(std::move(cr));
    }

    // The asset's own KPIs, else its campaign's.
    ADLOOM_ASSIGN(
        auto k,
        c.prepare("SELECT a.label, k.metric, k.period, k.value, 0 FROM asset_kpis k JOIN assets a "
                  "ON a.id = k.asset_id WHERE a.workspace_id = ?1 AND a.rev > ?2 "
                  "UNION ALL "
                  "SELECT a.label, k.metric, k.period, k.value, 1 FROM campaign_kpis k JOIN assets "
                  "a ON a.campaign_id = k.campaign_id WHERE a.workspace_id = ?1 AND a.rev > ?2 "
                  "AND NOT EXISTS (SELECT 1 FROM asset_kpis o WHERE o.asset_id = a.id)"));
    k.bind(1, ctx.workspace_id).bind(2, since_rev);
    while (true) {
      ADLOOM_ASSIGN(bool row, k.step());
      if (!row) break;
      auto it = row_of.find(k.column_int(0));
      if (it == row_of.end()) continue;
      out.rows[it->second].kpis.push_back(
          {k.column_text(1), k.column_text(2), k.column_double(3), k.column_int(4) != 0});
    }

    ADLOOM_ASSIGN(auto d, c.prepare("SELECT label FROM deleted_assets WHERE workspace_id = ?1 AND "
                                    "rev > ?2 ORDER BY rev"));
    d.bind(1, ctx.workspace_id).bind(2, since_rev);
    while (true) {
      ADLOOM_ASSIGN(bool row, d.step());
      if (!row) break;
      out.deleted.push_back(d.column_int(0));
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

Status SqliteAssetStore::write_text_index(const RequestContext& ctx, const AssetId& id) {
  return db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto a, load_asset(c, ctx.workspace_id, id));
    if (!a) return not_found("asset " + id + " does not exist");
    std::string campaign_text;
    if (a->campaign_id) {
      ADLOOM_ASSIGN(auto q, c.prepare("SELECT name, description, channel, objective, audience "
                                      "FROM campaigns WHERE id = ?"));
      q.bind(1, *a->campaign_id);
      ADLOOM_ASSIGN(bool row, q.step());
      for (int i = 0; row && i < 5; ++i) campaign_text += q.column_text(i) + "\n";
    }
    std::string description = a->fields.description + "\n" + a->auto_description + "\n" +
                              a->fields.channel + " " + a->fields.objective + " " +
                              a->fields.audience;
    std::string tags;
    for (const auto& t : a->fields.tags) tags += t + " ";
    ADLOOM_ASSIGN(auto del, c.prepare("DELETE FROM asset_fts WHERE rowid = ?"));
    del.bind(1, a->label);
    ADLOOM_TRY(del.run());
    ADLOOM_ASSIGN(auto ins, c.prepare("INSERT INTO asset_fts(rowid, workspace_id, campaign_text, "
                                      "description, ocr_text, tags) VALUES (?, ?, ?, ?, ?, ?)"));
    ins.bind(1, a->label).bind(2, ctx.workspace_id).bind(3, campaign_text).bind(4, description);
    ins.bind(5, a->ocr_text).bind(6, tags);
    return ins.run();
  });
}

Result<std::vector<std::string>> SqliteAssetStore::delete_asset(const RequestContext& ctx,
                                                                const AssetId& id) {
  std::vector<std::string> orphans;
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto a, load_asset(c, ctx.workspace_id, id));
    if (!a) return not_found("asset " + id + " does not exist");
    ADLOOM_ASSIGN(auto fts, c.prepare("DELETE FROM asset_fts WHERE rowid = ?"));
    fts.bind(1, a->label);
    ADLOOM_TRY(fts.run());
    ADLOOM_ASSIGN(auto del, c.prepare("DELETE FROM assets WHERE id = ?"));
    del.bind(1, id);
    ADLOOM_TRY(del.run());
    for (const auto& key :
         {std::optional<std::string>(a->blob_key), a->thumb_key, a->preview_key}) {
      if (!key) continue;
      ADLOOM_ASSIGN(auto refs, c.prepare("SELECT count(*) FROM assets WHERE blob_key = ?1 OR "
                                         "thumb_key = ?1 OR preview_key = ?1"));
      refs.bind(1, *key);
      ADLOOM_ASSIGN(bool row, refs.step());
      // The preview may be the original itself: list each key once.
      if (row && refs.column_int(0) == 0 &&
          std::find(orphans.begin(), orphans.end(), *key) == orphans.end()) {
        orphans.push_back(*key);
      }
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return orphans;
}

Result<std::optional<Asset>> SqliteAssetStore::find_asset_by_label(const RequestContext& ctx,
                                                                   std::int64_t label) {
  std::optional<Asset> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kAssetColumns +
                                    " FROM assets WHERE label = ? AND workspace_id = ?"));
    q.bind(1, label).bind(2, ctx.workspace_id);
    ADLOOM_ASSIGN(bool row, q.step());
    if (row) out = read_asset(q, 0);
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

Result<bool> SqliteAssetStore::is_blob_referenced(const std::string& key) {
  bool referenced = false;
  Status st = db_.read([&](Connection& c) -> Status {
    // The jobs table lives in the same database; an import's archive is a blob until the
    // job is done with it.
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT EXISTS (SELECT 1 FROM assets WHERE blob_key = ?1 OR "
                                    "thumb_key = ?1 OR preview_key = ?1) OR EXISTS (SELECT 1 FROM "
                                    "jobs WHERE kind = 'import' AND state IN ('queued', 'running', "
                                    "'failed') AND json_extract(payload, '$.archive') = ?1)"));
    q.bind(1, key);
    ADLOOM_ASSIGN(bool row, q.step());
    referenced = row && q.column_int(0) != 0;
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return referenced;
}

}  // namespace adloom
