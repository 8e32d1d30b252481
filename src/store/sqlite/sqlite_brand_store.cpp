#include "store/sqlite/sqlite_brand_store.h"

#include <nlohmann/json.hpp>

namespace adloom {
namespace {

using sqlite::Connection;
using sqlite::Statement;

constexpr const char* kColumns =
    "id, workspace_id, name, palette, font_family, logo_asset_id, tone_words, style_words, "
    "banned_terms, disclosures, version, created_at, updated_at";

std::string list_to_json(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

std::vector<std::string> list_from_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& item : j) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::string palette_to_json(const std::vector<PaletteColour>& palette) {
  auto j = nlohmann::json::array();
  for (const auto& c : palette) j.push_back({{"hex", c.hex}, {"role", c.role}, {"name", c.name}});
  return j.dump();
}

std::vector<PaletteColour> palette_from_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  std::vector<PaletteColour> out;
  if (!j.is_array()) return out;
  for (const auto& c : j) {
    if (!c.is_object()) continue;
    out.push_back({c.value("hex", ""), c.value("role", ""), c.value("name", "")});
  }
  return out;
}

BrandKit read_kit(const Statement& s) {
  BrandKit k;
  k.id = s.column_text(0);
  k.workspace_id = s.column_text(1);
  k.fields.name = s.column_text(2);
  k.fields.palette = palette_from_json(s.column_text(3));
  k.fields.font_family = s.column_text(4);
  k.fields.logo = s.column_optional_text(5);
  k.fields.tone_words = list_from_json(s.column_text(6));
  k.fields.style_words = list_from_json(s.column_text(7));
  k.fields.banned_terms = list_from_json(s.column_text(8));
  k.fields.disclosures = list_from_json(s.column_text(9));
  k.version = s.column_int(10);
  k.created_at = s.column_int(11);
  k.updated_at = s.column_int(12);
  return k;
}

// Binds the fields to ?3..?10 in kColumns order (name .. disclosures).
void bind_fields(Statement& q, const BrandKitFields& f) {
  q.bind(3, f.name).bind(4, palette_to_json(f.palette)).bind(5, f.font_family).bind(6, f.logo);
  q.bind(7, list_to_json(f.tone_words)).bind(8, list_to_json(f.style_words));
  q.bind(9, list_to_json(f.banned_terms)).bind(10, list_to_json(f.disclosures));
}

Status name_taken(const Status& st, const std::string& name) {
  if (st.code() != ErrorCode::kAlreadyExists) return st;
  return Status(ErrorCode::kAlreadyExists, "a brand kit named '" + name + "' already exists");
}

Result<std::optional<BrandKit>> load_kit(Connection& c, const WorkspaceId& ws,
                                         const BrandKitId& id) {
  ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kColumns +
                                  " FROM brand_kits WHERE id = ? AND workspace_id = ?"));
  q.bind(1, id).bind(2, ws);
  ADLOOM_ASSIGN(bool found, q.step());
  if (!found) return std::optional<BrandKit>();
  return std::optional<BrandKit>(read_kit(q));
}

Status kit_not_found(const BrandKitId& id) {
  return not_found("brand kit " + id + " does not exist");
}

}  // namespace

Result<BrandKit> SqliteBrandStore::create_brand_kit(const RequestContext& ctx,
                                                    const BrandKitFields& fields) {
  const TimeMs now = clock_.now_ms();
  const BrandKitId id = new_id("bk", now);
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("INSERT INTO brand_kits(" + std::string(kColumns) +
                                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, "
                                    "?11)"));
    q.bind(1, id).bind(2, ctx.workspace_id).bind(11, now);
    bind_fields(q, fields);
    return q.run();
  });
  if (!st.is_ok()) return name_taken(st, fields.name);
  return get_brand_kit(ctx, id);
}

Result<BrandKit> SqliteBrandStore::get_brand_kit(const RequestContext& ctx, const BrandKitId& id) {
  std::optional<BrandKit> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(out, load_kit(c, ctx.workspace_id, id));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  if (!out) return kit_not_found(id);
  return std::move(*out);
}

Result<std::vector<BrandKit>> SqliteBrandStore::list_brand_kits(const RequestContext& ctx) {
  std::vector<BrandKit> out;
  Status st = db_.read([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare(std::string("SELECT ") + kColumns +
                                    " FROM brand_kits WHERE workspace_id = ? ORDER BY name, id"));
    q.bind(1, ctx.workspace_id);
    for (;;) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) return Status::ok();
      out.push_back(read_kit(q));
    }
  });
  if (!st.is_ok()) return st;
  return out;
}

Result<BrandKit> SqliteBrandStore::update_brand_kit(const RequestContext& ctx, const BrandKitId& id,
                                                    const BrandKitFields& fields,
                                                    std::optional<std::int64_t> expected_version) {
  std::optional<BrandKit> out;
  Status st = db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto current, load_kit(c, ctx.workspace_id, id));
    if (!current) return kit_not_found(id);
    if (expected_version && *expected_version != current->version) {
      return conflict("brand kit " + id + " was changed by someone else (now version " +
                      std::to_string(current->version) + ", you edited version " +
                      std::to_string(*expected_version) + "): reload it and try again");
    }
    ADLOOM_ASSIGN(auto q, c.prepare("UPDATE brand_kits SET name = ?3, palette = ?4, "
                                    "font_family = ?5, logo_asset_id = ?6, tone_words = ?7, "
                                    "style_words = ?8, banned_terms = ?9, disclosures = ?10, "
                                    "version = version + 1, updated_at = ?11 "
                                    "WHERE id = ?1 AND workspace_id = ?2"));
    q.bind(1, id).bind(2, ctx.workspace_id).bind(11, clock_.now_ms());
    bind_fields(q, fields);
    ADLOOM_TRY(q.run());
    ADLOOM_ASSIGN(out, load_kit(c, ctx.workspace_id, id));
    return Status::ok();
  });
  if (!st.is_ok()) return name_taken(st, fields.name);
  if (!out) return kit_not_found(id);
  return std::move(*out);
}

Status SqliteBrandStore::delete_brand_kit(const RequestContext& ctx, const BrandKitId& id) {
  return db_.write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("DELETE FROM brand_kits WHERE id = ? AND workspace_id = ?"));
    q.bind(1, id).bind(2, ctx.workspace_id);
    ADLOOM_TRY(q.run());
    if (c.changes() == 0) return kit_not_found(id);
    return Status::ok();
  });
}

}  // namespace adloom
