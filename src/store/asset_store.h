// AssetStore: the library's records — past campaigns, assets (images with their metadata,
// renditions, analysis and index state), KPIs and embeddings. The metadata store is the
// source of truth: the vector and text indexes are rebuilt from what is here.
//
// Every method is scoped by ctx.workspace_id: a row of another workspace is "not found".
// Thread safety: every method may be called concurrently. Errors: kNotFound, kInvalidArgument
// (validation), kUnavailable (busy), kInternal.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/request_context.h"
#include "core/status.h"

namespace adloom {

using CampaignId = std::string;  // "cmp_…"
using AssetId = std::string;     // "ast_…"

struct KpiValue {
  std::string metric;  // "impressions", "clicks", "ctr", … or any name
  double value = 0;
  std::string period;  // free text such as "2026-Q3"; "" for the lifetime value
  std::string source;  // "upload", "csv:file.csv", "api", …
  TimeMs updated_at = 0;
};

struct CampaignFields {
  std::string name;  // unique within the workspace
  std::string description;
  std::string channel;    // instagram, facebook, display, search, email, print, …
  std::string objective;  // awareness, clicks, likes, followers, conversions, …
  std::string audience;
  std::string start_date;  // ISO date "2026-06-01" or ""
  std::string end_date;
  bool operator==(const CampaignFields&) const = default;
};

struct Campaign {
  CampaignId id;
  WorkspaceId workspace_id;
  CampaignFields fields;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  std::vector<KpiValue> kpis;
};

enum class IndexState { kPending, kIndexing, kIndexed, kFailed };
std::string_view index_state_name(IndexState state);
std::optional<IndexState> parse_index_state(std::string_view name);

// Human review of an image: past creative needs none ("none"); a generated image starts
// "pending" and a reviewer approves or rejects it.
enum class ReviewState { kNone, kPending, kApproved, kRejected };
std::string_view review_state_name(ReviewState state);
std::optional<ReviewState> parse_review_state(std::string_view name);

// What the uploader says about an asset; empty fields are inherited from its campaign
// when read for indexing, never copied.
struct AssetFields {
  std::string original_name;
  std::string description;
  std::string channel;
  std::string objective;
  std::string audience;
  std::string start_date;
  std::string end_date;
  std::vector<std::string> tags;
};

struct NewAsset {
  std::string kind = "uploaded";  // "uploaded" | "generated"
  std::optional<CampaignId> campaign_id;
  std::string sha256;  // of the original bytes = its blob key
  std::string mime;
  std::int64_t bytes = 0;
  int width = 0;
  int height = 0;
  std::optional<std::string> thumb_key;
  std::optional<std::string> preview_key;
  AssetFields fields;
  ReviewState review_state = ReviewState::kNone;  // generated images: kPending
};

struct Asset {
  AssetId id;
  WorkspaceId workspace_id;
  std::int64_t label = 0;  // numeric id for the vector index, unique across the install
  std::string kind;
  std::optional<CampaignId> campaign_id;
  std::string sha256;
  std::string blob_key;
  std::string mime;
  std::int64_t bytes = 0;
  int width = 0;
  int height = 0;
  std::optional<std::string> thumb_key;
  std::optional<std::string> preview_key;
  AssetFields fields;
  std::optional<std::string> analysis;  // JSON text of the analyse step
  std::string ocr_text;
  std::string auto_description;
  IndexState index_state = IndexState::kPending;
  std::optional<std::string> index_error;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  std::vector<KpiValue> kpis;
  ReviewState review_state = ReviewState::kNone;
  // The first-indexed asset of this one's near-duplicate group (set by the index step).
  std::optional<AssetId> near_duplicate_of;
};

// What search keeps in memory of an asset (search/catalog.h): its filterable fields with
// the campaign's filled in where the asset's are empty, and its KPIs.
struct CatalogKpi {
  std::string metric;
  std::string period;
  double value = 0;
  bool from_campaign = false;  // the campaign's KPI (the asset has none of its own)
};

struct CatalogRow {
  std::int64_t label = 0;
  AssetId id;
  std::string kind;
  ReviewState review_state = ReviewState::kNone;
  IndexState index_state = IndexState::kPending;
  std::string channel;
  std::string objective;
  std::string audience;
  std::optional<CampaignId> campaign_id;
  std::string date;  // ISO start date: the asset's, else its campaign's, else ""
  TimeMs created_at = 0;
  std::vector<std::string> tags;
  std::optional<AssetId> near_duplicate_of;
  std::vector<CatalogKpi> kpis;  // the asset's own; its campaign's only when it has none
};

// The workspace's library changes after a revision (see migration 3).
struct CatalogChanges {
  std::int64_t rev = 0;               // the workspace's current revision
  std::vector<CatalogRow> rows;       // assets added or changed after the given revision
  std::vector<std::int64_t> deleted;  // labels deleted after it
};

struct AssetFilter {
  std::optional<CampaignId> campaign_id;
  std::optional<std::string> channel;
  std::optional<std::string> objective;
  std::optional<std::string> tag;
  std::optional<IndexState> index_state;
  std::optional<AssetId> before;  // cursor: ids strictly less (newest first)
  int limit = 50;
};

struct AssetPage {
  std::vector<Asset> assets;
  std::optional<AssetId> next_cursor;
};

class AssetStore {
 public:
  virtual ~AssetStore() = default;

