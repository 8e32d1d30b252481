// The AUTOMATIC1111 and ComfyUI adapters against their fakes (tests/fakes/automatic1111.mjs,
// comfyui.mjs): what they send, exact-size fitting, refusals, retries, malformed answers,
// and for ComfyUI the workflow checks, placeholders, server-side rejections and cancelling.
#include <fstream>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "imaging/image.h"
#include "models/automatic1111/a1111_image_model.h"
#include "models/comfyui/comfyui_image_model.h"
#include "support/fake_provider.h"
#include "support/temp_dir.h"

namespace adloom {
namespace {

using nlohmann::json;
using testing::FakeProvider;
using testing::TempDir;

std::string small_png() {
  RgbImage img;
  img.width = 64;
  img.height = 48;
  img.pixels.assign(static_cast<std::size_t>(img.width) * img.height * 3, 90);
  auto png = encode_png(img);
  EXPECT_TRUE(png.is_ok()) << png.status().to_string();
  return png.is_ok() ? *png : std::string{};
}

void expect_size(const std::string& bytes, int width, int height) {
  auto info = probe_image(bytes, IntakeLimits{});
  ASSERT_TRUE(info.is_ok()) << info.status().to_string();
  EXPECT_EQ(info->width, width);
  EXPECT_EQ(info->height, height);
}

std::unique_ptr<HttpClient> test_client(const std::string& name) {
  // Quick backoff and a circuit that never opens: each test counts its own requests.
  auto http = HttpClient::create({.name = name,
                                  .max_tries = 3,
                                  .backoff_base_ms = 1,
                                  .backoff_max_ms = 20,
                                  .circuit_failures = 1000});
  EXPECT_TRUE(http.is_ok()) << http.status().to_string();
  return std::move(http).value();
}

// ---- AUTOMATIC1111 ----------------------------------------------------------------------

class A1111Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(init_imaging().is_ok());
    shared_fake = std::make_unique<FakeProvider>("automatic1111");
  }
  static void TearDownTestSuite() { shared_fake.reset(); }
  void SetUp() override {
    shared_fake->reset();
    http_ = test_client("automatic1111");
  }

  std::unique_ptr<A1111ImageModel> model(std::string checkpoint = {}) {
    auto m = A1111ImageModel::create(
        *http_, {.endpoint = shared_fake->url(), .model = std::move(checkpoint)});
    EXPECT_TRUE(m.is_ok()) << m.status().to_string();
    return std::move(m).value();
  }

  static std::unique_ptr<FakeProvider> shared_fake;
  std::unique_ptr<HttpClient> http_;
};

std::unique_ptr<FakeProvider> A1111Test::shared_fake;

TEST_F(A1111Test, Txt2ImgSendsTheRequestAndFitsTheImageExactly) {
  auto m = model("sd_xl_base_1.0");
  EXPECT_EQ(m->name(), "automatic1111:sd_xl_base_1.0");
  EXPECT_EQ(m->limits().max_seed, 2147483647u);
  const ImageRequest request{
      .prompt = "a red mug", .negative_prompt = "blurry", .width = 1080, .height = 1350, .seed = 7};
  auto image = m->generate(request, {});
  ASSERT_TRUE(image.is_ok()) << image.status().to_string() << "\n" << shared_fake->log();
  expect_size(image->bytes, 1080, 1350);
  EXPECT_EQ(image->model, "automatic1111:sd_xl_base_1.0");

  const auto [w, h] = model_size(m->limits(), 1080, 1350);
  const json log = shared_fake->requests();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["path"], "/sdapi/v1/txt2img");
  EXPECT_EQ(log[0]["verdict"], "ok");
  const json& body = log[0]["json"];
  EXPECT_EQ(body["width"], w);
  EXPECT_EQ(body["height"], h);
  EXPECT_EQ(body["seed"], 7);
  EXPECT_EQ(body["prompt"], "a red mug");
  EXPECT_EQ(body["negative_prompt"], "blurry");
  EXPECT_EQ(body["steps"], 30);
  EXPECT_EQ(body["sampler_name"], "Euler a");
  EXPECT_EQ(body["batch_size"], 1);
  EXPECT_EQ(body["override_settings"]["sd_model_checkpoint"], "sd_xl_base_1.0");
}

