// Colour science: Lab conversion, CIEDE2000 (Sharma et al. 2005 test data), names,
// k-means dominant colours and tone statistics. Pure arithmetic: no libvips needed.
#include "imaging/colour.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace adloom {
namespace {

RgbImage solid(int width, int height, Rgb8 c) {
  RgbImage img;
  img.width = width;
  img.height = height;
  img.pixels.reserve(static_cast<std::size_t>(width) * height * 3);
  for (int i = 0; i < width * height; ++i) img.pixels.insert(img.pixels.end(), {c.r, c.g, c.b});
  return img;
}

// The top `fraction` of the rows in `top`, the rest in `bottom`.
RgbImage two_colour(int width, int height, Rgb8 top, Rgb8 bottom, double fraction) {
  RgbImage img = solid(width, height, bottom);
  const int rows = static_cast<int>(height * fraction + 0.5);
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < width; ++x) {
      const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 3;
      img.pixels[i] = top.r;
      img.pixels[i + 1] = top.g;
      img.pixels[i + 2] = top.b;
    }
  }
  return img;
}

TEST(ColourTest, LabOfReferenceColours) {
  const Lab white = srgb_to_lab({255, 255, 255});
  EXPECT_NEAR(white.l, 100.0, 1e-3);
  EXPECT_NEAR(white.a, 0.0, 1e-3);
  EXPECT_NEAR(white.b, 0.0, 1e-3);
  const Lab black = srgb_to_lab({0, 0, 0});
  EXPECT_NEAR(black.l, 0.0, 1e-9);
  EXPECT_NEAR(black.a, 0.0, 1e-9);
  EXPECT_NEAR(black.b, 0.0, 1e-9);
  const Lab red = srgb_to_lab({255, 0, 0});
  EXPECT_NEAR(red.l, 53.24, 0.01);
  EXPECT_NEAR(red.a, 80.09, 0.01);
  EXPECT_NEAR(red.b, 67.20, 0.01);
  const Lab grey = srgb_to_lab({128, 128, 128});
  EXPECT_NEAR(grey.l, 53.59, 0.01);
  EXPECT_NEAR(grey.a, 0.0, 1e-3);
  EXPECT_NEAR(grey.b, 0.0, 1e-3);
}

TEST(ColourTest, LabRoundTripsEverySrgbLevel) {
  for (int v = 0; v < 256; v += 5) {
    const auto u = static_cast<std::uint8_t>(v);
    for (Rgb8 c : {Rgb8{u, 0, 0}, Rgb8{0, u, 0}, Rgb8{0, 0, u}, Rgb8{u, u, u},
                   Rgb8{u, static_cast<std::uint8_t>(255 - v), 40}}) {
      const Rgb8 back = lab_to_srgb(srgb_to_lab(c));
      EXPECT_EQ(hex_colour(back), hex_colour(c));
    }
  }
}

