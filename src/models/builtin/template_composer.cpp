#include "models/builtin/template_composer.h"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <system_error>

#include <kainjow/mustache.hpp>

#include "core/banned_terms.h"
#include "core/text.h"
#include "models/builtin/default_templates.h"
#include "models/builtin/prompt_plan.h"
#include "models/builtin/prompt_text.h"

namespace adloom {
namespace {

namespace fs = std::filesystem;
namespace mu = kainjow::mustache;
using prompt_plan::Parts;
using prompt_plan::Plan;
using prompt_plan::Triple;
using prompt_plan::VariantPlan;

constexpr std::uintmax_t kMaxTemplateBytes = std::uintmax_t{64} * 1024;
// {{> prompt}} expansions per render: a template that includes itself stops here.
constexpr int kMaxPartialExpansions = 4;
constexpr const char* kQualityNegatives =
    "blurry, distorted text, watermark, extra limbs, deformed hands, low resolution, "
    "cropped product, cluttered background, oversaturated";
constexpr const char* kNoText = "captions, lettering";
constexpr const char* kOffBrand = "off-brand colours";

// A template compiled for one compose() call: kainjow's render() is not const, so calls
// share only the immutable text.
class Compiled {
 public:
  explicit Compiled(const std::string& origin, const std::string& text)
      : origin_(origin), tmpl_(text) {
    tmpl_.set_custom_escape([](const std::string& s) { return s; });  // plain text, not HTML
  }

  Result<std::string> render(const mu::data& data) {
    std::string out = tmpl_.is_valid() ? tmpl_.render(data) : "";
    if (!tmpl_.is_valid()) return internal_error(origin_ + ": " + tmpl_.error_message());
    return out;
  }

  const std::string& origin() const { return origin_; }

