// CampaignStore on SQLite: the campaigns table (migrations 2 and 5) and audit_log.
// Shares the Database with the other SQLite stores.
#pragma once

#include "core/clock.h"
#include "store/campaign_store.h"
#include "store/sqlite/sqlite_db.h"

namespace adloom {

class SqliteCampaignStore final : public CampaignStore {
 public:
  // `db` and `clock` must outlive the store.
  SqliteCampaignStore(sqlite::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<CampaignRecord> create_campaign(const RequestContext& ctx, const CampaignFields& fields,
                                         const CampaignPlan& plan) override;
  Result<CampaignRecord> get_campaign_record(const RequestContext& ctx,
                                             const CampaignId& id) override;
  Result<CampaignPage> list_campaign_records(const RequestContext& ctx,
                                             const CampaignListFilter& filter) override;
  Result<CampaignRecord> update_campaign(const RequestContext& ctx, const CampaignId& id,
                                         const CampaignFields& fields, const CampaignPlan& plan,
                                         const std::vector<CampaignState>& editable_in) override;
  Result<CampaignRecord> move_campaign(const RequestContext& ctx, const CampaignId& id,
                                       CampaignState from, CampaignState to,
                                       const std::string& reason) override;
  Result<AuditPage> list_audit(const RequestContext& ctx, const AuditFilter& filter) override;

 private:
  sqlite::Database& db_;
  const Clock& clock_;
};

}  // namespace adloom
