// PromptService: the campaign's way from brief to prompt.
//   references: recommendations for the campaign's brief (search, ranked by the
//               objective's KPI) re-ranked by credit — what earlier approved and
//               well-performing images owe to each asset — and the selection a person makes.
//   meta-prompt: the brief, the selected references, the brand kit and "what worked"
//               (the best-performing similar assets, with their prompts) go to the
//               TextModel; its answer is checked (banned terms, the image model's prompt
//               limit) and stored as a new prompt version. People edit and restore versions.
// No HTTP, no SQL here. Roles: viewers read; editors select, compose, edit and restore.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/image_model.h"
#include "models/meta_prompt.h"
#include "models/text_model.h"
#include "services/search_service.h"
#include "store/brand_store.h"
#include "store/campaign_store.h"
#include "store/creative_store.h"

namespace adloom {

struct Reference {
  SearchHit hit;                 // score and explanation include the credit
  std::optional<Credit> credit;  // none when nothing it led to has been reviewed
  bool selected = false;
};

struct ReferenceList {
  std::vector<Reference> references;
  std::string kpi;  // the metric that ranked
  SearchStats stats;
};

// A person's prompt: only present members change; variants absent = none (every image
// then gets the main prompt with its own seed).
struct PromptEdit {
  std::string prompt;
  std::optional<std::string> negative_prompt;
  std::vector<PromptVariant> variants;
};

// How much credit moves a reference: each approved image it led to adds kPerApproval to
// its score (up to kMaxApprovals of them), and a measured KPI adds kForKpi.
struct CreditWeights {
  static constexpr double kPerApproval = 0.05;
  static constexpr int kMaxApprovals = 4;
  static constexpr double kForKpi = 0.05;
};

class PromptService {
 public:
  // All references must outlive the service.
  PromptService(CampaignStore& campaigns, BrandStore& brands, AssetStore& assets,
                CreativeStore& creative, SearchService& search, TextModel& text_model,
                ImageModel& image_model)
      : campaigns_(campaigns),
        brands_(brands),
        assets_(assets),
        creative_(creative),
        search_(search),
        text_model_(text_model),
        image_model_(image_model) {}

  // k: 1..SearchService::kMaxK. Errors: kNotFound (campaign), kInvalidArgument (k, filter).
  Result<ReferenceList> recommend(const RequestContext& ctx, const CampaignId& id, int k,
                                  const SearchFilter& filter);
  // Replaces the selection (at most kMaxReferences, no repeats). kConflict once the
  // campaign is live or later; kNotFound for an unknown asset.
  static constexpr std::size_t kMaxReferences = 10;
  Result<std::vector<SelectedReference>> select(const RequestContext& ctx, const CampaignId& id,
                                                const std::vector<AssetId>& assets);
  Result<std::vector<SelectedReference>> selected(const RequestContext& ctx, const CampaignId& id);

  // The inputs a meta-prompt for this campaign would get now.
  Result<MetaPromptInputs> inputs(const RequestContext& ctx, const CampaignId& id);
  // Asks the text model and stores its answer as a new version. kUnavailable when the
  // model fails or answers with something unusable (the message says what).
  Result<PromptVersion> compose(const RequestContext& ctx, const CampaignId& id);
  // A new version from a person. kInvalidArgument: empty, over the image model's limit
  // (the message names it), or using a banned term of the brand kit (named).
  Result<PromptVersion> edit(const RequestContext& ctx, const CampaignId& id,
                             const PromptEdit& edit);
  // A new version copying version `version`.
  Result<PromptVersion> restore(const RequestContext& ctx, const CampaignId& id, int version);
  Result<std::vector<PromptVersion>> versions(const RequestContext& ctx, const CampaignId& id);
  // Version `version` (0: the latest). kNotFound when there is none.
  Result<PromptVersion> version(const RequestContext& ctx, const CampaignId& id, int version);

  const ImageModel& image_model() const { return image_model_; }

 private:
  Result<CampaignRecord> editable(const RequestContext& ctx, const CampaignId& id,
                                  const char* what);
  Result<std::vector<std::string>> banned_terms(const RequestContext& ctx,
                                                const CampaignRecord& campaign);
  Status check_prompt(const std::string& text, const char* what,
                      const std::vector<std::string>& banned) const;
  Result<std::vector<WhatWorked>> what_worked(const RequestContext& ctx,
                                              const CampaignRecord& campaign);

  CampaignStore& campaigns_;
  BrandStore& brands_;
  AssetStore& assets_;
  CreativeStore& creative_;
  SearchService& search_;
  TextModel& text_model_;
  ImageModel& image_model_;
};

// The campaign's brief as search and the meta-prompt take it.
Brief brief_of(const CampaignRecord& campaign);

}  // namespace adloom
