#include "models/builtin/prompt_plan.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "core/banned_terms.h"
#include "core/text.h"
#include "imaging/colour.h"
#include "models/builtin/prompt_text.h"

namespace adloom::prompt_plan {
namespace {

namespace pv = prompt_vocabulary;
using prompt_text::join;
using prompt_text::join_and;
using prompt_text::unique_ci;

constexpr std::size_t kMaxSettingWords = 24;
constexpr std::size_t kMaxSceneWords = 14;
constexpr std::size_t kMaxScenes = 2;
constexpr std::size_t kMaxElements = 4;
constexpr std::size_t kMaxPalette = 6;
constexpr std::size_t kCompactPalette = 2;
constexpr std::size_t kMaxReferenceColours = 4;
constexpr std::size_t kColoursPerReference = 2;
constexpr std::size_t kMaxWorkedItems = 3;
constexpr std::size_t kMaxWorkedPhrasesPerItem = 2;
constexpr std::size_t kMaxWorkedPhrases = 4;
constexpr std::size_t kMinPhraseWords = 2;
constexpr std::size_t kMaxPhraseWords = 8;
constexpr std::size_t kMaxPeopleWords = 6;

bool one_of(const std::string& word, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

std::string in_quotes(const std::string& s) {
  return "\"" + s + "\"";
}

bool contains_ci(const std::vector<std::string>& list, const std::string& item) {
  const std::string key = lower_ascii(item);
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& x) { return lower_ascii(x) == key; });
}

std::string first_n(const std::vector<std::string>& items, std::size_t n) {
  return join({items.begin(), items.begin() + static_cast<long>(std::min(n, items.size()))}, ", ");
}

// Lowers the first letter so the text reads on after a comma ("Launch of …" → "launch of
// …"): for common first words, and for a capitalised first word followed by a lowercase
// one ("Runner on a ridge") unless it is one of `names` (product and brand words).
std::string lower_first(std::string s, const std::vector<std::string>& names) {
  const auto ws = prompt_text::words(s);
  if (ws.empty() || s.empty() || std::isupper(static_cast<unsigned char>(s[0])) == 0) return s;
  std::size_t end = 1;
  bool later_capital = false;
  while (end < s.size() &&
         (std::isalnum(static_cast<unsigned char>(s[end])) != 0 || s[end] == '-')) {
    later_capital = later_capital || std::isupper(static_cast<unsigned char>(s[end])) != 0;
    ++end;
  }
  const bool common = one_of(
      ws.front(), {"a", "an", "the", "this", "these", "that", "new", "launch", "introducing",
                   "meet", "discover", "get", "make", "for", "with", "in", "on", "at", "from"});
  const bool next_lower = end + 1 < s.size() && s[end] == ' ' &&
                          std::islower(static_cast<unsigned char>(s[end + 1])) != 0;
  const bool name = std::find(names.begin(), names.end(), ws.front()) != names.end();
  if (common || (!later_capital && next_lower && !name)) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  return s;
}

// "person" → "a person"; plural, tonal or longer elements stay as they are.
std::string with_article(const std::string& element) {
  if (element.empty() || element.find(' ') != std::string::npos || element.ends_with("s")) {
    return element;
  }
  return (std::string("aeiou").find(element[0]) != std::string::npos ? "an " : "a ") + element;
}

// First-person marketing words read wrongly in a scene: "our lightest shoe" → "the …".
std::string third_person(const std::string& s) {
  std::string out;
  std::string word;
  const auto flush = [&] {
    const std::string lw = lower_ascii(word);
    out += (lw == "our" || lw == "your")
               ? (std::isupper(static_cast<unsigned char>(word[0])) ? "The" : "the")
               : word;
    word.clear();
  };
  for (const char c : s) {
    if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
      word += c;
    } else {
      if (!word.empty()) flush();
      out += c;
    }
  }
  if (!word.empty()) flush();
  return out;
}

// --- Banned terms out of the inputs -------------------------------------------------------

struct Scrubber {
  const std::vector<std::string>& banned;
  int changed = 0;  // input texts that held a banned term

