// LayoutComposer (the offline image model) against real libvips and Pango: sizes, determinism,
// distinct layouts per seed, use of the hero and logo, bad input, fallbacks. Inputs are
// generated here with libvips.
#include "models/builtin/layout_composer.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <vips/vips8>

#include "imaging/draw.h"
#include "imaging/image.h"
#include "support/image_corpus.h"

namespace adloom {
namespace {

using ::adloom::testing::encode_image;
using ::adloom::testing::solid_image;

class LayoutComposerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(init_imaging().is_ok()); }

  static ImageRequest brief(int w = 540, int h = 540, std::uint64_t seed = 0) {
    ImageRequest r;
    r.prompt = "Trailblazer 2 running shoe on a mountain trail";
    r.width = w;
    r.height = h;
    r.seed = seed;
    r.palette = {"#1B3A4B", "#F4A259", "#E76F51", "#F7F3E9", "#1D1D1D"};
    r.content.headline = "Run further, lighter";
    r.content.body = "Our lightest trail shoe yet";
    r.content.call_to_action = "Shop now";
    r.content.disclosure = "Free returns within 30 days.";
    r.content.font_family = "DejaVu Sans";
    return r;
  }

  GeneratedImage render(const ImageRequest& r) {
    auto out = composer_.generate(r, {});
    EXPECT_TRUE(out.is_ok()) << out.status().to_string();
    return out.is_ok() ? std::move(out).value() : GeneratedImage{};
  }

  LayoutComposer composer_;
};

// A photo-like JPEG: a diagonal gradient with a bright disc off-centre (something for the
// attention crop to find). `tint` shifts the colours so two heroes differ.
std::string photo(int w, int h, double tint) {
  const vips::VImage xy = vips::VImage::xyz(w, h);
  const vips::VImage r = xy[0] * (200.0 / w) + tint;
  const vips::VImage g = xy[1] * (150.0 / h) + 40;
  const vips::VImage b = (xy[0] + xy[1]) * (120.0 / (w + h)) + 255 - tint;
  vips::VImage img = vips::VImage::bandjoin({r, g, b}).cast(VIPS_FORMAT_UCHAR).copy_memory();
  img.draw_circle({250, 240, 60}, w * 2 / 3, h / 2, std::min(w, h) / 5,
                  vips::VImage::option()->set("fill", true));
  return encode_image(
      img.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB)), ".jpg");
}

// A logo with transparency: a coloured disc on a clear background.
std::string logo(std::vector<double> rgb) {
  vips::VImage img = solid_image(160, 80, {0, 0, 0, 0}).copy_memory();
  rgb.push_back(255);
  img.draw_circle(rgb, 40, 40, 36, vips::VImage::option()->set("fill", true));
  img.draw_rect(rgb, 90, 20, 60, 40, vips::VImage::option()->set("fill", true));
  return encode_image(img, ".png");
}

// Mean absolute difference (0..255) of two same-size images, compared at 48 px.
double difference(const std::string& a, const std::string& b) {
  const auto pa = decode_rgb(a, 48);
  const auto pb = decode_rgb(b, 48);
  EXPECT_TRUE(pa.is_ok() && pb.is_ok());
  if (!pa.is_ok() || !pb.is_ok() || pa->pixels.size() != pb->pixels.size()) return -1;
  double sum = 0;
  for (std::size_t i = 0; i < pa->pixels.size(); ++i) {
    sum += std::abs(int(pa->pixels[i]) - int(pb->pixels[i]));
  }
  return sum / static_cast<double>(pa->pixels.size());
}

TEST_F(LayoutComposerTest, NamesItselfAndItsLimits) {
  EXPECT_EQ(composer_.name(), "builtin");
  EXPECT_EQ(composer_.max_prompt_chars(), 2000u);
  const GeneratedImage out = render(brief());
  EXPECT_EQ(out.model, "builtin:layout-v1");
  EXPECT_EQ(out.mime, "image/png");
}

TEST_F(LayoutComposerTest, RendersExactlyTheRequestedSizeAsPlainSrgbPng) {
  const std::string hero = photo(400, 300, 30);
  struct Size {
    int w, h;
  };
  // Every layout in each shape class and at the extremes; one full-size square.
  for (const Size s : {Size{600, 314}, Size{540, 960}, Size{480, 480}, Size{64, 64}, Size{4096, 64},
                       Size{64, 4096}, Size{333, 777}, Size{1080, 1080}}) {
    for (std::uint64_t seed = 0; seed < (s.w == 1080 ? 1 : kLayoutCount); ++seed) {
      ImageRequest r = brief(s.w, s.h, seed);
      if (seed % 2 == 0) r.content.hero_image = hero;
      const GeneratedImage out = render(r);
      ASSERT_FALSE(out.bytes.empty()) << s.w << "x" << s.h << " seed " << seed;
      EXPECT_EQ(out.width, s.w);
      EXPECT_EQ(out.height, s.h);
      const vips::VImage img =
          vips::VImage::new_from_buffer(out.bytes.data(), out.bytes.size(), "");
      EXPECT_EQ(img.width(), s.w);
      EXPECT_EQ(img.height(), s.h);
      EXPECT_EQ(img.bands(), 3);
      EXPECT_EQ(img.format(), VIPS_FORMAT_UCHAR);
      EXPECT_EQ(img.interpretation(), VIPS_INTERPRETATION_sRGB);
      // Stripped: no text, time, EXIF or ICC chunks.
      for (const char* chunk : {"tEXt", "iTXt", "zTXt", "tIME", "eXIf", "iCCP"}) {
        EXPECT_EQ(out.bytes.find(chunk), std::string::npos) << chunk;
      }
    }
  }
}

