// Row helpers shared by the SQLite stores (internal to src/store/sqlite).
#pragma once

#include <string>
#include <vector>

#include "store/asset_store.h"
#include "store/sqlite/sqlite_db.h"

namespace adloom::sqlite {

// The KPIs of one owner, by metric and period: table/key is "asset_kpis"/"asset_id" or
// "campaign_kpis"/"campaign_id".
Result<std::vector<KpiValue>> load_kpis(Connection& c, const char* table, const char* key,
                                        const std::string& id);

// The assets table's columns in the order read_asset reads them (alias them with a
// prefix in joins by listing the same names).
inline constexpr const char* kAssetColumns =
    "id, workspace_id, label, kind, campaign_id, sha256, blob_key, mime, bytes, width, height, "
    "thumb_key, preview_key, original_name, description, channel, objective, audience, tags, "
    "start_date, end_date, analysis, ocr_text, auto_description, index_state, index_error, "
    "created_at, updated_at, review_state, near_duplicate_of";

// An asset from the row's columns first..first + 29, in kAssetColumns order (no KPIs).
Asset read_asset(const Statement& s, int first);

// A JSON array of strings → the strings (anything else is skipped).
std::vector<std::string> tags_from_json(const std::string& text);

// Inserts the asset, or finds the workspace's asset with the same sha256 (second: true
// when inserted). kNotFound when a.campaign_id is not a campaign of the workspace.
Result<std::pair<AssetId, bool>> insert_asset_row(Connection& c, const RequestContext& ctx,
                                                  const NewAsset& a, TimeMs now);

// One audit_log row (store/campaign_store.h AuditEntry) by ctx's principal.
Status append_audit(Connection& c, const RequestContext& ctx, TimeMs now, const char* action,
                    const std::string& subject_type, const std::string& subject_id,
                    const std::string& detail_json);

}  // namespace adloom::sqlite
