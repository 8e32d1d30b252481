// CreativeStore: what a campaign makes — its selected references, every version of its
// prompt, its generations with one row per image slot, and the review decisions on the
// images — plus the credit those decisions and later KPIs give back to what led to them.
//
// Every method is scoped by ctx.workspace_id. Decisions and generated images are written
// in the same transaction as their audit entry and asset changes. Thread safety: every
// method may be called concurrently. Errors: kNotFound, kConflict (the state changed
// first), kUnavailable (busy), kInternal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/asset_store.h"
#include "store/campaign_store.h"

namespace adloom {

struct SelectedReference {
  AssetId asset_id;
  int position = 0;
  std::string selected_by;
  TimeMs selected_at = 0;
};

enum class PromptSource { kModel, kUser, kRestore };
std::string_view prompt_source_name(PromptSource source);

struct PromptVersion {
  std::string id;  // "pv_…"
  CampaignId campaign_id;
  int version = 0;  // 1, 2, … within the campaign
  PromptSource source = PromptSource::kModel;
  std::string author;  // the principal
  std::string engine;  // the text model for kModel; "" otherwise
  std::string prompt;
  std::string negative_prompt;
  std::string reasoning;
  std::string structure;  // JSON object (models/meta_prompt.h PromptStructure)
  std::string variants;   // JSON array of {name, axis, prompt}
  std::string inputs;     // JSON: what the model was given ({} for edits)
  std::optional<int> restored_from;
  TimeMs created_at = 0;
  // The prompt's credit: reviewed images generated from this version.
  int approved = 0;
  int rejected = 0;
};

struct NewPromptVersion {
  PromptSource source = PromptSource::kModel;
  std::string engine;
  std::string prompt;
  std::string negative_prompt;
  std::string reasoning;
  std::string structure = "{}";
  std::string variants = "[]";
  std::string inputs = "{}";
  std::optional<int> restored_from;
};

enum class GenerationState { kRunning, kSucceeded, kFailed, kCanceled };
std::string_view generation_state_name(GenerationState state);

struct Generation {
  std::string id;  // "gen_…"
  CampaignId campaign_id;
  std::string prompt_version_id;
  std::string job_id;
  std::string engine;  // the image model's name
  std::string params;  // JSON: n, width, height, seed, quality, style, variation_of
  std::string brief;   // JSON: the brief as it was when generation started
  std::vector<AssetId> references;
  GenerationState state = GenerationState::kRunning;
  std::string requested_by;
  TimeMs created_at = 0;
  std::optional<TimeMs> finished_at;
};

enum class ImageOutcome { kOk, kRefused, kFailed };
std::string_view image_outcome_name(ImageOutcome outcome);

// One slot of a generation: the image made, or why there is none.
struct GenerationImage {
  std::string generation_id;
  int slot = 0;
  std::uint64_t seed = 0;
  std::string variant;  // the variant's name
  std::string prompt;   // exactly what the model was given
  ImageOutcome outcome = ImageOutcome::kOk;
  std::string reason;  // for refused and failed
  std::optional<AssetId> asset_id;
  std::string model;
  double took_ms = 0;  // the model's time
  TimeMs created_at = 0;
};

// A generated image with its lineage, for the review queue, downloads and export.
struct ReviewItem {
  Asset asset;
  GenerationImage image;
  std::string campaign_name;
  std::string prompt_version_id;
  std::optional<std::string> reviewer;  // the last decision's
  std::optional<TimeMs> decided_at;
  std::string reason;
};

struct ReviewQueueFilter {
  std::optional<CampaignId> campaign_id;
  std::vector<ReviewState> states = {ReviewState::kPending};
  std::optional<AssetId> after;  // cursor: ids strictly greater (oldest first)
  int limit = 50;
};

struct ReviewPage {
  std::vector<ReviewItem> items;
  std::optional<AssetId> next_cursor;
};

struct Decision {
  AssetId asset_id;
  ReviewState decision = ReviewState::kApproved;  // kApproved | kRejected
  std::string reason;
};

// What came of the images a library asset helped make, as a reference or itself.
struct Credit {
  AssetId asset_id;
  int approved = 0;  // approved generated images it led to (itself included)
  int rejected = 0;
  // The mean of `metric` over those approved images that have it; nullopt when none has.
  std::optional<double> kpi_mean;
  int kpi_count = 0;
};

class CreativeStore {
 public:
  virtual ~CreativeStore() = default;

