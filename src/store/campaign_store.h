// CampaignStore: campaigns as the campaign workflow sees them — the library's campaign
// record (store/asset_store.h: name, description, channel, objective, audience, dates,
// KPIs) plus the rest of the brief, the brand kit and the lifecycle state — and the audit
// log, written in the same transaction as each change it records.
//
// Every method is scoped by ctx.workspace_id. Thread safety: every method may be called
// concurrently. Errors: kNotFound, kAlreadyExists (a campaign name is taken), kConflict
// (the state is not the one expected: someone moved the campaign first), kUnavailable
// (busy), kInternal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/campaign_state.h"
#include "store/asset_store.h"
#include "store/brand_store.h"

namespace adloom {

// The brief beyond the library's CampaignFields.
struct CampaignPlan {
  std::string product;
  std::string format;  // "1080x1080": the output size; "" = the channel's default
  std::string tone;
  std::string call_to_action;
  std::optional<BrandKitId> brand_kit_id;
  bool operator==(const CampaignPlan&) const = default;
};

struct CampaignRecord {
  Campaign campaign;  // with its KPIs
  CampaignPlan plan;
  CampaignState state = CampaignState::kCompleted;
  TimeMs state_changed_at = 0;
};

struct CampaignListFilter {
  std::optional<CampaignState> state;
  std::optional<CampaignId> before;  // cursor: ids strictly less (newest first)
  int limit = 50;
};

struct CampaignPage {
  std::vector<CampaignRecord> campaigns;
  std::optional<CampaignId> next_cursor;
};

struct AuditEntry {
  std::string id;  // "aud_…", time-ordered
  WorkspaceId workspace_id;
  TimeMs at = 0;
  std::string actor;         // the principal: "local", a user id, "system"
  std::string action;        // "campaign.created", "campaign.updated", "campaign.state_changed"
  std::string subject_type;  // "campaign", "asset", …
  std::string subject_id;
  std::string detail;  // a JSON object: what changed (e.g. {"from":"draft","to":"archived"})
};

struct AuditFilter {
  std::optional<std::string> subject_id;
  std::optional<std::string> before;  // cursor: entries written before this one (newest first)
  int limit = 50;
};

struct AuditPage {
  std::vector<AuditEntry> entries;
  std::optional<std::string> next_cursor;
};

class CampaignStore {
 public:
  virtual ~CampaignStore() = default;

  // A new campaign in `draft`, audited as "campaign.created" by ctx's principal.
  virtual Result<CampaignRecord> create_campaign(const RequestContext& ctx,
                                                 const CampaignFields& fields,
                                                 const CampaignPlan& plan) = 0;
  virtual Result<CampaignRecord> get_campaign_record(const RequestContext& ctx,
                                                     const CampaignId& id) = 0;
  virtual Result<CampaignPage> list_campaign_records(const RequestContext& ctx,
                                                     const CampaignListFilter& filter) = 0;
  // Replaces the brief, audited as "campaign.updated" with the names of the fields that
  // changed. kConflict unless the campaign is in one of `editable_in`.
  virtual Result<CampaignRecord> update_campaign(const RequestContext& ctx, const CampaignId& id,
                                                 const CampaignFields& fields,
                                                 const CampaignPlan& plan,
                                                 const std::vector<CampaignState>& editable_in) = 0;
  // Moves the campaign from `from` to `to` (legality is the caller's: core/campaign_state.h),
  // audited as "campaign.state_changed" with `reason` when given. kConflict when the
  // campaign is not in `from`.
  virtual Result<CampaignRecord> move_campaign(const RequestContext& ctx, const CampaignId& id,
                                               CampaignState from, CampaignState to,
                                               const std::string& reason) = 0;
  virtual Result<AuditPage> list_audit(const RequestContext& ctx, const AuditFilter& filter) = 0;
};

}  // namespace adloom
