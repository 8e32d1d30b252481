// BuiltinAnalyser end to end on JPEGs made here with libvips: colours, orientation, the
// text detector, Tesseract OCR and the composed description.
#include "models/builtin/builtin_analyser.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <vips/vips8>

#include "imaging/image.h"
#include "models/builtin/ocr.h"

namespace adloom {
namespace {

using vips::VImage;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string to_jpeg(VImage img) {
  img = img.cast(VIPS_FORMAT_UCHAR)
            .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  void* buf = nullptr;
  std::size_t size = 0;
  img.write_to_buffer(".jpg[Q=90]", &buf, &size);
  std::string out(static_cast<char*>(buf), size);
  g_free(buf);
  return out;
}

// `text` (Pango markup; '\n' separates lines) in `fg`, centred on a `bg` canvas.
// vips text renders a one-band 0..255 coverage mask; it blends the two colours.
std::string text_jpeg(const std::string& text, int width, int height, std::vector<double> fg,
                      std::vector<double> bg, const std::string& font = "DejaVu Sans Bold 64") {
  VImage mask = VImage::text(
      text.c_str(),
      VImage::option()->set("font", font.c_str())->set("align", VIPS_ALIGN_CENTRE)->set("dpi", 72));
  mask = mask.embed((width - mask.width()) / 2, (height - mask.height()) / 2, width, height);
  return to_jpeg(mask.ifthenelse(fg, bg, VImage::option()->set("blend", true)));
}

std::string solid_jpeg(int width, int height, std::vector<double> rgb) {
  return to_jpeg(VImage::black(width, height).new_from_image(rgb));
}

// Left-to-right ramp from `from` to `to`.
std::string gradient_jpeg(int width, int height, double from, double to) {
  VImage x = VImage::xyz(width, height).extract_band(0);
  VImage ramp = x * ((to - from) / (width - 1)) + from;
  return to_jpeg(ramp.bandjoin(ramp).bandjoin(ramp));
}

RgbImage decode(const std::string& jpeg, int max_side = 512) {
  auto rgb = decode_rgb(jpeg, max_side);
  EXPECT_TRUE(rgb.is_ok()) << rgb.status().to_string();
  return rgb.is_ok() ? std::move(rgb).value() : RgbImage{};
}

const std::vector<double> kBlue = {30, 100, 200};
const std::vector<double> kWhite = {255, 255, 255};

class BuiltinAnalyserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(init_imaging().is_ok()); }
  BuiltinAnalyser analyser_;
};

TEST_F(BuiltinAnalyserTest, NameIsBuiltin) {
  EXPECT_EQ(analyser_.name(), "builtin");
}

TEST_F(BuiltinAnalyserTest, ReadsSaleTextOnBlue) {
  const std::string jpeg =
      text_jpeg("SUMMER SALE\n50% OFF", 1200, 600, kWhite, kBlue, "DejaVu Sans Bold 110");
  auto a = analyser_.analyse(jpeg, {}, {});
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_EQ(a->engine, "builtin");
  EXPECT_TRUE(a->ocr_ran);
  EXPECT_EQ(lower(a->ocr_text), "summer sale\n50% off");
  EXPECT_GE(a->ocr_confidence, 80);
  EXPECT_EQ(a->orientation, "landscape");
  EXPECT_NEAR(a->aspect, 2.0, 0.01);
  ASSERT_FALSE(a->colours.empty());
  EXPECT_EQ(a->colours[0].name, "blue");
  EXPECT_GE(a->colours[0].share, 0.6);
  EXPECT_NE(std::find(a->elements.begin(), a->elements.end(), "text"), a->elements.end());
  EXPECT_NE(std::find(a->elements.begin(), a->elements.end(), "large blue area"),
            a->elements.end());
  EXPECT_NE(a->description.find("dominated by blue"), std::string::npos) << a->description;
  EXPECT_NE(a->description.find("with white accents"), std::string::npos) << a->description;
  EXPECT_NE(a->description.find("Visible text: \"SUMMER SALE 50% OFF\"."), std::string::npos)
      << a->description;
}

TEST_F(BuiltinAnalyserTest, ReadsDarkTextOnLightPortrait) {
  const std::string jpeg = text_jpeg("FREE\nDELIVERY", 600, 900, {20, 20, 20}, {250, 220, 50});
  auto a = analyser_.analyse(jpeg, {}, {});
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_EQ(lower(a->ocr_text), "free\ndelivery");
  EXPECT_EQ(a->orientation, "portrait");
  ASSERT_FALSE(a->colours.empty());
  EXPECT_EQ(a->colours[0].name, "yellow");
}

