// BuiltinEmbedder: vector shape, determinism, and that similar inputs land closer than
// unrelated ones (text by shared words and word forms, images by colour).
#include "models/builtin/builtin_embedder.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "imaging/image.h"

namespace adloom {
namespace {

std::unique_ptr<BuiltinEmbedder> make_embedder(const BuiltinEmbedder::Options& options = {}) {
  auto embedder = BuiltinEmbedder::create(options);
  EXPECT_TRUE(embedder.is_ok()) << embedder.status().to_string();
  return std::move(embedder).value();
}

std::vector<float> embed(BuiltinEmbedder& embedder, const std::string& text,
                         const std::string& image = {}) {
  auto v = embedder.embed({.text = text, .image = image}, {});
  EXPECT_TRUE(v.is_ok()) << v.status().to_string();
  return v.is_ok() ? std::move(v).value() : std::vector<float>{};
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) s += double{a[i]} * b[i];
  return s;
}

double norm(const std::vector<float>& v) {
  return std::sqrt(dot(v, v));
}

// A w×h PNG of one colour, with a `stripe` colour band across the middle third when set.
std::string solid_png(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b,
                      bool stripe = false) {
  RgbImage img;
  img.width = w;
  img.height = h;
  img.pixels.resize(static_cast<std::size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const bool band = stripe && y >= h / 3 && y < 2 * h / 3;
      std::uint8_t* p = &img.pixels[(static_cast<std::size_t>(y) * w + x) * 3];
      p[0] = band ? 255 : r;
      p[1] = band ? 255 : g;
      p[2] = band ? 255 : b;
    }
  }
  auto png = encode_png(img);
  EXPECT_TRUE(png.is_ok()) << png.status().to_string();
  return png.is_ok() ? *png : std::string{};
}

class BuiltinEmbedderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(init_imaging().is_ok()); }
};

TEST_F(BuiltinEmbedderTest, VectorsHaveTheConfiguredDimensionAndUnitNorm) {
  auto embedder = make_embedder();
  EXPECT_EQ(embedder->dimension(), 512);
  EXPECT_EQ(embedder->text_dimension(), 384);
  EXPECT_EQ(embedder->model_id(), "builtin-hash-v1-d512-t384-w0.6");
  for (const std::string& image : {std::string{}, solid_png(40, 30, 200, 30, 40)}) {
    const std::vector<float> v = embed(*embedder, "Summer beach sale, 50% off!", image);
    ASSERT_EQ(v.size(), 512U);
    EXPECT_NEAR(norm(v), 1.0, 1e-5);
  }
  // Image only.
  const std::vector<float> v = embed(*embedder, "", solid_png(16, 16, 0, 128, 0));
  ASSERT_EQ(v.size(), 512U);
  EXPECT_NEAR(norm(v), 1.0, 1e-5);
  for (int i = 0; i < 384; ++i) ASSERT_EQ(v[i], 0.0F) << i;
}

TEST_F(BuiltinEmbedderTest, OtherDimensionsAndWeightsChangeTheModelId) {
  auto embedder = make_embedder({.dimension = 256, .text_dimension = 128, .visual_weight = 0.25F});
  EXPECT_EQ(embedder->model_id(), "builtin-hash-v1-d256-t128-w0.25");
  const std::vector<float> v = embed(*embedder, "winter ski jackets", solid_png(8, 8, 9, 9, 200));
  ASSERT_EQ(v.size(), 256U);
  EXPECT_NEAR(norm(v), 1.0, 1e-5);

  auto text_only = make_embedder({.dimension = 300, .text_dimension = 300});
  EXPECT_EQ(embed(*text_only, "ski").size(), 300U);
}

