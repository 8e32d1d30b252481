// The OpenAI-compatible adapters against the fake OpenAI server (tests/fakes/openai.mjs):
// what they send (checked in the fake's request log), refusals, a throttled call retried,
// malformed answers, credentials errors, and images fitted to the exact size asked for.
#include "models/openai/openai_models.h"

#include <cmath>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "imaging/image.h"
#include "support/fake_provider.h"

namespace adloom {
namespace {

using nlohmann::json;
using testing::FakeProvider;

std::string small_png() {
  RgbImage img;
  img.width = 16;
  img.height = 12;
  img.pixels.assign(static_cast<std::size_t>(img.width) * img.height * 3, 200);
  auto png = encode_png(img);
  EXPECT_TRUE(png.is_ok()) << png.status().to_string();
  return png.is_ok() ? *png : std::string{};
}

class OpenAiModelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(init_imaging().is_ok());
    shared_fake = std::make_unique<FakeProvider>("openai");
  }
  static void TearDownTestSuite() { shared_fake.reset(); }

  void SetUp() override {
    shared_fake->reset();
    // Quick backoff and a circuit that never opens: each test counts its own requests.
    auto http = HttpClient::create({.name = "openai",
                                    .max_tries = 3,
                                    .backoff_base_ms = 1,
                                    .backoff_max_ms = 20,
                                    .circuit_failures = 1000});
    ASSERT_TRUE(http.is_ok()) << http.status().to_string();
    http_ = std::move(http).value();
  }

  std::string endpoint() const { return shared_fake->url() + "/v1"; }

  std::unique_ptr<OpenAiTextModel> text_model() {
    auto m = OpenAiTextModel::create(*http_, {.endpoint = endpoint(), .model = "fake-vision"});
    EXPECT_TRUE(m.is_ok()) << m.status().to_string();
    return std::move(m).value();
  }

  std::unique_ptr<OpenAiImageModel> image_model(OpenAiImageDialect dialect,
                                                std::string model = "fake-image") {
    auto m = OpenAiImageModel::create(
        *http_, {.endpoint = endpoint(), .model = std::move(model), .dialect = dialect});
    EXPECT_TRUE(m.is_ok()) << m.status().to_string();
    return std::move(m).value();
  }

  // The request log's model calls (admin calls are not logged).
  json model_requests() { return shared_fake->requests(); }

  static std::unique_ptr<FakeProvider> shared_fake;
  std::unique_ptr<HttpClient> http_;
};

std::unique_ptr<FakeProvider> OpenAiModelsTest::shared_fake;

TEST_F(OpenAiModelsTest, ChatSendsSystemPromptAndImagesAsDataUrls) {
  auto model = text_model();
  ASSERT_EQ(model->name(), "openai:fake-vision");
  TextRequest request{.system = "You describe images.", .prompt = "Describe this picture."};
  request.images.push_back({small_png(), "image/png"});
  request.max_tokens = 300;
  auto answer = model->generate(request, {});
  ASSERT_TRUE(answer.is_ok()) << answer.status().to_string() << "\n" << shared_fake->log();
  EXPECT_FALSE(answer->text.empty());
  EXPECT_EQ(answer->model, "openai:fake-vision");
  EXPECT_EQ(answer->stop_reason, "stop");
  EXPECT_GT(answer->input_tokens, 0);
  EXPECT_GT(answer->output_tokens, 0);

  const json log = model_requests();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["path"], "/v1/chat/completions");
  EXPECT_EQ(log[0]["verdict"], "ok");
  const json& body = log[0]["json"];
  EXPECT_EQ(body["model"], "fake-vision");
  EXPECT_EQ(body["max_tokens"], 300);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_EQ(body["messages"][1]["content"][0]["text"], "Describe this picture.");
  const std::string url = body["messages"][1]["content"][1]["image_url"]["url"];
  EXPECT_TRUE(url.starts_with("data:image/png;base64,")) << url;
  EXPECT_FALSE(log[0]["headers"].contains("authorization"));  // no key configured
}

TEST_F(OpenAiModelsTest, ContentFilterIsARefusal) {
  shared_fake->set_fault({{"mode", "refusal"}});
  auto answer = text_model()->generate({.prompt = "Write a tagline."}, {});
  ASSERT_FALSE(answer.is_ok());
  EXPECT_EQ(answer.status().code(), ErrorCode::kRefused);
  EXPECT_NE(answer.status().message().find("content filter"), std::string::npos)
      << answer.status().message();
}

