// KPI validation shared by uploads, the KPI API and CSV imports.
#pragma once

#include <string_view>
#include <vector>

#include "store/asset_store.h"

namespace adloom {

// Checks one owner's KPIs and derives what follows from them. Rules: metric names are
// lower-case [a-z0-9_], 1..64 chars; values are finite; counts (impressions, clicks,
// conversions, likes, followers, reach, views) and spend are never negative; rates (ctr,
// engagement_rate, conversion_rate) are in [0, 1]; clicks ≤ impressions within a period;
// when impressions and clicks are given and ctr is not, ctr = clicks / impressions is
// added (source "derived"). kInvalidArgument names the first problem.
Result<std::vector<KpiValue>> normalise_kpis(std::vector<KpiValue> kpis);

// A metric name: 1..64 lower-case letters, digits or underscores.
bool is_valid_metric_name(std::string_view name);

}  // namespace adloom
