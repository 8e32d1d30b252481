// The built-in template composer: prompts from brief, brand, references and what worked;
// banned terms and length limits as guarantees; user-editable templates.
#include "models/builtin/template_composer.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/banned_terms.h"
#include "core/text.h"
#include "models/builtin/prompt_text.h"
#include "models/builtin/prompt_vocabulary.h"
#include "support/temp_dir.h"

namespace adloom {
namespace {

MetaPromptInputs trail_inputs() {
  MetaPromptInputs in;
  in.brief = {"Trailblazer 2 launch",
              "Trailblazer 2 running shoe",
              "Our lightest trail shoe yet, built for muddy mountain routes.",
              "clicks",
              "trail runners 25-40",
              "instagram",
              "1080x1080",
              "adventurous",
              "Shop now"};
  MetaPromptBrand brand;
  brand.name = "Northpeak";
  brand.palette = {{"#1B4D3E", "forest green", "primary"},
                   {"#FF7A00", "sunrise orange", "secondary"},
                   {"#E8E4DA", "stone", "background"},
                   {"#111111", "ink", "text"}};
  brand.tone_words = {"bold", "confident"};
  brand.style_words = {"rugged", "premium"};
  brand.banned_terms = {"cheap", "free gift"};
  brand.disclosures = {"Terms apply."};
  in.brand = brand;
  in.references = {{"ast_ref_ridge",
                    "Runner on a misty ridge at sunrise, vivid orange jacket.",
                    {"person", "high contrast", "text"},
                    {{"#334455", "slate blue", ""}},
                    ""}};
  in.what_worked = {{"ast_win_mud",
                     "Trail runner mid-stride on a mud-splashed single-track, misty pine "
                     "forest, golden hour, photographic",
                     "", "ctr", 0.031, 2, "CTR 3.1% (top 10%), led to 2 approved images"}};
  return in;
}

MetaPrompt compose(const MetaPromptInputs& in) {
  const TemplateComposer composer;
  Result<MetaPrompt> r = composer.compose(in);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? std::move(r).value() : MetaPrompt{};
}

// Every string of an answer, labelled.
std::vector<std::pair<std::string, std::string>> all_strings(const MetaPrompt& m) {
  std::vector<std::pair<std::string, std::string>> out = {
      {"prompt", m.prompt},
      {"negative_prompt", m.negative_prompt},
      {"reasoning", m.reasoning},
      {"structure.subject", m.structure.subject},
      {"structure.setting", m.structure.setting},
      {"structure.composition", m.structure.composition},
      {"structure.lighting", m.structure.lighting},
      {"structure.palette", m.structure.palette},
      {"structure.style", m.structure.style},
      {"structure.mood", m.structure.mood},
      {"structure.format", m.structure.format}};
  for (std::size_t i = 0; i < m.variants.size(); ++i) {
    const std::string at = "variants[" + std::to_string(i) + "].";
    out.emplace_back(at + "name", m.variants[i].name);
    out.emplace_back(at + "axis", m.variants[i].axis);
    out.emplace_back(at + "prompt", m.variants[i].prompt);
  }
  for (const auto& id : m.used_references) out.emplace_back("used_references", id);
  return out;
}

std::vector<std::string> all_prompts(const MetaPrompt& m) {
  std::vector<std::string> out = {m.prompt};
  for (const auto& v : m.variants) out.push_back(v.prompt);
  return out;
}

// The distinct variant prompts.
std::set<std::string> variant_prompts(const MetaPrompt& m) {
  std::set<std::string> out;
  for (const auto& v : m.variants) out.insert(v.prompt);
  return out;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(TemplateComposerTest, SameInputsGiveTheSameAnswer) {
  const MetaPromptInputs in = trail_inputs();
  TemplateComposer composer;
  const TextRequest request = meta_prompt_request(in);
  const Result<TextResponse> a = composer.generate(request, {});
  const Result<TextResponse> b = TemplateComposer().generate(request, {});
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(a->text, b->text);
  EXPECT_EQ(a->model, "builtin:template-v1");
  EXPECT_EQ(composer.name(), "builtin");
  const Result<MetaPrompt> parsed = parse_meta_prompt(a->text);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_EQ(meta_prompt_json(*parsed), a->text);
}

TEST(TemplateComposerTest, ConcurrentCallsAgree) {
  TemplateComposer composer;
  const TextRequest request = meta_prompt_request(trail_inputs());
  const std::string expected = composer.generate(request, {})->text;
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 5; ++k) got[i] = composer.generate(request, {})->text;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
}

TEST(TemplateComposerTest, InputsThatAreNotMetaPromptInputsAreRefused) {
  TemplateComposer composer;
  TextRequest request;
  request.input_json = "[1, 2]";
  EXPECT_EQ(composer.generate(request, {}).status().code(), ErrorCode::kInvalidArgument);
}

TEST(TemplateComposerTest, FiveDeliberatelyDifferentVariants) {
  const MetaPrompt m = compose(trail_inputs());
  ASSERT_EQ(m.variants.size(), 5U);
  std::set<std::string> prompts, names, axes;
  for (const auto& v : m.variants) {
    prompts.insert(v.prompt);
    names.insert(v.name);
    axes.insert(v.axis);
    EXPECT_FALSE(v.prompt.empty());
  }
  EXPECT_EQ(prompts.size(), 5U);
  EXPECT_EQ(names.size(), 5U);
  EXPECT_TRUE(axes.count("composition") && axes.count("lighting") && axes.count("style"));
  EXPECT_EQ(m.variants[0].prompt, m.prompt);  // the baseline takes the main choices
  EXPECT_EQ(m.variants[0].name, "Close-up \xC2\xB7 golden hour \xC2\xB7 photographic");
}

TEST(TemplateComposerTest, VariantCountIsHonoured) {
  MetaPromptInputs in = trail_inputs();
  in.variants = 0;
  EXPECT_TRUE(compose(in).variants.empty());
  in.variants = 12;
  const MetaPrompt m = compose(in);
  ASSERT_EQ(m.variants.size(), 12U);
  EXPECT_EQ(variant_prompts(m).size(), 12U);
}

TEST(TemplateComposerTest, BrandPaletteAppearsInWordsInRoleOrder) {
  const MetaPrompt m = compose(trail_inputs());
  // Image models read no hex codes: colours are named in words only.
  EXPECT_EQ(m.prompt.find('#'), std::string::npos) << m.prompt;
  const auto green = m.prompt.find("forest green");
  const auto orange = m.prompt.find("sunrise orange");
  ASSERT_NE(green, std::string::npos) << m.prompt;
  ASSERT_NE(orange, std::string::npos);
  EXPECT_LT(green, orange);
  EXPECT_EQ(m.prompt.find("ink"), std::string::npos) << "the text colour is the layout's";
  EXPECT_EQ(m.prompt.find("slate blue"), std::string::npos) << "the brand palette wins";
  EXPECT_NE(m.structure.palette.find("sunrise orange"), std::string::npos);
  EXPECT_NE(m.negative_prompt.find("off-brand colours"), std::string::npos);
  for (const auto& v : m.variants) EXPECT_NE(v.prompt.find("forest green"), std::string::npos);
}

TEST(TemplateComposerTest, UnnamedColoursAreNamedAndABlackAndWhiteLookGivesWayToThePalette) {
  MetaPromptInputs in = trail_inputs();
  in.brand->palette = {{"#1B3A4B", "", "primary"}, {"#F4A259", "", "accent"}};
  in.references[0].elements.push_back("black and white");
  const MetaPrompt m = compose(in);
  EXPECT_EQ(m.prompt.find('#'), std::string::npos) << m.prompt;
  EXPECT_EQ(m.prompt.find("black and white"), std::string::npos) << m.prompt;
  EXPECT_NE(m.reasoning.find("black-and-white look is dropped"), std::string::npos) << m.reasoning;
}

TEST(TemplateComposerTest, ReferenceColoursWhenThereIsNoBrandPalette) {
  MetaPromptInputs in = trail_inputs();
  in.brand.reset();
  const MetaPrompt m = compose(in);
  EXPECT_NE(m.prompt.find("slate blue"), std::string::npos) << m.prompt;
  EXPECT_EQ(m.prompt.find("#334455"), std::string::npos) << m.prompt;
  EXPECT_NE(m.reasoning.find("references' dominant colours"), std::string::npos);
}

TEST(TemplateComposerTest, WhatWorkedIsFoldedInAndExplained) {
  const MetaPrompt m = compose(trail_inputs());
  EXPECT_NE(m.reasoning.find("CTR 3.1% (top 10%), led to 2 approved images"), std::string::npos)
      << m.reasoning;
  EXPECT_NE(m.reasoning.find("ast_win_mud"), std::string::npos);
  EXPECT_NE(m.prompt.find("misty pine forest"), std::string::npos) << m.prompt;
  EXPECT_EQ(m.prompt.find("golden hour, photographic"), std::string::npos)
      << "phrases that fight the variant axes are not borrowed";
  const std::vector<std::string> expected = {"ast_ref_ridge", "ast_win_mud"};
  EXPECT_EQ(m.used_references, expected);
  EXPECT_NE(m.reasoning.find("Reference ast_ref_ridge"), std::string::npos);
  EXPECT_NE(m.reasoning.find("\"Terms apply.\""), std::string::npos) << "disclosure mentioned";
  EXPECT_EQ(m.prompt.find("Terms apply"), std::string::npos) << "but not in the image prompt";
  EXPECT_EQ(m.prompt.find("Shop now"), std::string::npos);
}

TEST(TemplateComposerTest, WhyIsMadeFromTheKpiWhenMissing) {
  MetaPromptInputs in = trail_inputs();
  in.what_worked[0].why.clear();
  const MetaPrompt m = compose(in);
  EXPECT_NE(m.reasoning.find("CTR 3.1%, led to 2 approved images"), std::string::npos)
      << m.reasoning;
}

// Adversarial inputs: banned terms everywhere, in any case and spacing.
MetaPromptInputs banned_everywhere() {
  MetaPromptInputs in = trail_inputs();
  in.brand->banned_terms = {"cheap", " Free  Gift ", "guaranteed", "ultra light", "studio"};
  in.brief.product = "CHEAP Trailblazer 2 ultra   light shoe";
  in.brief.name = "Free gift launch";
  in.brief.description = "The cheap shoe with a FREE\tgift inside, Guaranteed grip. Cheap!";
  in.brief.audience = "guaranteed runners who like cheap things";
  in.brief.tone = "cheap, bold";
  in.brief.call_to_action = "Get your free  gift";
  in.brand->tone_words = {"Cheap chic", "bold"};
  in.brand->style_words = {"guaranteed quality", "rugged"};
  in.brand->disclosures = {"Free gift while stocks last."};
  in.brand->palette[0].name = "cheap green";
  in.references[0].description = "Cheap look. Runner on a ridge, free gift bag";
  in.references[0].elements = {"CHEAP", "person", "free gift"};
  in.what_worked[0].prompt = "free gift box, Cheap thrills on a misty ridgeline, GUARANTEED fun";
  in.what_worked[0].why = "cheap CTR 3.1%";
  return in;
}

void expect_no_banned(const MetaPrompt& m, const std::vector<std::string>& banned) {
  for (const auto& [where, text] : all_strings(m)) {
    EXPECT_TRUE(banned_terms_in(text, banned).empty())
        << where << " holds " << banned_terms_in(text, banned).front() << ": " << text;
  }
}

TEST(TemplateComposerTest, BannedTermsNeverAppear) {
  MetaPromptInputs in = banned_everywhere();
  for (const std::size_t limit : {0, 120, 300}) {
    in.max_prompt_chars = limit;
    const MetaPrompt m = compose(in);
    expect_no_banned(m, in.brand->banned_terms);
    EXPECT_NE(m.prompt.find("Trailblazer 2"), std::string::npos) << m.prompt;
    const std::string json = meta_prompt_json(m);
    EXPECT_TRUE(banned_terms_in(json, in.brand->banned_terms).empty()) << json;
  }
  const MetaPrompt m = compose(in);
  EXPECT_EQ(m.variants.size(), 5U);
  EXPECT_NE(m.reasoning.find("banned terms are kept out"), std::string::npos);
}

TEST(TemplateComposerTest, BannedTermsInUserTemplatesAreRemovedToo) {
  testing::TempDir dir;
  write_file(dir.path() / "prompt.mustache", "Cheap {{subject}}, FREE gift, {{lighting}}.");
  write_file(dir.path() / "negative.mustache", "cheap, {{quality}}");
  const auto composer = TemplateComposer::open(dir.str());
  ASSERT_TRUE(composer.is_ok()) << composer.status().to_string();
  const MetaPromptInputs in = trail_inputs();
  const Result<MetaPrompt> m = (*composer)->compose(in);
  ASSERT_TRUE(m.is_ok());
  expect_no_banned(*m, in.brand->banned_terms);
  EXPECT_TRUE(m->prompt.starts_with("Trailblazer 2 running shoe, warm golden hour")) << m->prompt;
}

// Every word of `text` is one of `vocabulary` (no word was cut).
void expect_whole_words(const std::string& text, const std::set<std::string>& vocabulary) {
  for (const auto& w : prompt_text::words(text)) {
    EXPECT_TRUE(vocabulary.count(w)) << "\"" << w << "\" is not a whole word in: " << text;
  }
}

std::set<std::string> vocabulary_of(const MetaPrompt& full) {
  std::set<std::string> vocabulary;
  for (const auto& [where, text] : all_strings(full)) {
    for (const auto& w : prompt_text::words(text)) vocabulary.insert(w);
  }
  namespace pv = prompt_vocabulary;
  for (const auto axis : {pv::Axis::kComposition, pv::Axis::kLighting, pv::Axis::kStyle}) {
    for (const auto& option : pv::options(axis)) {
      for (const auto& w : prompt_text::words(option.compact)) vocabulary.insert(w);
    }
  }
  return vocabulary;
}

TEST(TemplateComposerTest, EveryPromptFitsTheLimitWithoutCuttingWords) {
  MetaPromptInputs in = trail_inputs();
  const std::set<std::string> vocabulary = vocabulary_of(compose(in));
  for (const std::size_t limit : {120, 200, 300, 1024}) {
    in.max_prompt_chars = limit;
    const MetaPrompt m = compose(in);
    for (const auto& p : all_prompts(m)) {
      EXPECT_LE(utf8_length(p), limit) << p;
      expect_whole_words(p, vocabulary);
    }
    EXPECT_LE(utf8_length(m.negative_prompt), limit);
    EXPECT_EQ(variant_prompts(m).size(), m.variants.size())
        << "variants stay distinct at " << limit;
    EXPECT_NE(m.prompt.find("Trailblazer 2 running shoe"), std::string::npos) << m.prompt;
    if (limit == 300) {
      EXPECT_NE(m.prompt.find("forest green"), std::string::npos) << "palette kept at 300";
      EXPECT_NE(m.reasoning.find("limit of 300 characters"), std::string::npos) << m.reasoning;
    }
  }
}

TEST(TemplateComposerTest, MinimalPromptTooLongIsCutAtAWordBoundary) {
  MetaPromptInputs in = trail_inputs();
  in.brief.product =
      "Trailblazer 2 waterproof ultralight carbon-plated mountain running shoe with Vibram "
      "Megagrip outsole and recycled mesh upper in limited edition colourways";
  const std::set<std::string> vocabulary = vocabulary_of(compose(in));
  in.max_prompt_chars = 120;
  const MetaPrompt m = compose(in);
  for (const auto& p : all_prompts(m)) {
    EXPECT_LE(utf8_length(p), 120U) << p;
    EXPECT_GT(utf8_length(p), 60U) << p;
    expect_whole_words(p, vocabulary);
  }
  EXPECT_NE(m.reasoning.find("cut at a word boundary"), std::string::npos) << m.reasoning;
}

TEST(TemplateComposerTest, BriefAloneGivesAGoodPrompt) {
  MetaPromptInputs in;
  in.brief.product = "Trailblazer 2 running shoe";
  in.brief.audience = "trail runners 25-40";
  in.brief.channel = "instagram stories";
  in.brief.format = "1080x1920";
  in.brief.tone = "adventurous";
  const MetaPrompt m = compose(in);
  EXPECT_NE(m.prompt.find("Trailblazer 2 running shoe"), std::string::npos) << m.prompt;
  EXPECT_NE(m.prompt.find("9:16"), std::string::npos);
  EXPECT_NE(m.prompt.find("1080x1920 portrait story"), std::string::npos);
  EXPECT_NE(m.prompt.find("golden hour"), std::string::npos) << "adventurous calls for it";
  EXPECT_EQ(m.prompt.find("palette"), std::string::npos) << "no palette to name";
  for (const char* junk : {"{{", "()", ",,", " ,", " .", "..", ": ."}) {
    for (const auto& p : all_prompts(m)) EXPECT_EQ(p.find(junk), std::string::npos) << p;
  }
  EXPECT_EQ(m.variants.size(), 5U);
  EXPECT_TRUE(m.used_references.empty());
  EXPECT_FALSE(m.negative_prompt.empty());
  EXPECT_NE(m.reasoning.find("Subject: the brief's product"), std::string::npos) << m.reasoning;
  EXPECT_EQ(m.structure.format, "1080x1920 portrait story, 9:16");
}

TEST(TemplateComposerTest, NoProductMeansALifestyleSceneOfTheCampaign) {
  MetaPromptInputs in;
  in.brief.name = "Summer of trails";
  in.brief.description = "Celebrate long summer evenings on the trail.";
  const MetaPrompt m = compose(in);
  EXPECT_TRUE(m.prompt.starts_with("Summer of trails, celebrate long summer evenings on the trail"))
      << m.prompt;
  EXPECT_NE(m.prompt.find("lifestyle scene with people"), std::string::npos) << m.prompt;
}

TEST(TemplateComposerTest, UserTemplatesOverrideTheDefaults) {
  testing::TempDir dir;
  write_file(dir.path() / "prompt.mustache",
             "Poster of {{subject}}{{#palette}} in {{palette}}{{/palette}}. {{lighting}}.");
  write_file(dir.path() / "variant.mustache", "{{variant_name}}: {{> prompt}}");
  const auto composer = TemplateComposer::open(dir.str());
  ASSERT_TRUE(composer.is_ok()) << composer.status().to_string();
  const Result<MetaPrompt> m = (*composer)->compose(trail_inputs());
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_TRUE(m->prompt.starts_with("Poster of Trailblazer 2 running shoe in forest green"))
      << m->prompt;
  for (const auto& v : m->variants) EXPECT_TRUE(v.prompt.starts_with(v.name + ": Poster of"));
  // The templates not overridden keep their defaults.
  EXPECT_EQ(m->negative_prompt, compose(trail_inputs()).negative_prompt);
}

TEST(TemplateComposerTest, ATemplateIncludingItselfStops) {
  testing::TempDir dir;
  write_file(dir.path() / "prompt.mustache", "{{subject}} {{> prompt}}");
  const auto composer = TemplateComposer::open(dir.str());
  ASSERT_TRUE(composer.is_ok()) << composer.status().to_string();
  EXPECT_FALSE((*composer)->compose(trail_inputs())->variants.front().prompt.empty());
}

TEST(TemplateComposerTest, AnInvalidTemplateIsRefusedNamingTheFile) {
  testing::TempDir dir;
  const auto path = dir.path() / "reasoning.mustache";
  write_file(path, "Subject: {{#subject_from}}{{subject_from}}.");
  const auto composer = TemplateComposer::open(dir.str());
  ASSERT_FALSE(composer.is_ok());
  EXPECT_EQ(composer.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(composer.status().message().find(path.string()), std::string::npos)
      << composer.status().message();
  EXPECT_NE(composer.status().message().find("Unclosed section"), std::string::npos)
      << composer.status().message();
}

TEST(TemplateComposerTest, ATemplateRenderingNothingIsRefused) {
  testing::TempDir dir;
  write_file(dir.path() / "prompt.mustache", "{{! nothing }}");
  const auto composer = TemplateComposer::open(dir.str());
  ASSERT_FALSE(composer.is_ok());
  EXPECT_NE(composer.status().message().find("prompt.mustache"), std::string::npos)
      << composer.status().message();
}

TEST(TemplateComposerTest, DefaultTemplatesAreWrittenButNeverOverwritten) {
  testing::TempDir dir;
  const auto templates = dir.path() / "config" / "templates";
  ASSERT_TRUE(TemplateComposer::write_default_templates(templates.string()).is_ok());
  for (const char* name : {"prompt", "variant", "negative", "reasoning"}) {
    EXPECT_FALSE(read_file(templates / (std::string(name) + ".mustache")).empty()) << name;
  }
  // The written defaults behave as the built-in ones.
  const auto opened = TemplateComposer::open(templates.string());
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  EXPECT_EQ(meta_prompt_json(*(*opened)->compose(trail_inputs())),
            meta_prompt_json(compose(trail_inputs())));

  const std::string edited = "Edited: {{subject}}.";
  write_file(templates / "prompt.mustache", edited);
  std::filesystem::remove(templates / "negative.mustache");
  ASSERT_TRUE(TemplateComposer::write_default_templates(templates.string()).is_ok());
  EXPECT_EQ(read_file(templates / "prompt.mustache"), edited);
  EXPECT_FALSE(read_file(templates / "negative.mustache").empty()) << "a missing one comes back";
  const auto reopened = TemplateComposer::open(templates.string());
  ASSERT_TRUE(reopened.is_ok());
  EXPECT_EQ((*reopened)->compose(trail_inputs())->prompt, "Edited: Trailblazer 2 running shoe.");
}

TEST(TemplateComposerTest, AnEmptyTemplatesDirectoryMeansTheDefaults) {
  testing::TempDir dir;
  const auto composer = TemplateComposer::open(dir.str());
  ASSERT_TRUE(composer.is_ok());
  EXPECT_EQ((*composer)->compose(trail_inputs())->prompt, compose(trail_inputs()).prompt);
  const auto none = TemplateComposer::open("");
  ASSERT_TRUE(none.is_ok());
}

}  // namespace
}  // namespace adloom