TEST_F(BuiltinAnalyserTest, ReadsSmallTextAfterUpscaling) {
  // 200 px tall: the OCR copy is upscaled ×2 before recognition.
  const std::string jpeg =
      text_jpeg("Limited offer", 420, 200, {0, 0, 0}, kWhite, "DejaVu Sans 18");
  auto a = analyser_.analyse(jpeg, {}, {});
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_TRUE(a->ocr_ran);
  EXPECT_EQ(lower(a->ocr_text), "limited offer");
}

TEST_F(BuiltinAnalyserTest, FlatBlueSkipsOcr) {
  auto a = analyser_.analyse(solid_jpeg(800, 600, kBlue), {}, {});
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_FALSE(a->ocr_ran);
  EXPECT_TRUE(a->ocr_text.empty());
  ASSERT_EQ(a->colours.size(), 1u);
  EXPECT_EQ(a->colours[0].name, "blue");
  EXPECT_NEAR(a->colours[0].share, 1.0, 1e-9);
  EXPECT_EQ(a->colours[0].hex.size(), 7u);
  EXPECT_EQ(a->orientation, "landscape");
  EXPECT_NEAR(a->aspect, 800.0 / 600.0, 0.01);
  EXPECT_LT(a->contrast, 0.02);
  EXPECT_EQ(a->description, "A landscape image dominated by blue (100%), vivid colours.");
}

TEST_F(BuiltinAnalyserTest, OrientationPortraitAndSquare) {
  auto portrait = analyser_.analyse(solid_jpeg(500, 800, kWhite), {}, {});
  ASSERT_TRUE(portrait.is_ok());
  EXPECT_EQ(portrait->orientation, "portrait");
  EXPECT_EQ(portrait->colours[0].name, "white");
  EXPECT_NE(portrait->description.find("A bright portrait image"), std::string::npos);
  auto square = analyser_.analyse(solid_jpeg(1000, 1040, {0, 0, 0}), {}, {});
  ASSERT_TRUE(square.is_ok());
  EXPECT_EQ(square->orientation, "square");
  EXPECT_NE(std::find(square->elements.begin(), square->elements.end(), "dark"),
            square->elements.end());
}

TEST_F(BuiltinAnalyserTest, OcrDisabledByOption) {
  const std::string jpeg = text_jpeg("SUMMER SALE", 1000, 400, kWhite, kBlue);
  AnalyseOptions options;
  options.ocr = false;
  auto a = analyser_.analyse(jpeg, options, {});
  ASSERT_TRUE(a.is_ok());
  EXPECT_FALSE(a->ocr_ran);
  EXPECT_TRUE(a->ocr_text.empty());
  EXPECT_EQ(a->description.find("Visible text"), std::string::npos);
}