TEST_F(A1111Test, InitImageUsesImg2Img) {
  auto m = model();
  EXPECT_EQ(m->name(), "automatic1111:default");
  auto image = m->generate({.prompt = "a red mug", .seed = 11, .init_image = small_png()}, {});
  ASSERT_TRUE(image.is_ok()) << image.status().to_string() << "\n" << shared_fake->log();
  const json log = shared_fake->requests();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["path"], "/sdapi/v1/img2img");
  EXPECT_EQ(log[0]["verdict"], "ok");
  EXPECT_EQ(log[0]["json"]["denoising_strength"], 0.6);
  EXPECT_EQ(log[0]["json"]["init_images"].size(), 1u);
  EXPECT_FALSE(log[0]["json"].contains("override_settings"));
}

TEST_F(A1111Test, NsfwErrorIsARefusal) {
  shared_fake->set_fault({{"mode", "refusal"}, {"count", 3}});  // every try the client makes
  auto image = model()->generate({.prompt = "a red mug"}, {});
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), ErrorCode::kRefused);
  EXPECT_NE(image.status().message().find("NSFW"), std::string::npos) << image.status().message();
}

TEST_F(A1111Test, ServerErrorIsUnavailable) {
  shared_fake->set_fault({{"mode", "error500"}, {"count", 3}});
  auto image = model()->generate({.prompt = "a red mug"}, {});
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(image.status().message().find("CUDA error"), std::string::npos)
      << image.status().message();
}

TEST_F(A1111Test, ThrottledCallIsRetried) {
  shared_fake->set_fault({{"mode", "throttle"}, {"count", 1}, {"retry_after", 0}});
  auto image = model()->generate({.prompt = "a red mug", .seed = 5}, {});
  ASSERT_TRUE(image.is_ok()) << image.status().to_string();
  EXPECT_EQ(shared_fake->requests().size(), 2u);
}

TEST_F(A1111Test, MalformedAnswerIsUnavailable) {
  shared_fake->set_fault({{"mode", "malformed"}});
  auto image = model()->generate({.prompt = "a red mug"}, {});
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(image.status().message().find("malformed answer from automatic1111"), std::string::npos)
      << image.status().message();
}

// ---- ComfyUI ------------------------------------------------------------------------------

std::string fake_workflow_path() {
  return FakeProvider::fakes_dir() + "/comfyui-workflow.json";
}

class ComfyUiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(init_imaging().is_ok());
    shared_fake = std::make_unique<FakeProvider>("comfyui");
  }
  static void TearDownTestSuite() { shared_fake.reset(); }
  void SetUp() override {
    shared_fake->reset();
    http_ = test_client("comfyui");
  }

  Result<std::unique_ptr<ComfyUiImageModel>> open(const std::string& workflow,
                                                  const std::string& url = {}) {
    return ComfyUiImageModel::open(*http_, {.endpoint = url.empty() ? shared_fake->url() : url,
                                            .workflow_path = workflow,
                                            .poll_ms = 10});
  }

  std::string write_workflow(const json& graph, const std::string& name = "workflow.json") {
    std::string path = dir_.str() + "/" + name;
    std::ofstream(path) << graph.dump(2);
    return path;
  }

  static std::unique_ptr<FakeProvider> shared_fake;
  std::unique_ptr<HttpClient> http_;
  TempDir dir_;
};

std::unique_ptr<FakeProvider> ComfyUiTest::shared_fake;

TEST_F(ComfyUiTest, FillsThePlaceholdersAndFitsTheImageExactly) {
  auto m = open(fake_workflow_path());
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ((*m)->name(), "comfyui:comfyui-workflow.json");
  EXPECT_TRUE((*m)->limits().negative_prompt);
  const ImageRequest request{.prompt = "a \"red\" mug",
                             .negative_prompt = "blurry",
                             .width = 1080,
                             .height = 1350,
                             .seed = 1234};
  auto image = (*m)->generate(request, {});
  ASSERT_TRUE(image.is_ok()) << image.status().to_string() << "\n" << shared_fake->log();
  expect_size(image->bytes, 1080, 1350);
  EXPECT_EQ(image->model, "comfyui:comfyui-workflow.json");

  const auto [w, h] = model_size((*m)->limits(), 1080, 1350);
  const json log = shared_fake->requests();
  ASSERT_GE(log.size(), 3u);
  EXPECT_EQ(log[0]["path"], "/prompt");
  EXPECT_EQ(log[0]["verdict"], "ok");
  const json& graph = log[0]["json"]["prompt"];
  EXPECT_EQ(graph["3"]["inputs"]["seed"], 1234);
  EXPECT_EQ(graph["5"]["inputs"]["width"], w);
  EXPECT_EQ(graph["5"]["inputs"]["height"], h);
  EXPECT_EQ(graph["5"]["inputs"]["batch_size"], 1);
  EXPECT_EQ(graph["6"]["inputs"]["text"], "a \"red\" mug");
  EXPECT_EQ(graph["7"]["inputs"]["text"], "blurry");
  EXPECT_TRUE(log[0]["json"]["client_id"].get<std::string>().starts_with("adloom-"));
  EXPECT_TRUE(log[1]["path"].get<std::string>().starts_with("/history/"));
  EXPECT_EQ(log.back()["path"], "/view");
  EXPECT_NE(log.back()["query"].get<std::string>().find("filename=adloom_"), std::string::npos);
}

