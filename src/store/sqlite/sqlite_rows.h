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

}  // namespace adloom::sqlite