  // References: replaces the campaign's selection (in order). kNotFound for an asset not
  // in the workspace.
  virtual Status set_references(const RequestContext& ctx, const CampaignId& campaign,
                                const std::vector<AssetId>& assets) = 0;
  virtual Result<std::vector<SelectedReference>> references(const RequestContext& ctx,
                                                            const CampaignId& campaign) = 0;

  // Prompt versions: the next number, audited as "prompt.created".
  virtual Result<PromptVersion> add_prompt_version(const RequestContext& ctx,
                                                   const CampaignId& campaign,
                                                   const NewPromptVersion& version) = 0;
  // Newest first.
  virtual Result<std::vector<PromptVersion>> prompt_versions(const RequestContext& ctx,
                                                             const CampaignId& campaign) = 0;
  // version 0: the latest. kNotFound when there is none.
  virtual Result<PromptVersion> prompt_version(const RequestContext& ctx,
                                               const CampaignId& campaign, int version) = 0;

  // Generations: recorded with their references, audited as "generation.started", and
  // the campaign moved to generating (unless it is already) in one transaction; an empty
  // generation.id is assigned. kConflict
  // when the campaign cannot move to generating from its state (core/campaign_state.h).
  virtual Result<Generation> start_generation(const RequestContext& ctx,
                                              const Generation& generation) = 0;
  virtual Status set_generation_job(const RequestContext& ctx, const std::string& generation_id,
                                    const std::string& job_id) = 0;
  virtual Result<Generation> generation(const RequestContext& ctx, const std::string& id) = 0;
  // Newest first.
  virtual Result<std::vector<Generation>> generations(const RequestContext& ctx,
                                                      const CampaignId& campaign) = 0;
  virtual Result<std::vector<GenerationImage>> generation_images(
      const RequestContext& ctx, const std::string& generation_id) = 0;
  // Records one slot; for kOk inserts `asset` (a generated asset, review pending) or
  // reuses the workspace's asset with the same bytes. Idempotent: a slot already recorded
  // is returned as it is.
  virtual Result<GenerationImage> record_image(const RequestContext& ctx, GenerationImage image,
                                               const std::optional<NewAsset>& asset) = 0;
  // Marks the generation finished (succeeded when it made an image, else failed; canceled
  // when `canceled`); when no other generation of the campaign is running, moves the
  // campaign from generating to in_review (an image of the campaign was made) or to draft
  // (none), audited. A generation already finished is returned as it is.
  virtual Result<Generation> finish_generation(const RequestContext& ctx,
                                               const std::string& generation_id,
                                               bool canceled = false) = 0;

  // Review.
  virtual Result<ReviewPage> review_queue(const RequestContext& ctx,
                                          const ReviewQueueFilter& filter) = 0;
  virtual Result<ReviewItem> review_item(const RequestContext& ctx, const AssetId& asset) = 0;
  // Applies every decision or none: kNotFound (an asset is not a generated image of the
  // workspace), kConflict (an image was already decided). Each decision is audited as
  // "review.approved"/"review.rejected"; then each campaign touched whose images are all
  // decided, with one approved at least, moves from in_review to approved (audited).
  // Returns the decided items.
  virtual Result<std::vector<ReviewItem>> decide(const RequestContext& ctx,
                                                 const std::vector<Decision>& decisions) = 0;

  // Credit of each of `assets` (those with none are left out), judged by `metric`.
  virtual Result<std::vector<Credit>> credit(const RequestContext& ctx,
                                             const std::vector<AssetId>& assets,
                                             const std::string& metric) = 0;
};

}  // namespace adloom