  bool holds(const std::string& s) const { return !banned_terms_in(s, banned).empty(); }
  void text(std::string& s) {
    if (holds(s)) ++changed;
    s = prompt_text::remove_banned(s, banned);
  }
  void prose(std::string& s) {
    if (holds(s)) ++changed;
    s = prompt_text::drop_banned_phrases(s, banned);
  }
  void items(std::vector<std::string>& list) {
    std::vector<std::string> kept;
    for (const auto& item : list) {
      if (holds(item)) {
        ++changed;
      } else if (std::string t = prompt_text::tidy(item); !t.empty()) {
        kept.push_back(std::move(t));
      }
    }
    list = std::move(kept);
  }
  void colours(std::vector<MetaPromptColour>& list) {
    for (auto& c : list) text(c.name);
  }
};

MetaPromptInputs scrubbed(MetaPromptInputs in, const std::vector<std::string>& banned,
                          int& changed) {
  Scrubber s{banned};
  Brief& b = in.brief;
  // Names lose the term (a subject is needed); sentences lose the phrases holding one.
  for (std::string* f : {&b.name, &b.product, &b.objective, &b.channel, &b.format}) s.text(*f);
  for (std::string* f : {&b.description, &b.audience, &b.tone, &b.call_to_action}) s.prose(*f);
  if (in.brand) {
    s.text(in.brand->name);
    s.colours(in.brand->palette);
    s.items(in.brand->tone_words);
    s.items(in.brand->style_words);
    for (auto& d : in.brand->disclosures) s.prose(d);
  }
  for (auto& r : in.references) {
    s.prose(r.description);
    s.prose(r.prompt);
    s.items(r.elements);
    s.colours(r.colours);
  }
  for (auto& w : in.what_worked) {
    s.prose(w.prompt);
    s.prose(w.description);
    s.text(w.why);
  }
  changed = s.changed;
  return in;
}

// --- Parts from the brief and brand ---------------------------------------------------------

void plan_subject(const MetaPromptInputs& in, Plan& plan) {
  const Brief& b = in.brief;
  std::string& from = plan.reasons.subject_from;
  if (!b.product.empty()) {
    plan.base.subject = b.product;
    from = "the brief's product " + in_quotes(b.product);
  } else if (!b.name.empty()) {
    plan.base.subject = b.name;
    from = "the campaign name " + in_quotes(b.name) + ", as the brief names no product";
  } else if (in.brand && !in.brand->name.empty()) {
    plan.base.subject = "a " + in.brand->name + " product";
    from = "the brand's name, as the brief names no product";
  } else {
    plan.base.subject = "the product";
    from = "nothing specific: the brief names no product";
  }
}

// A colour in words: image models read neither hex codes nor RGB values. Its own name, else
// the nearest plain name of its hex value ("#1B3A4B" → "dark blue"); "" when it has neither.
std::string colour_text(const MetaPromptColour& c) {
  if (!c.name.empty()) return c.name;
  if (c.hex.size() != 7 || c.hex[0] != '#') return {};
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(c.hex.data() + 1, c.hex.data() + 7, value, 16);
  if (ec != std::errc() || end != c.hex.data() + 7) return {};
  const Rgb8 rgb{static_cast<std::uint8_t>(value >> 16), static_cast<std::uint8_t>(value >> 8),
                 static_cast<std::uint8_t>(value)};
  return std::string(colour_name(srgb_to_lab(rgb)));
}

// The brand palette in role order, without the text colour (the layout's business).
void plan_brand_palette(const MetaPromptBrand& brand, Plan& plan) {
  std::vector<std::string> colours;
  std::vector<std::string> roles;
  bool skipped_text = false;
  for (const auto& c : brand.palette) {
    if (c.role == "text") {
      skipped_text = true;
      continue;
    }
    if (colours.size() == kMaxPalette) continue;
    const std::string text = colour_text(c);
    if (text.empty() || contains_ci(colours, text)) continue;
    colours.push_back(text);
    if (!c.role.empty()) roles.push_back(c.role);
  }
  if (colours.empty()) return;
  plan.base.palette = join(colours, ", ");
  plan.palette_compact = first_n(colours, kCompactPalette);
  std::string from = "the brand kit" + (brand.name.empty() ? "" : " " + in_quotes(brand.name)) +
                     ", named in words";
  if (!roles.empty()) from += ", in role order (" + join(unique_ci(roles), ", ") + ")";
  if (skipped_text) from += "; its text colour is left to the layout";
  plan.reasons.palette_from = from;
}

