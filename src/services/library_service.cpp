#include "services/library_service.h"

#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "core/sha256.h"
#include "services/kpi.h"

namespace adloom {

Result<AddedAsset> LibraryService::add_asset(const RequestContext& ctx, std::string_view bytes,
                                             const AssetUpload& upload) {
  if (!ctx.has_role(Role::kEditor)) {
    return Status(ErrorCode::kPermissionDenied, "adding assets needs the editor role");
  }
  ADLOOM_ASSIGN(std::vector<KpiValue> kpis, normalise_kpis(upload.kpis));
  for (auto& k : kpis) {
    if (k.source.empty()) k.source = "upload";
  }
  // Known bytes cost a hash and a lookup, not a decode: re-running an import is cheap.
  if (bytes.size() <= options_.limits.max_bytes) {
    ADLOOM_ASSIGN(std::optional<Asset> existing,
                  assets_.find_asset_by_sha256(ctx, sha256_hex(bytes)));
    if (existing) return add_known(ctx, std::move(*existing), kpis);
  }
  ADLOOM_ASSIGN(ImageInfo info, probe_image(bytes, options_.limits));

  // Decoded once, before anything is stored: a damaged file leaves nothing behind.
  ADLOOM_ASSIGN(Renditions renditions, make_renditions(bytes, info));

  // Blobs before the row: content-addressed, so a crash here leaves at worst unreferenced
  // blobs that a later upload of the same bytes reuses.
  ADLOOM_ASSIGN(BlobKey key, blobs_.put(bytes));
  ADLOOM_ASSIGN(BlobKey thumb_key, blobs_.put(renditions.thumb.bytes));
  BlobKey preview_key = key;
  if (renditions.preview) {
    ADLOOM_ASSIGN(preview_key, blobs_.put(renditions.preview->bytes));
  }

  NewAsset na;
  na.sha256 = key;
  na.mime = info.mime;
  na.bytes = static_cast<std::int64_t>(bytes.size());
  na.width = info.width;
  na.height = info.height;
  na.thumb_key = thumb_key;
  na.preview_key = preview_key;
  na.fields = upload.fields;
  na.campaign_id = upload.campaign_id;
  if (!na.campaign_id && upload.campaign) {
    ADLOOM_ASSIGN(Campaign campaign, assets_.upsert_campaign(ctx, *upload.campaign));
    na.campaign_id = campaign.id;
  }
  ADLOOM_ASSIGN(auto inserted, assets_.insert_asset(ctx, na));
  if (!inserted.second) return add_known(ctx, std::move(inserted.first), kpis);  // a race
  return add_known(ctx, std::move(inserted.first), kpis, /*duplicate=*/false);
}

Result<AddedAsset> LibraryService::add_known(const RequestContext& ctx, Asset asset,
                                             const std::vector<KpiValue>& kpis, bool duplicate) {
  AddedAsset out{std::move(asset), duplicate, std::nullopt};
  if (!kpis.empty()) {
    ADLOOM_TRY(assets_.set_asset_kpis(ctx, out.asset.id, kpis));
    ADLOOM_ASSIGN(out.asset, assets_.get_asset(ctx, out.asset.id));
  }
  if (out.asset.index_state != IndexState::kIndexed) {
    ADLOOM_ASSIGN(JobId job, reindex(ctx, out.asset.id));
    out.index_job = job;
  }
  return out;
}

Result<std::pair<Asset, JobId>> LibraryService::update_asset(const RequestContext& ctx,
                                                             const AssetId& id,
                                                             const AssetPatch& patch) {
  if (!ctx.has_role(Role::kEditor)) {
    return Status(ErrorCode::kPermissionDenied, "editing assets needs the editor role");
  }
  ADLOOM_ASSIGN(Asset asset, assets_.get_asset(ctx, id));
  AssetFields f = asset.fields;
  auto apply = [](const std::optional<std::string>& from, std::string& to) {
    if (from) to = *from;
  };
  apply(patch.description, f.description);
  apply(patch.channel, f.channel);
  apply(patch.objective, f.objective);
  apply(patch.audience, f.audience);
  apply(patch.start_date, f.start_date);
  apply(patch.end_date, f.end_date);
  if (patch.tags) f.tags = *patch.tags;
  std::optional<CampaignId> campaign_id = patch.campaign_id ? patch.campaign_id : asset.campaign_id;
  if (!patch.campaign_id && patch.campaign) {
    ADLOOM_ASSIGN(Campaign campaign, assets_.upsert_campaign(ctx, *patch.campaign));
    campaign_id = campaign.id;
  }
  ADLOOM_ASSIGN(Asset updated, assets_.update_asset(ctx, id, f, campaign_id));
  ADLOOM_ASSIGN(JobId job, reindex(ctx, id));
  return std::make_pair(std::move(updated), job);
}

Result<JobId> LibraryService::reindex(const RequestContext& ctx, const AssetId& id) {
  ADLOOM_ASSIGN(Asset asset, assets_.get_asset(ctx, id));
  JobSpec spec;
  spec.kind = "index_asset";
  spec.payload = nlohmann::json({{"asset_id", asset.id}}).dump();
  // One job per asset and index generation: re-uploading while it is queued reuses it.
  spec.idempotency_key = "index:" + asset.id + ":" + std::to_string(asset.updated_at);
  ADLOOM_ASSIGN(auto enqueued, jobs_.enqueue(ctx, spec));
  return enqueued.first.id;
}

Result<int> LibraryService::reindex_all(const RequestContext& ctx) {
  if (!ctx.has_role(Role::kEditor)) {
    return Status(ErrorCode::kPermissionDenied, "re-indexing needs the editor role");
  }
  // A key of its own per run: earlier runs' finished jobs must not stand in for this one,
  // while a retried request of this run (same ctx.request_id) queues nothing twice.
  const std::string run = ctx.request_id.empty() ? random_hex(8) : ctx.request_id;
  AssetFilter filter;
  filter.limit = 500;
  int queued = 0;
  while (true) {
    ADLOOM_ASSIGN(AssetPage page, assets_.list_assets(ctx, filter));
    for (const Asset& asset : page.assets) {
      JobSpec spec;
      spec.kind = "index_asset";
      spec.payload = nlohmann::json({{"asset_id", asset.id}}).dump();
      spec.idempotency_key = "reindex:" + run + ":" + asset.id;
      ADLOOM_TRY(jobs_.enqueue(ctx, spec).status());
      ++queued;
    }
    if (!page.next_cursor) return queued;
    filter.before = page.next_cursor;
  }
}

}  // namespace adloom