 private:
  std::string origin_;
  mu::mustache tmpl_;
};

mu::data parts_data(const Parts& p) {
  mu::data d{mu::data::type::object};
  const std::pair<const char*, const std::string*> fields[] = {
      {"subject", &p.subject},
      {"subject_details", &p.subject_details},
      {"setting", &p.setting},
      {"audience", &p.audience},
      {"reference_scenes", &p.reference_scenes},
      {"worked", &p.worked},
      {"composition", &p.composition},
      {"lighting", &p.lighting},
      {"palette", &p.palette},
      {"style", &p.style},
      {"style_words", &p.style_words},
      {"reference_look", &p.reference_look},
      {"mood", &p.mood},
      {"format", &p.format},
      {"brand", &p.brand},
      {"channel", &p.channel}};
  for (const auto& [key, value] : fields) {
    if (!value->empty()) d.set(key, *value);
  }
  return d;
}

// A rendered prompt made final: tidied, free of banned terms, sentences capitalised.
std::string finish_prompt(const std::string& rendered, const Plan& plan) {
  return prompt_text::sentence_case(prompt_text::remove_banned(rendered, plan.banned));
}

// `text` cut at a word boundary to the limit (unchanged when there is none or it fits).
std::string cut_to_limit(const std::string& text, const Plan& plan) {
  if (plan.max_prompt_chars == 0) return text;
  return prompt_text::remove_banned(prompt_text::truncate_words(text, plan.max_prompt_chars),
                                    plan.banned);
}

bool fits(const std::string& text, const Plan& plan) {
  return plan.max_prompt_chars == 0 || utf8_length(text) <= plan.max_prompt_chars;
}

struct Fitted {
  std::string text;
  Parts parts;
  std::vector<std::string> dropped;  // the fit steps left applied
  bool cut = false;                  // cut at a word boundary after all steps
};

using RenderParts = std::function<Result<std::string>(const Parts&)>;

// The full parts of `choice` with the fit steps marked in `applied` applied, in order.
Parts parts_with(const Plan& plan, const Triple& choice, const std::vector<bool>& applied) {
  Parts parts = prompt_plan::parts_for(plan, choice, /*compact=*/false);
  const auto& steps = prompt_plan::fit_steps();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (applied[i]) steps[i].apply(parts, plan, choice);
  }
  return parts;
}

// Renders the parts of `choice`, leaving out optional parts until the prompt fits: the
// steps are applied least important first until it fits, then the steps before the last
// one are undone again, most important first, wherever the prompt still fits without them.
Result<Fitted> fit(const Plan& plan, const Triple& choice, const RenderParts& render) {
  const auto& steps = prompt_plan::fit_steps();
  std::vector<bool> applied(steps.size(), false);
  Fitted f;
  f.parts = parts_with(plan, choice, applied);
  ADLOOM_ASSIGN(const std::string first, render(f.parts));
  f.text = finish_prompt(first, plan);
  std::size_t last = 0;
  for (; !fits(f.text, plan) && last < steps.size(); ++last) {
    applied[last] = true;
    Parts parts = parts_with(plan, choice, applied);
    if (parts == f.parts) {
      applied[last] = false;  // nothing to leave out at this step
      continue;
    }
    ADLOOM_ASSIGN(const std::string text, render(parts));
    f.parts = std::move(parts);
    f.text = finish_prompt(text, plan);
  }
  if (!fits(f.text, plan)) {
    f.text = cut_to_limit(f.text, plan);
    f.cut = true;
  } else {
    for (std::size_t j = last; j-- > 0;) {
      if (!applied[j] || j + 1 == last) continue;
      applied[j] = false;
      Parts parts = parts_with(plan, choice, applied);
      ADLOOM_ASSIGN(const std::string text, render(parts));
      if (std::string done = finish_prompt(text, plan); fits(done, plan)) {
        f.parts = std::move(parts);
        f.text = std::move(done);
      } else {
        applied[j] = true;
      }
    }
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (applied[i]) f.dropped.emplace_back(steps[i].what);
  }
  return f;
}

PromptStructure structure_of(const Parts& p, const Plan& plan) {
  const auto with = [](const char* lead, const std::string& s) { return s.empty() ? s : lead + s; };
  PromptStructure s;
  s.subject = prompt_text::join({p.subject, with("with ", p.subject_details)}, " ");
  s.setting = prompt_text::join({p.setting, with("appealing to ", p.audience),
                                 with("echoing ", p.reference_scenes), p.worked},
                                ", ");
  s.composition = p.composition;
  s.lighting = p.lighting;
  s.palette = p.palette;
  s.style = prompt_text::join({p.style, p.style_words, p.reference_look}, ", ");
  s.mood = p.mood;
  s.format = p.format;
  for (std::string* f : {&s.subject, &s.setting, &s.composition, &s.lighting, &s.palette, &s.style,
                         &s.mood, &s.format}) {
    *f = prompt_text::remove_banned(*f, plan.banned);
  }
  return s;
}

// Variant prompts that came out equal (tight limits cut them to the same words) are told
// apart by leading with the short phrases of their choices.
void make_distinct(const Plan& plan, const std::vector<VariantPlan>& plans,
                   std::vector<PromptVariant>& variants) {
  const auto taken = [&](std::size_t k, const std::string& text) {
    for (std::size_t j = 0; j < variants.size(); ++j) {
      if (j != k && variants[j].prompt == text) return true;
    }
    return false;
  };
  for (std::size_t k = 1; k < variants.size(); ++k) {
    if (!taken(k, variants[k].prompt)) continue;
    const std::string lead = prompt_plan::compact_choice(plans[k].choice);
    std::string alt = cut_to_limit(finish_prompt(lead + ": " + variants[k].prompt, plan), plan);
    if (taken(k, alt)) {
      alt = cut_to_limit(finish_prompt(lead + ", variant " + std::to_string(k + 1), plan), plan);
    }
    variants[k].prompt = std::move(alt);
  }
}

mu::data negative_data(const Plan& plan) {
  mu::data d{mu::data::type::object};
  d.set("quality", kQualityNegatives);
  d.set("no_text", kNoText);
  if (!plan.base.palette.empty()) d.set("off_brand", kOffBrand);
  if (!plan.base.brand.empty()) d.set("brand", plan.base.brand);
  if (!plan.base.channel.empty()) d.set("channel", plan.base.channel);
  return d;
}

std::string length_note(const Plan& plan, const Fitted& main, bool variants_fitted) {
  if (plan.max_prompt_chars == 0) return "";
  const std::string limit = std::to_string(plan.max_prompt_chars) + " characters";
  const std::string model = plan.image_model.empty() ? "the image model" : plan.image_model;
  if (main.dropped.empty() && !main.cut) {
    return variants_fitted ? "The prompt fits " + model + "'s limit of " + limit +
                                 "; some variants left out optional parts to fit"
                           : "Every prompt fits " + model + "'s limit of " + limit;
  }
  std::string note = "To fit " + model + "'s limit of " + limit + ", the prompt leaves out " +
                     prompt_text::join_and(main.dropped);
  if (main.cut)
    note += main.dropped.empty() ? "nothing, but is cut at a word boundary"
                                 : ", and is cut at a word boundary";
  if (variants_fitted) note += "; variants are fitted the same way";
  return note;
}

mu::data reasoning_data(const Plan& plan, const std::string& length,
                        const std::vector<PromptVariant>& variants) {
  const prompt_plan::Reasons& r = plan.reasons;
  mu::data d{mu::data::type::object};
  const std::pair<const char*, const std::string*> fields[] = {
      {"subject_from", &r.subject_from},
      {"setting_from", &r.setting_from},
      {"composition_from", &r.composition_from},
      {"lighting_from", &r.lighting_from},
      {"palette_from", &r.palette_from},
      {"style_from", &r.style_from},
      {"mood_from", &r.mood_from},
      {"overlay", &r.overlay},
      {"banned_note", &r.banned_note},
      {"length_note", &length},
      {"image_model", &plan.image_model}};
  for (const auto& [key, value] : fields) {
    if (!value->empty()) d.set(key, *value);
  }
  mu::data refs{mu::data::type::list};
  for (const auto& n : r.references) {
    mu::data item{mu::data::type::object};
    item.set("asset_id", n.asset_id);
    item.set("shaped", n.shaped);
    refs.push_back(item);
  }
  d.set("references", refs);
  mu::data worked{mu::data::type::list};
  for (const auto& n : r.what_worked) {
    mu::data item{mu::data::type::object};
    item.set("asset_id", n.asset_id);
    item.set("why", n.why);
    if (!n.borrowed.empty()) item.set("borrowed", n.borrowed);
    worked.push_back(item);
  }
  d.set("what_worked", worked);
  mu::data list{mu::data::type::list};
  for (std::size_t i = 0; i < variants.size(); ++i) {
    mu::data item{mu::data::type::object};
    item.set("name", variants[i].name);
    item.set("axis", variants[i].axis);
    item.set("last",
             i + 1 == variants.size() ? mu::data::type::bool_true : mu::data::type::bool_false);
    list.push_back(item);
  }
  d.set("variants", list);
  if (!variants.empty()) d.set("variant_count", std::to_string(variants.size()));
  return d;
}

// The final check, whatever templates and steps did before: no banned term anywhere and
// every prompt within the limit.
void enforce_guarantees(const Plan& plan, MetaPrompt& m) {
  const auto clean = [&](std::string& s, bool multi_line = false) {
    if (!banned_terms_in(s, plan.banned).empty()) {
      s = prompt_text::remove_banned(s, plan.banned, multi_line);
    }
  };
  const auto fit_prompt = [&](std::string& s) {
    clean(s);
    if (!fits(s, plan)) s = cut_to_limit(s, plan);
  };
  fit_prompt(m.prompt);
  fit_prompt(m.negative_prompt);
  clean(m.reasoning, /*multi_line=*/true);
  PromptStructure& s = m.structure;
  for (std::string* f : {&s.subject, &s.setting, &s.composition, &s.lighting, &s.palette, &s.style,
                         &s.mood, &s.format}) {
    clean(*f);
  }
  for (auto& v : m.variants) {
    clean(v.name);
    clean(v.axis);
    fit_prompt(v.prompt);
  }
  for (auto& id : m.used_references) clean(id);
}

Result<std::string> read_template(const fs::path& path) {
  const std::string where = "meta-prompt template " + path.string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return invalid_argument(where + ": not a regular file");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return invalid_argument(where + ": " + ec.message());
  if (size > kMaxTemplateBytes) return invalid_argument(where + ": larger than 64 KiB");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return invalid_argument(where + ": cannot be read");
  return text.str();
}

// A brief that sets every variable, to try user templates on when they are opened.
MetaPromptInputs sample_inputs() {
  MetaPromptInputs in;
  in.brief = {"Spring launch",
              "Trailblazer 2 running shoe",
              "Our lightest trail shoe yet, built for muddy mountain routes.",
              "awareness",
              "trail runners 25-40",
              "instagram",
              "1080x1080",
              "adventurous",
              "Shop now"};
  MetaPromptBrand brand;
  brand.name = "Northpeak";
  brand.palette = {{"#1B4D3E", "forest green", "primary"}, {"#FF7A00", "sunrise orange", "accent"}};
  brand.tone_words = {"bold"};
  brand.style_words = {"rugged"};
  brand.banned_terms = {"cheap"};
  brand.disclosures = {"Terms apply."};
  in.brand = brand;
  in.references = {{"ast_sample_ref", "Runner on a misty ridge at sunrise.", {"person"}, {}, ""}};
  in.what_worked = {{"ast_sample_win", "mud-splashed single-track, runner mid-stride", "", "ctr",
                     0.031, 2, "CTR 3.1%"}};
  in.max_prompt_chars = 400;
  in.variants = 3;
  return in;
}

}  // namespace