// Sharma, Wu & Dalal (2005), Table 1: all 34 pairs with the published ΔE00 (4 decimals).
// Pairs 7–16 sit on the hue discontinuities the paper warns about.
struct SharmaPair {
  Lab x;
  Lab y;
  double expected;
};
constexpr SharmaPair kSharmaPairs[] = {
    {{50.0000, 2.6772, -79.7751}, {50.0000, 0.0000, -82.7485}, 2.0425},
    {{50.0000, 3.1571, -77.2803}, {50.0000, 0.0000, -82.7485}, 2.8615},
    {{50.0000, 2.8361, -74.0200}, {50.0000, 0.0000, -82.7485}, 3.4412},
    {{50.0000, -1.3802, -84.2814}, {50.0000, 0.0000, -82.7485}, 1.0000},
    {{50.0000, -1.1848, -84.8006}, {50.0000, 0.0000, -82.7485}, 1.0000},
    {{50.0000, -0.9009, -85.5211}, {50.0000, 0.0000, -82.7485}, 1.0000},
    {{50.0000, 0.0000, 0.0000}, {50.0000, -1.0000, 2.0000}, 2.3669},
    {{50.0000, -1.0000, 2.0000}, {50.0000, 0.0000, 0.0000}, 2.3669},
    {{50.0000, 2.4900, -0.0010}, {50.0000, -2.4900, 0.0009}, 7.1792},
    {{50.0000, 2.4900, -0.0010}, {50.0000, -2.4900, 0.0010}, 7.1792},
    {{50.0000, 2.4900, -0.0010}, {50.0000, -2.4900, 0.0011}, 7.2195},
    {{50.0000, 2.4900, -0.0010}, {50.0000, -2.4900, 0.0012}, 7.2195},
    {{50.0000, -0.0010, 2.4900}, {50.0000, 0.0009, -2.4900}, 4.8045},
    {{50.0000, -0.0010, 2.4900}, {50.0000, 0.0010, -2.4900}, 4.8045},
    {{50.0000, -0.0010, 2.4900}, {50.0000, 0.0011, -2.4900}, 4.7461},
    {{50.0000, 2.5000, 0.0000}, {50.0000, 0.0000, -2.5000}, 4.3065},
    {{50.0000, 2.5000, 0.0000}, {73.0000, 25.0000, -18.0000}, 27.1492},
    {{50.0000, 2.5000, 0.0000}, {61.0000, -5.0000, 29.0000}, 22.8977},
    {{50.0000, 2.5000, 0.0000}, {56.0000, -27.0000, -3.0000}, 31.9030},
    {{50.0000, 2.5000, 0.0000}, {58.0000, 24.0000, 15.0000}, 19.4535},
    {{50.0000, 2.5000, 0.0000}, {50.0000, 3.1736, 0.5854}, 1.0000},
    {{50.0000, 2.5000, 0.0000}, {50.0000, 3.2972, 0.0000}, 1.0000},
    {{50.0000, 2.5000, 0.0000}, {50.0000, 1.8634, 0.5757}, 1.0000},
    {{50.0000, 2.5000, 0.0000}, {50.0000, 3.2592, 0.3350}, 1.0000},
    {{60.2574, -34.0099, 36.2677}, {60.4626, -34.1751, 39.4387}, 1.2644},
    {{63.0109, -31.0961, -5.8663}, {62.8187, -29.7946, -4.0864}, 1.2630},
    {{61.2901, 3.7196, -5.3901}, {61.4292, 2.2480, -4.9620}, 1.8731},
    {{35.0831, -44.1164, 3.7933}, {35.0232, -40.0716, 1.5901}, 1.8645},
    {{22.7233, 20.0904, -46.6940}, {23.0331, 14.9730, -42.5619}, 2.0373},
    {{36.4612, 47.8580, 18.3852}, {36.2715, 50.5065, 21.2231}, 1.4146},
    {{90.8027, -2.0831, 1.4410}, {91.1528, -1.6435, 0.0447}, 1.4441},
    {{90.9257, -0.5406, -0.9208}, {88.6381, -0.8985, -0.7239}, 1.5381},
    {{6.7747, -0.2908, -2.4247}, {5.8714, -0.0985, -2.2286}, 0.6377},
    {{2.0776, 0.0795, -1.1350}, {0.9033, -0.0636, -0.5514}, 0.9082},
};

TEST(ColourTest, DeltaE2000MatchesSharmaTestData) {
  int i = 1;
  for (const auto& p : kSharmaPairs) {
    SCOPED_TRACE("pair " + std::to_string(i++));
    EXPECT_NEAR(delta_e2000(p.x, p.y), p.expected, 1e-4);
    EXPECT_NEAR(delta_e2000(p.y, p.x), p.expected, 1e-4);  // symmetric
  }
}

TEST(ColourTest, DeltaE2000OfIdenticalColoursIsZero) {
  EXPECT_EQ(delta_e2000({0, 0, 0}, {0, 0, 0}), 0.0);
  const Lab c = srgb_to_lab({31, 111, 178});
  EXPECT_EQ(delta_e2000(c, c), 0.0);
}

