#include "jobs/generate_images.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "services/generation_service.h"

namespace adloom {
namespace {

using nlohmann::json;

struct Payload {
  std::string generation_id;
  int n = 0;
};

Result<Payload> payload_of(const Job& job) {
  const json j = json::parse(job.payload, nullptr, false);
  if (!j.is_object() || !j.contains("generation_id") || !j["generation_id"].is_string() ||
      !j.contains("n") || !j["n"].is_number_integer()) {
    return invalid_argument("payload must be {\"generation_id\": \"gen_…\", \"n\": count}");
  }
  Payload p{j["generation_id"].get<std::string>(), j["n"].get<int>()};
  if (p.n < 1 || p.n > GenerationService::kMaxImages) return invalid_argument("bad n");
  return p;
}

std::string slot_output(const GenerationImage& image) {
  return json{{"slot", image.slot},
              {"outcome", image_outcome_name(image.outcome)},
              {"asset_id", image.asset_id ? json(*image.asset_id) : json(nullptr)},
              {"reason", image.reason}}
      .dump();
}

// The first sentence of the description, when short enough to print on an ad.
std::string body_line(const std::string& description) {
  constexpr std::size_t kMaxBody = 80;
  std::string line = description.substr(0, description.find_first_of(".!?\n"));
  return line.size() <= kMaxBody ? line : "";
}

std::vector<std::string> palette_in_role_order(const BrandKit& kit) {
  static const char* const kRoles[] = {"primary", "secondary", "accent", "background", "text"};
  std::vector<std::string> out;
  for (const char* role : kRoles) {
    for (const auto& c : kit.fields.palette) {
      if (c.role == role) {
        out.push_back(c.hex);
        break;
      }
    }
  }
  if (out.empty()) {
    for (const auto& c : kit.fields.palette) out.push_back(c.hex);
  }
  return out;
}

}  // namespace

Result<StoredImage> store_generated_image(const GeneratedImage& image,
                                          const ProvenanceRecord& record, Provenance& provenance,
                                          BlobStore& blobs, const IntakeLimits& limits) {
  ADLOOM_ASSIGN(std::string marked, provenance.apply(image.bytes, image.mime, record));
  ADLOOM_ASSIGN(ImageInfo info, probe_image(marked, limits));
  // One full decode: the thumbnail comes from the preview (a JPEG that shrinks on load).
  ADLOOM_ASSIGN(EncodedImage preview, make_rendition(marked, kGeneratedPreviewSide));
  ADLOOM_ASSIGN(EncodedImage thumb, make_rendition(preview.bytes, kThumbSide));
  ADLOOM_ASSIGN(BlobKey key, blobs.put(marked));
  ADLOOM_ASSIGN(BlobKey thumb_key, blobs.put(thumb.bytes));
  ADLOOM_ASSIGN(BlobKey preview_key, blobs.put(preview.bytes));
  StoredImage out;
  NewAsset& a = out.asset;
  a.kind = "generated";
  a.review_state = ReviewState::kPending;
  a.sha256 = key;
  a.mime = info.mime;
  a.bytes = static_cast<std::int64_t>(marked.size());
  a.width = info.width;
  a.height = info.height;
  a.thumb_key = thumb_key;
  a.preview_key = preview_key;
  return out;
}

Result<std::vector<std::string>> GenerateImagesHandler::plan(const Job& job) const {
  ADLOOM_ASSIGN(Payload p, payload_of(job));
  std::vector<std::string> steps;
  for (int i = 1; i <= p.n; ++i) steps.push_back("image-" + std::to_string(i));
  steps.emplace_back("finish");
  return steps;
}

Result<std::string> GenerateImagesHandler::run_step(StepContext& ctx, int index) {
  ADLOOM_ASSIGN(Payload p, payload_of(ctx.lease.job));
  auto rc = RequestContext::system(ctx.lease.workspace_id, ctx.lease.job_id);
  if (index < p.n) return make_image(ctx, rc, p.generation_id, index);
  ADLOOM_ASSIGN(Generation g, creative_.finish_generation(rc, p.generation_id));
  return json{{"generation_id", g.id}, {"state", generation_state_name(g.state)}}.dump();
}

Result<ImageRequest> GenerateImagesHandler::request_for(const RequestContext& rc,
                                                        const Generation& g,
                                                        const CampaignRecord& campaign, int slot,
                                                        std::string* variant_name) {
  ADLOOM_ASSIGN(GenerationParams params, parse_generation_params(g.params));
  ADLOOM_ASSIGN(auto versions, creative_.prompt_versions(rc, g.campaign_id));
  const PromptVersion* version = nullptr;
  for (const auto& v : versions) {
    if (v.id == g.prompt_version_id) version = &v;
  }
  if (version == nullptr) return not_found("prompt version " + g.prompt_version_id + " is gone");

  ImageRequest r;
  r.prompt = version->prompt;
  const json variants = json::parse(version->variants, nullptr, false);
  if (variants.is_array() && !variants.empty()) {
    const json& v = variants[static_cast<std::size_t>(slot) % variants.size()];
    r.prompt = v.value("prompt", r.prompt);
    *variant_name = v.value("name", "");
  }
  r.negative_prompt = version->negative_prompt;
  r.width = params.width;
  r.height = params.height;
  r.seed = params.seed + static_cast<std::uint64_t>(slot);
  r.quality = params.quality;
  r.style = params.style;
  const CampaignFields& f = campaign.campaign.fields;
  r.content.headline = campaign.plan.product.empty() ? f.name : campaign.plan.product;
  r.content.body = body_line(f.description);
  r.content.call_to_action = campaign.plan.call_to_action;
  if (campaign.plan.brand_kit_id) {
    ADLOOM_ASSIGN(BrandKit kit, brands_.get_brand_kit(rc, *campaign.plan.brand_kit_id));
    r.palette = palette_in_role_order(kit);
    r.content.font_family = kit.fields.font_family;
    for (const auto& d : kit.fields.disclosures) {
      r.content.disclosure += (r.content.disclosure.empty() ? "" : " ") + d;
    }
    if (kit.fields.logo) {
      ADLOOM_ASSIGN(Asset logo, assets_.get_asset(rc, *kit.fields.logo));
      ADLOOM_ASSIGN(r.content.logo_image, blobs_.get(logo.preview_key.value_or(logo.blob_key)));
    }
  }
  // The hero: the image to vary, else the selected references in turn.
  std::optional<AssetId> hero = params.variation_of;
  if (!hero && !g.references.empty()) hero = g.references[slot % g.references.size()];
  if (hero) {
    ADLOOM_ASSIGN(Asset asset, assets_.get_asset(rc, *hero));
    ADLOOM_ASSIGN(std::string bytes, blobs_.get(asset.preview_key.value_or(asset.blob_key)));
    if (params.variation_of) r.init_image = bytes;
    r.content.hero_image = std::move(bytes);
  }
  return r;
}

Result<std::string> GenerateImagesHandler::make_image(StepContext& ctx, const RequestContext& rc,
                                                      const std::string& generation_id, int slot) {
  ADLOOM_ASSIGN(auto done, creative_.generation_images(rc, generation_id));
  for (const auto& image : done) {
    if (image.slot == slot) return slot_output(image);  // made before a crash
  }
  ADLOOM_ASSIGN(Generation g, creative_.generation(rc, generation_id));
  ADLOOM_ASSIGN(GenerationParams params, parse_generation_params(g.params));
  ctx.report("image " + std::to_string(slot + 1) + " of " + std::to_string(params.n));
  GenerationImage image;
  image.generation_id = generation_id;
  image.slot = slot;
  image.seed = params.seed + static_cast<std::uint64_t>(slot);
  ADLOOM_ASSIGN(CampaignRecord campaign, campaigns_.get_campaign_record(rc, g.campaign_id));
  ADLOOM_ASSIGN(ImageRequest request, request_for(rc, g, campaign, slot, &image.variant));
  image.prompt = request.prompt;
  if (ctx.stop.stop_requested()) return cancelled("stopped before image " + std::to_string(slot));

  const auto started = std::chrono::steady_clock::now();
  const ModelCall call{
      {ctx.stop, kNoDeadline, &ctx.budget}, rc.workspace_id, g.campaign_id, generation_id};
  auto made = model_.generate(request, call);
  image.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::optional<NewAsset> asset;
  if (made) {
    image.model = made->model;
    const ProvenanceRecord record{image.prompt, made->model, image.seed, g.campaign_id,
                                  campaign.campaign.fields.name};
    auto stored = store_generated_image(*made, record, provenance_, blobs_, limits_);
    if (!stored) {
      if (is_retryable(stored.status().code())) return stored.status();
      image.outcome = ImageOutcome::kFailed;
      image.reason = "the model's image could not be stored: " + stored.status().message();
    } else {
      asset = std::move(stored->asset);
      asset->campaign_id = g.campaign_id;
      asset->fields.original_name = generation_id + "-" + std::to_string(slot + 1) + ".png";
      asset->fields.description = image.variant.empty() ? image.prompt : image.variant;
    }
  } else if (made.status().code() == ErrorCode::kRefused) {
    image.outcome = ImageOutcome::kRefused;
    image.reason = made.status().message();
  } else if (made.status().code() == ErrorCode::kCancelled ||
             (is_retryable(made.status().code()) &&
              ctx.lease.attempt < ctx.lease.job.max_attempts && ctx.budget.tries_left > 0)) {
    // Cancelled (or the lease lost): nothing to record. Transient with tries left (e.g. the
    // provider's circuit is open): the queue retries with backoff.
    return made.status();
  } else {
    image.outcome = ImageOutcome::kFailed;
    image.reason = made.status().message();
  }
  image.model = image.model.empty() ? model_.name() : image.model;
  ADLOOM_ASSIGN(GenerationImage recorded, creative_.record_image(rc, image, asset));
  return slot_output(recorded);
}

}  // namespace adloom
