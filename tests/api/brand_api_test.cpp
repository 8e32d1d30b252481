// /api/v1/brand-kits against the real binary: the whole life of a kit, and the errors a
// client meets (unknown keys, wrong types, a taken name, a stale version, a bad id).
#include "api/api_fixture.h"
#include "support/image_corpus.h"

namespace adloom::testing {
namespace {

using BrandApiTest = ApiTest;

TEST_F(BrandApiTest, AKitIsCreatedReadChangedAndDeleted) {
  start({"jobs.workers=0"});
  // A logo from the library.
  const std::string png = encode_image(solid_image(64, 64, {30, 111, 217}), ".png");
  auto up = upload({{"description", "Harbour Coffee logo"}}, {{"logo.png", png}});
  ASSERT_EQ(up.status, 201) << up.body;
  const std::string logo = up.json()["assets"][0]["id"];

  const nlohmann::json spec = {
      {"name", "Harbour Coffee"},
      {"palette", {{{"hex", "#1e6fd9"}, {"role", "primary"}, {"name", "Harbour blue"}}, "#fff"}},
      {"font_family", "DejaVu Serif"},
      {"logo", logo},
      {"tone_words", {"warm", "confident"}},
      {"style_words", {"bright daylight", "natural light"}},
      {"banned_terms", {"cheap", "free gift"}},
      {"disclosures", {"Offer ends 31 May."}}};
  auto created = client_->post_json("/api/v1/brand-kits", spec);
  ASSERT_EQ(created.status, 201) << created.body;
  auto kit = created.json();
  const std::string id = kit["id"];
  EXPECT_EQ(created.headers["location"], "/api/v1/brand-kits/" + id);
  EXPECT_EQ(kit["palette"][0],
            (nlohmann::json{{"hex", "#1E6FD9"}, {"role", "primary"}, {"name", "Harbour blue"}}));
  EXPECT_EQ(kit["palette"][1]["hex"], "#FFFFFF");
  EXPECT_EQ(kit["logo"], logo);
  EXPECT_EQ(kit["version"], 1);

  auto listed = client_->get("/api/v1/brand-kits");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json()["brand_kits"].size(), 1U);
  EXPECT_EQ(listed.json()["brand_kits"][0], kit);
  EXPECT_EQ(client_->get("/api/v1/brand-kits/" + id).json(), kit);

  auto changed = patch_json("/api/v1/brand-kits/" + id,
                            {{"version", 1}, {"tone_words", {"playful"}}, {"logo", nullptr}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["version"], 2);
  EXPECT_EQ(changed.json()["tone_words"], nlohmann::json({"playful"}));
  EXPECT_TRUE(changed.json()["logo"].is_null());
  EXPECT_EQ(changed.json()["banned_terms"], kit["banned_terms"]);

  // A second editor still holding version 1.
  expect_error_with(patch_json("/api/v1/brand-kits/" + id, {{"version", 1}, {"name", "Harbour"}}),
                    409, "conflict", "reload it");

  auto gone = client_->request("DELETE", "/api/v1/brand-kits/" + id, "", {});
  EXPECT_EQ(gone.status, 204);
  expect_error_with(client_->get("/api/v1/brand-kits/" + id), 404, "not_found", id);
  expect_error_with(client_->request("DELETE", "/api/v1/brand-kits/" + id, "", {}), 404,
                    "not_found", "does not exist");
}

TEST_F(BrandApiTest, BadRequestsAreRefusedInPlainWords) {
  start({"jobs.workers=0"});
  expect_error_with(client_->post_json("/api/v1/brand-kits", {{"name", "A"}, {"colour", "#fff"}}),
                    400, "invalid_argument", "colour");
  expect_error_with(
      client_->post_json("/api/v1/brand-kits", {{"name", "A"}, {"tone_words", "warm"}}), 400,
      "invalid_argument", "tone_words must be an array of strings");
  expect_error_with(
      client_->post_json("/api/v1/brand-kits", {{"name", "A"}, {"palette", {"navy"}}}), 400,
      "invalid_argument", "palette[0].hex 'navy' is not a colour");
  expect_error_with(
      client_->post_json("/api/v1/brand-kits", {{"name", "A"}, {"palette", {{{"role", "text"}}}}}),
      400, "invalid_argument", "palette[0] needs a hex value");
  expect_error_with(client_->post_json("/api/v1/brand-kits", {{"name", "A"}, {"version", 3}}), 400,
                    "invalid_argument", "version is set by the server");
  expect_error_with(client_->post_json("/api/v1/brand-kits", {{"palette", {"#fff"}}}), 400,
                    "invalid_argument", "needs a name");
  expect_error_with(
      client_->post_json("/api/v1/brand-kits", {{"name", "A"}, {"font_family", "Nope Sans"}}), 400,
      "invalid_argument", "not installed");

  ASSERT_EQ(client_->post_json("/api/v1/brand-kits", {{"name", "Harbour"}}).status, 201);
  expect_error_with(client_->post_json("/api/v1/brand-kits", {{"name", "Harbour"}}), 409,
                    "already_exists", "already exists");
  expect_error_with(client_->get("/api/v1/brand-kits/not-an-id"), 404, "not_found", "not-an-id");
  expect_error_with(patch_json("/api/v1/brand-kits/bk_01M8GR4HE224XG16SNS63FZ4S3", {{"name", "B"}}),
                    404, "not_found", "does not exist");
  EXPECT_EQ(client_->get("/api/v1/brand-kits").json()["brand_kits"].size(), 1U);
}

}  // namespace
}  // namespace adloom::testing