TEST_F(LayoutComposerTest, SameRequestGivesIdenticalBytes) {
  ImageRequest r = brief(600, 400, 7);
  r.content.hero_image = photo(500, 500, 80);
  r.content.logo_image = logo({200, 30, 30});
  const GeneratedImage first = render(r);
  const GeneratedImage second = render(r);
  ASSERT_FALSE(first.bytes.empty());
  EXPECT_EQ(first.bytes, second.bytes);
}

TEST_F(LayoutComposerTest, FiveConsecutiveSeedsGiveFiveDifferentLayouts) {
  for (const bool with_hero : {false, true}) {
    for (const std::uint64_t base : {std::uint64_t{0}, std::uint64_t{1'000'003}}) {
      std::vector<std::string> images;
      for (std::uint64_t i = 0; i < 5; ++i) {
        ImageRequest r = brief(320, 320, base + i);
        if (with_hero) r.content.hero_image = photo(640, 480, 60);
        images.push_back(render(r).bytes);
      }
      for (std::size_t a = 0; a < images.size(); ++a) {
        for (std::size_t b = a + 1; b < images.size(); ++b) {
          EXPECT_GT(difference(images[a], images[b]), 20.0)
              << "seeds " << base + a << " and " << base + b << (with_hero ? " (hero)" : "");
        }
      }
    }
  }
}

TEST_F(LayoutComposerTest, UsesTheHeroImage) {
  for (std::uint64_t seed = 0; seed < kLayoutCount; ++seed) {
    ImageRequest r = brief(300, 300, seed);
    const std::string stand_in = render(r).bytes;
    r.content.hero_image = photo(300, 300, 0);
    const std::string blue = render(r).bytes;
    r.content.hero_image = photo(300, 300, 220);
    const std::string red = render(r).bytes;
    EXPECT_GT(difference(stand_in, blue), 3.0) << "seed " << seed;
    EXPECT_GT(difference(blue, red), 3.0) << "seed " << seed;
  }
}

TEST_F(LayoutComposerTest, InitImageServesAsHeroWhenThereIsNone) {
  ImageRequest r = brief(400, 400, 1);
  r.content.hero_image = photo(300, 300, 120);
  const std::string from_hero = render(r).bytes;
  r.init_image = r.content.hero_image;
  r.content.hero_image.clear();
  EXPECT_EQ(render(r).bytes, from_hero);
}

TEST_F(LayoutComposerTest, PlacesTheLogo) {
  for (std::uint64_t seed = 0; seed < kLayoutCount; ++seed) {
    ImageRequest r = brief(300, 300, seed);
    const std::string none = render(r).bytes;
    r.content.logo_image = logo({220, 20, 20});
    const std::string red = render(r).bytes;
    r.content.logo_image = logo({20, 200, 40});
    const std::string green = render(r).bytes;
    EXPECT_NE(none, red) << "seed " << seed;
    EXPECT_NE(red, green) << "seed " << seed;
    EXPECT_GT(difference(none, red), 0.2) << "seed " << seed;
  }
}

TEST_F(LayoutComposerTest, AcceptsLogosWithoutAlphaAndGreyLogos) {
  ImageRequest r = brief(300, 300, 0);
  r.content.logo_image = encode_image(solid_image(120, 60, {10, 10, 10}), ".jpg");
  EXPECT_TRUE(composer_.generate(r, {}).is_ok());
  r.content.logo_image = encode_image(solid_image(120, 60, {200}), ".png");
  EXPECT_TRUE(composer_.generate(r, {}).is_ok());
}

TEST_F(LayoutComposerTest, RejectsSizesOutsideTheRange) {
  struct Size {
    int w, h;
  };
  for (const Size s : {Size{63, 500}, Size{500, 63}, Size{4097, 500}, Size{500, 4097}, Size{0, 0},
                       Size{-10, 100}}) {
    const auto out = composer_.generate(brief(s.w, s.h), {});
    ASSERT_FALSE(out.is_ok()) << s.w << "x" << s.h;
    EXPECT_EQ(out.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(out.status().message().find("between 64 and 4096"), std::string::npos)
        << out.status().message();
  }
}

TEST_F(LayoutComposerTest, RejectsAnUnreadableHeroOrLogo) {
  ImageRequest r = brief(300, 300);
  r.content.hero_image = "definitely not an image";
  auto out = composer_.generate(r, {});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("hero image"), std::string::npos);
  r.content.hero_image.clear();
  r.content.logo_image = "\x89PNG\r\n\x1a\n truncated";
  out = composer_.generate(r, {});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("logo"), std::string::npos);
}

