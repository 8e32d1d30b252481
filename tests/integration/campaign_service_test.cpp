// Campaigns through CampaignService on a real SQLite store: briefs checked, edits and
// moves audited in the same transaction, illegal moves refused, workspaces apart.
#include "services/campaign_service.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/library_db_fixture.h"
#include "store/sqlite/sqlite_brand_store.h"
#include "store/sqlite/sqlite_campaign_store.h"

namespace adloom::testing {
namespace {

class CampaignServiceTest : public LibraryDbTest {
 protected:
  void SetUp() override {
    LibraryDbTest::SetUp();
    kits_ = std::make_unique<SqliteBrandStore>(*db_, clock_);
    campaigns_ = std::make_unique<SqliteCampaignStore>(*db_, clock_);
    service_ = std::make_unique<CampaignService>(*campaigns_, *kits_);
  }

  static CampaignDraft spring() {
    CampaignDraft d;
    d.fields.name = " Spring blend launch ";
    d.fields.description = "Launch of the spring blend.\nLight roast, floral.";
    d.fields.channel = "instagram";
    d.fields.objective = "conversions";
    d.fields.audience = "urban commuters";
    d.fields.start_date = "2027-03-01";
    d.fields.end_date = "2027-04-30";
    d.plan.product = "Spring blend 250 g";
    d.plan.format = "1080 X 1350";
    d.plan.tone = "fresh";
    d.plan.call_to_action = "Order now";
    return d;
  }

  std::vector<AuditEntry> audit_of(const std::string& id) {
    AuditFilter f;
    f.subject_id = id;
    auto page = service_->audit(ctx_, f);
    EXPECT_TRUE(page.is_ok());
    return page.is_ok() ? page->entries : std::vector<AuditEntry>{};
  }