  // Creates the campaign, or updates the non-empty fields of the one with this name.
  virtual Result<Campaign> upsert_campaign(const RequestContext& ctx,
                                           const CampaignFields& fields) = 0;
  virtual Result<Campaign> get_campaign(const RequestContext& ctx, const CampaignId& id) = 0;
  virtual Result<std::vector<Campaign>> list_campaigns(const RequestContext& ctx) = 0;
  // Upserts by (metric, period).
  virtual Status set_campaign_kpis(const RequestContext& ctx, const CampaignId& id,
                                   const std::vector<KpiValue>& kpis) = 0;

  // Inserts, or returns the workspace's existing asset with the same sha256 (second:
  // true when newly inserted).
  virtual Result<std::pair<Asset, bool>> insert_asset(const RequestContext& ctx,
                                                      const NewAsset& asset) = 0;
  virtual Result<Asset> get_asset(const RequestContext& ctx, const AssetId& id) = 0;
  // The workspace's asset whose original bytes have this sha256 (lower-case hex), with its
  // KPIs; nullopt when there is none.
  virtual Result<std::optional<Asset>> find_asset_by_sha256(const RequestContext& ctx,
                                                            const std::string& sha256) = 0;
  // Whether anything still needs the blob: an asset of any workspace (original, thumbnail
  // or preview), or an import job not yet finished (its archive). For the orphan sweep;
  // not scoped to a workspace, since blobs are shared by content.
  virtual Result<bool> is_blob_referenced(const std::string& key) = 0;
  // The workspace's asset with this label (without KPIs); nullopt when there is none.
  virtual Result<std::optional<Asset>> find_asset_by_label(const RequestContext& ctx,
                                                           std::int64_t label) = 0;
  virtual Result<AssetPage> list_assets(const RequestContext& ctx, const AssetFilter& filter) = 0;
  // Replaces the uploader's fields (and campaign link) of an asset; marks it pending so
  // it is re-indexed. kNotFound for an unknown asset or campaign.
  virtual Result<Asset> update_asset(const RequestContext& ctx, const AssetId& id,
                                     const AssetFields& fields,
                                     const std::optional<CampaignId>& campaign_id) = 0;
  // Upserts by (metric, period).
  virtual Status set_asset_kpis(const RequestContext& ctx, const AssetId& id,
                                const std::vector<KpiValue>& kpis) = 0;

  // Indexing workflow writes (idempotent: each overwrites).
  virtual Status set_analysis(const RequestContext& ctx, const AssetId& id,
                              const std::string& analysis_json, const std::string& ocr_text,
                              const std::string& description) = 0;
  virtual Status set_index_state(const RequestContext& ctx, const AssetId& id, IndexState state,
                                 const std::optional<std::string>& error) = 0;
  virtual Status put_embedding(const RequestContext& ctx, const AssetId& id,
                               const std::string& model, const std::vector<float>& vector) = 0;
  // The stored embedding; nullopt when none was stored yet.
  virtual Result<std::optional<std::vector<float>>> get_embedding(const RequestContext& ctx,
                                                                  const AssetId& id,
                                                                  const std::string& model) = 0;
  // How many embeddings of `model` the workspace has (cheap: no vectors are read).
  virtual Result<std::int64_t> count_embeddings(const RequestContext& ctx,
                                                const std::string& model) = 0;
  // How many embeddings each model has in the workspace (model id → count): a library
  // embedded with another model than the configured one needs re-indexing.
  virtual Result<std::map<std::string, std::int64_t>> embedding_models(
      const RequestContext& ctx) = 0;
  // Every stored embedding of `model` in the workspace with its asset's label, for
  // rebuilding the vector index.
  virtual Result<std::vector<std::pair<std::int64_t, std::vector<float>>>> list_embeddings(
      const RequestContext& ctx, const std::string& model) = 0;
  // Records the asset's near-duplicate group leader (nullopt: none).
  virtual Status set_near_duplicate(const RequestContext& ctx, const AssetId& id,
                                    const std::optional<AssetId>& leader) = 0;
  // The workspace's current library revision (0 before any asset): cheap.
  virtual Result<std::int64_t> library_rev(const RequestContext& ctx) = 0;
  // Changes after `since_rev` (0: everything), for search's in-memory catalog.
  virtual Result<CatalogChanges> catalog_changes(const RequestContext& ctx,
                                                 std::int64_t since_rev) = 0;
  // (Re)writes the asset's full-text row from its own and its campaign's text.
  virtual Status write_text_index(const RequestContext& ctx, const AssetId& id) = 0;

  // Deletes the asset with its KPIs, embedding and text row; returns the blob keys no
  // other asset (in any workspace) still references, for the caller to remove.
  virtual Result<std::vector<std::string>> delete_asset(const RequestContext& ctx,
                                                        const AssetId& id) = 0;
};

}  // namespace adloom
