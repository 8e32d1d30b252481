// The generation workflow (job kind "generate_images", payload {"generation_id", "n"}):
//   image-1 … image-n -> finish
// image-i: unless slot i-1 is already recorded (a re-run after a crash), builds the image
//          request (the prompt version's variant i-1 mod count, else its prompt; seed =
//          base + i-1; the brand palette, font and logo; the campaign's copy; the
//          variation image, else a selected reference, as the hero), calls the ImageModel,
//          applies Provenance, makes renditions, stores the blobs and records the slot
//          with its generated asset (review pending) in one transaction. A refusal is
//          recorded with its reason; a transient failure is retried by the queue, and
//          recorded as failed on the last attempt.
// finish:  marks the generation finished and moves the campaign on (creative_store.h).
// Generated images are indexed for search only once approved (services/review_service.h).
#pragma once

#include "blob/blob_store.h"
#include "imaging/image.h"
#include "imaging/provenance.h"
#include "jobs/job_handler.h"
#include "models/image_model.h"
#include "store/brand_store.h"
#include "store/campaign_store.h"
#include "store/creative_store.h"

namespace adloom {

// Previews of generated images are at most this many pixels on their longer side: large
// enough to review on screen, not a deliverable before approval (the full resolution is
// only served once approved).
constexpr int kGeneratedPreviewSide = 768;

// A generated image ready to record: the marked original in the blob store, its
// renditions, and the asset row to insert.
struct StoredImage {
  NewAsset asset;
};

// Provenance, probe, renditions and blobs for one model output: adloom's own work per
// generated image (bench/generate measures it). kInvalidArgument when the model's bytes
// are not an image within `limits`.
Result<StoredImage> store_generated_image(const GeneratedImage& image,
                                          const ProvenanceRecord& record, Provenance& provenance,
                                          BlobStore& blobs, const IntakeLimits& limits);

class GenerateImagesHandler final : public JobHandler {
 public:
  // All references must outlive the handler.
  GenerateImagesHandler(CreativeStore& creative, CampaignStore& campaigns, BrandStore& brands,
                        AssetStore& assets, BlobStore& blobs, ImageModel& model,
                        Provenance& provenance, IntakeLimits limits)
      : creative_(creative),
        campaigns_(campaigns),
        brands_(brands),
        assets_(assets),
        blobs_(blobs),
        model_(model),
        provenance_(provenance),
        limits_(limits) {}

  Result<std::vector<std::string>> plan(const Job& job) const override;
  Result<std::string> run_step(StepContext& ctx, int index) override;

 private:
  Result<std::string> make_image(StepContext& ctx, const RequestContext& rc,
                                 const std::string& generation_id, int slot);
  Result<ImageRequest> request_for(const RequestContext& rc, const Generation& g,
                                   const CampaignRecord& campaign, int slot,
                                   std::string* variant_name);

  CreativeStore& creative_;
  CampaignStore& campaigns_;
  BrandStore& brands_;
  AssetStore& assets_;
  BlobStore& blobs_;
  ImageModel& model_;
  Provenance& provenance_;
  IntakeLimits limits_;
};

}  // namespace adloom