  std::unique_ptr<SqliteBrandStore> kits_;
  std::unique_ptr<SqliteCampaignStore> campaigns_;
  std::unique_ptr<CampaignService> service_;
};

TEST_F(CampaignServiceTest, ANewCampaignIsADraftWithItsBriefNormalisedAndAudited) {
  auto c = service_->create(ctx_, spring());
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c->state, CampaignState::kDraft);
  EXPECT_GT(c->state_changed_at, 0);
  EXPECT_EQ(c->campaign.fields.name, "Spring blend launch");
  EXPECT_EQ(c->campaign.fields.description, "Launch of the spring blend.\nLight roast, floral.");
  EXPECT_EQ(c->plan.format, "1080x1350");
  auto read = service_->get(ctx_, c->campaign.id);
  ASSERT_TRUE(read.is_ok());
  EXPECT_EQ(read->plan, c->plan);
  const auto audit = audit_of(c->campaign.id);
  ASSERT_EQ(audit.size(), 1U);
  EXPECT_EQ(audit[0].action, "campaign.created");
  EXPECT_EQ(audit[0].actor, "system");
  EXPECT_EQ(nlohmann::json::parse(audit[0].detail)["state"], "draft");
}

TEST_F(CampaignServiceTest, BadBriefsAreRefusedWithTheFieldNamed) {
  const auto refused = [&](const CampaignDraft& d) {
    auto r = service_->create(ctx_, d);
    EXPECT_FALSE(r.is_ok());
    if (r.is_ok()) return std::string();
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    return r.status().message();
  };
  auto d = spring();
  d.fields.name = "";
  EXPECT_NE(refused(d).find("needs a name"), std::string::npos);
  d = spring();
  d.plan.format = "square";
  EXPECT_NE(refused(d).find("format 'square' is not a size"), std::string::npos);
  d = spring();
  d.fields.start_date = "01/03/2027";
  EXPECT_NE(refused(d).find("start_date '01/03/2027' is not a date"), std::string::npos);
  d = spring();
  d.fields.end_date = "2027-02-01";
  EXPECT_NE(refused(d).find("end_date 2027-02-01 is before start_date"), std::string::npos);
  d = spring();
  d.plan.brand_kit_id = "bk_01M8GR4HE224XG16SNS63FZ4S3";
  EXPECT_NE(refused(d).find("brand_kit: brand kit bk_01M8GR4HE224XG16SNS63FZ4S3 does not exist"),
            std::string::npos);
  d = spring();
  d.plan.tone = "calm\x01";
  EXPECT_NE(refused(d).find("tone contains a control character"), std::string::npos);
  d = spring();
  d.fields.audience = std::string(201, 'a');
  EXPECT_NE(refused(d).find("audience is longer than 200"), std::string::npos);
}

TEST_F(CampaignServiceTest, EditsAreAuditedWithWhatChangedAndOnlyInEditableStates) {
  BrandKitFields kit_fields;
  kit_fields.name = "Harbour";
  auto kit = kits_->create_brand_kit(ctx_, kit_fields);
  ASSERT_TRUE(kit.is_ok());
  auto c = service_->create(ctx_, spring());
  ASSERT_TRUE(c.is_ok());
  const auto id = c->campaign.id;

  CampaignPatch p;
  p.tone = "playful";
  p.brand_kit = std::optional<BrandKitId>(kit->id);
  auto edited = service_->update(ctx_, id, p);
  ASSERT_TRUE(edited.is_ok()) << edited.status().to_string();
  EXPECT_EQ(edited->plan.tone, "playful");
  EXPECT_EQ(edited->plan.brand_kit_id, kit->id);
  EXPECT_EQ(edited->campaign.fields.audience, "urban commuters") << "absent members stay";
  auto audit = audit_of(id);
  ASSERT_EQ(audit.size(), 2U);
  EXPECT_EQ(audit[0].action, "campaign.updated");  // newest first
  EXPECT_EQ(nlohmann::json::parse(audit[0].detail)["changed"],
            nlohmann::json({"tone", "brand_kit"}));

  // The same values again: nothing to record.
  ASSERT_TRUE(service_->update(ctx_, id, p).is_ok());
  EXPECT_EQ(audit_of(id).size(), 2U);

  // Deleting the kit unlinks it.
  ASSERT_TRUE(kits_->delete_brand_kit(ctx_, kit->id).is_ok());
  EXPECT_EQ(service_->get(ctx_, id)->plan.brand_kit_id, std::nullopt);

  // Archived: the brief is history.
  ASSERT_TRUE(service_->move(ctx_, id, CampaignState::kArchived, "cancelled").is_ok());
  CampaignPatch calm;
  calm.tone = "calm";
  auto late = service_->update(ctx_, id, calm);
  ASSERT_FALSE(late.is_ok());
  EXPECT_EQ(late.status().code(), ErrorCode::kConflict);
  EXPECT_NE(late.status().message().find("is archived; its brief can be changed only when it is "
                                         "draft, in_review, approved"),
            std::string::npos)
      << late.status().message();
}

TEST_F(CampaignServiceTest, IllegalAndAutomaticMovesAreRefusedNamingThePossibleOnes) {
  auto c = service_->create(ctx_, spring());
  ASSERT_TRUE(c.is_ok());
  const auto id = c->campaign.id;
  auto live = service_->move(ctx_, id, CampaignState::kLive, "");
  ASSERT_FALSE(live.is_ok());
  EXPECT_EQ(live.status().code(), ErrorCode::kConflict);
  EXPECT_NE(live.status().message().find("is draft and cannot be moved to live; from draft it "
                                         "can be moved to: archived"),
            std::string::npos)
      << live.status().message();
  auto gen = service_->move(ctx_, id, CampaignState::kGenerating, "");
  ASSERT_FALSE(gen.is_ok());
  EXPECT_NE(gen.status().message().find("by hand"), std::string::npos);

  // The system's moves go through the store; then the person's.
  ASSERT_TRUE(
      campaigns_->move_campaign(ctx_, id, CampaignState::kDraft, CampaignState::kGenerating, "")
          .is_ok());
  ASSERT_TRUE(
      campaigns_->move_campaign(ctx_, id, CampaignState::kGenerating, CampaignState::kInReview, "")
          .is_ok());
  ASSERT_TRUE(
      campaigns_->move_campaign(ctx_, id, CampaignState::kInReview, CampaignState::kApproved, "")
          .is_ok());
  auto on_air = service_->move(ctx_, id, CampaignState::kLive, "launched on Monday");
  ASSERT_TRUE(on_air.is_ok()) << on_air.status().to_string();
  EXPECT_EQ(on_air->state, CampaignState::kLive);
  ASSERT_TRUE(service_->move(ctx_, id, CampaignState::kCompleted, "").is_ok());
  ASSERT_TRUE(service_->move(ctx_, id, CampaignState::kArchived, "").is_ok());
  auto after = service_->move(ctx_, id, CampaignState::kDraft, "");
  ASSERT_FALSE(after.is_ok());
  EXPECT_NE(after.status().message().find("can be moved to: none"), std::string::npos);

  // A move that lost a race: the store checks the state it expected.
  auto stale =
      campaigns_->move_campaign(ctx_, id, CampaignState::kLive, CampaignState::kCompleted, "");
  ASSERT_FALSE(stale.is_ok());
  EXPECT_EQ(stale.status().code(), ErrorCode::kConflict);
  EXPECT_NE(stale.status().message().find("is archived, not live"), std::string::npos);

  // Every move is in the audit log, oldest last, with its reason.
  const auto audit = audit_of(id);
  ASSERT_EQ(audit.size(), 7U);
  std::vector<std::string> moves;
  for (auto it = audit.rbegin(); it != audit.rend(); ++it) {
    const auto d = nlohmann::json::parse(it->detail);
    if (it->action == "campaign.state_changed") moves.push_back(d["to"].get<std::string>());
  }
  EXPECT_EQ(moves, (std::vector<std::string>{"generating", "in_review", "approved", "live",
                                             "completed", "archived"}));
  EXPECT_EQ(nlohmann::json::parse(audit[2].detail)["reason"], "launched on Monday");
}

TEST_F(CampaignServiceTest, LibraryCampaignsAreCompletedAndListsPageByStateNewestFirst) {
  CampaignFields past;
  past.name = "Summer 2025";
  ASSERT_TRUE(store_->upsert_campaign(ctx_, past).is_ok());
  std::vector<CampaignId> ids;
  for (int i = 0; i < 5; ++i) {
    auto d = spring();
    d.fields.name = "Campaign " + std::to_string(i);
    auto c = service_->create(ctx_, d);
    ASSERT_TRUE(c.is_ok());
    ids.push_back(c->campaign.id);
  }
  CampaignListFilter completed;
  completed.state = CampaignState::kCompleted;
  auto done = service_->list(ctx_, completed);
  ASSERT_TRUE(done.is_ok());
  ASSERT_EQ(done->campaigns.size(), 1U);
  EXPECT_EQ(done->campaigns[0].campaign.fields.name, "Summer 2025");

  CampaignListFilter drafts;
  drafts.state = CampaignState::kDraft;
  drafts.limit = 2;
  std::vector<CampaignId> seen;
  for (int pages = 0; pages < 5; ++pages) {
    auto page = service_->list(ctx_, drafts);
    ASSERT_TRUE(page.is_ok());
    for (const auto& r : page->campaigns) seen.push_back(r.campaign.id);
    if (!page->next_cursor) break;
    drafts.before = page->next_cursor;
  }
  std::sort(ids.begin(), ids.end(), std::greater<>());
  EXPECT_EQ(seen, ids);

  // Names are unique per workspace, with the library's past campaigns too.
  auto d = spring();
  d.fields.name = "Summer 2025";
  EXPECT_EQ(service_->create(ctx_, d).status().code(), ErrorCode::kAlreadyExists);
}

TEST_F(CampaignServiceTest, AnotherWorkspaceSeesNothingAndViewersChangeNothing) {
  auto c = service_->create(ctx_, spring());
  ASSERT_TRUE(c.is_ok());
  const auto id = c->campaign.id;
  EXPECT_EQ(service_->get(other_, id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->update(other_, id, {}).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->move(other_, id, CampaignState::kArchived, "").status().code(),
            ErrorCode::kNotFound);
  auto theirs = service_->list(other_, {});
  ASSERT_TRUE(theirs.is_ok());
  EXPECT_TRUE(theirs->campaigns.empty());
  auto their_audit = service_->audit(other_, {});
  ASSERT_TRUE(their_audit.is_ok());
  EXPECT_TRUE(their_audit->entries.empty());

  RequestContext viewer = ctx_;
  viewer.role = Role::kViewer;
  EXPECT_EQ(service_->create(viewer, spring()).status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->move(viewer, id, CampaignState::kArchived, "").status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->get(viewer, id).is_ok());
}

}  // namespace
}  // namespace adloom::testing