void plan_mood_and_style_words(const MetaPromptInputs& in, Plan& plan) {
  std::vector<std::string> tone;
  std::vector<std::string> style;
  if (in.brand) {
    tone = unique_ci(in.brand->tone_words);
    style = unique_ci(in.brand->style_words);
  }
  const std::vector<std::string> brief_tone = unique_ci(prompt_text::phrases(in.brief.tone));
  std::vector<std::string> mood = tone;
  mood.insert(mood.end(), brief_tone.begin(), brief_tone.end());
  plan.base.mood = join(unique_ci(mood), ", ");
  std::vector<std::string> from;
  if (!tone.empty()) from.push_back("the brand's tone words (" + join(tone, ", ") + ")");
  if (!brief_tone.empty()) from.push_back("the brief's tone (" + join(brief_tone, ", ") + ")");
  plan.reasons.mood_from = join_and(from);
  plan.base.style_words = join(style, ", ");
}

void plan_setting(const Brief& b, const std::vector<std::string>& names, Plan& plan) {
  plan.base.setting = lower_first(
      third_person(prompt_text::first_sentence(b.description, kMaxSettingWords)), names);
  plan.base.audience = prompt_text::tidy(b.audience);
  const bool few_words = prompt_text::words(plan.base.audience).size() <= kMaxPeopleWords;
  plan.people = !plan.base.audience.empty() && few_words ? plan.base.audience : "people";
}

// --- References and what worked --------------------------------------------------------------

bool is_tonal(const std::string& e) {
  return one_of(e, {"high contrast", "low contrast", "black and white", "muted tones",
                    "vivid colours", "vivid colors", "bright", "dark"});
}

bool is_skipped_element(const std::string& e) {
  const bool area = e.starts_with("large ") && e.ends_with(" area");
  return area || one_of(e, {"text", "logo", "product", "watermark"});
}

struct ReferenceParts {
  std::vector<std::string> names;  // for lower_first
  std::vector<std::string> subject, look, scenes, colours;
  std::string cues;  // the elements and descriptions, for choosing lighting and style
};

// One reference's contribution to `acc`; returns what it shaped, in words.
std::vector<std::string> read_reference(const MetaPromptReference& ref, bool take_colours,
                                        ReferenceParts& acc) {
  std::vector<std::string> shaped, new_subject, new_look;
  for (const auto& raw : ref.elements) {
    const std::string e = lower_ascii(prompt_text::tidy(raw));
    acc.cues += " " + e;
    if (e.empty() || is_skipped_element(e)) continue;
    auto& list = is_tonal(e) ? acc.look : acc.subject;
    if (list.size() >= kMaxElements || contains_ci(list, e)) continue;
    list.push_back(e);
    (is_tonal(e) ? new_look : new_subject).push_back(e);
  }
  if (!new_subject.empty()) {
    shaped.push_back("its elements (" + join(new_subject, ", ") + ") in the subject");
  }
  const std::string& prose = ref.description.empty() ? ref.prompt : ref.description;
  acc.cues += " " + prose;
  std::string scene = lower_first(prompt_text::first_sentence(prose, kMaxSceneWords), acc.names);
  if (acc.scenes.size() < kMaxScenes && !scene.empty() &&
      !lower_ascii(scene).starts_with("visible text") && !contains_ci(acc.scenes, scene)) {
    acc.scenes.push_back(std::move(scene));
    shaped.emplace_back("its description in the setting");
  }
  if (!new_look.empty()) shaped.push_back("its look (" + join(new_look, ", ") + ") in the style");
  std::size_t taken = 0;
  for (const auto& c : ref.colours) {
    if (!take_colours || taken == kColoursPerReference ||
        acc.colours.size() == kMaxReferenceColours) {
      break;
    }
    const std::string text = colour_text(c);
    if (text.empty() || contains_ci(acc.colours, text)) continue;
    acc.colours.push_back(text);
    ++taken;
  }
  if (taken > 0) shaped.emplace_back("its colours in the palette");
  return shaped;
}

