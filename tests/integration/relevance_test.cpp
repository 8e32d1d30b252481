// Relevance on a labelled corpus the test generates: 6 product themes × 5 colours × 4
// variants = 120 assets, each an image of its colour (with some texture) described in its
// theme's words, in a campaign of its theme. Queries with graded relevance:
//   text   "running shoes" → its theme 2;  "red running shoes" → theme and colour 2, theme 1
//   image  a new picture of a colour → that colour 1 (the builtin embedder sees colour)
//   brief  a campaign brief for a theme → its theme 2
// nDCG@10 per kind is printed and held to a floor. Default ranking options (KPIs absent,
// so neutral), as a marketer would get them.
#include <cmath>
#include <cstdio>
#include <random>

#include <gtest/gtest.h>
#include <vips/vips8>

#include "integration/search_fixture.h"
#include "support/image_corpus.h"

namespace adloom {
namespace {

struct Theme {
  std::string name;
  std::string campaign_description;
  std::vector<std::string> words;
  std::string query;
  Brief brief;
};

struct Colour {
  std::string name;
  std::vector<double> rgb;
};

const std::vector<Theme>& themes() {
  static const std::vector<Theme> kThemes = {
      {"Run faster",
       "Performance running shoes for road and trail",
       {"running", "shoes", "trainers", "marathon", "trail", "sprint", "sneakers"},
       "running shoes",
       {.product = "lightweight running shoes",
        .description = "trainers for marathon runners",
        .objective = "conversions",
        .audience = "runners"}},
      {"Morning brew",
       "Single-origin coffee beans and espresso",
       {"coffee", "espresso", "beans", "latte", "roast", "barista", "mug"},
       "coffee espresso",
       {.product = "espresso beans",
        .description = "dark roast coffee for baristas",
        .objective = "clicks",
        .audience = "coffee lovers"}},
      {"Island escape",
       "Beach holidays and island travel packages",
       {"beach", "holiday", "island", "travel", "ocean", "resort", "sunset"},
       "beach holiday",
       {.product = "island resort holiday",
        .description = "travel to a beach by the ocean",
        .objective = "awareness",
        .audience = "families"}},
      {"Glow skin",
       "Skincare serums and moisturiser",
       {"skincare", "serum", "moisturiser", "glow", "cream", "hydration", "face"},
       "skincare serum",
       {.product = "hydration serum",
        .description = "skincare cream for a healthy glow",
        .objective = "engagement",
        .audience = "women 25-40"}},
      {"Drive electric",
       "Electric cars with long range",
       {"electric", "car", "range", "charging", "drive", "sedan", "battery"},
       "electric car",
       {.product = "electric sedan",
        .description = "long range car with fast charging",
        .objective = "leads",
        .audience = "commuters"}},
      {"Pizza night",
       "Wood-fired pizza delivery",
       {"pizza", "delivery", "cheese", "oven", "slice", "dinner", "pepperoni"},
       "pizza delivery",
       {.product = "pepperoni pizza",
        .description = "wood-fired pizza delivered for dinner",
        .objective = "clicks",
        .audience = "students"}},
  };
  return kThemes;
}

const std::vector<Colour>& colours() {
  static const std::vector<Colour> kColours = {{"red", {205, 30, 35}},
                                               {"blue", {30, 70, 200}},
                                               {"green", {40, 160, 60}},
                                               {"yellow", {235, 210, 40}},
                                               {"purple", {120, 40, 150}}};
  return kColours;
}

// A picture mostly of `rgb`, with a darker block and a lighter stripe placed by the seed.
std::string picture(const std::vector<double>& rgb, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const int side = 160;
  vips::VImage img = testing::solid_image(side, side, rgb);
  std::vector<double> dark;
  std::vector<double> light;
  for (double c : rgb) {
    dark.push_back(c * 0.6);
    light.push_back(std::min(255.0, c * 1.2 + 20));
  }
  const int bx = static_cast<int>(rng() % 100);
  const int by = static_cast<int>(rng() % 100);
  img = img.insert(testing::solid_image(50, 50, dark), bx, by);
  img = img.insert(testing::solid_image(side, 12, light), 0, static_cast<int>(rng() % 140));
  return testing::encode_image(img, ".jpg[Q=90]");
}

// nDCG@10 of `ranked` ids given graded relevance (absent = 0).
double ndcg_at_10(const std::vector<AssetId>& ranked, const std::map<AssetId, int>& relevance) {
  auto gain = [](int rel) { return std::pow(2.0, rel) - 1; };
  double dcg = 0;
  for (std::size_t i = 0; i < ranked.size() && i < 10; ++i) {
    auto it = relevance.find(ranked[i]);
    if (it != relevance.end()) dcg += gain(it->second) / std::log2(static_cast<double>(i) + 2);
  }
  std::vector<int> ideal;
  for (const auto& [id, rel] : relevance) ideal.push_back(rel);
  std::sort(ideal.rbegin(), ideal.rend());
  double idcg = 0;
  for (std::size_t i = 0; i < ideal.size() && i < 10; ++i) {
    idcg += gain(ideal[i]) / std::log2(static_cast<double>(i) + 2);
  }
  return idcg == 0 ? 0 : dcg / idcg;
}

class RelevanceTest : public testing::SearchTest {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(VIPS_INIT("adloom-test"), 0); }

