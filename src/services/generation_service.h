// GenerationService: asks for images of a campaign. A generation records what it was made
// from (the brief as it is now, the selected references, a prompt version, the engine and
// its parameters), moves the campaign to generating and queues a "generate_images" job
// (jobs/generate_images.h) that makes one image per slot. No HTTP, no SQL here.
// Roles: viewers read; editors generate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "jobs/job_queue.h"
#include "models/image_model.h"
#include "store/asset_store.h"
#include "store/campaign_store.h"
#include "store/creative_store.h"

namespace adloom {

struct GenerationRequest {
  int n = 5;  // 1..kMaxImages
  // The output size; absent: the campaign's format, else 1024×1024.
  std::optional<int> width;
  std::optional<int> height;
  std::optional<std::uint64_t> seed;    // slot i gets seed + i; absent: a random base
  std::string quality = "standard";     // "standard" | "premium"
  std::string style;                    // free words, up to 200 characters
  int prompt_version = 0;               // 0: the latest
  std::optional<AssetId> variation_of;  // an image of the workspace to make variations of
};

// What the job reads back (Generation::params holds it as JSON).
struct GenerationParams {
  int n = 5;
  int width = 1024;
  int height = 1024;
  std::uint64_t seed = 0;
  std::string quality;
  std::string style;
  std::optional<AssetId> variation_of;
};
std::string generation_params_json(const GenerationParams& p);
Result<GenerationParams> parse_generation_params(const std::string& json);

struct GenerationView {
  Generation generation;
  std::vector<GenerationImage> images;  // the slots made so far, in order
};

class GenerationService {
 public:
  static constexpr int kMaxImages = 20;
  static constexpr int kDefaultSide = 1024;

  // All references must outlive the service.
  GenerationService(CampaignStore& campaigns, AssetStore& assets, CreativeStore& creative,
                    JobQueue& jobs, ImageModel& image_model)
      : campaigns_(campaigns),
        assets_(assets),
        creative_(creative),
        jobs_(jobs),
        image_model_(image_model) {}

  // Errors: kInvalidArgument (n, size, quality, style, an unknown variation image),
  // kFailedPrecondition (the campaign has no prompt yet), kConflict (the campaign cannot
  // generate in its state), kPermissionDenied (below editor).
  Result<std::pair<Generation, JobId>> start(const RequestContext& ctx, const CampaignId& id,
                                             const GenerationRequest& request);
  // Stops a running generation: its job is cancelled (the image being made may still be
  // recorded) and the generation ends as canceled, moving the campaign on as a finished
  // one would. kConflict when it has finished already; kPermissionDenied below editor.
  Result<GenerationView> cancel(const RequestContext& ctx, const std::string& generation_id);
  // A generation whose job ended without finishing it — cancelled through the jobs API, or
  // dead after its last attempt — ends too (canceled, or finished as failed/succeeded by
  // what it made), so its campaign moves on instead of staying in generating. Jobs of other
  // kinds and other states are ignored. For the queue's observer (after commit).
  Status job_ended(const Job& job);
  Result<GenerationView> get(const RequestContext& ctx, const std::string& generation_id);
  Result<std::vector<GenerationView>> list(const RequestContext& ctx, const CampaignId& id);

 private:
  CampaignStore& campaigns_;
  AssetStore& assets_;
  CreativeStore& creative_;
  JobQueue& jobs_;
  ImageModel& image_model_;
};

}  // namespace adloom