// Reads the references into the plan; returns their cues for choosing lighting and style.
std::string plan_references(const MetaPromptInputs& in, const std::vector<std::string>& names,
                            Plan& plan) {
  ReferenceParts acc;
  acc.names = names;
  const bool take_colours = plan.base.palette.empty();  // the brand palette wins
  for (const auto& ref : in.references) {
    const std::vector<std::string> shaped = read_reference(ref, take_colours, acc);
    if (shaped.empty() || ref.asset_id.empty()) continue;
    plan.reasons.references.push_back({ref.asset_id, join_and(shaped)});
    plan.used_references.push_back(ref.asset_id);
  }
  std::vector<std::string> subject;
  for (const auto& e : acc.subject) subject.push_back(with_article(e));
  plan.base.subject_details = join_and(subject);
  // A brand palette and a black-and-white look contradict each other: the palette wins.
  if (!take_colours) {
    const auto bw = std::find(acc.look.begin(), acc.look.end(), "black and white");
    if (bw != acc.look.end()) {
      acc.look.erase(bw);
      plan.reasons.palette_from += "; the references' black-and-white look is dropped for it";
    }
  }
  plan.base.reference_look = join(acc.look, ", ");
  plan.base.reference_scenes = join(acc.scenes, "; ");
  if (take_colours && !acc.colours.empty()) {
    plan.base.palette = join(acc.colours, ", ");
    plan.palette_compact = first_n(acc.colours, kCompactPalette);
    plan.reasons.palette_from = "the references' dominant colours, as there is no brand palette";
  }
  return acc.cues;
}

// A phrase worth borrowing from a past prompt: a few descriptive words that neither repeat
// what the prompt already says nor fight the variant axes or the format.
bool usable_worked_phrase(const std::string& phrase, const std::string& known) {
  const auto ws = prompt_text::words(phrase);
  if (ws.size() < kMinPhraseWords || ws.size() > kMaxPhraseWords) return false;
  if (phrase.find_first_of("%#\"") != std::string::npos) return false;
  for (const auto& w : ws) {
    if (one_of(
            w,
            {"light",      "lighting",     "lit",         "sunlight",     "daylight",  "golden",
             "hour",       "shadow",       "shadows",     "studio",       "low-key",   "photo",
             "photograph", "photographic", "photography", "illustration", "render",    "3d",
             "graphic",    "cinematic",    "film",        "close-up",     "flat-lay",  "macro",
             "shot",       "frame",        "palette",     "colour",       "color",     "colours",
             "colors",     "mood",         "square",      "portrait",     "landscape", "banner",
             "story",      "feed",         "post",        "image",        "visible",   "text",
             "dominated",  "style",        "format",      "composition",  "logo",      "headline",
             "button",     "cta",          "negative"})) {
      return false;
    }
    const bool size_like =
        w.find('x') != std::string::npos && std::any_of(w.begin(), w.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        });
    if (size_like) return false;
  }
  return known.find(lower_ascii(phrase)) == std::string::npos;
}

std::vector<std::string> worked_phrases(const WhatWorked& w, const std::vector<std::string>& names,
                                        std::string& known) {
  std::vector<std::string> out;
  for (auto& p : prompt_text::phrases(w.prompt.empty() ? w.description : w.prompt)) {
    if (out.size() == kMaxWorkedPhrasesPerItem) break;
    p = lower_first(p, names);
    if (!usable_worked_phrase(p, known)) continue;
    known += " | " + lower_ascii(p);
    out.push_back(std::move(p));
  }
  return out;
}

// "CTR 3.1%, led to 2 approved images", for items whose `why` is empty.
std::string why_from_kpi(const WhatWorked& w) {
  std::vector<std::string> parts;
  if (!w.kpi.empty() && w.kpi_value) {
    std::string name = w.kpi == "ctr" ? "CTR" : w.kpi;
    std::replace(name.begin(), name.end(), '_', ' ');
    const bool rate = w.kpi == "ctr" || w.kpi.ends_with("rate");
    const double v = rate && *w.kpi_value <= 1 ? *w.kpi_value * 100 : *w.kpi_value;
    std::array<char, 32> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed,
                                 rate ? 1 : 2);
    parts.push_back(name + " " + std::string(buf.data(), r.ptr) +
                    (rate && *w.kpi_value <= 1 ? "%" : ""));
  }
  if (w.approved > 0) {
    parts.push_back("led to " + std::to_string(w.approved) + " approved image" +
                    (w.approved == 1 ? "" : "s"));
  }
  return parts.empty() ? "ranked among the best similar past creative" : join(parts, ", ");
}

