// ReviewService: every generated image waits for a person. Reviewers see the queue,
// approve or reject (a reason is required to reject), one image or many at once; every
// decision is audited and the campaign moves to approved when its review is finished
// (store/creative_store.h). Approved images join the library: they are indexed for search,
// so later briefs find them with their lineage and credit. Only approved images can be
// downloaded in full resolution or exported. No HTTP, no SQL here.
// Roles: viewers read the queue; reviewers decide; viewers export approved images.
#pragma once

#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "services/library_service.h"
#include "store/creative_store.h"

namespace adloom {

struct ExportFile {
  std::string filename;  // "summer-sale-approved.zip"
  std::string bytes;     // application/zip
  int images = 0;
};

class ReviewService {
 public:
  static constexpr std::size_t kMaxDecisions = 100;  // per call
  static constexpr std::size_t kMaxReason = 1000;    // characters
  static constexpr int kMaxExport = 500;             // images per export

  // All references must outlive the service.
  ReviewService(CreativeStore& creative, CampaignStore& campaigns, BlobStore& blobs,
                LibraryService& library)
      : creative_(creative), campaigns_(campaigns), blobs_(blobs), library_(library) {}

  Result<ReviewPage> queue(const RequestContext& ctx, const ReviewQueueFilter& filter);
  // All or nothing. kInvalidArgument (no decisions, too many, a repeated image, a reject
  // without a reason, a reason too long), kPermissionDenied (below reviewer), kNotFound,
  // kConflict (already decided). Approved images are queued for indexing.
  Result<std::vector<ReviewItem>> decide(const RequestContext& ctx,
                                         std::vector<Decision> decisions);
  // The campaign's approved images: full resolution and preview, and manifest.csv (asset
  // id, file, prompt, model, seed, size, prompt version, reviewer, decision time, reason).
  // kFailedPrecondition when none is approved.
  Result<ExportFile> export_campaign(const RequestContext& ctx, const CampaignId& id);

 private:
  CreativeStore& creative_;
  CampaignStore& campaigns_;
  BlobStore& blobs_;
  LibraryService& library_;
};

// Whether `asset` may be downloaded in full resolution: anything but a generated image
// that is not approved. kPermissionDenied with the reason otherwise.
Status check_full_download(const Asset& asset);

}  // namespace adloom