TEST_F(OpenAiModelsTest, ThrottledCallIsRetried) {
  shared_fake->set_fault({{"mode", "throttle"}, {"count", 1}, {"retry_after", 0}});
  auto answer = text_model()->generate({.prompt = "Write a tagline."}, {});
  ASSERT_TRUE(answer.is_ok()) << answer.status().to_string();
  const json log = model_requests();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["status"], 429);
  EXPECT_EQ(log[1]["status"], 200);
}

TEST_F(OpenAiModelsTest, MalformedAnswerIsUnavailable) {
  shared_fake->set_fault({{"mode", "malformed"}});
  auto answer = text_model()->generate({.prompt = "Write a tagline."}, {});
  ASSERT_FALSE(answer.is_ok());
  EXPECT_EQ(answer.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(answer.status().message().find("malformed answer from openai"), std::string::npos)
      << answer.status().message();
}

TEST_F(OpenAiModelsTest, BadKeyNamesTheSettingToFix) {
  shared_fake->set_fault({{"mode", "expired_token"}});
  auto answer = text_model()->generate({.prompt = "Write a tagline."}, {});
  ASSERT_FALSE(answer.is_ok());
  EXPECT_EQ(answer.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(answer.status().message().find("401 invalid_api_key"), std::string::npos)
      << answer.status().message();
  EXPECT_NE(answer.status().message().find("providers.openai.api_key"), std::string::npos);
}

TEST_F(OpenAiModelsTest, ApiKeyIsSentAsBearer) {
  FakeProvider keyed("openai", {"--api-key", "sk-test"});
  auto model = OpenAiTextModel::create(
      *http_, {.endpoint = keyed.url() + "/v1", .api_key = "sk-test", .model = "fake-chat"});
  ASSERT_TRUE(model.is_ok());
  auto answer = (*model)->generate({.prompt = "Write a tagline."}, {});
  ASSERT_TRUE(answer.is_ok()) << answer.status().to_string();
  EXPECT_EQ(keyed.requests()[0]["signature"], "bearer");
}

TEST_F(OpenAiModelsTest, EmbedderNormalisesAndSendsDimensions) {
  auto embedder = OpenAiEmbedder::create(
      *http_,
      {.endpoint = endpoint(), .model = "fake-embed", .dimension = 256, .send_dimensions = true});
  ASSERT_TRUE(embedder.is_ok()) << embedder.status().to_string();
  EXPECT_EQ((*embedder)->model_id(), "openai:fake-embed:256");
  // With an image too, only the text is embedded.
  auto v = (*embedder)->embed({.text = "red ceramic mug", .image = small_png()}, {});
  ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  ASSERT_EQ(v->size(), 256u);
  double sum = 0;
  for (float x : *v) sum += double{x} * x;
  EXPECT_NEAR(std::sqrt(sum), 1.0, 1e-5);
  const json log = model_requests();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["path"], "/v1/embeddings");
  EXPECT_EQ(log[0]["json"]["input"], "red ceramic mug");
  EXPECT_EQ(log[0]["json"]["dimensions"], 256);
}

TEST_F(OpenAiModelsTest, EmbedderChecksTheDimensionAndRefusesImagesAlone) {
  // The fake answers 768 dimensions when none are asked for.
  auto embedder = OpenAiEmbedder::create(
      *http_, {.endpoint = endpoint(), .model = "fake-embed", .dimension = 256});
  ASSERT_TRUE(embedder.is_ok());
  auto v = (*embedder)->embed({.text = "red ceramic mug"}, {});
  ASSERT_FALSE(v.is_ok());
  EXPECT_EQ(v.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(v.status().message().find("768"), std::string::npos) << v.status().message();
  EXPECT_NE(v.status().message().find("256"), std::string::npos);

  auto image_only = (*embedder)->embed({.image = small_png()}, {});
  ASSERT_FALSE(image_only.is_ok());
  EXPECT_EQ(image_only.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(image_only.status().message().find("reads text only"), std::string::npos);
  EXPECT_EQ(model_requests().size(), 1u);  // the image-only input never left
}

TEST_F(OpenAiModelsTest, SdCppImageCarriesSeedInThePromptAndIsFittedExactly) {
  auto model = image_model(OpenAiImageDialect::kSdCpp);
  const ImageRequest request{.prompt = "a red mug",
                             .negative_prompt = "blurry",
                             .width = 1080,
                             .height = 1350,
                             .seed = 42};
  auto image = model->generate(request, {});
  ASSERT_TRUE(image.is_ok()) << image.status().to_string() << "\n" << shared_fake->log();
  auto info = probe_image(image->bytes, IntakeLimits{});
  ASSERT_TRUE(info.is_ok());
  EXPECT_EQ(info->width, 1080);
  EXPECT_EQ(info->height, 1350);
  EXPECT_EQ(image->width, 1080);
  EXPECT_EQ(image->model, "openai:fake-image");

  const auto [w, h] = model_size(model->limits(), 1080, 1350);
  EXPECT_EQ(w % 64, 0);
  EXPECT_EQ(h % 64, 0);
  const json log = model_requests();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["verdict"], "ok");
  const json& body = log[0]["json"];
  EXPECT_EQ(body["size"], std::to_string(w) + "x" + std::to_string(h));
  EXPECT_EQ(body["prompt"],
            "a red mug<sd_cpp_extra_args>{\"negative_prompt\":\"blurry\",\"seed\":42}"
            "</sd_cpp_extra_args>");
  EXPECT_EQ(body["response_format"], "b64_json");
  EXPECT_EQ(body["n"], 1);
}

TEST_F(OpenAiModelsTest, LocalAiImageSendsSeedAndNegativePrompt) {
  auto image = image_model(OpenAiImageDialect::kLocalAi)
                   ->generate({.prompt = "a red mug", .negative_prompt = "blurry", .seed = 7}, {});
  ASSERT_TRUE(image.is_ok()) << image.status().to_string();
  const json body = model_requests()[0]["json"];
  EXPECT_EQ(body["seed"], 7);
  EXPECT_EQ(body["negative_prompt"], "blurry");
  EXPECT_EQ(body["prompt"], "a red mug");
  EXPECT_EQ(body["size"], "1024x1024");
}

TEST_F(OpenAiModelsTest, OpenAiImageUsesTheClosestListedSize) {
  auto model = image_model(OpenAiImageDialect::kOpenAi, "gpt-image-1");
  EXPECT_FALSE(model->limits().negative_prompt);
  auto image =
      model->generate({.prompt = "a red mug", .width = 1080, .height = 1350, .seed = 3}, {});
  ASSERT_TRUE(image.is_ok()) << image.status().to_string();
  auto info = probe_image(image->bytes, IntakeLimits{});
  ASSERT_TRUE(info.is_ok());
  EXPECT_EQ(info->width, 1080);
  EXPECT_EQ(info->height, 1350);
  const json body = model_requests()[0]["json"];
  EXPECT_EQ(body["size"], "1024x1536");
  EXPECT_FALSE(body.contains("seed"));
  EXPECT_FALSE(body.contains("negative_prompt"));
  EXPECT_FALSE(body.contains("response_format"));  // GPT image models reject it
}

TEST_F(OpenAiModelsTest, ContentPolicyViolationIsARefusal) {
  shared_fake->set_fault({{"mode", "refusal"}});
  auto image = image_model(OpenAiImageDialect::kSdCpp)->generate({.prompt = "a red mug"}, {});
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), ErrorCode::kRefused);
  EXPECT_NE(image.status().message().find("safety system"), std::string::npos)
      << image.status().message();
}

TEST_F(OpenAiModelsTest, ThrottledImageIsRetriedAndMalformedIsUnavailable) {
  shared_fake->set_fault({{"mode", "throttle"}, {"count", 1}, {"retry_after", 0}});
  auto model = image_model(OpenAiImageDialect::kLocalAi);
  auto image = model->generate({.prompt = "a red mug"}, {});
  ASSERT_TRUE(image.is_ok()) << image.status().to_string();
  EXPECT_EQ(model_requests().size(), 2u);

  shared_fake->set_fault({{"mode", "malformed"}});
  auto broken = model->generate({.prompt = "a red mug"}, {});
  ASSERT_FALSE(broken.is_ok());
  EXPECT_EQ(broken.status().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace adloom
