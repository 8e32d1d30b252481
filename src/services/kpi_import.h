// KPI CSV import: one sheet row per (target, metric set), applied row by row.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/request_context.h"
#include "core/status.h"
#include "store/asset_store.h"

namespace adloom {

struct KpiImportError {
  int row = 0;  // 1-based spreadsheet row; the header is row 1
  std::string reason;
};

struct KpiImportReport {
  int rows_total = 0;                  // data rows seen (blank rows are not counted)
  int rows_applied = 0;                // rows whose KPIs were written
  int kpis_applied = 0;                // values written, derived ones (ctr) included
  std::vector<KpiImportError> errors;  // one per rejected row, in row order
};

// Imports KPIs from CSV text (see parse_csv) into ctx's workspace.
//
// Header: names the columns (surrounding spaces ignored). Target columns: `asset_id`
// (ast_…), `campaign_id` (cmp_…), `campaign` (a campaign name) and `sha256` (an asset's
// content hash); at least one must be present. `period` is optional. Every other column is
// a metric name ([a-z0-9_], 1..64 chars).
// Rows: exactly one target cell must be non-empty; metric cells are numbers parsed strictly
// (std::from_chars, whole cell after trimming spaces; "1e3" and "0.5" are fine, "1,000" and
// "12%" are not); empty metric cells are skipped; each row's values go through
// normalise_kpis (so ctr is derived) and are upserted with `source` via set_asset_kpis or
// set_campaign_kpis. Blank rows are skipped.
//
// Each row stands alone: an invalid row (bad number, failed validation, unknown target,
// wrong field count) is reported in `errors` and the others still apply.
// Whole-import errors: kInvalidArgument for malformed CSV, an empty file, or a header
// problem (no target column, a duplicate or unnamed column, an invalid metric name); any
// store error other than kNotFound/kInvalidArgument (busy, internal) aborts the import,
// leaving the rows applied before it in place.
Result<KpiImportReport> import_kpis_csv(const RequestContext& ctx, AssetStore& store,
                                        std::string_view csv, const std::string& source);

}  // namespace adloom
