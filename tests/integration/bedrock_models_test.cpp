// The Bedrock adapters against the fake Bedrock (tests/fakes/bedrock.mjs), which recomputes
// every SigV4 signature and validates each body against the model's schema: Converse text
// and vision, Titan and Nova embeddings, Nova Canvas (text, palette, variation) and
// Stability; content-filter refusals as kRefused with the reason; access and credential
// errors in words a person can act on; a wrong secret rejected by the fake.
#include "models/bedrock/bedrock_models.h"

#include <gtest/gtest.h>

#include "imaging/image.h"
#include "support/fake_provider.h"

namespace adloom {
namespace {

using nlohmann::json;
using testing::FakeProvider;

constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string png(int w, int h) {
  RgbImage img;
  img.width = w;
  img.height = h;
  img.pixels.assign(static_cast<std::size_t>(w) * h * 3, 120);
  return encode_png(img).value();
}

class BedrockModelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(init_imaging().is_ok());
    fake = std::make_unique<FakeProvider>(
        "bedrock",
        std::vector<std::string>{"--access-key", kAccessKey, "--secret-key", kSecretKey});
  }
  static void TearDownTestSuite() { fake.reset(); }

  void SetUp() override {
    fake->reset();
    HttpClientOptions o;
    o.name = "bedrock";
    o.backoff_base_ms = 1;
    o.backoff_max_ms = 10;
    o.circuit_failures = 1000;
    http_ = HttpClient::create(o).value();
    runtime_ = std::make_unique<BedrockRuntime>(*http_, options(kSecretKey));
  }

  static BedrockOptions options(const std::string& secret) {
    BedrockOptions o;
    o.endpoint = fake->url();
    o.region = "us-east-1";
    o.credentials = {kAccessKey, secret, "", "test"};
    return o;
  }

  // Every request the fake saw was valid and correctly signed.
  static void expect_all_valid() {
    for (const auto& r : fake->requests()) {
      EXPECT_EQ(r["verdict"], "ok") << r.dump(2);
      EXPECT_EQ(r["signature"], "valid") << r.dump(2);
    }
  }

  static std::unique_ptr<FakeProvider> fake;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<BedrockRuntime> runtime_;
};

std::unique_ptr<FakeProvider> BedrockModelsTest::fake;

TEST_F(BedrockModelsTest, ConverseTextAndVisionWithUsage) {
  BedrockTextModel model(*runtime_, "amazon.nova-pro-v1:0", 2048);
  TextRequest r;
  r.system = "You write short answers.";
  r.prompt = "Say hello.";
  r.images.push_back({png(64, 48), "image/png"});
  auto answer = model.generate(r, {});
  ASSERT_TRUE(answer.is_ok()) << answer.status().to_string();
  EXPECT_FALSE(answer->text.empty());
  EXPECT_GT(answer->input_tokens, 0);
  EXPECT_GT(answer->output_tokens, 0);
  EXPECT_EQ(answer->model, "bedrock:amazon.nova-pro-v1:0");
  const json seen = fake->requests();
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0]["path"], "/model/amazon.nova-pro-v1%3A0/converse");
  EXPECT_EQ(seen[0]["json"]["messages"][0]["content"][1]["image"]["format"], "png");
  expect_all_valid();
}

TEST_F(BedrockModelsTest, AGuardrailStopIsARefusalWithTheReason) {
  fake->set_fault({{"mode", "refusal"}});
  BedrockTextModel model(*runtime_, "amazon.nova-pro-v1:0", 2048);
  auto answer = model.generate({.prompt = "hello"}, {});
  ASSERT_EQ(answer.status().code(), ErrorCode::kRefused) << answer.status().to_string();
  EXPECT_NE(answer.status().message().find("guardrail_intervened"), std::string::npos);
  EXPECT_EQ(fake->requests().size(), 1U) << "a refusal is never retried";
}

