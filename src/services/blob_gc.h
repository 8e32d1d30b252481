// The orphan sweep: removes blobs that nothing refers to — what a crash between storing a
// file's blobs and recording its asset leaves behind, or an asset deleted while a blob
// removal failed. `adloom serve` runs it once in the background after it starts.
#pragma once

#include <cstdint>
#include <stop_token>

#include "blob/blob_store.h"
#include "store/asset_store.h"

namespace adloom {

struct BlobSweep {
  int seen = 0;     // objects listed
  int removed = 0;  // orphans removed
};

// Removes every blob that AssetStore::is_blob_referenced() says nothing needs and whose
// last write is at least `min_age_ms` before `now`. Young blobs are spared: an upload or
// import in another process may have stored them and be about to record its asset (a
// put() of bytes already stored counts as a write). Errors from the stores end the sweep;
// so does `stop` (kCancelled).
Result<BlobSweep> sweep_orphan_blobs(AssetStore& assets, BlobStore& blobs, TimeMs now,
                                     TimeMs min_age_ms, const std::stop_token& stop = {});

}  // namespace adloom
