// The campaign loop end to end against the real binary with every capability pointed at a
// fake provider (tests/fakes/): upload → index (vision description, embedding) →
// references → meta-prompt → 5 images at the brief's exact format → review → export. One
// parameterised test: Bedrock (SigV4-signed, checked by the fake), OpenAI-compatible,
// AUTOMATIC1111 and ComfyUI. The fakes validate every body against the model's schema and
// record a verdict, so "the fake accepted everything" is asserted, not assumed.
#include <archive.h>
#include <archive_entry.h>
#include <chrono>
#include <thread>

#include "api/api_fixture.h"
#include "support/fake_provider.h"
#include "support/image_corpus.h"

namespace adloom::testing {
namespace {

using nlohmann::json;

constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kApiKey = "sk-adloom-test";

struct ProviderSetup {
  std::string name;
  // What each capability's images, descriptions and prompts should name as their model.
  std::string analyse_model;  // "" : builtin
  std::string text_model;     // "" : builtin
  std::string image_model;
};

std::ostream& operator<<(std::ostream& os, const ProviderSetup& s) {
  return os << s.name;
}

int zip_image_count(const std::string& bytes) {
  int n = 0;
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  archive_read_open_memory(a, bytes.data(), bytes.size());
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    if (std::string(archive_entry_pathname(entry)).rfind("images/", 0) == 0) ++n;
    archive_read_data_skip(a);
  }
  archive_read_free(a);
  return n;
}

class ProvidersLoopTest : public ApiTest, public ::testing::WithParamInterface<ProviderSetup> {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(VIPS_INIT("adloom-test"), 0); }

  // Starts the fakes this setup needs and the server pointed at them.
  void start_with_fakes() {
    const std::string& n = GetParam().name;
    std::vector<std::string> sets = {"jobs.workers=2"};
    if (n == "bedrock") {
      fakes_.push_back(std::make_unique<FakeProvider>(
          "bedrock",
          std::vector<std::string>{"--access-key", kAccessKey, "--secret-key", kSecretKey}));
      const std::string& url = fakes_.back()->url();
      sets.insert(sets.end(),
                  {"providers.bedrock.endpoint=" + url, "providers.bedrock.region=us-east-1",
                   std::string("providers.bedrock.access_key_id=") + kAccessKey,
                   std::string("providers.bedrock.secret_access_key=") + kSecretKey,
                   "models.analyse.provider=bedrock", "models.analyse.model=amazon.nova-lite-v1:0",
                   "models.embed.provider=bedrock",
                   "models.embed.model=amazon.titan-embed-image-v1", "embedder.dimension=1024",
                   "models.text.provider=bedrock", "models.text.model=amazon.nova-pro-v1:0",
                   "models.image.provider=bedrock", "models.image.model=amazon.nova-canvas-v1:0"});
      return start(sets);
    }
    // The others take their text model (and, for openai, everything) from the OpenAI fake.
    fakes_.push_back(
        std::make_unique<FakeProvider>("openai", std::vector<std::string>{"--api-key", kApiKey}));
    sets.insert(sets.end(), {"providers.openai.endpoint=" + fakes_.back()->url() + "/v1",
                             std::string("providers.openai.api_key=") + kApiKey,
                             "models.text.provider=openai", "models.text.model=gpt-4o-mini"});
    if (n == "openai") {
      sets.insert(sets.end(),
                  {"models.analyse.provider=openai", "models.analyse.model=gpt-4o-mini",
                   "models.embed.provider=openai", "models.embed.model=text-embedding-3-small",
                   "embedder.dimension=512", "models.image.provider=openai",
                   "models.image.model=gpt-image-1"});
    } else if (n == "automatic1111") {
      fakes_.push_back(std::make_unique<FakeProvider>("automatic1111"));
      sets.insert(sets.end(), {"providers.automatic1111.endpoint=" + fakes_.back()->url(),
                               "models.image.provider=automatic1111"});
    } else {
      fakes_.push_back(std::make_unique<FakeProvider>("comfyui"));
      sets.insert(sets.end(), {"providers.comfyui.endpoint=" + fakes_.back()->url(),
                               "providers.comfyui.workflow=" + FakeProvider::fakes_dir() +
                                   "/comfyui-workflow.json",
                               "models.image.provider=comfyui"});
    }
    start(sets);
  }