TEST_F(BuiltinEmbedderTest, InconsistentOptionsAreRejected) {
  const auto code = [](const BuiltinEmbedder::Options& o) {
    return BuiltinEmbedder::create(o).status().code();
  };
  EXPECT_EQ(code({.dimension = 0}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code({.dimension = 512, .text_dimension = 600}), ErrorCode::kInvalidArgument);
  // 12 visual dimensions cannot hold the 128-float descriptor.
  EXPECT_EQ(code({.dimension = 396, .text_dimension = 384}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code({.text_weight = 0}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code({.visual_weight = -1}), ErrorCode::kInvalidArgument);
}

TEST_F(BuiltinEmbedderTest, IsDeterministic) {
  const std::string image = solid_png(50, 70, 20, 90, 160, /*stripe=*/true);
  auto a = make_embedder();
  auto b = make_embedder();
  const std::vector<float> first = embed(*a, "Running shoes — spring collection", image);
  EXPECT_EQ(first, embed(*a, "Running shoes — spring collection", image));
  EXPECT_EQ(first, embed(*b, "Running shoes — spring collection", image));
}

TEST_F(BuiltinEmbedderTest, TextsSharingWordsAreCloser) {
  auto e = make_embedder();
  const auto sale = embed(*e, "summer beach sale");
  const auto holidays = embed(*e, "beach holidays in summer");
  const auto ski = embed(*e, "winter ski jackets");
  EXPECT_GT(dot(sale, holidays), dot(sale, ski) + 0.2);
  EXPECT_GT(dot(sale, holidays), dot(holidays, ski) + 0.2);
  // Case and punctuation do not matter.
  EXPECT_NEAR(dot(sale, embed(*e, "SUMMER, beach... Sale!")), 1.0, 1e-5);
}

TEST_F(BuiltinEmbedderTest, CharacterNgramsLinkWordForms) {
  auto e = make_embedder();
  const auto running = embed(*e, "running shoes");
  const auto run = embed(*e, "run shoe");
  const auto table = embed(*e, "kitchen table");
  EXPECT_GT(dot(running, run), dot(running, table) + 0.1);
  EXPECT_GT(dot(running, run), dot(run, table) + 0.1);
}

TEST_F(BuiltinEmbedderTest, StopWordsAreIgnoredUnlessAlone) {
  auto e = make_embedder();
  EXPECT_NEAR(dot(embed(*e, "the beach"), embed(*e, "beach")), 1.0, 1e-5);
  // Only stop-words: still a valid vector, distinct from another stop-word query.
  const auto the_who = embed(*e, "The Who");
  EXPECT_NEAR(norm(the_who), 1.0, 1e-5);
  EXPECT_LT(dot(the_who, embed(*e, "it is")), 0.5);
}

TEST_F(BuiltinEmbedderTest, SimilarColoursAreCloser) {
  auto e = make_embedder();
  const auto red = embed(*e, "", solid_png(64, 64, 255, 0, 0));
  const auto other_red = embed(*e, "", solid_png(80, 48, 220, 20, 30, /*stripe=*/true));
  const auto blue = embed(*e, "", solid_png(64, 64, 0, 0, 255));
  EXPECT_GT(dot(red, other_red), dot(red, blue) + 0.2);
  EXPECT_GT(dot(red, other_red), dot(other_red, blue) + 0.2);

  // With the same text, the image still separates them.
  const auto red_ad = embed(*e, "spring sale", solid_png(64, 64, 255, 0, 0));
  const auto red_ad2 = embed(*e, "spring sale", solid_png(64, 64, 230, 10, 10));
  const auto blue_ad = embed(*e, "spring sale", solid_png(64, 64, 0, 0, 255));
  EXPECT_GT(dot(red_ad, red_ad2), dot(red_ad, blue_ad));
}

TEST_F(BuiltinEmbedderTest, TextQueryHasNoVisualPart) {
  auto e = make_embedder();
  const std::vector<float> v = embed(*e, "red");
  ASSERT_EQ(v.size(), 512U);
  EXPECT_NEAR(norm(v), 1.0, 1e-5);
  for (int i = e->text_dimension(); i < e->dimension(); ++i) ASSERT_EQ(v[i], 0.0F) << i;
}

TEST_F(BuiltinEmbedderTest, EmptyOrUnusableInputIsInvalid) {
  auto e = make_embedder();
  EXPECT_EQ(e->embed({}, {}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(e->embed({.text = " ,.!? ", .image = {}}, {}).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(e->embed({.text = "sale", .image = "not an image"}, {}).status().code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace adloom