TEST_F(LayoutComposerTest, EmptyOrUnreadablePaletteFallsBackToDefaults) {
  ImageRequest r = brief(300, 300, 3);
  r.palette.clear();
  const auto empty = composer_.generate(r, {});
  ASSERT_TRUE(empty.is_ok()) << empty.status().to_string();
  r.palette = {"blue", "#12", "#GGGGGG"};
  const auto garbage = composer_.generate(r, {});
  ASSERT_TRUE(garbage.is_ok());
  EXPECT_EQ(empty->bytes, garbage->bytes);

  const LayoutPalette defaults;
  const LayoutPalette none = layout_palette({});
  EXPECT_EQ(draw::contrast(none.primary, defaults.primary), 1.0);
  const LayoutPalette red = layout_palette({"#ff0000"});
  EXPECT_EQ(red.primary.r, 255);
  EXPECT_EQ(red.primary.g, 0);
  EXPECT_EQ(red.background.r, defaults.background.r);  // absent roles filled in
  const LayoutPalette dark = layout_palette({"#101010", "", "", "#000000"});
  EXPECT_GT(draw::contrast(dark.text, dark.background), 10.0);  // light text on black
}

TEST_F(LayoutComposerTest, VeryLongCopyStaysWithinTheCanvas) {
  std::string words;
  for (int i = 0; i < 300; ++i) words += "lightweight ";
  const std::string one_word(400, 'W');
  for (std::uint64_t seed = 0; seed < kLayoutCount; ++seed) {
    for (const std::string& text : {words, one_word}) {
      ImageRequest r = brief(seed % 2 == 0 ? 600 : 300, seed % 2 == 0 ? 314 : 500, seed);
      r.content.headline = text;
      r.content.body = text;
      r.content.call_to_action = text;
      r.content.disclosure = text;
      const GeneratedImage out = render(r);
      EXPECT_EQ(out.width, r.width);
      EXPECT_EQ(out.height, r.height);
    }
  }
}

TEST_F(LayoutComposerTest, TextIsPlainTextNeverMarkup) {
  ImageRequest r = brief(400, 400, 2);
  r.content.headline = "Fish & Chips <b>50% off</b>";
  r.content.call_to_action = "Buy <now>";
  r.content.body = std::string("bad \xff\xfe utf-8 \x01 bytes");
  EXPECT_TRUE(composer_.generate(r, {}).is_ok());
}

TEST_F(LayoutComposerTest, UnknownFontFamilyFallsBackToTheDefault) {
  ImageRequest r = brief(400, 400, 4);
  r.content.font_family = "No Such Font Family 123";
  const GeneratedImage unknown = render(r);
  r.content.font_family = "";
  const GeneratedImage empty = render(r);
  r.content.font_family = kDefaultLayoutFont;
  const GeneratedImage named = render(r);
  ASSERT_FALSE(unknown.bytes.empty());
  EXPECT_EQ(unknown.bytes, named.bytes);
  EXPECT_EQ(empty.bytes, named.bytes);
  r.content.font_family = "dejavu serif";  // installed with fonts-dejavu-core
  EXPECT_NE(render(r).bytes, named.bytes);
}

TEST_F(LayoutComposerTest, HeadlineComesFromThePromptWhenMissing) {
  EXPECT_EQ(headline_from_prompt("A photo of a red running shoe on a mountain trail"),
            "Red running shoe");
  EXPECT_EQ(headline_from_prompt("summer sale, 50% off everything"), "Summer sale");
  EXPECT_EQ(headline_from_prompt("one two three four five six seven eight"),
            "One two three four five six");
  EXPECT_EQ(headline_from_prompt(""), "");
  ImageRequest r = brief(400, 400, 0);
  r.content.headline.clear();
  const std::string derived = render(r).bytes;
  r.prompt.clear();
  EXPECT_NE(render(r).bytes, derived);
}

TEST_F(LayoutComposerTest, ConcurrentCallsGiveTheSameBytes) {
  ImageRequest r = brief(360, 360, 1);
  r.content.hero_image = photo(300, 200, 90);
  const std::string expected = render(r).bytes;
  std::string a, b;
  auto run = [&](std::string& out) {
    auto image = composer_.generate(r, {});
    if (image.is_ok()) out = std::move(image)->bytes;
  };
  std::thread ta(run, std::ref(a));
  std::thread tb(run, std::ref(b));
  ta.join();
  tb.join();
  EXPECT_EQ(a, expected);
  EXPECT_EQ(b, expected);
}

}  // namespace
}  // namespace adloom