  std::string add(const json& metadata, const std::vector<double>& rgb, const std::string& name) {
    auto r = upload(metadata, {{name, encode_image(solid_image(640, 480, rgb), ".jpg[Q=90]")}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["assets"][0]["id"];
  }

  json post(const std::string& path, const json& body, long status) {
    auto r = client_->post_json(path, body);
    EXPECT_EQ(r.status, status) << path << ": " << r.body;
    return r.json();
  }

  void TearDown() override {
    ApiTest::TearDown();
    if (HasFailure()) {
      for (const auto& f : fakes_) std::cerr << "---- fake log ----\n" << f->log() << "\n";
    }
  }

  std::vector<std::unique_ptr<FakeProvider>> fakes_;
};

TEST_P(ProvidersLoopTest, BriefToExportedImagesThroughTheProvider) {
  const ProviderSetup& setup = GetParam();
  start_with_fakes();

  // Upload and index: the vision model describes, the embedder embeds.
  const std::string jacket = add({{"campaign", "Spring walks"},
                                  {"channel", "instagram"},
                                  {"kpis", {{"impressions", 50000}, {"clicks", 2100}}}},
                                 {90, 140, 70}, "jacket.jpg");
  add({{"campaign", "City nights"}, {"channel", "instagram"}}, {30, 40, 90}, "city.jpg");
  add({{"campaign", "Coffee"}, {"channel", "facebook"}}, {120, 80, 50}, "coffee.jpg");
  ASSERT_TRUE(wait_all_jobs_done());
  const json asset = client_->get("/api/v1/assets/" + jacket).json();
  ASSERT_EQ(asset["index_state"], "indexed") << asset.dump(2);
  if (!setup.analyse_model.empty()) {
    EXPECT_NE(asset.dump().find(setup.analyse_model), std::string::npos) << asset.dump(2);
  }

  // A campaign in the 4:5 format no model makes natively (1080×1350).
  const std::string kit =
      post("/api/v1/brand-kits",
           {{"name", "Trail"},
            {"palette",
             {{{"hex", "#1B3A4B"}, {"role", "primary"}}, {{"hex", "#F4A259"}, {"role", "accent"}}}},
            {"banned_terms", {"cheap"}}},
           201)["id"];
  const std::string c = post("/api/v1/campaigns",
                             {{"name", "Spring jacket"},
                              {"product", "a light jacket for spring walks in nature"},
                              {"objective", "clicks"},
                              {"channel", "instagram"},
                              {"format", "1080x1350"},
                              {"brand_kit", kit}},
                             201)["id"];
  const std::string base = "/api/v1/campaigns/" + c;
  json refs = post(base + "/references", {{"k", 3}}, 200);
  ASSERT_FALSE(refs["references"].empty()) << refs.dump(2);
  auto put = client_->request("PUT", base + "/references",
                              json{{"assets", {refs["references"][0]["id"]}}}.dump(),
                              {"Content-Type: application/json"});
  ASSERT_EQ(put.status, 200) << put.body;

  json prompt = post(base + "/prompts", json::object(), 201);
  EXPECT_EQ(prompt["source"], "model");
  EXPECT_FALSE(prompt["prompt"].get<std::string>().empty());
  if (!setup.text_model.empty()) {
    EXPECT_NE(prompt.dump().find(setup.text_model), std::string::npos) << prompt.dump(2);
  }

  // Five images, each exactly the brief's format, made by the provider.
  json started = post(base + "/generations", {{"n", 5}, {"seed", 4242}}, 202);
  ASSERT_TRUE(wait_job(started["job"]["id"], {"succeeded"}, 120000)) << started.dump(2);
  const json g = client_->get("/api/v1/generations/" + started["id"].get<std::string>()).json();
  ASSERT_EQ(g["images"].size(), 5U) << g.dump(2);
  std::vector<std::string> images;
  for (const auto& i : g["images"]) {
    ASSERT_EQ(i["outcome"], "ok") << i.dump(2);
    EXPECT_NE(i["model"].get<std::string>().find(setup.image_model), std::string::npos) << i.dump();
    const json a = client_->get("/api/v1/assets/" + i["asset_id"].get<std::string>()).json();
    EXPECT_EQ(a["width"], 1080) << a.dump(2);
    EXPECT_EQ(a["height"], 1350) << a.dump(2);
    images.push_back(i["asset_id"]);
  }

  // Review: three approved, two rejected; the export holds the three.
  json decisions = json::array();
  for (std::size_t i = 0; i < 3; ++i)
    decisions.push_back({{"asset_id", images[i]}, {"decision", "approved"}});
  for (std::size_t i = 3; i < 5; ++i) {
    decisions.push_back(
        {{"asset_id", images[i]}, {"decision", "rejected"}, {"reason", "off brand"}});
  }
  post("/api/v1/review-queue/decisions", {{"decisions", decisions}}, 200);
  auto zip = client_->request("POST", base + "/export", "{}", {"Content-Type: application/json"});
  ASSERT_EQ(zip.status, 200) << zip.body;
  EXPECT_EQ(zip_image_count(zip.body), 3);

  // Every request the fakes saw was valid for its model (and, for Bedrock, signed right).
  for (const auto& fake : fakes_) {
    const json seen = fake->requests();
    EXPECT_FALSE(seen.empty());
    for (const auto& r : seen) {
      EXPECT_EQ(r["verdict"], "ok") << r.dump(2);
      if (setup.name == "bedrock") {
        EXPECT_EQ(r["signature"], "valid") << r.dump(2);
      }
    }
  }
}

// A kill -9 while the provider is still drawing: after the restart the image is asked for
// again and recorded once; no slot is made twice.
class ProviderCrashTest : public ApiTest {};

TEST_F(ProviderCrashTest, NoDuplicateImageAfterAKillDuringAProviderCall) {
  FakeProvider fake("openai");
  const std::vector<std::string> sets = {
      "jobs.workers=1", "jobs.lease_ms=1000", "providers.openai.endpoint=" + fake.url() + "/v1",
      "models.image.provider=openai", "models.image.model=gpt-image-1"};
  start(sets);
  const std::string kit = client_->post_json("/api/v1/brand-kits", {{"name", "K"}}).json()["id"];
  const std::string c = client_
                            ->post_json("/api/v1/campaigns", {{"name", "Crash"},
                                                              {"product", "a light jacket"},
                                                              {"format", "1080x1350"},
                                                              {"brand_kit", kit}})
                            .json()["id"];
  ASSERT_EQ(client_->post_json("/api/v1/campaigns/" + c + "/prompts", json::object()).status, 201);
  fake.set_fault({{"mode", "slow"}, {"delay_ms", 60000}, {"path_contains", "/v1/images"}});
  auto started = client_->post_json("/api/v1/campaigns/" + c + "/generations", {{"n", 2}});
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string generation = started.json()["id"];

  // Kill once the first image request is at the provider.
  auto image_calls = [&fake] {
    std::size_t n = 0;
    for (const auto& r : fake.requests()) n += r["path"] == "/v1/images/generations" ? 1 : 0;
    return n;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (image_calls() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_EQ(image_calls(), 1U);
  server_->kill9();

  start(sets);
  ASSERT_TRUE(wait_job(started.json()["job"]["id"], {"succeeded"}, 120000));
  const json g = client_->get("/api/v1/generations/" + generation).json();
  ASSERT_EQ(g["images"].size(), 2U) << g.dump(2);
  EXPECT_EQ(g["images"][0]["slot"], 0);
  EXPECT_EQ(g["images"][1]["slot"], 1);
  EXPECT_NE(g["images"][0]["asset_id"], g["images"][1]["asset_id"]);
  EXPECT_EQ(client_->get("/api/v1/review-queue?campaign=" + c).json()["items"].size(), 2U);
  EXPECT_EQ(image_calls(), 3U) << "the interrupted image is asked for again, once";
}

// GET /api/v1/models shows each capability's engine and its provider's circuit; after the
// embedding model changes, it (and the start-up output) says to re-index.
TEST_F(ProviderCrashTest, ModelsListsEnginesAndSwitchingTheEmbedderSaysToReindex) {
  FakeProvider fake("openai");
  start({"providers.openai.endpoint=" + fake.url() + "/v1", "models.text.provider=openai",
         "models.text.model=gpt-4o-mini"});
  json models = client_->get("/api/v1/models").json()["models"];
  ASSERT_EQ(models.size(), 4U) << models.dump(2);
  EXPECT_EQ(models[1]["capability"], "embed");
  EXPECT_EQ(models[1]["provider"], "builtin");
  EXPECT_TRUE(models[1]["circuit"].is_null());
  EXPECT_EQ(models[2]["model"], "openai:gpt-4o-mini");
  EXPECT_EQ(models[2]["circuit"], "closed");
  EXPECT_TRUE(models[1]["notice"].is_null());

  auto r = upload({{"campaign", "Spring"}},
                  {{"a.jpg", encode_image(solid_image(320, 240, {90, 140, 70}), ".jpg")}});
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_TRUE(wait_all_jobs_done());
  ASSERT_EQ(server_->terminate(), 0);
  start({"embedder.dimension=256"});
  models = client_->get("/api/v1/models").json()["models"];
  ASSERT_TRUE(models[1]["notice"].is_string()) << models.dump(2);
  EXPECT_NE(models[1]["notice"].get<std::string>().find("run `adloom reindex`"), std::string::npos);
  EXPECT_NE(server_->log().find("event=embedding_model_changed"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Providers, ProvidersLoopTest,
    ::testing::Values(ProviderSetup{"bedrock", "amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0",
                                    "bedrock:amazon.nova-canvas-v1:0"},
                      ProviderSetup{"openai", "gpt-4o-mini", "gpt-4o-mini", "openai:gpt-image-1"},
                      ProviderSetup{"automatic1111", "", "gpt-4o-mini", "automatic1111:"},
                      ProviderSetup{"comfyui", "", "gpt-4o-mini", "comfyui:"}),
    [](const ::testing::TestParamInfo<ProviderSetup>& info) { return info.param.name; });

}  // namespace
}  // namespace adloom::testing
