// LibraryService: past campaigns and their images. Adding an asset checks the bytes
// (type from content, size and pixel limits), stores the original and its renditions in
// the BlobStore, records the asset (de-duplicated by SHA-256 within the workspace), its
// campaign and KPIs, and enqueues its indexing job. No HTTP, no SQL here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blob/blob_store.h"
#include "imaging/image.h"
#include "jobs/job_queue.h"
#include "store/asset_store.h"

namespace adloom {

struct LibraryOptions {
  IntakeLimits limits;
};

// What an uploader tells about one image.
struct AssetUpload {
  std::optional<CampaignId> campaign_id;   // an existing campaign, or
  std::optional<CampaignFields> campaign;  // one found or created by name
  AssetFields fields;
  std::vector<KpiValue> kpis;
};

// A partial update: only present members change.
struct AssetPatch {
  std::optional<CampaignId> campaign_id;
  std::optional<CampaignFields> campaign;  // found or created by name
  std::optional<std::string> description;
  std::optional<std::string> channel;
  std::optional<std::string> objective;
  std::optional<std::string> audience;
  std::optional<std::string> start_date;
  std::optional<std::string> end_date;
  std::optional<std::vector<std::string>> tags;
};

struct AddedAsset {
  Asset asset;
  bool duplicate = false;  // the same bytes were already in the workspace
  std::optional<JobId> index_job;
};

class LibraryService {
 public:
  // All references must outlive the service.
  LibraryService(AssetStore& assets, BlobStore& blobs, JobQueue& jobs, LibraryOptions options)
      : assets_(assets), blobs_(blobs), jobs_(jobs), options_(options) {}

  // Errors: kInvalidArgument (not an image, damaged, bad metadata or KPIs, each in plain
  // words), kPayloadTooLarge (byte or pixel limit), kPermissionDenied (role below editor).
  // A duplicate is not an error: the existing asset is returned with duplicate = true, and
  // its metadata and KPIs are left as they were (KPIs given are still merged).
  Result<AddedAsset> add_asset(const RequestContext& ctx, std::string_view bytes,
                               const AssetUpload& upload);

  // Applies the present fields of `patch` (absent ones are kept) and re-indexes the asset,
  // since its text changed. Returns the asset and the indexing job.
  Result<std::pair<Asset, JobId>> update_asset(const RequestContext& ctx, const AssetId& id,
                                               const AssetPatch& patch);

  // Enqueues (re)indexing of one asset; idempotent while a job for it is pending.
  Result<JobId> reindex(const RequestContext& ctx, const AssetId& id);

  // Re-indexes every asset of the workspace from what is stored (after switching the
  // embedding model, or to rebuild the indexes): one new index_asset job per asset.
  // Returns how many were queued. kPermissionDenied below the editor role.
  Result<int> reindex_all(const RequestContext& ctx);

 private:
  // The rest of add_asset once the asset row exists: KPIs merged, indexing enqueued
  // unless already indexed (the same job while one is pending).
  Result<AddedAsset> add_known(const RequestContext& ctx, Asset asset,
                               const std::vector<KpiValue>& kpis, bool duplicate = true);

  AssetStore& assets_;
  BlobStore& blobs_;
  JobQueue& jobs_;
  LibraryOptions options_;
};

}  // namespace adloom