void plan_worked(const MetaPromptInputs& in, const std::vector<std::string>& names, Plan& plan) {
  const Parts& b = plan.base;
  std::string known = lower_ascii(
      join({b.subject, b.setting, b.audience, b.reference_scenes, b.subject_details}, " | "));
  std::vector<std::string> all;
  const std::size_t items = std::min(kMaxWorkedItems, in.what_worked.size());
  for (std::size_t k = 0; k < items; ++k) {
    const WhatWorked& w = in.what_worked[k];
    std::vector<std::string> taken;
    for (auto& p : worked_phrases(w, names, known)) {
      if (all.size() == kMaxWorkedPhrases) break;
      taken.push_back(in_quotes(p));
      all.push_back(std::move(p));
    }
    const std::string id = w.asset_id.empty() ? "an asset without id" : w.asset_id;
    plan.reasons.what_worked.push_back(
        {id, w.why.empty() ? why_from_kpi(w) : w.why, join_and(taken)});
    if (!w.asset_id.empty()) plan.used_references.push_back(w.asset_id);
  }
  plan.base.worked = join(all, ", ");
}

// --- Choices and reasons -----------------------------------------------------------------------

std::string label_of(pv::Axis axis, std::size_t index) {
  return std::string(pv::options(axis)[index].label);
}

std::string from_words(const std::vector<std::string>& cues) {
  return (cues.size() == 1 ? ", from the word " : ", from the words ") + join_and(cues);
}

void plan_choices(const MetaPromptInputs& in, const std::string& reference_cues, Plan& plan) {
  const Brief& b = in.brief;
  plan.frame = pv::frame_format(b.format, b.channel);
  plan.base.format = plan.frame.text;
  std::string tone = b.tone;
  std::string style = reference_cues;
  if (in.brand) {
    tone += " " + join(in.brand->tone_words, " ") + " " + join(in.brand->style_words, " ");
    style += " " + join(in.brand->style_words, " ");
  }
  const pv::Choice comp = pv::choose_composition(!b.product.empty(), plan.frame);
  const pv::Choice light = pv::choose_lighting(tone + " " + reference_cues);
  const pv::Choice look = pv::choose_style(style);
  plan.main = {comp.index, light.index, look.index};

  Reasons& r = plan.reasons;
  r.composition_from =
      lower_ascii(label_of(pv::Axis::kComposition, comp.index)) + " for " + join_and(comp.cues);
  if (!plan.frame.text.empty()) {
    r.composition_from += ", framed as a " + plan.frame.text;
    if (!b.channel.empty()) r.composition_from += " for " + b.channel;
  } else {
    r.composition_from += "; the brief gives no format, so the framing is left open";
  }
  r.lighting_from =
      label_of(pv::Axis::kLighting, light.index) +
      (light.cues.empty() ? ", the default when no tone or style word calls for another"
                          : from_words(light.cues));
  r.style_from = label_of(pv::Axis::kStyle, look.index) +
                 (look.cues.empty() ? ", the default" : from_words(look.cues));
  if (!plan.base.style_words.empty()) {
    r.style_from += "; with the brand's style words (" + plan.base.style_words + ")";
  }
  if (!plan.base.reference_look.empty()) {
    r.style_from += "; the references' look (" + plan.base.reference_look + ")";
  }
}

