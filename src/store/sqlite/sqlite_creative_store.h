// CreativeStore on SQLite: campaign_references, prompt_versions, generations,
// generation_references, generation_images and reviews (migration 6), with the audit log.
// Shares the Database with the other SQLite stores.
#pragma once

#include "core/clock.h"
#include "store/creative_store.h"
#include "store/sqlite/sqlite_db.h"

namespace adloom {

class SqliteCreativeStore final : public CreativeStore {
 public:
  // `db` and `clock` must outlive the store.
  SqliteCreativeStore(sqlite::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Status set_references(const RequestContext& ctx, const CampaignId& campaign,
                        const std::vector<AssetId>& assets) override;
  Result<std::vector<SelectedReference>> references(const RequestContext& ctx,
                                                    const CampaignId& campaign) override;
  Result<PromptVersion> add_prompt_version(const RequestContext& ctx, const CampaignId& campaign,
                                           const NewPromptVersion& version) override;
  Result<std::vector<PromptVersion>> prompt_versions(const RequestContext& ctx,
                                                     const CampaignId& campaign) override;
  Result<PromptVersion> prompt_version(const RequestContext& ctx, const CampaignId& campaign,
                                       int version) override;
  Result<Generation> start_generation(const RequestContext& ctx,
                                      const Generation& generation) override;
  Status set_generation_job(const RequestContext& ctx, const std::string& generation_id,
                            const std::string& job_id) override;
  Result<Generation> generation(const RequestContext& ctx, const std::string& id) override;
  Result<std::vector<Generation>> generations(const RequestContext& ctx,
                                              const CampaignId& campaign) override;
  Result<std::vector<GenerationImage>> generation_images(const RequestContext& ctx,
                                                         const std::string& generation_id) override;
  Result<GenerationImage> record_image(const RequestContext& ctx, GenerationImage image,
                                       const std::optional<NewAsset>& asset) override;
  Result<Generation> finish_generation(const RequestContext& ctx, const std::string& generation_id,
                                       bool canceled = false) override;
  Result<ReviewPage> review_queue(const RequestContext& ctx,
                                  const ReviewQueueFilter& filter) override;
  Result<ReviewItem> review_item(const RequestContext& ctx, const AssetId& asset) override;
  Result<std::vector<ReviewItem>> decide(const RequestContext& ctx,
                                         const std::vector<Decision>& decisions) override;
  Result<std::vector<Credit>> credit(const RequestContext& ctx, const std::vector<AssetId>& assets,
                                     const std::string& metric) override;

 private:
  sqlite::Database& db_;
  const Clock& clock_;
};

}  // namespace adloom
