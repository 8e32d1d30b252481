// The indexing workflow of one asset (job kind "index_asset", payload {"asset_id": "…"}):
//   analyse -> embed -> index
// analyse: the ImageAnalyser on the preview rendition; stores colours, OCR text and the
//          description on the asset.
// embed:   the Embedder on the asset's text (its own, its campaign's, OCR, tags) and its
//          thumbnail or preview (see Embedder::image_side); stores the vector in the metadata store
//          (source of truth).
// index:   finds the asset's near-duplicate group (the most similar indexed asset, when
//          its cosine is at least near_duplicate_similarity, leads it, or that asset's own
//          leader does), puts the stored vector in the VectorIndex shard, rewrites the
//          full-text row and marks the asset indexed.
// Every step overwrites what it writes, so re-running a step after a crash is harmless.
#pragma once

#include "blob/blob_store.h"
#include "imaging/image.h"
#include "jobs/job_handler.h"
#include "models/embedder.h"
#include "models/image_analyser.h"
#include "search/vector_index.h"
#include "store/asset_store.h"

namespace adloom {

class IndexAssetHandler final : public JobHandler {
 public:
  struct Options {
    bool ocr = true;
    // Cosine at or above which two assets are near-duplicates (the same picture resized,
    // recompressed or with a small edit, described alike).
    double near_duplicate_similarity = 0.97;
  };
  // All references must outlive the handler.
  IndexAssetHandler(AssetStore& assets, BlobStore& blobs, ImageAnalyser& analyser,
                    Embedder& embedder, VectorIndex& index, Options options)
      : assets_(assets),
        blobs_(blobs),
        analyser_(analyser),
        embedder_(embedder),
        index_(index),
        options_(options) {}

  Result<std::vector<std::string>> plan(const Job& job) const override;
  Result<std::string> run_step(StepContext& ctx, int index) override;

 private:
  Result<std::string> analyse(StepContext& ctx, const RequestContext& rc, const Asset& asset);
  Result<std::string> embed(StepContext& ctx, const RequestContext& rc, const Asset& asset);
  Result<std::string> index(const RequestContext& rc, const Asset& asset);

  AssetStore& assets_;
  BlobStore& blobs_;
  ImageAnalyser& analyser_;
  Embedder& embedder_;
  VectorIndex& index_;
  Options options_;
};

// The text an asset is embedded and searched by: campaign name and description, the
// asset's description, the analyser's description, OCR text and tags.
std::string asset_text(const Asset& asset, const std::optional<Campaign>& campaign);

}  // namespace adloom