void plan_notes(const MetaPromptInputs& in, int scrubbed_inputs, Plan& plan) {
  const Parts& p = plan.base;
  std::vector<std::string> setting;
  if (!p.setting.empty()) setting.emplace_back("the brief's description");
  if (!p.audience.empty()) setting.push_back("its audience (" + p.audience + ")");
  if (!p.reference_scenes.empty()) setting.emplace_back("the references' descriptions");
  if (!p.worked.empty()) setting.emplace_back("phrases from what worked");
  plan.reasons.setting_from =
      setting.empty() ? "left open: the brief has no description or audience" : join_and(setting);

  std::vector<std::string> overlaid = {"the headline"};
  if (!in.brief.call_to_action.empty()) {
    overlaid.push_back("the call to action " + in_quotes(in.brief.call_to_action));
  }
  // A disclosure that held a banned term is not quoted half-removed.
  const std::vector<std::string> all =
      in.brand ? in.brand->disclosures : std::vector<std::string>{};
  std::vector<std::string> disclosures;
  for (const auto& d : all) {
    if (!d.empty()) disclosures.push_back(in_quotes(d));
  }
  if (disclosures.size() < all.size()) {
    overlaid.push_back(all.size() == 1
                           ? "the brand's required disclosure"
                           : "the brand's " + std::to_string(all.size()) + " required disclosures");
  } else if (disclosures.size() == 1) {
    overlaid.push_back("the disclosure " + disclosures.front());
  } else if (disclosures.size() > 1) {
    overlaid.push_back("the disclosures " + join_and(disclosures));
  }
  plan.reasons.overlay = "The layout overlays " + join_and(overlaid) +
                         " on the image: " + (overlaid.size() == 1 ? "it is" : "they are") +
                         " not part of the image prompt, which leaves clean space for " +
                         (overlaid.size() == 1 ? "it" : "them");

  if (!plan.banned.empty()) {
    const std::size_t n = plan.banned.size();
    plan.reasons.banned_note = "The brand's " + std::to_string(n) + " banned term" +
                               (n == 1 ? " is" : "s are") + " kept out of every prompt";
    if (scrubbed_inputs > 0) {
      plan.reasons.banned_note += ", and were taken out of " + std::to_string(scrubbed_inputs) +
                                  " input text" + (scrubbed_inputs == 1 ? "" : "s");
    }
  }
}

// The guarantee: nothing in the plan holds a banned term, whatever the vocabulary says.
void scrub_plan(Plan& plan) {
  const auto scrub = [&](std::string& s) { s = prompt_text::remove_banned(s, plan.banned); };
  Parts& p = plan.base;
  for (std::string* f :
       {&p.subject, &p.subject_details, &p.setting, &p.audience, &p.reference_scenes, &p.worked,
        &p.composition, &p.lighting, &p.palette, &p.style, &p.style_words, &p.reference_look,
        &p.mood, &p.format, &p.brand, &p.channel, &plan.people, &plan.palette_compact}) {
    scrub(*f);
  }
  if (plan.people.empty()) plan.people = "people";
  Reasons& r = plan.reasons;
  for (std::string* f :
       {&r.subject_from, &r.setting_from, &r.composition_from, &r.lighting_from, &r.palette_from,
        &r.style_from, &r.mood_from, &r.overlay, &r.banned_note}) {
    scrub(*f);
  }
  for (auto& n : r.references) scrub(n.shaped);
  for (auto& n : r.what_worked) {
    scrub(n.why);
    scrub(n.borrowed);
  }
}

}  // namespace

Plan make_plan(const MetaPromptInputs& inputs) {
  Plan plan;
  if (inputs.brand) plan.banned = inputs.brand->banned_terms;
  int scrubbed_inputs = 0;
  const MetaPromptInputs in = scrubbed(inputs, plan.banned, scrubbed_inputs);
  plan.max_prompt_chars = in.max_prompt_chars;
  plan.image_model = in.image_model;
  plan_subject(in, plan);
  // Words of names keep their capitals when prose is lowered to run on after a comma.
  const std::vector<std::string> names = prompt_text::words(in.brief.product + " " + in.brief.name +
                                                            " " + (in.brand ? in.brand->name : ""));
  plan_setting(in.brief, names, plan);
  if (in.brand) plan_brand_palette(*in.brand, plan);
  plan_mood_and_style_words(in, plan);
  const std::string reference_cues = plan_references(in, names, plan);
  plan_worked(in, names, plan);
  plan_choices(in, reference_cues, plan);
  plan_notes(in, scrubbed_inputs, plan);
  if (in.brand) plan.base.brand = in.brand->name;
  plan.base.channel = in.brief.channel;
  plan.used_references = unique_ci(plan.used_references);
  scrub_plan(plan);
  return plan;
}

}  // namespace adloom::prompt_plan
