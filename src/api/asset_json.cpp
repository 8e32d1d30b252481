#include "api/asset_json.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace adloom {
namespace {

Json optional_text(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

}  // namespace

Json kpis_to_json(const std::vector<KpiValue>& kpis) {
  Json out = Json::array();
  for (const auto& k : kpis) {
    out.push_back(
        {{"metric", k.metric}, {"value", k.value}, {"period", k.period}, {"source", k.source}});
  }
  return out;
}

Json asset_to_json(const Asset& a) {
  Json analysis = nullptr;
  if (a.analysis) {
    analysis = Json::parse(*a.analysis, nullptr, false);
    if (analysis.is_discarded()) analysis = nullptr;
  }
  const std::string base = "/api/v1/assets/" + a.id + "/content?rendition=";
  return {{"id", a.id},
          {"workspace_id", a.workspace_id},
          {"kind", a.kind},
          {"campaign_id", optional_text(a.campaign_id)},
          {"sha256", a.sha256},
          {"mime", a.mime},
          {"bytes", a.bytes},
          {"width", a.width},
          {"height", a.height},
          {"original_name", a.fields.original_name},
          {"description", a.fields.description},
          {"channel", a.fields.channel},
          {"objective", a.fields.objective},
          {"audience", a.fields.audience},
          {"start_date", a.fields.start_date},
          {"end_date", a.fields.end_date},
          {"tags", a.fields.tags},
          {"kpis", kpis_to_json(a.kpis)},
          {"analysis", analysis},
          {"ocr_text", a.ocr_text},
          {"auto_description", a.auto_description},
          {"index_state", index_state_name(a.index_state)},
          {"index_error", optional_text(a.index_error)},
          {"review_state", review_state_name(a.review_state)},
          {"near_duplicate_of", optional_text(a.near_duplicate_of)},
          {"renditions",
           {{"thumb", a.thumb_key ? Json(base + "thumb") : Json(nullptr)},
            {"preview", a.preview_key ? Json(base + "preview") : Json(nullptr)},
            {"full", base + "full"}}},
          {"created_at", format_rfc3339(a.created_at)},
          {"updated_at", format_rfc3339(a.updated_at)}};
}

Result<std::vector<KpiValue>> parse_kpis(const Json& value, const std::string& source) {
  std::vector<KpiValue> out;
  if (value.is_null()) return out;
  if (value.is_object()) {
    for (const auto& [metric, v] : value.items()) {
      if (!v.is_number()) return invalid_argument("KPI " + metric + " must be a number");
      out.push_back(KpiValue{metric, v.get<double>(), "", source, 0});
    }
    return out;
  }
  if (!value.is_array()) return invalid_argument("kpis must be an object or an array");
  for (const auto& item : value) {
    if (!item.is_object() || !item.contains("metric") || !item["metric"].is_string() ||
        !item.contains("value") || !item["value"].is_number()) {
      return invalid_argument("each KPI needs a string metric and a numeric value");
    }
    KpiValue k{item["metric"].get<std::string>(), item["value"].get<double>(), "", source, 0};
    if (item.contains("period") && item["period"].is_string())
      k.period = item["period"].get<std::string>();
    out.push_back(std::move(k));
  }
  return out;
}

Result<AssetUpload> parse_upload_metadata(std::string_view json_text) {
  static const std::set<std::string> kKeys = {"campaign_id", "campaign", "description", "channel",
                                              "objective",   "audience", "start_date",  "end_date",
                                              "tags",        "kpis"};
  static const std::set<std::string> kCampaignKeys = {
      "name", "description", "channel", "objective", "audience", "start_date", "end_date"};
  auto j = Json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return invalid_argument("metadata must be a JSON object");
  ADLOOM_TRY(check_keys(j, kKeys, "the metadata"));
  AssetUpload u;
  if (auto it = j.find("campaign_id"); it != j.end() && !it->is_null()) {
    if (!it->is_string() || !is_valid_id(it->get<std::string>(), "cmp")) {
      return invalid_argument("campaign_id is not a campaign id");
    }
    u.campaign_id = it->get<std::string>();
  }
  if (auto it = j.find("campaign"); it != j.end() && !it->is_null()) {
    CampaignFields c;
    if (it->is_string()) {
      c.name = it->get<std::string>();
    } else if (it->is_object()) {
      ADLOOM_TRY(check_keys(*it, kCampaignKeys, "the campaign"));
      ADLOOM_TRY(read_string(*it, "name", c.name));
      ADLOOM_TRY(read_string(*it, "description", c.description));
      ADLOOM_TRY(read_string(*it, "channel", c.channel));
      ADLOOM_TRY(read_string(*it, "objective", c.objective));
      ADLOOM_TRY(read_string(*it, "audience", c.audience));
      ADLOOM_TRY(read_string(*it, "start_date", c.start_date));
      ADLOOM_TRY(read_string(*it, "end_date", c.end_date));
    } else {
      return invalid_argument("campaign must be a name or an object");
    }
    if (c.name.empty()) return invalid_argument("campaign needs a name");
    u.campaign = c;
  }
  ADLOOM_TRY(read_string(j, "description", u.fields.description));
  ADLOOM_TRY(read_string(j, "channel", u.fields.channel));
  ADLOOM_TRY(read_string(j, "objective", u.fields.objective));
  ADLOOM_TRY(read_string(j, "audience", u.fields.audience));
  ADLOOM_TRY(read_string(j, "start_date", u.fields.start_date));
  ADLOOM_TRY(read_string(j, "end_date", u.fields.end_date));
  if (auto it = j.find("tags"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return invalid_argument("tags must be an array of strings");
    for (const auto& t : *it) {
      if (!t.is_string()) return invalid_argument("tags must be an array of strings");
      u.fields.tags.push_back(t.get<std::string>());
    }
  }
  if (auto it = j.find("kpis"); it != j.end()) {
    ADLOOM_ASSIGN(u.kpis, parse_kpis(*it, "upload"));
  }
  return u;
}

Result<AssetPatch> parse_asset_patch(const Json& body) {
  if (body.contains("kpis")) {
    return invalid_argument("KPIs are set with PUT /api/v1/assets/{id}/kpis, not PATCH");
  }
  // The upload parser validates the keys; then only present keys are applied.
  ADLOOM_ASSIGN(AssetUpload u, parse_upload_metadata(body.dump()));
  AssetPatch p;
  p.campaign_id = u.campaign_id;
  p.campaign = u.campaign;
  auto take = [&body](const char* key, const std::string& value, std::optional<std::string>& out) {
    if (body.contains(key)) out = value;
  };
  take("description", u.fields.description, p.description);
  take("channel", u.fields.channel, p.channel);
  take("objective", u.fields.objective, p.objective);
  take("audience", u.fields.audience, p.audience);
  take("start_date", u.fields.start_date, p.start_date);
  take("end_date", u.fields.end_date, p.end_date);
  if (body.contains("tags")) p.tags = u.fields.tags;
  return p;
}

Result<std::vector<ManifestEntry>> parse_manifest_json(std::string_view text) {
  const Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return invalid_argument("the manifest is not valid JSON");
  if (!j.is_array()) return invalid_argument("a JSON manifest must be an array of objects");
  std::vector<ManifestEntry> entries;
  for (std::size_t i = 0; i < j.size(); ++i) {
    ManifestEntry e;
    e.row = static_cast<int>(i) + 1;
    const Json& item = j[i];
    if (!item.is_object() || !item.contains("file") || !item["file"].is_string() ||
        item["file"].get<std::string>().empty()) {
      e.problem = "manifest entry " + std::to_string(e.row) + ": needs a \"file\" string";
      entries.push_back(std::move(e));
      continue;
    }
    e.file = item["file"].get<std::string>();
    Json metadata = item;
    metadata.erase("file");
    auto upload = parse_upload_metadata(metadata.dump());
    if (upload) {
      e.upload = std::move(upload).value();
      for (auto& k : e.upload.kpis) k.source = "manifest";
    } else {
      e.problem = "manifest entry " + std::to_string(e.row) + ": " + upload.status().message();
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

Result<std::vector<ManifestEntry>> read_manifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_argument("cannot read the manifest " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (std::filesystem::path(path).extension() == ".json") return parse_manifest_json(text.str());
  return parse_manifest_csv(text.str());
}

AssetUpload upload_with_name(AssetUpload upload, const std::string& filename) {
  auto slash = filename.find_last_of("/\\");
  upload.fields.original_name = slash == std::string::npos ? filename : filename.substr(slash + 1);
  return upload;
}

}  // namespace adloom
