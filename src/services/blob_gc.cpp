#include "services/blob_gc.h"

namespace adloom {

Result<BlobSweep> sweep_orphan_blobs(AssetStore& assets, BlobStore& blobs, TimeMs now,
                                     TimeMs min_age_ms, const std::stop_token& stop) {
  BlobSweep sweep;
  ADLOOM_TRY(blobs.for_each([&](const BlobKey& key, TimeMs modified) -> Status {
    if (stop.stop_requested()) return Status(ErrorCode::kCancelled, "sweep stopped");
    ++sweep.seen;
    if (now - modified < min_age_ms) return Status::ok();
    ADLOOM_ASSIGN(bool referenced, assets.is_blob_referenced(key));
    if (referenced) return Status::ok();
    ADLOOM_TRY(blobs.remove(key));
    ++sweep.removed;
    return Status::ok();
  }));
  return sweep;
}

}  // namespace adloom
