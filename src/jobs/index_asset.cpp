#include "jobs/index_asset.h"

#include <nlohmann/json.hpp>

namespace adloom {
namespace {

using Json = nlohmann::json;

Result<AssetId> asset_id_of(const Job& job) {
  auto j = Json::parse(job.payload, nullptr, false);
  if (!j.is_object() || !j.contains("asset_id") || !j["asset_id"].is_string()) {
    return invalid_argument("payload needs a string asset_id");
  }
  return j["asset_id"].get<std::string>();
}

Json analysis_to_json(const ImageAnalysis& a) {
  Json colours = Json::array();
  for (const auto& c : a.colours) {
    colours.push_back({{"hex", c.hex},
                       {"name", c.name},
                       {"share", c.share},
                       {"lab", {c.lab[0], c.lab[1], c.lab[2]}}});
  }
  return {{"engine", a.engine},
          {"colours", colours},
          {"brightness", a.brightness},
          {"contrast", a.contrast},
          {"saturation", a.saturation},
          {"orientation", a.orientation},
          {"aspect", a.aspect},
          {"ocr_text", a.ocr_text},
          {"ocr_confidence", a.ocr_confidence},
          {"ocr_ran", a.ocr_ran},
          {"elements", a.elements},
          {"description", a.description},
          {"subjects", a.subjects},
          {"setting", a.setting},
          {"style", a.style},
          {"mood", a.mood},
          {"tags", a.tags}};
}

// What a vision model said beyond its description (subjects, setting, style, mood, tags),
// as one line of words for the embedder.
std::string vision_words(const std::optional<std::string>& analysis) {
  if (!analysis) return {};
  const Json j = Json::parse(*analysis, nullptr, false);
  if (!j.is_object()) return {};
  std::string out;
  auto add = [&out](const Json& v) {
    if (v.is_string() && !v.get<std::string>().empty()) {
      out += (out.empty() ? "" : ", ") + v.get<std::string>();
    }
  };
  for (const char* key : {"subjects", "tags"}) {
    if (j.contains(key) && j[key].is_array()) {
      for (const auto& v : j[key]) add(v);
    }
  }
  for (const char* key : {"setting", "style", "mood"}) {
    if (j.contains(key)) add(j[key]);
  }
  return out;
}

}  // namespace

std::string asset_text(const Asset& asset, const std::optional<Campaign>& campaign) {
  std::string text;
  auto add = [&text](const std::string& s) {
    if (s.empty()) return;
    if (!text.empty()) text += '\n';
    text += s;
  };
  if (campaign) {
    add(campaign->fields.name);
    add(campaign->fields.description);
  }
  add(asset.fields.description);
  add(asset.auto_description);
  add(vision_words(asset.analysis));
  add(asset.ocr_text);
  std::string tags;
  for (const auto& t : asset.fields.tags) tags += (tags.empty() ? "" : " ") + t;
  add(tags);
  return text;
}

Result<std::vector<std::string>> IndexAssetHandler::plan(const Job& job) const {
  ADLOOM_TRY(asset_id_of(job).status());
  return std::vector<std::string>{"analyse", "embed", "index"};
}

Result<std::string> IndexAssetHandler::run_step(StepContext& ctx, int step) {
  ADLOOM_ASSIGN(AssetId id, asset_id_of(ctx.lease.job));
  auto rc = RequestContext::system(ctx.lease.workspace_id, ctx.lease.job_id);
  ADLOOM_ASSIGN(Asset asset, assets_.get_asset(rc, id));
  switch (step) {
    case 0: return analyse(ctx, rc, asset);
    case 1: return embed(ctx, rc, asset);
    case 2: return index(rc, asset);
    default: return invalid_argument("no step " + std::to_string(step));
  }
}

Result<std::string> IndexAssetHandler::analyse(StepContext& ctx, const RequestContext& rc,
                                               const Asset& asset) {
  ADLOOM_TRY(assets_.set_index_state(rc, asset.id, IndexState::kIndexing, std::nullopt));
  ADLOOM_ASSIGN(std::string image, blobs_.get(asset.preview_key.value_or(asset.blob_key)));
  AnalyseOptions options;
  options.ocr = options_.ocr;
  const ModelCall call{{ctx.stop, kNoDeadline, &ctx.budget}, rc.workspace_id, {}, {}};
  ADLOOM_ASSIGN(ImageAnalysis a, analyser_.analyse(image, options, call));
  Json j = analysis_to_json(a);
  ADLOOM_TRY(assets_.set_analysis(rc, asset.id, j.dump(), a.ocr_text, a.description));
  Json out = {{"engine", a.engine},
              {"colours", a.colours.size()},
              {"ocr_ran", a.ocr_ran},
              {"ocr_chars", a.ocr_text.size()}};
  return out.dump();
}

Result<std::string> IndexAssetHandler::embed(StepContext& ctx, const RequestContext& rc,
                                             const Asset& asset) {
  std::optional<Campaign> campaign;
  if (asset.campaign_id) {
    auto c = assets_.get_campaign(rc, *asset.campaign_id);
    if (c) campaign = std::move(c).value();
  }
  EmbedInput input;
  input.text = asset_text(asset, campaign);
  // The thumbnail is enough for a model that looks at small images (the builtin one).
  const BlobKey& image_key = embedder_.image_side() <= kThumbSide && asset.thumb_key
                                 ? *asset.thumb_key
                                 : asset.preview_key.value_or(asset.blob_key);
  ADLOOM_ASSIGN(input.image, blobs_.get(image_key));
  const ModelCall call{{ctx.stop, kNoDeadline, &ctx.budget}, rc.workspace_id, {}, {}};
  ADLOOM_ASSIGN(std::vector<float> vec, embedder_.embed(input, call));
  ADLOOM_TRY(assets_.put_embedding(rc, asset.id, embedder_.model_id(), vec));
  return Json({{"model", embedder_.model_id()}, {"dimension", vec.size()}}).dump();
}

Result<std::string> IndexAssetHandler::index(const RequestContext& rc, const Asset& asset) {
  ADLOOM_ASSIGN(auto vec, assets_.get_embedding(rc, asset.id, embedder_.model_id()));
  if (!vec) return Status(ErrorCode::kFailedPrecondition, "no embedding stored for " + asset.id);
  ADLOOM_ASSIGN(auto nearest, index_.search(rc.workspace_id, *vec, 1, [&asset](std::int64_t label) {
    return label != asset.label;
  }));
  std::optional<AssetId> leader;
  if (!nearest.empty() && nearest[0].score >= options_.near_duplicate_similarity) {
    ADLOOM_ASSIGN(auto twin, assets_.find_asset_by_label(rc, nearest[0].label));
    if (twin) leader = twin->near_duplicate_of.value_or(twin->id);
    if (leader == asset.id) leader.reset();  // it leads the group itself
  }
  ADLOOM_TRY(assets_.set_near_duplicate(rc, asset.id, leader));
  ADLOOM_TRY(index_.upsert(rc.workspace_id, asset.label, *vec));
  ADLOOM_TRY(assets_.write_text_index(rc, asset.id));
  ADLOOM_TRY(assets_.set_index_state(rc, asset.id, IndexState::kIndexed, std::nullopt));
  return Json({{"label", asset.label},
               {"near_duplicate_of", leader ? Json(*leader) : Json(nullptr)}})
      .dump();
}

}  // namespace adloom