TemplateComposer::TemplateComposer() {
  for (const auto& d : default_templates()) {
    const std::string name(d.name);
    templates_.push_back({name, "the built-in " + name + " template", std::string(d.text)});
  }
}

TemplateComposer::TemplateComposer(std::vector<Template> templates)
    : templates_(std::move(templates)) {}

const TemplateComposer::Template& TemplateComposer::get(std::string_view name) const {
  for (const auto& t : templates_) {
    if (t.name == name) return t;
  }
  return templates_.front();  // unreachable: every default name is present
}

Result<std::unique_ptr<TemplateComposer>> TemplateComposer::open(const std::string& templates_dir) {
  std::vector<Template> templates;
  for (const auto& d : default_templates()) {
    const std::string name(d.name);
    Template t{name, "the built-in " + name + " template", std::string(d.text)};
    if (!templates_dir.empty()) {
      const fs::path path = fs::path(templates_dir) / (name + ".mustache");
      std::error_code ec;
      if (fs::exists(path, ec)) {
        ADLOOM_ASSIGN(t.text, read_template(path));
        t.origin = path.string();
      }
    }
    const mu::mustache check{t.text};
    if (!check.is_valid()) {
      return invalid_argument("meta-prompt template " + t.origin + ": " + check.error_message());
    }
    templates.push_back(std::move(t));
  }
  std::unique_ptr<TemplateComposer> composer(new TemplateComposer(std::move(templates)));
  const Result<MetaPrompt> trial = composer->compose(sample_inputs());
  if (!trial.is_ok()) return invalid_argument(trial.status().message());
  for (const auto& v : trial->variants) {
    if (v.prompt.empty()) {
      return invalid_argument("meta-prompt template " + composer->get("variant").origin +
                              ": renders an empty prompt");
    }
  }
  return composer;
}