TEST_F(ComfyUiTest, WorkflowsWithoutPlaceholdersOrInUiFormatAreRefusedAtOpen) {
  std::ifstream in(fake_workflow_path());
  json graph = json::parse(in);
  graph["3"]["inputs"]["seed"] = 5;  // no {{seed}} left
  auto no_seed = open(write_workflow(graph));
  ASSERT_FALSE(no_seed.is_ok());
  EXPECT_EQ(no_seed.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(no_seed.status().message().find("{{seed}}"), std::string::npos)
      << no_seed.status().message();

  auto ui = open(write_workflow({{"nodes", json::array()}, {"links", json::array()}}, "ui.json"));
  ASSERT_FALSE(ui.is_ok());
  EXPECT_NE(ui.status().message().find("Save (API Format)"), std::string::npos)
      << ui.status().message();

  auto missing = open(dir_.str() + "/absent.json");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(shared_fake->requests().empty());
}

TEST_F(ComfyUiTest, WorkflowRejectedByTheServerIsInvalidArgument) {
  std::ifstream in(fake_workflow_path());
  json graph = json::parse(in);
  graph["5"]["inputs"]["width"] = "wide";  // not a number: ComfyUI's validation fails
  auto m = open(write_workflow(graph));
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  auto image = (*m)->generate({.prompt = "a red mug"}, {});
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(image.status().message().find("node 5 (EmptyLatentImage)"), std::string::npos)
      << image.status().message();
}

TEST_F(ComfyUiTest, ContentFilterErrorIsARefusal) {
  shared_fake->set_fault({{"mode", "refusal"}});
  auto m = open(fake_workflow_path());
  ASSERT_TRUE(m.is_ok());
  auto image = (*m)->generate({.prompt = "a red mug"}, {});
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), ErrorCode::kRefused);
  EXPECT_NE(image.status().message().find("content filter"), std::string::npos)
      << image.status().message();
}

TEST_F(ComfyUiTest, ThrottledQueueingIsRetriedAndMalformedIsUnavailable) {
  auto m = open(fake_workflow_path());
  ASSERT_TRUE(m.is_ok());
  shared_fake->set_fault({{"mode", "throttle"}, {"count", 1}, {"retry_after", 0}});
  auto image = (*m)->generate({.prompt = "a red mug", .seed = 9}, {});
  ASSERT_TRUE(image.is_ok()) << image.status().to_string();
  int posts = 0;
  for (const auto& r : shared_fake->requests()) posts += r["path"] == "/prompt" ? 1 : 0;
  EXPECT_EQ(posts, 2);

  shared_fake->set_fault({{"mode", "malformed"}, {"path_contains", "/history/"}});
  auto broken = (*m)->generate({.prompt = "a red mug"}, {});
  ASSERT_FALSE(broken.is_ok());
  EXPECT_EQ(broken.status().code(), ErrorCode::kUnavailable);
}

TEST_F(ComfyUiTest, CancellingInterruptsTheJob) {
  // A server whose jobs take a minute: the call is cancelled while it polls.
  FakeProvider slow("comfyui", {"--latency-ms", "60000"});
  auto m = open(fake_workflow_path(), slow.url());
  ASSERT_TRUE(m.is_ok());
  std::stop_source stop;
  std::jthread canceller([&] {
    // Waits for the first poll (the fake's request log, not a sleep), then cancels.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < give_up) {
      for (const auto& r : slow.requests()) {
        if (r["path"].get<std::string>().starts_with("/history/")) {
          stop.request_stop();
          return;
        }
      }
    }
  });
  ModelCall call;
  call.control.stop = stop.get_token();
  auto image = (*m)->generate({.prompt = "a red mug"}, call);
  canceller.join();
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), ErrorCode::kCancelled) << image.status().to_string();
  bool deleted = false;
  bool interrupted = false;
  for (const auto& r : slow.requests()) {
    deleted = deleted || r["path"] == "/queue";
    interrupted = interrupted || r["path"] == "/interrupt";
  }
  EXPECT_TRUE(deleted);
  EXPECT_TRUE(interrupted);
}

}  // namespace
}  // namespace adloom
