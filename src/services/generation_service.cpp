#include "services/generation_service.h"

#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "core/text.h"
#include "models/meta_prompt.h"
#include "services/campaign_service.h"
#include "services/prompt_service.h"

namespace adloom {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxStyle = 200;  // characters

// A base seed below 2^53, so it survives JSON readers that use doubles.
std::uint64_t random_seed() {
  constexpr std::uint64_t kMask = (std::uint64_t{1} << 53) - 1;
  return std::stoull(random_hex(8), nullptr, 16) & kMask;
}

// The brief as generation starts: the meta-prompt's brief object and the brand kit.
json brief_snapshot(const CampaignRecord& r) {
  json out = brief_json(brief_of(r));
  out["brand_kit"] = r.plan.brand_kit_id ? json(*r.plan.brand_kit_id) : json(nullptr);
  return out;
}

}  // namespace

std::string generation_params_json(const GenerationParams& p) {
  return json{{"n", p.n},
              {"width", p.width},
              {"height", p.height},
              {"seed", p.seed},
              {"quality", p.quality},
              {"style", p.style},
              {"variation_of", p.variation_of ? json(*p.variation_of) : json(nullptr)}}
      .dump();
}

Result<GenerationParams> parse_generation_params(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return invalid_argument("generation parameters are not a JSON object");
  try {
    GenerationParams p;
    p.n = j.at("n").get<int>();
    p.width = j.at("width").get<int>();
    p.height = j.at("height").get<int>();
    p.seed = j.at("seed").get<std::uint64_t>();
    p.quality = j.value("quality", "standard");
    p.style = j.value("style", "");
    if (j.contains("variation_of") && j["variation_of"].is_string()) {
      p.variation_of = j["variation_of"].get<std::string>();
    }
    return p;
  } catch (const json::exception& e) {
    return invalid_argument(std::string("generation parameters: ") + e.what());
  }
}

Result<std::pair<Generation, JobId>> GenerationService::start(const RequestContext& ctx,
                                                              const CampaignId& id,
                                                              const GenerationRequest& r) {
  if (!ctx.has_role(Role::kEditor)) {
    return Status(ErrorCode::kPermissionDenied, "generating images needs the editor role");
  }
  if (r.n < 1 || r.n > kMaxImages) {
    return invalid_argument("n must be between 1 and " + std::to_string(kMaxImages));
  }
  if (r.quality != "standard" && r.quality != "premium") {
    return invalid_argument("quality must be \"standard\" or \"premium\"");
  }
  if (utf8_length(r.style) > kMaxStyle) {
    return invalid_argument("style must be at most " + std::to_string(kMaxStyle) + " characters");
  }
  ADLOOM_ASSIGN(CampaignRecord campaign, campaigns_.get_campaign_record(ctx, id));
  GenerationParams p;
  p.n = r.n;
  p.width = kDefaultSide;
  p.height = kDefaultSide;
  if (!campaign.plan.format.empty()) {
    ADLOOM_ASSIGN(auto size, parse_format(campaign.plan.format));
    p.width = size.first;
    p.height = size.second;
  }
  if (r.width || r.height) {
    if (!r.width || !r.height) return invalid_argument("give both width and height, or neither");
    ADLOOM_ASSIGN(auto size,
                  parse_format(std::to_string(*r.width) + "x" + std::to_string(*r.height)));
    p.width = size.first;
    p.height = size.second;
  }
  p.seed = r.seed.value_or(random_seed());
  p.quality = r.quality;
  p.style = r.style;
  if (r.variation_of) {
    auto source = assets_.get_asset(ctx, *r.variation_of);
    if (!source) {
      return invalid_argument("variation_of: asset " + *r.variation_of +
                              " does not exist in this workspace");
    }
    p.variation_of = r.variation_of;
  }
  auto prompt = creative_.prompt_version(ctx, id, r.prompt_version);
  if (!prompt) {
    if (prompt.status().code() != ErrorCode::kNotFound || r.prompt_version != 0) {
      return prompt.status();
    }
    return Status(ErrorCode::kFailedPrecondition,
                  "campaign " + id +
                      " has no prompt yet: write one first (POST /api/v1/"
                      "campaigns/" +
                      id + "/prompts)");
  }
  ADLOOM_ASSIGN(std::vector<SelectedReference> refs, creative_.references(ctx, id));

  Generation g;
  g.campaign_id = id;
  g.prompt_version_id = prompt->id;
  g.engine = image_model_.name();
  g.params = generation_params_json(p);
  g.brief = brief_snapshot(campaign).dump();
  for (const auto& ref : refs) g.references.push_back(ref.asset_id);
  ADLOOM_ASSIGN(Generation started, creative_.start_generation(ctx, g));

  JobSpec spec;
  spec.kind = "generate_images";
  spec.payload = json{{"generation_id", started.id}, {"n", p.n}}.dump();
  spec.idempotency_key = "generate:" + started.id;
  auto job = jobs_.enqueue(ctx, spec);
  if (!job) {
    (void)creative_.finish_generation(ctx, started.id);  // nothing was made: back out
    return job.status();
  }
  ADLOOM_TRY(creative_.set_generation_job(ctx, started.id, job->first.id));
  started.job_id = job->first.id;
  return std::make_pair(std::move(started), job->first.id);
}

