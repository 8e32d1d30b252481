// CampaignService: new campaigns from a brief, their edits and their lifecycle (core/
// campaign_state.h), each change in the audit log. No HTTP, no SQL here.
//
// Roles: viewers read campaigns and the audit log; editors create and edit campaigns and
// ask for the manual moves (live, completed, archived, back to draft).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "store/brand_store.h"
#include "store/campaign_store.h"

namespace adloom {

// What a marketer writes to start a campaign.
struct CampaignDraft {
  CampaignFields fields;  // name, description, channel, objective, audience, dates
  CampaignPlan plan;      // product, format, tone, call to action, brand kit
};

// A partial edit: only present members change.
struct CampaignPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> channel;
  std::optional<std::string> objective;
  std::optional<std::string> audience;
  std::optional<std::string> start_date;
  std::optional<std::string> end_date;
  std::optional<std::string> product;
  std::optional<std::string> format;
  std::optional<std::string> tone;
  std::optional<std::string> call_to_action;
  std::optional<std::optional<BrandKitId>> brand_kit;  // nullopt inside: no brand kit
};

// Limits, enforced with messages naming the field.
struct CampaignLimits {
  static constexpr std::size_t kName = 200;          // characters
  static constexpr std::size_t kDescription = 4000;  // characters
  static constexpr std::size_t kShortField = 200;    // channel, objective, audience, product, …
  static constexpr int kMinSide = 64;                // pixels, each side of a format
  static constexpr int kMaxSide = 4096;
};

// "1080x1080" (or "1080×1080", "1080 x 1080") → {1080, 1080}; kInvalidArgument unless each
// side is kMinSide..kMaxSide pixels.
Result<std::pair<int, int>> parse_format(const std::string& format);

class CampaignService {
 public:
  // Both stores must outlive the service.
  CampaignService(CampaignStore& campaigns, BrandStore& brands)
      : campaigns_(campaigns), brands_(brands) {}

  // Errors: kInvalidArgument (the message names the field), kAlreadyExists (name taken),
  // kPermissionDenied (below editor).
  Result<CampaignRecord> create(const RequestContext& ctx, CampaignDraft draft);
  Result<CampaignRecord> get(const RequestContext& ctx, const CampaignId& id);
  Result<CampaignPage> list(const RequestContext& ctx, const CampaignListFilter& filter);
  // The brief can change while the campaign is draft, in_review or approved: kConflict in
  // other states (generating: wait; live and later: the brief is history).
  Result<CampaignRecord> update(const RequestContext& ctx, const CampaignId& id,
                                const CampaignPatch& patch);
  // A manual move (core/campaign_state.h). kConflict, naming the moves possible from the
  // current state, for any other.
  Result<CampaignRecord> move(const RequestContext& ctx, const CampaignId& id, CampaignState to,
                              const std::string& reason);
  Result<AuditPage> audit(const RequestContext& ctx, const AuditFilter& filter);

 private:
  // Trims and checks every field; looks the brand kit up.
  Status normalise(const RequestContext& ctx, CampaignDraft& draft);

  CampaignStore& campaigns_;
  BrandStore& brands_;
};

}  // namespace adloom
