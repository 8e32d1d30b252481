#include "services/kpi_import.h"

#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "core/ids.h"
#include "services/csv.h"
#include "services/kpi.h"

namespace adloom {
namespace {

const std::set<std::string>& target_columns() {
  static const std::set<std::string> kTargets = {"asset_id", "campaign_id", "campaign", "sha256"};
  return kTargets;
}

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

struct Header {
  std::map<std::string, std::size_t> targets;  // target column -> index
  std::optional<std::size_t> period;
  std::vector<std::pair<std::string, std::size_t>> metrics;  // in column order
  std::size_t width = 0;
};

Result<Header> parse_header(const CsvRecord& names) {
  Header h;
  h.width = names.size();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string name(trim_cell(names[i]));
    if (name.empty()) {
      return invalid_argument("CSV header: column " + std::to_string(i + 1) + " has no name");
    }
    if (!seen.insert(name).second) {
      return invalid_argument("CSV header: column '" + name + "' appears more than once");
    }
    if (target_columns().count(name)) {
      h.targets[name] = i;
    } else if (name == "period") {
      h.period = i;
    } else if (is_valid_metric_name(name)) {
      h.metrics.emplace_back(name, i);
    } else {
      return invalid_argument("CSV header: column '" + name +
                              "' is not a metric name (1-64 lower-case letters, digits or "
                              "underscores)");
    }
  }
  if (h.targets.empty()) {
    return invalid_argument(
        "CSV header: no target column; name one of asset_id, campaign_id, campaign or sha256");
  }
  return h;
}

// Where one row's KPIs go.
struct Target {
  bool is_asset = true;
  std::string id;
};

// Resolves and applies rows; lookups that are shared across rows are cached here.
class Importer {
 public:
  Importer(const RequestContext& ctx, AssetStore& store, const std::string& source)
      : ctx_(ctx), store_(store), source_(source) {}

  // The row's reason for rejection, or nullopt once applied; a Status for a store failure
  // that aborts the import.
  Result<std::optional<std::string>> apply(const Header& h, const CsvRecord& row,
                                           int& kpis_applied) {
    if (row.size() != h.width) {
      return reject("row has " + std::to_string(row.size()) + " fields but the header has " +
                    std::to_string(h.width));
    }
    std::string column;
    std::string value;
    for (const auto& [name, index] : h.targets) {
      std::string_view cell = trim_cell(row[index]);
      if (cell.empty()) continue;
      if (!column.empty()) {
        std::string reason = "more than one target given (";
        reason.append(column).append(" and ").append(name).append("); fill exactly one");
        return reject(reason);
      }
      column = name;
      value = std::string(cell);
    }
    if (column.empty()) {
      return reject("no target; fill one of asset_id, campaign_id, campaign or sha256");
    }

    std::string period = h.period ? std::string(trim_cell(row[*h.period])) : std::string();
    std::vector<KpiValue> kpis;
    for (const auto& [name, index] : h.metrics) {
      std::string_view cell = trim_cell(row[index]);
      if (cell.empty()) continue;
      auto number = parse_cell_number(cell);
      if (!number) return reject(name + ": '" + std::string(cell) + "' is not a number");
      kpis.push_back(KpiValue{name, *number, period, source_, 0});
    }
    if (kpis.empty()) return reject("no KPI values in the row");
    auto normalised = normalise_kpis(std::move(kpis));
    if (!normalised) return reject(normalised.status().message());

    ADLOOM_ASSIGN(auto target, resolve(column, value));
    if (!target) return reject(unresolved_);
    Status st = target->is_asset ? store_.set_asset_kpis(ctx_, target->id, *normalised)
                                 : store_.set_campaign_kpis(ctx_, target->id, *normalised);
    if (st.code() == ErrorCode::kNotFound || st.code() == ErrorCode::kInvalidArgument) {
      return reject(st.message());
    }
    ADLOOM_TRY(st);
    kpis_applied += static_cast<int>(normalised->size());
    return std::optional<std::string>{};
  }

 private:
  static Result<std::optional<std::string>> reject(std::string reason) {
    return std::optional<std::string>{std::move(reason)};
  }

  // The target named by a cell; nullopt (with unresolved_ set) when it names nothing.
  Result<std::optional<Target>> resolve(const std::string& column, const std::string& value) {
    if (column == "asset_id") {
      if (!is_valid_id(value, "ast")) return none("asset_id '" + value + "' is not an asset id");
      return std::optional<Target>{Target{true, value}};
    }
    if (column == "campaign_id") {
      if (!is_valid_id(value, "cmp")) {
        return none("campaign_id '" + value + "' is not a campaign id");
      }
      return std::optional<Target>{Target{false, value}};
    }
    if (column == "sha256") {
      std::string hex = value;
      for (auto& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!is_sha256_hex(hex)) return none("sha256 '" + value + "' is not 64 hex digits");
      ADLOOM_ASSIGN(auto asset, store_.find_asset_by_sha256(ctx_, hex));
      if (!asset) return none("no asset has sha256 " + hex);
      return std::optional<Target>{Target{true, asset->id}};
    }
    // "campaign": by name, from one listing of the workspace's campaigns.
    if (!campaigns_by_name_) {
      ADLOOM_ASSIGN(auto campaigns, store_.list_campaigns(ctx_));
      campaigns_by_name_.emplace();
      for (const auto& c : campaigns) (*campaigns_by_name_)[c.fields.name] = c.id;
    }
    auto it = campaigns_by_name_->find(value);
    if (it == campaigns_by_name_->end()) return none("campaign '" + value + "' does not exist");
    return std::optional<Target>{Target{false, it->second}};
  }

  Result<std::optional<Target>> none(std::string reason) {
    unresolved_ = std::move(reason);
    return std::optional<Target>{};
  }

  const RequestContext& ctx_;
  AssetStore& store_;
  const std::string& source_;
  std::optional<std::map<std::string, CampaignId>> campaigns_by_name_;
  std::string unresolved_;
};

bool is_blank(const CsvRecord& row) {
  for (const auto& f : row) {
    if (!trim_cell(f).empty()) return false;
  }
  return true;
}

}  // namespace

Result<KpiImportReport> import_kpis_csv(const RequestContext& ctx, AssetStore& store,
                                        std::string_view csv, const std::string& source) {
  ADLOOM_ASSIGN(std::vector<CsvRecord> records, parse_csv(csv));
  if (records.empty() || is_blank(records[0])) {
    return invalid_argument("CSV is empty; expected a header row naming the columns");
  }
  ADLOOM_ASSIGN(Header header, parse_header(records[0]));
  KpiImportReport report;
  Importer importer(ctx, store, source);
  for (std::size_t i = 1; i < records.size(); ++i) {
    if (is_blank(records[i])) continue;
    ++report.rows_total;
    ADLOOM_ASSIGN(auto rejected, importer.apply(header, records[i], report.kpis_applied));
    if (rejected) {
      report.errors.push_back(KpiImportError{static_cast<int>(i + 1), std::move(*rejected)});
    } else {
      ++report.rows_applied;
    }
  }
  return report;
}

}  // namespace adloom