Status TemplateComposer::write_default_templates(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return internal_error("cannot create the templates directory " + dir + ": " + ec.message());
  for (const auto& d : default_templates()) {
    const fs::path path = fs::path(dir) / (std::string(d.name) + ".mustache");
    // "x": create only, so an existing (possibly edited) file is never replaced.
    std::FILE* f = std::fopen(path.c_str(), "wx");
    if (f == nullptr) {
      if (errno == EEXIST) continue;
      return internal_error("cannot write " + path.string() + ": " +
                            std::error_code(errno, std::generic_category()).message());
    }
    const bool written = std::fwrite(d.text.data(), 1, d.text.size(), f) == d.text.size();
    if (std::fclose(f) != 0 || !written) {
      fs::remove(path, ec);
      return internal_error("cannot write " + path.string());
    }
  }
  return Status::ok();
}

Result<TextResponse> TemplateComposer::generate(const TextRequest& request, const ModelCall&) {
  ADLOOM_ASSIGN(const MetaPromptInputs inputs, parse_meta_prompt_inputs(request.input_json));
  ADLOOM_ASSIGN(const MetaPrompt prompt, compose(inputs));
  TextResponse response;
  response.text = meta_prompt_json(prompt);
  response.model = kTemplateComposerModel;
  return response;
}

Result<MetaPrompt> TemplateComposer::compose(const MetaPromptInputs& inputs) const {
  const Plan plan = prompt_plan::make_plan(inputs);
  Compiled prompt(get("prompt").origin, get("prompt").text);
  Compiled variant(get("variant").origin, get("variant").text);
  Compiled negative(get("negative").origin, get("negative").text);
  Compiled reasoning(get("reasoning").origin, get("reasoning").text);

  MetaPrompt out;
  ADLOOM_ASSIGN(const Fitted main,
                fit(plan, plan.main, [&](const Parts& p) { return prompt.render(parts_data(p)); }));
  if (main.text.empty()) return internal_error(prompt.origin() + ": renders an empty prompt");
  out.prompt = main.text;
  out.structure = structure_of(main.parts, plan);

  const std::vector<VariantPlan> plans = prompt_plan::variant_plans(plan, inputs.variants);
  bool variants_fitted = false;
  for (const auto& vp : plans) {
    ADLOOM_ASSIGN(const Fitted f, fit(plan, vp.choice, [&](const Parts& p) {
                    mu::data d = parts_data(p);
                    d.set("variant_name", vp.name);
                    d.set("variant_axis", vp.axis);
                    int expansions = 0;
                    const std::string& text = get("prompt").text;
                    d.set("prompt", mu::partial([&expansions, &text] {
                            return ++expansions > kMaxPartialExpansions ? std::string() : text;
                          }));
                    return variant.render(d);
                  }));
    variants_fitted = variants_fitted || !f.dropped.empty() || f.cut;
    out.variants.push_back({vp.name, vp.axis, f.text});
  }
  make_distinct(plan, plans, out.variants);

  ADLOOM_ASSIGN(const std::string neg, negative.render(negative_data(plan)));
  out.negative_prompt = cut_to_limit(prompt_text::remove_banned(neg, plan.banned), plan);
  const std::string length = length_note(plan, main, variants_fitted);
  ADLOOM_ASSIGN(const std::string why,
                reasoning.render(reasoning_data(plan, length, out.variants)));
  out.reasoning =
      prompt_text::sentence_case(prompt_text::remove_banned(why, plan.banned, /*multi_line=*/true));
  out.used_references = plan.used_references;
  enforce_guarantees(plan, out);
  return out;
}

}  // namespace adloom