TEST_F(BedrockModelsTest, TitanAndNovaEmbeddings) {
  auto titan = BedrockEmbedder::create(*runtime_, "amazon.titan-embed-image-v1", 384).value();
  auto v = titan->embed({.text = "a light jacket", .image = png(32, 32)}, {});
  ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  EXPECT_EQ(v->size(), 384U);
  EXPECT_EQ(titan->model_id(), "bedrock:amazon.titan-embed-image-v1:384");

  auto nova =
      BedrockEmbedder::create(*runtime_, "amazon.nova-2-multimodal-embeddings-v1:0", 1024).value();
  auto both = nova->embed({.text = "a light jacket", .image = png(32, 32)}, {});
  ASSERT_TRUE(both.is_ok()) << both.status().to_string();
  auto query = nova->embed({.text = "jacket", .query = true}, {});
  ASSERT_TRUE(query.is_ok());
  const json seen = fake->requests();
  ASSERT_EQ(seen.size(), 4U);  // titan 1, nova: text + image, then the query
  EXPECT_EQ(seen[1]["json"]["singleEmbeddingParams"]["embeddingPurpose"], "GENERIC_INDEX");
  EXPECT_EQ(seen[3]["json"]["singleEmbeddingParams"]["embeddingPurpose"], "GENERIC_RETRIEVAL");
  expect_all_valid();

  EXPECT_EQ(BedrockEmbedder::create(*runtime_, "amazon.titan-embed-image-v1", 512).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(BedrockModelsTest, NovaCanvasAtALegalSizeFittedToTheBriefsFormat) {
  BedrockImageModel canvas(*runtime_, "amazon.nova-canvas-v1:0");
  ImageRequest r;
  r.prompt = "a light jacket on a forest path in spring";
  r.negative_prompt = "text, watermark";
  r.width = 1080;
  r.height = 1350;
  r.seed = 858993459;
  auto image = canvas.generate(r, {});
  ASSERT_TRUE(image.is_ok()) << image.status().to_string();
  auto info = probe_image(image->bytes, {});
  ASSERT_TRUE(info.is_ok());
  EXPECT_EQ(info->width, 1080);
  EXPECT_EQ(info->height, 1350);
  const json body = fake->requests()[0]["json"];
  EXPECT_EQ(body["taskType"], "TEXT_IMAGE");
  EXPECT_EQ(body["textToImageParams"]["negativeText"], "text, watermark");
  EXPECT_EQ(body["imageGenerationConfig"]["width"], 1088);
  EXPECT_EQ(body["imageGenerationConfig"]["height"], 1360);
  EXPECT_EQ(body["imageGenerationConfig"]["seed"], 858993459);

  // The brand palette guides the colours; a variation sends the image.
  r.palette = {"#1b3a4b", "#F4A259"};
  ASSERT_TRUE(canvas.generate(r, {}).is_ok());
  EXPECT_EQ(fake->requests()[1]["json"]["taskType"], "COLOR_GUIDED_GENERATION");
  EXPECT_EQ(fake->requests()[1]["json"]["colorGuidedGenerationParams"]["colors"][0], "#1B3A4B");
  r.init_image = png(512, 512);
  ASSERT_TRUE(canvas.generate(r, {}).is_ok());
  EXPECT_EQ(fake->requests()[2]["json"]["taskType"], "IMAGE_VARIATION");
  expect_all_valid();

  r.seed = 858993460;
  EXPECT_EQ(canvas.generate(r, {}).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(BedrockModelsTest, ContentFiltersAreRefusalsForCanvasAndStability) {
  BedrockImageModel canvas(*runtime_, "amazon.nova-canvas-v1:0");
  BedrockImageModel stability(*runtime_, "stability.sd3-5-large-v1:0");
  ImageRequest r;
  r.prompt = "something the filter blocks";
  fake->set_fault({{"mode", "refusal"}, {"count", 2}});
  auto a = canvas.generate(r, {});
  ASSERT_EQ(a.status().code(), ErrorCode::kRefused) << a.status().to_string();
  EXPECT_NE(a.status().message().find("content filters"), std::string::npos);
  auto b = stability.generate(r, {});
  ASSERT_EQ(b.status().code(), ErrorCode::kRefused) << b.status().to_string();
  EXPECT_NE(b.status().message().find("Filter reason"), std::string::npos);
  EXPECT_EQ(fake->requests().size(), 2U) << "refusals are never retried";

  auto ok = stability.generate({.prompt = "a jacket", .width = 1080, .height = 1350}, {});
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(fake->requests()[2]["json"]["aspect_ratio"], "4:5");
  EXPECT_EQ(ok->width, 1080);
}

TEST_F(BedrockModelsTest, AccessAndCredentialErrorsSayWhatToFix) {
  BedrockTextModel model(*runtime_, "stability.sd3-5-large-v1:0", 100);
  fake->set_fault({{"mode", "access_denied"}});
  auto denied = model.generate({.prompt = "hi"}, {});
  ASSERT_EQ(denied.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(denied.status().message().find(
                "AccessDeniedException — enable model access for stability.sd3-5-large-v1:0 in "
                "us-east-1"),
            std::string::npos)
      << denied.status().message();

  fake->set_fault({{"mode", "expired_token"}});
  auto expired = model.generate({.prompt = "hi"}, {});
  ASSERT_EQ(expired.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(expired.status().message().find("ExpiredTokenException"), std::string::npos);

  // A wrong secret: the fake recomputes the signature and rejects it.
  fake->reset();
  BedrockRuntime wrong(*http_, options("not-the-secret"));
  BedrockTextModel bad(wrong, "amazon.nova-pro-v1:0", 100);
  auto rejected = bad.generate({.prompt = "hi"}, {});
  ASSERT_EQ(rejected.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(rejected.status().message().find("InvalidSignatureException"), std::string::npos)
      << rejected.status().message();
  EXPECT_EQ(fake->requests()[0]["signature"].get<std::string>().rfind("invalid", 0), 0U);
}

TEST(ModelSizeTest, LegalSizesClosestInAspectThenArea) {
  ImageModelLimits canvas;
  canvas.min_side = 320;
  canvas.side_multiple = 16;
  canvas.max_pixels = 4194303;
  canvas.max_aspect = 4;
  EXPECT_EQ(model_size(canvas, 1080, 1350), std::make_pair(1088, 1360));
  EXPECT_EQ(model_size(canvas, 1024, 1024), std::make_pair(1024, 1024));
  const auto big = model_size(canvas, 2048, 2048);  // over the pixel limit
  EXPECT_LE(static_cast<std::uint64_t>(big.first) * big.second, 4194303U);
  EXPECT_EQ(big.first, big.second);
  ImageModelLimits fixed;
  fixed.sizes = {{1024, 1024}, {1536, 1024}, {1024, 1536}};
  EXPECT_EQ(model_size(fixed, 1080, 1350), std::make_pair(1024, 1536));
  EXPECT_EQ(model_size(fixed, 1920, 1080), std::make_pair(1536, 1024));
}

}  // namespace
}  // namespace adloom
