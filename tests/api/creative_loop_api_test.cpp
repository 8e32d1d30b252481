// The campaign loop end to end against the real binary, on the built-in engines: brand kit
// and campaign → references → meta-prompt → edit → generate 5 → 3 more → approve 4, reject
// 4 → export (exactly the 4 approved) → KPIs → a new campaign's references and meta-prompt
// show the credit. Also: what unapproved images may not do, and refused moves.
#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <map>

#include "api/api_fixture.h"
#include "imaging/provenance.h"
#include "support/image_corpus.h"

namespace adloom::testing {
namespace {

using nlohmann::json;

// The entries of a ZIP archive: path → bytes.
std::map<std::string, std::string> unzip(const std::string& bytes) {
  std::map<std::string, std::string> out;
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  EXPECT_EQ(archive_read_open_memory(a, bytes.data(), bytes.size()), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    std::string data(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
    archive_read_data(a, data.data(), data.size());
    out[archive_entry_pathname(entry)] = std::move(data);
  }
  archive_read_free(a);
  return out;
}

class CreativeLoopApiTest : public ApiTest {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(VIPS_INIT("adloom-test"), 0); }

  std::string add(const json& metadata, const std::vector<double>& rgb, const std::string& name) {
    auto r = upload(metadata, {{name, encode_image(solid_image(640, 480, rgb), ".jpg[Q=90]")}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["assets"][0]["id"];
  }

  void add_library() {
    shoe_ = add({{"description", "trail running shoe on a rocky mountain path at sunrise"},
                 {"channel", "instagram"},
                 {"objective", "clicks"},
                 {"kpis", {{"impressions", 100000}, {"clicks", 4200}}}},
                {200, 90, 40}, "trail.jpg");
    add({{"description", "city running shoes on wet asphalt at night"},
         {"channel", "instagram"},
         {"objective", "clicks"},
         {"kpis", {{"impressions", 80000}, {"clicks", 900}}}},
        {30, 40, 90}, "city.jpg");
    add({{"description", "coffee cup on a wooden table"},
         {"channel", "facebook"},
         {"objective", "awareness"}},
        {120, 80, 50}, "coffee.jpg");
    ASSERT_TRUE(wait_all_jobs_done());
  }

  json post(const std::string& path, const json& body, long status) {
    auto r = client_->post_json(path, body);
    EXPECT_EQ(r.status, status) << path << ": " << r.body;
    return r.json();
  }

  // Starts a generation and waits for its job; returns the generation.
  json generate(const std::string& campaign, const json& body) {
    json started = post("/api/v1/campaigns/" + campaign + "/generations", body, 202);
    EXPECT_TRUE(wait_job(started["job"]["id"], {"succeeded"})) << started.dump(2);
    return client_->get("/api/v1/generations/" + started["id"].get<std::string>()).json();
  }

  std::string new_campaign(const std::string& name, const std::string& kit) {
    return post("/api/v1/campaigns",
                {{"name", name},
                 {"product", "Trailblazer 2 trail running shoe"},
                 {"description", "Our lightest trail shoe yet. Grip for wet rock."},
                 {"objective", "clicks"},
                 {"audience", "trail runners 25-40"},
                 {"channel", "instagram"},
                 {"format", "1080x1080"},
                 {"tone", "adventurous"},
                 {"call_to_action", "Shop now"},
                 {"brand_kit", kit}},
                201)["id"];
  }

  std::string shoe_;
};

TEST_F(CreativeLoopApiTest, BriefToApprovedImagesToCreditInTheNextCampaign) {
  start();
  add_library();
  const std::string kit = post("/api/v1/brand-kits",
                               {{"name", "Summit"},
                                {"palette",
                                 {{{"hex", "#1B3A4B"}, {"role", "primary"}, {"name", "deep teal"}},
                                  {{"hex", "#F4A259"}, {"role", "secondary"}},
                                  {{"hex", "#E76F51"}, {"role", "accent"}},
                                  {{"hex", "#F7F3E9"}, {"role", "background"}}}},
                                {"font_family", "DejaVu Sans"},
                                {"tone_words", {"bold", "outdoorsy"}},
                                {"banned_terms", {"cheap", "guaranteed"}},
                                {"disclosures", {"Free returns within 30 days."}}},
                               201)["id"];
  const std::string c = new_campaign("Trailblazer launch", kit);
  const std::string base = "/api/v1/campaigns/" + c;

  // References: the proven trail image first, explained; select it.
  json refs = post(base + "/references", {{"k", 3}}, 200);
  ASSERT_FALSE(refs["references"].empty()) << refs.dump(2);
  EXPECT_EQ(refs["references"][0]["id"], shoe_) << refs.dump(2);
  EXPECT_TRUE(refs["references"][0]["credit"].is_null());
  auto put = client_->request("PUT", base + "/references", json{{"assets", {shoe_}}}.dump(),
                              {"Content-Type: application/json"});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["references"][0]["asset_id"], shoe_);

  // Generating before any prompt is refused in plain words.
  expect_error_with(client_->post_json(base + "/generations", json::object()), 412,
                    "failed_precondition", "no prompt yet");

  // Meta-prompt: five variants, the brand palette, no banned term, the inputs it used.
  json v1 = post(base + "/prompts", json::object(), 201);
  EXPECT_EQ(v1["version"], 1);
  EXPECT_EQ(v1["source"], "model");
  ASSERT_EQ(v1["variants"].size(), 5U) << v1.dump(2);
  const std::string prompt = v1["prompt"];
  // Colours in words (image models read no hex codes): the kit's name, else the nearest.
  EXPECT_NE(prompt.find("deep teal"), std::string::npos) << prompt;
  EXPECT_EQ(prompt.find('#'), std::string::npos) << prompt;
  EXPECT_EQ(prompt.find("cheap"), std::string::npos) << prompt;
  EXPECT_EQ(v1["inputs"]["references"][0]["asset_id"], shoe_);

  // A person's edit: checked against the banned terms and the model's limit; restorable.
  expect_error_with(client_->post_json(base + "/prompts", {{"prompt", "A cheap shoe"}}), 400,
                    "invalid_argument", "\"cheap\"");
  expect_error_with(client_->post_json(base + "/prompts", {{"prompt", std::string(5000, 'a')}}),
                    400, "invalid_argument", "at most");
  json v2 = post(base + "/prompts",
                 {{"prompt", prompt + ", golden hour"}, {"variants", v1["variants"]}}, 201);
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["source"], "user");
  json v3 = post(base + "/prompts/1/restore", json::object(), 201);
  EXPECT_EQ(v3["restored_from"], 1);
  json v4 = post(base + "/prompts/2/restore", json::object(), 201);
  EXPECT_EQ(v4["prompt"], v2["prompt"]);
  EXPECT_EQ(client_->get(base + "/prompts").json()["prompts"].size(), 4U);

  // Five images, then three more: each slot its own pending image with lineage.
  json first = generate(c, {{"seed", 1000}});
  ASSERT_EQ(first["images"].size(), 5U) << first.dump(2);
  EXPECT_EQ(first["state"], "succeeded");
  EXPECT_EQ(first["references"], json({shoe_}));
  EXPECT_EQ(first["params"]["width"], 1080);
  EXPECT_EQ(client_->get(base).json()["state"], "in_review");
  json more = generate(c, {{"n", 3}});
  ASSERT_EQ(more["images"].size(), 3U) << more.dump(2);
  std::vector<std::string> images;
  for (const auto* g : {&first, &more}) {
    for (const auto& i : (*g)["images"]) {
      EXPECT_EQ(i["outcome"], "ok") << i.dump();
      EXPECT_EQ(i["model"], "builtin:layout-v1");
      images.push_back(i["asset_id"]);
    }
  }
  std::vector<std::string> unique = images;
  std::sort(unique.begin(), unique.end());
  EXPECT_EQ(std::unique(unique.begin(), unique.end()), unique.end()) << "an image repeats";

  auto queue = client_->get("/api/v1/review-queue?campaign=" + c).json();
  ASSERT_EQ(queue["items"].size(), 8U);
  EXPECT_EQ(queue["items"][0]["review_state"], "pending");

  // Nothing leaves before approval.
  expect_error_with(client_->get("/api/v1/assets/" + images[0] + "/content?rendition=full"), 403,
                    "permission_denied", "only approved images");
  expect_error_with(client_->post_json(base + "/export", json::object()), 412,
                    "failed_precondition", "no approved images");
  auto preview = client_->get("/api/v1/assets/" + images[0] + "/content?rendition=preview");
  EXPECT_EQ(preview.status, 200);

  // Approve 4 and reject 4 (a rejection needs a reason).
  expect_error_with(
      client_->post_json("/api/v1/assets/" + images[4] + "/review", {{"decision", "rejected"}}),
      400, "invalid_argument", "needs a reason");
  json decisions = json::array();
  for (int i = 0; i < 4; ++i) {
    decisions.push_back(
        {{"asset_id", images[static_cast<std::size_t>(i)]}, {"decision", "approved"}});
  }
  post("/api/v1/review-queue/decisions", {{"decisions", decisions}}, 200);
  for (std::size_t i = 4; i < 8; ++i) {
    post("/api/v1/assets/" + images[i] + "/review",
         {{"decision", "rejected"}, {"reason", "logo too small " + std::to_string(i)}}, 200);
  }
  expect_error_with(client_->post_json("/api/v1/assets/" + images[0] + "/review",
                                       {{"decision", "rejected"}, {"reason", "changed mind"}}),
                    409, "conflict", "already approved");
  EXPECT_EQ(client_->get(base).json()["state"], "approved");
  EXPECT_EQ(client_->get("/api/v1/review-queue?campaign=" + c).json()["items"].size(), 0U);
  // The prompt version the images came from carries their credit.
  auto latest = client_->get(base + "/prompts/latest").json();
  EXPECT_EQ(latest["version"], 4);
  EXPECT_EQ(latest["credit"], (json{{"approved", 4}, {"rejected", 4}})) << latest.dump(2);
  EXPECT_EQ(client_->get(base + "/prompts/1").json()["credit"]["approved"], 0);

  // Full resolution with provenance, for approved images only; rejected stay locked.
  auto full = client_->get("/api/v1/assets/" + images[0] + "/content?rendition=full");
  ASSERT_EQ(full.status, 200);
  const std::string xmp = read_xmp(full.body);
  EXPECT_NE(xmp.find(std::string(kTrainedAlgorithmicMedia)), std::string::npos) << xmp;
  EXPECT_NE(xmp.find("adloom:seed=\"1000\""), std::string::npos) << xmp;
  EXPECT_EQ(client_->get("/api/v1/assets/" + images[5] + "/content?rendition=full").status, 403);

  // The export holds exactly the four approved, each in the manifest with its reviewer.
  auto zip = client_->request("POST", base + "/export", "{}", {"Content-Type: application/json"});
  ASSERT_EQ(zip.status, 200) << zip.body;
  EXPECT_EQ(zip.headers["content-type"], "application/zip");
  const auto files = unzip(zip.body);
  int full_images = 0;
  for (const auto& [path, bytes] : files) {
    if (path.rfind("images/", 0) == 0) {
      ++full_images;
      const std::string id = path.substr(7, path.find('.') - 7);
      EXPECT_NE(std::find(images.begin(), images.begin() + 4, id), images.begin() + 4) << path;
    }
  }
  EXPECT_EQ(full_images, 4);
  ASSERT_EQ(files.count("manifest.csv"), 1U);
  const std::string& manifest = files.at("manifest.csv");
  EXPECT_EQ(std::count(manifest.begin(), manifest.end(), '\n'), 5) << manifest;
  EXPECT_NE(manifest.find("asset_id,file,preview"), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("builtin:layout-v1"), std::string::npos) << manifest;

  // Every decision and state change is in the audit log.
  auto audit = client_->get("/api/v1/audit?limit=200").json()["entries"];
  std::map<std::string, int> actions;
  for (const auto& e : audit) actions[e["action"]]++;
  EXPECT_EQ(actions["review.approved"], 4);
  EXPECT_EQ(actions["review.rejected"], 4);
  EXPECT_EQ(actions["generation.started"], 2);
  EXPECT_GE(actions["campaign.state_changed"], 5);  // generating, in_review ×2, approved

  // KPIs for the approved images; they join the library (indexed) with their lineage.
  for (int i = 0; i < 4; ++i) {
    auto r = client_->request(
        "PUT", "/api/v1/assets/" + images[static_cast<std::size_t>(i)] + "/kpis",
        R"({"kpis":{"impressions":20000,"clicks":900}})", {"Content-Type: application/json"});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  ASSERT_TRUE(wait_all_jobs_done());
  EXPECT_EQ(client_->get("/api/v1/assets/" + images[0]).json()["index_state"], "indexed");

  // Its own images are the campaign's output, never references for itself.
  json own = post(base + "/references", {{"k", 10}}, 200);
  ASSERT_FALSE(own["references"].empty());
  for (const auto& r : own["references"]) {
    EXPECT_EQ(std::find(images.begin(), images.end(), r["id"].get<std::string>()), images.end())
        << r.dump(2);
  }

  // The next campaign: its references carry the credit, and so does its meta-prompt.
  const std::string next = new_campaign("Trailblazer autumn", kit);
  json next_refs = post("/api/v1/campaigns/" + next + "/references", {{"k", 10}}, 200);
  bool credited = false;
  for (const auto& r : next_refs["references"]) {
    if (r["credit"].is_null()) continue;
    credited = true;
    EXPECT_GE(r["credit"]["approved"].get<int>(), 1) << r.dump(2);
    EXPECT_NE(r["explanation"].get<std::string>().find("approved image"), std::string::npos)
        << r.dump(2);
  }
  EXPECT_TRUE(credited) << next_refs.dump(2);
  json next_prompt = post("/api/v1/campaigns/" + next + "/prompts", json::object(), 201);
  bool worked = false;
  for (const auto& w : next_prompt["inputs"]["what_worked"]) {
    worked = worked || w["approved"].get<int>() >= 1;
  }
  EXPECT_TRUE(worked) << next_prompt["inputs"].dump(2);
  EXPECT_NE(next_prompt["reasoning"].get<std::string>().find("approved image"), std::string::npos)
      << next_prompt["reasoning"];
}

TEST_F(CreativeLoopApiTest, TheSameSeedGivesTheSameImagesAndRefusedMovesAre409) {
  start();
  const std::string kit = post("/api/v1/brand-kits", {{"name", "Plain"}}, 201)["id"];
  const std::string c = new_campaign("Seeds", kit);
  const std::string base = "/api/v1/campaigns/" + c;
  post(base + "/prompts", json::object(), 201);
  json a = generate(c, {{"n", 2}, {"seed", 7}});
  json b = generate(c, {{"n", 2}, {"seed", 7}});
  ASSERT_EQ(a["images"].size(), 2U);
  ASSERT_EQ(b["images"].size(), 2U);
  // Byte-identical images de-duplicate into the same assets.
  EXPECT_EQ(a["images"][0]["asset_id"], b["images"][0]["asset_id"]);
  EXPECT_EQ(a["images"][1]["asset_id"], b["images"][1]["asset_id"]);
  EXPECT_NE(a["images"][0]["asset_id"], a["images"][1]["asset_id"]);

  // Manual moves the lifecycle does not allow from in_review.
  expect_error_with(client_->post_json(base + "/state", {{"to", "live"}}), 409, "conflict",
                    "in_review");
  expect_error_with(client_->post_json(base + "/state", {{"to", "approved"}}), 409, "conflict",
                    "by hand");
  // Archived campaigns generate nothing.
  post(base + "/state", {{"to", "archived"}}, 200);
  expect_error_with(client_->post_json(base + "/generations", json::object()), 409, "conflict",
                    "is archived");
}

TEST_F(CreativeLoopApiTest, ACancelledGenerationStopsAndTheCampaignMovesOn) {
  start({"jobs.workers=1"});
  const std::string kit = post("/api/v1/brand-kits", {{"name", "Plain"}}, 201)["id"];
  const std::string c = new_campaign("Cancelled", kit);
  post("/api/v1/campaigns/" + c + "/prompts", json::object(), 201);
  json started = post("/api/v1/campaigns/" + c + "/generations",
                      {{"n", 20}, {"width", 2048}, {"height", 2048}}, 202);
  const std::string g = started["id"];
  json canceled = post("/api/v1/generations/" + g + "/cancel", json::object(), 200);
  EXPECT_EQ(canceled["state"], "canceled");
  expect_error_with(client_->post_json("/api/v1/generations/" + g + "/cancel", json::object()), 409,
                    "conflict", "canceled");
  ASSERT_TRUE(wait_job(started["job"]["id"], {"canceled", "succeeded"}));
  json after = client_->get("/api/v1/generations/" + g).json();
  EXPECT_EQ(after["state"], "canceled");
  EXPECT_LT(after["images"].size(), 20U) << "the job went on after the cancel";
  const std::string state = client_->get("/api/v1/campaigns/" + c).json()["state"];
  // Draft when nothing was made by the time of the cancel (an image in flight may still
  // arrive for review afterwards), else in review: never stuck in generating.
  EXPECT_TRUE(state == "draft" || state == "in_review") << state;
  if (after["images"].empty()) {
    EXPECT_EQ(state, "draft");
  }
  bool audited = false;
  const json audit = client_->get("/api/v1/audit?subject=" + c).json();
  for (const auto& e : audit["entries"]) {
    audited = audited || e["action"] == "generation.canceled";
  }
  EXPECT_TRUE(audited);
}

// The same through the jobs API: cancelling the job ends its generation as well.
TEST_F(CreativeLoopApiTest, CancellingTheJobEndsItsGeneration) {
  start({"jobs.workers=1"});
  const std::string kit = post("/api/v1/brand-kits", {{"name", "Plain"}}, 201)["id"];
  const std::string c = new_campaign("Job cancelled", kit);
  post("/api/v1/campaigns/" + c + "/prompts", json::object(), 201);
  json started = post("/api/v1/campaigns/" + c + "/generations",
                      {{"n", 20}, {"width", 2048}, {"height", 2048}}, 202);
  const std::string job = started["job"]["id"];
  post("/api/v1/jobs/" + job + "/cancel", json::object(), 200);
  ASSERT_TRUE(wait_job(job, {"canceled"}));
  const json after = client_->get("/api/v1/generations/" + started["id"].get<std::string>()).json();
  EXPECT_EQ(after["state"], "canceled") << after.dump(2);
  EXPECT_NE(client_->get("/api/v1/campaigns/" + c).json()["state"], "generating");
}

}  // namespace
}  // namespace adloom::testing