Result<GenerationView> GenerationService::cancel(const RequestContext& ctx,
                                                 const std::string& generation_id) {
  if (!ctx.has_role(Role::kEditor)) {
    return Status(ErrorCode::kPermissionDenied, "cancelling a generation needs the editor role");
  }
  ADLOOM_ASSIGN(Generation g, creative_.generation(ctx, generation_id));
  if (g.state != GenerationState::kRunning) {
    return conflict("generation " + generation_id + " has already " +
                    (g.state == GenerationState::kCanceled
                         ? std::string("been canceled")
                         : "finished (" + std::string(generation_state_name(g.state)) + ")"));
  }
  if (!g.job_id.empty()) {
    auto job = jobs_.cancel(ctx, g.job_id);
    // A job that ended meanwhile is fine: the generation is ended here either way.
    if (!job && job.status().code() != ErrorCode::kConflict) return job.status();
  }
  ADLOOM_TRY(creative_.finish_generation(ctx, generation_id, /*canceled=*/true).status());
  return get(ctx, generation_id);
}

Status GenerationService::job_ended(const Job& job) {
  if (job.kind != "generate_images" ||
      (job.state != JobState::kCanceled && job.state != JobState::kDead)) {
    return Status::ok();
  }
  const json payload = json::parse(job.payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("generation_id") ||
      !payload["generation_id"].is_string()) {
    return invalid_argument("generate_images job " + job.id + " has no generation_id");
  }
  const auto ctx = RequestContext::system(job.workspace_id, job.id);
  return creative_
      .finish_generation(ctx, payload["generation_id"].get<std::string>(),
                         job.state == JobState::kCanceled)
      .status();
}

Result<GenerationView> GenerationService::get(const RequestContext& ctx,
                                              const std::string& generation_id) {
  GenerationView view;
  ADLOOM_ASSIGN(view.generation, creative_.generation(ctx, generation_id));
  ADLOOM_ASSIGN(view.images, creative_.generation_images(ctx, generation_id));
  return view;
}

Result<std::vector<GenerationView>> GenerationService::list(const RequestContext& ctx,
                                                            const CampaignId& id) {
  ADLOOM_ASSIGN(std::vector<Generation> gens, creative_.generations(ctx, id));
  std::vector<GenerationView> out;
  for (auto& g : gens) {
    GenerationView view;
    ADLOOM_ASSIGN(view.images, creative_.generation_images(ctx, g.id));
    view.generation = std::move(g);
    out.push_back(std::move(view));
  }
  return out;
}

}  // namespace adloom