  struct Item {
    AssetId id;
    std::size_t theme;
    std::size_t colour;
  };

  void build_corpus() {
    std::mt19937 rng(2026);
    for (std::size_t t = 0; t < themes().size(); ++t) {
      const Theme& theme = themes()[t];
      for (std::size_t c = 0; c < colours().size(); ++c) {
        for (int v = 0; v < 4; ++v) {
          // Four theme words, and the colour named in half of the descriptions.
          std::string description;
          for (int w = 0; w < 4; ++w) description += theme.words[rng() % theme.words.size()] + " ";
          if (v % 2 == 0) description += colours()[c].name;
          const Asset a =
              add(ctx_, {.description = description,
                         .campaign = theme.name,
                         .campaign_description = theme.campaign_description,
                         .image = picture(colours()[c].rgb,
                                          static_cast<std::uint32_t>(1000 * t + 10 * c + v))});
          items_.push_back({a.id, t, c});
        }
      }
    }
  }

  double run(const SearchRequest& req, const std::map<AssetId, int>& relevance) {
    return ndcg_at_10(ids(search(ctx_, req)), relevance);
  }

  std::vector<Item> items_;
};

TEST_F(RelevanceTest, NdcgAt10ForTextImageAndBriefQueries) {
  build_corpus();
  ASSERT_EQ(items_.size(), 120U);
  double text = 0;
  double text_colour = 0;
  double brief = 0;
  double image = 0;
  for (std::size_t t = 0; t < themes().size(); ++t) {
    std::map<AssetId, int> theme_rel;
    for (const auto& it : items_) {
      if (it.theme == t) theme_rel[it.id] = 2;
    }
    SearchRequest req;
    req.text = themes()[t].query;
    text += run(req, theme_rel);

    // Theme and colour in words: both right 2, the theme alone 1.
    const std::size_t c = t % colours().size();
    std::map<AssetId, int> graded;
    for (const auto& it : items_) {
      if (it.theme == t) graded[it.id] = it.colour == c ? 2 : 1;
    }
    req.text = colours()[c].name + " " + themes()[t].query;
    text_colour += run(req, graded);

    SearchRequest by_brief;
    by_brief.brief = themes()[t].brief;
    brief += run(by_brief, theme_rel);
  }
  for (std::size_t c = 0; c < colours().size(); ++c) {
    std::map<AssetId, int> colour_rel;
    for (const auto& it : items_) {
      if (it.colour == c) colour_rel[it.id] = 1;
    }
    SearchRequest req;
    req.image_bytes = picture(colours()[c].rgb, 99999);
    image += run(req, colour_rel);
  }
  const auto n_themes = static_cast<double>(themes().size());
  text /= n_themes;
  text_colour /= n_themes;
  brief /= n_themes;
  image /= static_cast<double>(colours().size());
  std::printf("[ relevance ] nDCG@10 text %.3f, text with colour %.3f, image %.3f, brief %.3f\n",
              text, text_colour, image, brief);
  EXPECT_GE(text, 0.95);
  EXPECT_GE(text_colour, 0.80);
  EXPECT_GE(image, 0.90);
  EXPECT_GE(brief, 0.90);
}

}  // namespace
}  // namespace adloom
