// /api/v1/campaigns and /api/v1/audit against the real binary: a brief becomes a draft,
// is edited, moves through its lifecycle by hand where allowed (409 otherwise), and every
// step is in the audit log.
#include "api/api_fixture.h"

namespace adloom::testing {
namespace {

using CampaignApiTest = ApiTest;

TEST_F(CampaignApiTest, ABriefBecomesADraftThatIsEditedArchivedAndAudited) {
  start({"jobs.workers=0"});
  auto kit = client_->post_json("/api/v1/brand-kits", {{"name", "Harbour"}});
  ASSERT_EQ(kit.status, 201) << kit.body;
  const nlohmann::json brief = {{"name", "Spring blend launch"},
                                {"product", "Spring blend 250 g"},
                                {"description", "Light roast, floral notes."},
                                {"objective", "conversions"},
                                {"audience", "urban commuters"},
                                {"channel", "instagram"},
                                {"format", "1080x1350"},
                                {"tone", "fresh"},
                                {"call_to_action", "Order now"},
                                {"brand_kit", kit.json()["id"]}};
  auto created = client_->post_json("/api/v1/campaigns", brief);
  ASSERT_EQ(created.status, 201) << created.body;
  auto c = created.json();
  const std::string id = c["id"];
  EXPECT_EQ(created.headers["location"], "/api/v1/campaigns/" + id);
  EXPECT_EQ(c["state"], "draft");
  EXPECT_EQ(c["next_states"], nlohmann::json({"archived"}));
  for (const auto& [key, value] : brief.items()) EXPECT_EQ(c[key], value) << key;
  EXPECT_EQ(client_->get("/api/v1/campaigns/" + id).json(), c);

  auto edited =
      patch_json("/api/v1/campaigns/" + id, {{"tone", "playful"}, {"brand_kit", nullptr}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["tone"], "playful");
  EXPECT_TRUE(edited.json()["brand_kit"].is_null());

  expect_error_with(client_->post_json("/api/v1/campaigns/" + id + "/state", {{"to", "live"}}), 409,
                    "conflict", "from draft it can be moved to: archived");
  expect_error_with(
      client_->post_json("/api/v1/campaigns/" + id + "/state", {{"to", "generating"}}), 409,
      "conflict", "by hand");
  auto archived = client_->post_json("/api/v1/campaigns/" + id + "/state",
                                     {{"to", "archived"}, {"reason", "budget cut"}});
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(archived.json()["state"], "archived");
  EXPECT_EQ(archived.json()["next_states"], nlohmann::json::array());
  expect_error_with(patch_json("/api/v1/campaigns/" + id, {{"tone", "calm"}}), 409, "conflict",
                    "is archived");

  auto audit = client_->get("/api/v1/audit?subject=" + id);
  ASSERT_EQ(audit.status, 200) << audit.body;
  const auto entries = audit.json()["entries"];
  ASSERT_EQ(entries.size(), 3U) << audit.body;
  EXPECT_EQ(entries[0]["action"], "campaign.state_changed");
  EXPECT_EQ(entries[0]["detail"],
            (nlohmann::json{{"from", "draft"}, {"to", "archived"}, {"reason", "budget cut"}}));
  EXPECT_EQ(entries[0]["actor"], "local");
  EXPECT_EQ(entries[1]["action"], "campaign.updated");
  EXPECT_EQ(entries[1]["detail"]["changed"], nlohmann::json({"tone", "brand_kit"}));
  EXPECT_EQ(entries[2]["action"], "campaign.created");

  auto drafts = client_->get("/api/v1/campaigns?state=draft");
  EXPECT_TRUE(drafts.json()["campaigns"].empty());
  auto archived_list = client_->get("/api/v1/campaigns?state=archived");
  ASSERT_EQ(archived_list.json()["campaigns"].size(), 1U);
  EXPECT_EQ(archived_list.json()["campaigns"][0]["id"], id);
}

TEST_F(CampaignApiTest, BadRequestsAreRefusedInPlainWords) {
  start({"jobs.workers=0"});
  expect_error_with(client_->post_json("/api/v1/campaigns", {{"name", "A"}, {"budget", 100}}), 400,
                    "invalid_argument", "budget");
  expect_error_with(client_->post_json("/api/v1/campaigns", {{"name", "A"}, {"format", "big"}}),
                    400, "invalid_argument", "format 'big' is not a size");
  expect_error_with(client_->post_json("/api/v1/campaigns", {{"name", "A"}, {"brand_kit", "nope"}}),
                    400, "invalid_argument", "brand kit nope does not exist");
  expect_error_with(client_->post_json("/api/v1/campaigns", {{"description", "no name"}}), 400,
                    "invalid_argument", "needs a name");
  expect_error_with(client_->get("/api/v1/campaigns?state=running"), 400, "invalid_argument",
                    "state must be");
  expect_error_with(client_->get("/api/v1/campaigns/cmp_01M8GR4HE224XG16SNS63FZ4S3"), 404,
                    "not_found", "does not exist");
  auto created = client_->post_json("/api/v1/campaigns", {{"name", "A"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  expect_error_with(client_->post_json("/api/v1/campaigns", {{"name", "A"}}), 409, "already_exists",
                    "already exists");
  expect_error_with(client_->post_json("/api/v1/campaigns/" + id + "/state", {{"to", "gone"}}), 400,
                    "invalid_argument", "to must be");
  expect_error_with(
      client_->post_json("/api/v1/campaigns/" + id + "/state", nlohmann::json::object()), 400,
      "invalid_argument", "\"to\"");
  expect_error_with(client_->get("/api/v1/audit?cursor=oops"), 400, "invalid_argument", "cursor");
}

}  // namespace
}  // namespace adloom::testing
