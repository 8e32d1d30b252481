#include "services/kpi.h"

#include <cmath>
#include <map>
#include <set>

namespace adloom {
namespace {

const std::set<std::string>& count_metrics() {
  static const std::set<std::string> kCounts = {
      "impressions", "clicks", "conversions",          "likes", "followers", "reach",
      "views",       "spend",  "follower_growth_count"};
  return kCounts;
}

const std::set<std::string>& rate_metrics() {
  static const std::set<std::string> kRates = {"ctr", "engagement_rate", "conversion_rate"};
  return kRates;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

}  // namespace

Result<std::vector<KpiValue>> normalise_kpis(std::vector<KpiValue> kpis) {
  std::map<std::string, std::map<std::string, double>> by_period;  // period -> metric -> value
  for (const auto& k : kpis) {
    if (!is_valid_metric_name(k.metric)) {
      return invalid_argument("KPI name '" + k.metric +
                              "' must be 1-64 lower-case letters, digits or underscores");
    }
    if (!std::isfinite(k.value)) return invalid_argument("KPI " + k.metric + " is not a number");
    if (count_metrics().count(k.metric) && k.value < 0) {
      return invalid_argument("KPI " + k.metric + " cannot be negative (" + fmt(k.value) + ")");
    }
    if (rate_metrics().count(k.metric) && (k.value < 0 || k.value > 1)) {
      return invalid_argument("KPI " + k.metric + " is a rate between 0 and 1, got " +
                              fmt(k.value) + " (write 3.2% as 0.032)");
    }
    by_period[k.period][k.metric] = k.value;
  }
  for (const auto& [period, metrics] : by_period) {
    auto imp = metrics.find("impressions");
    auto clk = metrics.find("clicks");
    if (imp == metrics.end() || clk == metrics.end()) continue;
    if (clk->second > imp->second) {
      return invalid_argument("clicks (" + fmt(clk->second) + ") exceed impressions (" +
                              fmt(imp->second) + ")" +
                              (period.empty() ? "" : " for period " + period));
    }
    if (!metrics.count("ctr") && imp->second > 0) {
      kpis.push_back(KpiValue{"ctr", clk->second / imp->second, period, "derived", 0});
    }
  }
  return kpis;
}

bool is_valid_metric_name(std::string_view m) {
  if (m.empty() || m.size() > 64) return false;
  for (char c : m) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace adloom