TEST(ColourTest, PrimariesAndGreysGetTheirObviousNames) {
  struct Case {
    Rgb8 rgb;
    const char* name;
  };
  const Case cases[] = {
      {{0, 0, 0}, "black"},          {{255, 255, 255}, "white"},
      {{128, 128, 128}, "grey"},     {{192, 192, 192}, "light grey"},
      {{64, 64, 64}, "dark grey"},   {{255, 0, 0}, "red"},
      {{0, 255, 0}, "green"},        {{0, 0, 255}, "blue"},
      {{255, 255, 0}, "yellow"},     {{0, 255, 255}, "cyan"},
      {{255, 0, 255}, "magenta"},    {{255, 140, 0}, "orange"},
      {{0, 0, 128}, "navy"},         {{128, 0, 128}, "purple"},
      {{31, 111, 178}, "blue"},      {{220, 20, 60}, "red"},
      {{34, 139, 34}, "green"},      {{255, 105, 180}, "pink"},
      {{135, 206, 235}, "sky blue"}, {{0, 128, 128}, "teal"},
      {{240, 240, 240}, "white"},    {{20, 20, 20}, "black"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(colour_name(srgb_to_lab(c.rgb)), c.name) << hex_colour(c.rgb);
  }
}

TEST(ColourTest, HexIsLowercaseSevenCharacters) {
  EXPECT_EQ(hex_colour({31, 111, 178}), "#1f6fb2");
  EXPECT_EQ(hex_colour({0, 0, 0}), "#000000");
  EXPECT_EQ(hex_colour({255, 255, 255}), "#ffffff");
}

TEST(ColourTest, KMeansFindsBothColoursOfASeventyThirtyImage) {
  const Rgb8 blue{30, 90, 200};
  const Rgb8 orange{250, 150, 20};
  const RgbImage img = two_colour(300, 200, blue, orange, 0.7);
  const auto clusters = dominant_colours(img);
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_NEAR(clusters[0].share, 0.70, 0.02);
  EXPECT_NEAR(clusters[1].share, 0.30, 0.02);
  EXPECT_EQ(hex_colour(clusters[0].rgb), hex_colour(blue));
  EXPECT_EQ(hex_colour(clusters[1].rgb), hex_colour(orange));
  EXPECT_EQ(colour_name(clusters[0].lab), "blue");
  EXPECT_EQ(colour_name(clusters[1].lab), "orange");
}

TEST(ColourTest, KMeansMergesNearDuplicateShades) {
  // Two blues one ΔE2000 apart are one colour to a viewer.
  const RgbImage img = two_colour(200, 200, {30, 90, 200}, {32, 92, 203}, 0.5);
  const auto clusters = dominant_colours(img);
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_NEAR(clusters[0].share, 1.0, 1e-9);
}

// A noisy four-colour image, big enough to be subsampled.
RgbImage noisy_quadrants(int size) {
  RgbImage img = solid(size, size, {0, 0, 0});
  const Rgb8 base[4] = {{200, 30, 40}, {20, 160, 70}, {240, 240, 230}, {20, 30, 90}};
  std::uint32_t state = 12345;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const Rgb8 c = base[(y * 2 / size) * 2 + (x * 2 / size)];
      state = state * 1664525u + 1013904223u;
      const int jitter = static_cast<int>(state >> 28) - 8;  // -8..7
      const std::size_t i = (static_cast<std::size_t>(y) * size + x) * 3;
      img.pixels[i] = static_cast<std::uint8_t>(std::clamp(c.r + jitter, 0, 255));
      img.pixels[i + 1] = static_cast<std::uint8_t>(std::clamp(c.g + jitter, 0, 255));
      img.pixels[i + 2] = static_cast<std::uint8_t>(std::clamp(c.b + jitter, 0, 255));
    }
  }
  return img;
}

TEST(ColourTest, KMeansIsDeterministic) {
  const RgbImage img = noisy_quadrants(400);
  const auto first = dominant_colours(img);
  ASSERT_FALSE(first.empty());
  double total = 0;
  for (const auto& c : first) total += c.share;
  EXPECT_NEAR(total, 1.0, 1e-9);
  for (int run = 0; run < 3; ++run) {
    const auto again = dominant_colours(img);
    ASSERT_EQ(again.size(), first.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
      EXPECT_EQ(again[i].share, first[i].share);
      EXPECT_EQ(again[i].lab.l, first[i].lab.l);
      EXPECT_EQ(again[i].lab.a, first[i].lab.a);
      EXPECT_EQ(again[i].lab.b, first[i].lab.b);
    }
  }
  // Four equal quadrants: four clusters of about a quarter each.
  ASSERT_EQ(first.size(), 4u);
  for (const auto& c : first) EXPECT_NEAR(c.share, 0.25, 0.02);
}

TEST(ColourTest, DominantColoursOfEmptyImageIsEmpty) {
  EXPECT_TRUE(dominant_colours(RgbImage{}).empty());
}

TEST(ColourTest, ToneStatsOfSolidAndSplitImages) {
  const ToneStats white = tone_stats(solid(10, 10, {255, 255, 255}));
  EXPECT_NEAR(white.brightness, 1.0, 1e-4);
  EXPECT_NEAR(white.contrast, 0.0, 1e-4);
  EXPECT_NEAR(white.saturation, 0.0, 1e-4);

  // Half black, half white: mean L* 50, std-dev 50.
  const ToneStats split = tone_stats(two_colour(10, 10, {0, 0, 0}, {255, 255, 255}, 0.5));
  EXPECT_NEAR(split.brightness, 0.5, 1e-4);
  EXPECT_NEAR(split.contrast, 0.5, 1e-4);

  // Pure red: chroma ≈ 104.6, clamped to 1.
  const ToneStats red = tone_stats(solid(4, 4, {255, 0, 0}));
  EXPECT_DOUBLE_EQ(red.saturation, 1.0);
  EXPECT_NEAR(red.brightness, 0.5324, 1e-3);

  const ToneStats empty = tone_stats(RgbImage{});
  EXPECT_EQ(empty.brightness, 0.0);
}

}  // namespace
}  // namespace adloom
