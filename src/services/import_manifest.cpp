#include "services/import_manifest.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/ids.h"
#include "services/csv.h"
#include "services/kpi.h"

namespace adloom {
namespace {

// Columns that are not metrics, and where a cell of each goes.
enum class Field {
  kFile,
  kCampaign,
  kCampaignId,
  kCampaignDescription,
  kDescription,
  kChannel,
  kObjective,
  kAudience,
  kStartDate,
  kEndDate,
  kTags,
  kPeriod,
};

const std::map<std::string, Field>& field_columns() {
  static const std::map<std::string, Field> kFields = {
      {"file", Field::kFile},
      {"campaign", Field::kCampaign},
      {"campaign_id", Field::kCampaignId},
      {"campaign_description", Field::kCampaignDescription},
      {"description", Field::kDescription},
      {"channel", Field::kChannel},
      {"objective", Field::kObjective},
      {"audience", Field::kAudience},
      {"start_date", Field::kStartDate},
      {"end_date", Field::kEndDate},
      {"tags", Field::kTags},
      {"period", Field::kPeriod},
  };
  return kFields;
}

struct Header {
  std::vector<std::pair<Field, std::size_t>> fields;
  std::vector<std::pair<std::string, std::size_t>> metrics;
  std::size_t width = 0;
};

Result<Header> parse_header(const CsvRecord& names) {
  Header h;
  h.width = names.size();
  std::set<std::string> seen;
  bool has_file = false;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string name(trim_cell(names[i]));
    if (name.empty()) {
      return invalid_argument("manifest header: column " + std::to_string(i + 1) + " has no name");
    }
    if (!seen.insert(name).second) {
      return invalid_argument("manifest header: column '" + name + "' appears more than once");
    }
    if (auto it = field_columns().find(name); it != field_columns().end()) {
      h.fields.emplace_back(it->second, i);
      has_file = has_file || it->second == Field::kFile;
    } else if (is_valid_metric_name(name)) {
      h.metrics.emplace_back(name, i);
    } else {
      return invalid_argument("manifest header: column '" + name +
                              "' is neither a known field nor a KPI name (1-64 lower-case "
                              "letters, digits or underscores)");
    }
  }
  if (!has_file) return invalid_argument("manifest header: no 'file' column");
  return h;
}

std::vector<std::string> split_tags(std::string_view cell) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= cell.size()) {
    std::size_t end = cell.find_first_of(";|", start);
    if (end == std::string_view::npos) end = cell.size();
    const std::string_view tag = trim_cell(cell.substr(start, end - start));
    if (!tag.empty()) tags.emplace_back(tag);
    start = end + 1;
  }
  return tags;
}

// The entry of one data row; `problem` set when the row cannot be used.
ManifestEntry parse_row(const Header& h, const CsvRecord& row, int row_number) {
  ManifestEntry e;
  e.row = row_number;
  if (row.size() != h.width) {
    e.problem = "manifest row " + std::to_string(row_number) + ": " + std::to_string(row.size()) +
                " fields but the header has " + std::to_string(h.width);
    return e;
  }
  CampaignFields campaign;
  std::string period;
  for (const auto& [field, index] : h.fields) {
    const std::string cell(trim_cell(row[index]));
    switch (field) {
      case Field::kFile: e.file = cell; break;
      case Field::kCampaign: campaign.name = cell; break;
      case Field::kCampaignId:
        if (!cell.empty() && !is_valid_id(cell, "cmp")) {
          e.problem = "campaign_id '" + cell + "' is not a campaign id";
        } else if (!cell.empty()) {
          e.upload.campaign_id = cell;
        }
        break;
      case Field::kCampaignDescription: campaign.description = cell; break;
      case Field::kDescription: e.upload.fields.description = cell; break;
      case Field::kChannel: e.upload.fields.channel = cell; break;
      case Field::kObjective: e.upload.fields.objective = cell; break;
      case Field::kAudience: e.upload.fields.audience = cell; break;
      case Field::kStartDate: e.upload.fields.start_date = cell; break;
      case Field::kEndDate: e.upload.fields.end_date = cell; break;
      case Field::kTags: e.upload.fields.tags = split_tags(cell); break;
      case Field::kPeriod: period = cell; break;
    }
  }
  // The row's channel, dates, … describe the asset: copying them into a campaign shared
  // by many rows would let whichever row came last win.
  if (!campaign.name.empty()) e.upload.campaign = campaign;
  for (const auto& [metric, index] : h.metrics) {
    const std::string_view cell = trim_cell(row[index]);
    if (cell.empty()) continue;
    const std::optional<double> value = parse_cell_number(cell);
    if (!value) {
      e.problem = metric + ": '" + std::string(cell) + "' is not a number";
      break;
    }
    e.upload.kpis.push_back(KpiValue{metric, *value, period, "manifest", 0});
  }
  if (e.problem.empty() && e.file.empty()) e.problem = "no file named in the 'file' column";
  if (!e.problem.empty())
    e.problem = "manifest row " + std::to_string(row_number) + ": " + e.problem;
  return e;
}

}  // namespace

Result<std::vector<ManifestEntry>> parse_manifest_csv(std::string_view text) {
  ADLOOM_ASSIGN(std::vector<CsvRecord> records, parse_csv(text));
  if (records.empty()) return invalid_argument("the manifest is empty");
  ADLOOM_ASSIGN(Header header, parse_header(records.front()));
  std::vector<ManifestEntry> entries;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const CsvRecord& row = records[i];
    const bool blank = std::all_of(row.begin(), row.end(),
                                   [](const std::string& cell) { return trim_cell(cell).empty(); });
    if (blank) continue;  // a blank line, or a row of empty cells from a spreadsheet export
    entries.push_back(parse_row(header, row, static_cast<int>(i) + 1));
  }
  return entries;
}

}  // namespace adloom
