// AssetStore on SQLite. Shares the Database with the other SQLite stores.
#pragma once

#include "core/clock.h"
#include "store/asset_store.h"
#include "store/sqlite/sqlite_db.h"

namespace adloom {

class SqliteAssetStore final : public AssetStore {
 public:
  // `db` and `clock` must outlive the store.
  SqliteAssetStore(sqlite::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<Campaign> upsert_campaign(const RequestContext& ctx,
                                   const CampaignFields& fields) override;
  Result<Campaign> get_campaign(const RequestContext& ctx, const CampaignId& id) override;
  Result<std::vector<Campaign>> list_campaigns(const RequestContext& ctx) override;
  Status set_campaign_kpis(const RequestContext& ctx, const CampaignId& id,
                           const std::vector<KpiValue>& kpis) override;
  Result<std::pair<Asset, bool>> insert_asset(const RequestContext& ctx,
                                              const NewAsset& asset) override;
  Result<Asset> get_asset(const RequestContext& ctx, const AssetId& id) override;
  Result<std::optional<Asset>> find_asset_by_sha256(const RequestContext& ctx,
                                                    const std::string& sha256) override;
  Result<bool> is_blob_referenced(const std::string& key) override;
  Result<std::optional<Asset>> find_asset_by_label(const RequestContext& ctx,
                                                   std::int64_t label) override;
  Result<AssetPage> list_assets(const RequestContext& ctx, const AssetFilter& filter) override;
  Result<Asset> update_asset(const RequestContext& ctx, const AssetId& id,
                             const AssetFields& fields,
                             const std::optional<CampaignId>& campaign_id) override;
  Status set_asset_kpis(const RequestContext& ctx, const AssetId& id,
                        const std::vector<KpiValue>& kpis) override;
  Status set_analysis(const RequestContext& ctx, const AssetId& id,
                      const std::string& analysis_json, const std::string& ocr_text,
                      const std::string& description) override;
  Status set_index_state(const RequestContext& ctx, const AssetId& id, IndexState state,
                         const std::optional<std::string>& error) override;
  Status put_embedding(const RequestContext& ctx, const AssetId& id, const std::string& model,
                       const std::vector<float>& vector) override;
  Result<std::optional<std::vector<float>>> get_embedding(const RequestContext& ctx,
                                                          const AssetId& id,
                                                          const std::string& model) override;
  Result<std::map<std::string, std::int64_t>> embedding_models(const RequestContext& ctx) override;
  Result<std::int64_t> count_embeddings(const RequestContext& ctx,
                                        const std::string& model) override;
  Result<std::vector<std::pair<std::int64_t, std::vector<float>>>> list_embeddings(
      const RequestContext& ctx, const std::string& model) override;
  Status set_near_duplicate(const RequestContext& ctx, const AssetId& id,
                            const std::optional<AssetId>& leader) override;
  Result<std::int64_t> library_rev(const RequestContext& ctx) override;
  Result<CatalogChanges> catalog_changes(const RequestContext& ctx,
                                         std::int64_t since_rev) override;
  Status write_text_index(const RequestContext& ctx, const AssetId& id) override;
  Result<std::vector<std::string>> delete_asset(const RequestContext& ctx,
                                                const AssetId& id) override;

 private:
  sqlite::Database& db_;
  const Clock& clock_;
};

}  // namespace adloom