TEST_F(BuiltinAnalyserTest, GarbageBytesAreInvalidArgument) {
  auto a = analyser_.analyse("this is not an image at all, just bytes", {}, {});
  ASSERT_FALSE(a.is_ok());
  EXPECT_EQ(a.status().code(), ErrorCode::kInvalidArgument);
  auto empty = analyser_.analyse("", {}, {});
  ASSERT_FALSE(empty.is_ok());
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(BuiltinAnalyserTest, DetectorSeesRenderedText) {
  EXPECT_TRUE(Ocr::has_text_like_regions(
      decode(text_jpeg("SUMMER SALE\n50% OFF", 1200, 600, kWhite, kBlue))));
  EXPECT_TRUE(Ocr::has_text_like_regions(decode(
      text_jpeg("Terms and conditions apply", 1024, 1024, {0, 0, 0}, kWhite, "DejaVu Sans 24"))));
}

TEST_F(BuiltinAnalyserTest, DetectorIgnoresFlatFieldsAndGradients) {
  EXPECT_FALSE(Ocr::has_text_like_regions(decode(solid_jpeg(800, 600, kBlue))));
  EXPECT_FALSE(Ocr::has_text_like_regions(decode(solid_jpeg(300, 300, kWhite))));
  EXPECT_FALSE(Ocr::has_text_like_regions(decode(gradient_jpeg(1024, 512, 0, 255))));
  EXPECT_FALSE(Ocr::has_text_like_regions(decode(gradient_jpeg(512, 512, 200, 40))));
  // Two flat halves: one strong edge per row is not text.
  VImage half = VImage::black(400, 400).new_from_image(kBlue);
  VImage other = VImage::black(400, 400).new_from_image(kWhite);
  EXPECT_FALSE(
      Ocr::has_text_like_regions(decode(to_jpeg(half.join(other, VIPS_DIRECTION_HORIZONTAL)))));
}

TEST_F(BuiltinAnalyserTest, DetectorIgnoresSmoothTextures) {
  // Photo-like structure without glyphs: soft noise and cellular patterns.
  VImage perlin = VImage::perlin(1024, 768, VImage::option()->set("cell_size", 16)->set("seed", 7));
  perlin = perlin * 127 + 128;
  EXPECT_FALSE(
      Ocr::has_text_like_regions(decode(to_jpeg(perlin.bandjoin(perlin).bandjoin(perlin)))));
  VImage noise = VImage::gaussnoise(1024, 768, VImage::option()->set("sigma", 30)->set("seed", 7))
                     .gaussblur(1);
  EXPECT_FALSE(Ocr::has_text_like_regions(decode(to_jpeg(noise.bandjoin(noise).bandjoin(noise)))));
  VImage cells =
      VImage::worley(1024, 768, VImage::option()->set("cell_size", 64)->set("seed", 7)) * 3;
  EXPECT_FALSE(Ocr::has_text_like_regions(decode(to_jpeg(cells.bandjoin(cells).bandjoin(cells)))));
}

TEST_F(BuiltinAnalyserTest, DetectorSeesTextOnATexturedBackground) {
  VImage perlin =
      VImage::perlin(1024, 1024, VImage::option()->set("cell_size", 128)->set("seed", 3));
  perlin = (perlin * 60 + 128).cast(VIPS_FORMAT_UCHAR);
  VImage mask = VImage::text("Book your table today",
                             VImage::option()->set("font", "DejaVu Sans Bold 30")->set("dpi", 72));
  mask = mask.embed((1024 - mask.width()) / 2, 500, 1024, 1024);
  VImage img =
      mask.ifthenelse(std::vector<double>{10, 10, 10}, perlin.bandjoin(perlin).bandjoin(perlin),
                      VImage::option()->set("blend", true));
  EXPECT_TRUE(Ocr::has_text_like_regions(decode(to_jpeg(img))));
}

TEST_F(BuiltinAnalyserTest, DeterministicAcrossCallsAndThreads) {
  const std::string jpeg = text_jpeg("SUMMER SALE\n50% OFF", 1000, 500, kWhite, {200, 30, 40});
  auto first = analyser_.analyse(jpeg, {}, {});
  ASSERT_TRUE(first.is_ok());
  std::vector<Result<ImageAnalysis>> results(2, Status(ErrorCode::kInternal, "not run"));
  std::vector<std::thread> threads;
  for (auto& r : results) {
    threads.emplace_back([&] { r = analyser_.analyse(jpeg, {}, {}); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r->description, first->description);
    EXPECT_EQ(r->ocr_text, first->ocr_text);
    ASSERT_EQ(r->colours.size(), first->colours.size());
    for (std::size_t i = 0; i < r->colours.size(); ++i) {
      EXPECT_EQ(r->colours[i].hex, first->colours[i].hex);
      EXPECT_EQ(r->colours[i].share, first->colours[i].share);
    }
  }
}

TEST_F(BuiltinAnalyserTest, TimingWithAndWithoutOcr) {
  const std::string jpeg =
      text_jpeg("SUMMER SALE\n50% OFF\nThis weekend only", 1024, 1024, kWhite, kBlue);
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  BuiltinAnalyser cold;  // its first OCR call also initialises a Tesseract engine
  auto t0 = Clock::now();
  ASSERT_TRUE(cold.analyse(jpeg, {}, {}).is_ok());
  const double first_ms = ms(Clock::now() - t0);
  t0 = Clock::now();
  auto with = cold.analyse(jpeg, {}, {});
  const double with_ms = ms(Clock::now() - t0);
  ASSERT_TRUE(with.is_ok());
  EXPECT_TRUE(with->ocr_ran);
  AnalyseOptions no_ocr;
  no_ocr.ocr = false;
  t0 = Clock::now();
  ASSERT_TRUE(cold.analyse(jpeg, no_ocr, {}).is_ok());
  const double without_ms = ms(Clock::now() - t0);
  std::cout << "[   TIME   ] analyse 1024x1024 JPEG: first call (engine init) " << first_ms
            << " ms, with OCR " << with_ms << " ms, without OCR " << without_ms << " ms\n";
  RecordProperty("analyse_with_ocr_ms", static_cast<int>(with_ms));
  RecordProperty("analyse_without_ocr_ms", static_cast<int>(without_ms));
}

}  // namespace
}  // namespace adloom
