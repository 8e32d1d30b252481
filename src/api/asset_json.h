// Assets, campaigns and KPIs <-> JSON for the API.
#pragma once

#include <string_view>

#include "api/json_io.h"
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

// `upload` with its original file name set.
AssetUpload upload_with_name(AssetUpload upload, const std::string& filename);

}  // namespace adloom
