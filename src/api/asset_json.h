// Assets, campaigns and KPIs <-> JSON for the API.
#pragma once

#include <string_view>

#include "api/json_io.h"
#include "services/import_manifest.h"
#include "services/library_service.h"

namespace adloom {

Json asset_to_json(const Asset& asset);
Json kpis_to_json(const std::vector<KpiValue>& kpis);

// KPIs as {"impressions": 1000, "clicks": 30} or [{"metric","value","period"}, …].
Result<std::vector<KpiValue>> parse_kpis(const Json& value, const std::string& source);

// The "metadata" part of an upload:
// {"campaign": "name" | {name, description, channel, objective, audience, start_date, end_date},
//  "campaign_id", "description", "channel", "objective", "audience", "start_date",
//  "end_date", "tags": [...], "kpis": …}
Result<AssetUpload> parse_upload_metadata(std::string_view json_text);

// A PATCH body: the same keys as the upload metadata except kpis; unknown keys are errors.
Result<AssetPatch> parse_asset_patch(const Json& body);

// A JSON manifest: an array of upload metadata objects (as above), each with a "file"
// (a path relative to the import root). A bad entry comes back with `problem` set;
// kInvalidArgument when the text is not a JSON array.
Result<std::vector<ManifestEntry>> parse_manifest_json(std::string_view text);

// A manifest file: JSON when its name ends in .json, CSV otherwise (parse_manifest_csv).
// kInvalidArgument when it cannot be read or parsed as a whole.
Result<std::vector<ManifestEntry>> read_manifest(const std::string& path);

// `upload` with its original file name set.
AssetUpload upload_with_name(AssetUpload upload, const std::string& filename);

}  // namespace adloom
