// Import manifests: one row per file with what the team knows about it — campaign,
// description, channel, tags and KPIs. The CSV form is parsed here; the JSON form is
// parsed at the edge (api/asset_json.h) into the same entries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/library_service.h"

namespace adloom {

struct ManifestEntry {
  int row = 0;          // 1-based: CSV spreadsheet row (header = 1), or JSON array index + 1
  std::string file;     // path relative to the import root
  AssetUpload upload;   // metadata and KPIs for add_asset
  std::string problem;  // non-empty: the row is rejected with this reason
};

// CSV manifest. Header (names trimmed, each at most once): `file` (required), then any of
// `campaign` (a name, found or created), `campaign_id`, `campaign_description`,
// `description`, `channel`, `objective`, `audience`, `start_date`, `end_date`, `tags`
// (separated by ';' or '|'), `period` (of the row's KPIs); every other column is a KPI
// metric (see is_valid_metric_name) whose cells are numbers (parse_cell_number; empty
// cells are skipped). A `campaign` gets only its name and `campaign_description` from the
// row; the other columns describe the asset. Rows whose cells are all empty are skipped.
// Row problems (a wrong field count, no file, a bad number or id) come back in `problem`;
// KPI rules (normalise_kpis) are checked when the file is added.
// kInvalidArgument for malformed CSV, an empty file or a header problem.
Result<std::vector<ManifestEntry>> parse_manifest_csv(std::string_view text);

}  // namespace adloom
