#include "services/prompt_service.h"

#include <algorithm>
#include <chrono>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/banned_terms.h"
#include "core/text.h"

namespace adloom {
namespace {

using nlohmann::json;

// How many of the recommendations become "what worked", and how many the service asks
// search for before credit re-ranks them.
constexpr int kWhatWorked = 3;
// How long writing a meta-prompt may take: a hosted LLM answers in seconds, a local one
// on a CPU in a minute or two.
constexpr std::chrono::seconds kComposeDeadline{180};
constexpr int kCandidatesPerResult = 2;

const std::vector<CampaignState> kPromptStates = {CampaignState::kDraft, CampaignState::kGenerating,
                                                  CampaignState::kInReview,
                                                  CampaignState::kApproved};

std::string credit_words(const Credit& c, const std::string& metric) {
  std::string out =
      fmt::format("led to {} approved image{}", c.approved, c.approved == 1 ? "" : "s");
  if (c.rejected > 0) out += fmt::format(" ({} rejected)", c.rejected);
  if (c.kpi_mean) {
    out += fmt::format(", their mean {} {:.4g}", metric_label(metric), *c.kpi_mean);
  }
  return out;
}

double credit_boost(const Credit& c) {
  return CreditWeights::kPerApproval * std::min(c.approved, CreditWeights::kMaxApprovals) +
         (c.kpi_mean ? CreditWeights::kForKpi : 0.0);
}

std::vector<MetaPromptColour> analysis_colours(const json& analysis) {
  std::vector<MetaPromptColour> out;
  const auto it = analysis.find("colours");
  if (it == analysis.end() || !it->is_array()) return out;
  for (const auto& c : *it) {
    if (!c.is_object()) continue;
    out.push_back({c.value("hex", ""), c.value("name", ""), ""});
    if (out.size() == 4) break;
  }
  return out;
}

MetaPromptReference reference_of(const Asset& a, const std::string& prompt) {
  MetaPromptReference r;
  r.asset_id = a.id;
  r.description = !a.fields.description.empty() ? a.fields.description : a.auto_description;
  r.prompt = prompt;
  if (a.analysis) {
    const json analysis = json::parse(*a.analysis, nullptr, false);
    if (analysis.is_object()) {
      if (const auto e = analysis.find("elements"); e != analysis.end() && e->is_array()) {
        for (const auto& el : *e) {
          if (el.is_string()) r.elements.push_back(el.get<std::string>());
        }
      }
      r.colours = analysis_colours(analysis);
      if (r.description.empty()) r.description = analysis.value("description", "");
    }
  }
  return r;
}

MetaPromptBrand brand_of(const BrandKit& kit) {
  MetaPromptBrand b;
  b.name = kit.fields.name;
  for (const auto& c : kit.fields.palette) b.palette.push_back({c.hex, c.name, c.role});
  b.font_family = kit.fields.font_family;
  b.tone_words = kit.fields.tone_words;
  b.style_words = kit.fields.style_words;
  b.banned_terms = kit.fields.banned_terms;
  b.disclosures = kit.fields.disclosures;
  return b;
}

json variants_json(const std::vector<PromptVariant>& variants) {
  json out = json::array();
  for (const auto& v : variants) {
    out.push_back({{"name", v.name}, {"axis", v.axis}, {"prompt", v.prompt}});
  }
  return out;
}

std::string structure_json(const PromptStructure& s) {
  return json{{"subject", s.subject},   {"setting", s.setting}, {"composition", s.composition},
              {"lighting", s.lighting}, {"palette", s.palette}, {"style", s.style},
              {"mood", s.mood},         {"format", s.format}}
      .dump();
}

std::string term_list(const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& t : terms) out += (out.empty() ? "\"" : ", \"") + t + "\"";
  return out;
}

}  // namespace

Brief brief_of(const CampaignRecord& r) {
  const CampaignFields& f = r.campaign.fields;
  return Brief{f.name,    r.plan.product, f.description, f.objective,          f.audience,
               f.channel, r.plan.format,  r.plan.tone,   r.plan.call_to_action};
}

Result<ReferenceList> PromptService::recommend(const RequestContext& ctx, const CampaignId& id,
                                               int k, const SearchFilter& filter) {
  if (k < 1 || k > SearchService::kMaxK) {
    return invalid_argument("k must be between 1 and " + std::to_string(SearchService::kMaxK));
  }
  ADLOOM_ASSIGN(CampaignRecord campaign, campaigns_.get_campaign_record(ctx, id));
  ADLOOM_ASSIGN(
      SearchResult found,
      search_.recommend(ctx, brief_of(campaign),
                        std::min(SearchService::kMaxK, k * kCandidatesPerResult), filter));
  // A campaign's own images are its output, not references for it (their text echoes the
  // brief, so they would otherwise rank first).
  std::vector<SearchHit> hits;
  for (auto& h : found.hits) {
    ADLOOM_ASSIGN(Asset asset, assets_.get_asset(ctx, h.id));
    if (asset.campaign_id != id) hits.push_back(std::move(h));
  }
  found.hits = std::move(hits);
  std::vector<AssetId> ids;
  for (const auto& h : found.hits) ids.push_back(h.id);
  ADLOOM_ASSIGN(std::vector<Credit> credits, creative_.credit(ctx, ids, found.kpi));
  ADLOOM_ASSIGN(std::vector<SelectedReference> chosen, creative_.references(ctx, id));
  ReferenceList out;
  out.kpi = found.kpi;
  out.stats = found.stats;
  for (auto& h : found.hits) {
    Reference ref{std::move(h), std::nullopt, false};
    const auto c = std::find_if(credits.begin(), credits.end(),
                                [&](const Credit& cr) { return cr.asset_id == ref.hit.id; });
    if (c != credits.end()) {
      ref.credit = *c;
      const double boost = credit_boost(*c);
      ref.hit.score += boost;
      ref.hit.explanation += fmt::format("; credit +{:.3f}: {}", boost, credit_words(*c, out.kpi));
    }
    ref.selected = std::any_of(chosen.begin(), chosen.end(), [&](const SelectedReference& s) {
      return s.asset_id == ref.hit.id;
    });
    out.references.push_back(std::move(ref));
  }
  std::stable_sort(
      out.references.begin(), out.references.end(),
      [](const Reference& a, const Reference& b) { return a.hit.score > b.hit.score; });
  if (static_cast<int>(out.references.size()) > k) {
    out.references.resize(static_cast<std::size_t>(k));
  }
  return out;
}

Result<CampaignRecord> PromptService::editable(const RequestContext& ctx, const CampaignId& id,
                                               const char* what) {
  if (!ctx.has_role(Role::kEditor)) {
    return Status(ErrorCode::kPermissionDenied, std::string(what) + " needs the editor role");
  }
  ADLOOM_ASSIGN(CampaignRecord campaign, campaigns_.get_campaign_record(ctx, id));
  if (std::find(kPromptStates.begin(), kPromptStates.end(), campaign.state) ==
      kPromptStates.end()) {
    return conflict(std::string(what) + ": campaign " + id + " is " +
                    std::string(campaign_state_name(campaign.state)) + "; only " +
                    campaign_state_list(kPromptStates) + " campaigns change");
  }
  return campaign;
}

Result<std::vector<SelectedReference>> PromptService::select(const RequestContext& ctx,
                                                             const CampaignId& id,
                                                             const std::vector<AssetId>& assets) {
  ADLOOM_TRY(editable(ctx, id, "selecting references").status());
  if (assets.size() > kMaxReferences) {
    return invalid_argument("at most " + std::to_string(kMaxReferences) +
                            " references can be selected");
  }
  std::set<AssetId> seen;
  for (const auto& a : assets) {
    if (!seen.insert(a).second) return invalid_argument("asset " + a + " is selected twice");
  }
  ADLOOM_TRY(creative_.set_references(ctx, id, assets));
  return creative_.references(ctx, id);
}

Result<std::vector<SelectedReference>> PromptService::selected(const RequestContext& ctx,
                                                               const CampaignId& id) {
  return creative_.references(ctx, id);
}

Result<std::vector<WhatWorked>> PromptService::what_worked(const RequestContext& ctx,
                                                           const CampaignRecord& campaign) {
  ADLOOM_ASSIGN(ReferenceList recs,
                recommend(ctx, campaign.campaign.id, kWhatWorked * 2, SearchFilter{}));
  std::vector<WhatWorked> out;
  for (const auto& ref : recs.references) {
    if (!ref.hit.kpi && !ref.credit) continue;  // nothing proven
    ADLOOM_ASSIGN(Asset asset, assets_.get_asset(ctx, ref.hit.id));
    WhatWorked w;
    w.asset_id = asset.id;
    w.description = reference_of(asset, "").description;
    if (asset.kind == "generated") {
      auto item = creative_.review_item(ctx, asset.id);
      if (item) w.prompt = item->image.prompt;
    }
    w.kpi = recs.kpi;
    std::vector<std::string> why;
    if (ref.hit.kpi) {
      w.kpi_value = ref.hit.kpi->evidence.value;
      why.push_back(describe_kpi(*ref.hit.kpi));
    }
    if (ref.credit) {
      w.approved = ref.credit->approved;
      why.push_back(credit_words(*ref.credit, recs.kpi));
    }
    for (const auto& part : why) w.why += (w.why.empty() ? "" : "; ") + part;
    out.push_back(std::move(w));
    if (static_cast<int>(out.size()) == kWhatWorked) break;
  }
  return out;
}

Result<MetaPromptInputs> PromptService::inputs(const RequestContext& ctx, const CampaignId& id) {
  ADLOOM_ASSIGN(CampaignRecord campaign, campaigns_.get_campaign_record(ctx, id));
  MetaPromptInputs in;
  in.brief = brief_of(campaign);
  if (campaign.plan.brand_kit_id) {
    ADLOOM_ASSIGN(BrandKit kit, brands_.get_brand_kit(ctx, *campaign.plan.brand_kit_id));
    in.brand = brand_of(kit);
  }
  ADLOOM_ASSIGN(std::vector<SelectedReference> chosen, creative_.references(ctx, id));
  for (const auto& s : chosen) {
    ADLOOM_ASSIGN(Asset asset, assets_.get_asset(ctx, s.asset_id));
    std::string prompt;
    if (asset.kind == "generated") {
      auto item = creative_.review_item(ctx, asset.id);
      if (item) prompt = item->image.prompt;
    }
    in.references.push_back(reference_of(asset, prompt));
  }
  ADLOOM_ASSIGN(in.what_worked, what_worked(ctx, campaign));
  in.image_model = image_model_.name();
  in.max_prompt_chars = image_model_.max_prompt_chars();
  return in;
}

Result<std::vector<std::string>> PromptService::banned_terms(const RequestContext& ctx,
                                                             const CampaignRecord& campaign) {
  if (!campaign.plan.brand_kit_id) return std::vector<std::string>{};
  ADLOOM_ASSIGN(BrandKit kit, brands_.get_brand_kit(ctx, *campaign.plan.brand_kit_id));
  return kit.fields.banned_terms;
}

Status PromptService::check_prompt(const std::string& text, const char* what,
                                   const std::vector<std::string>& banned) const {
  const std::size_t limit = image_model_.max_prompt_chars();
  if (const std::size_t n = utf8_length(text); limit > 0 && n > limit) {
    return invalid_argument(
        fmt::format("the {} is {} characters; the image model '{}' takes at "
                    "most {}: shorten it by {}",
                    what, n, image_model_.name(), limit, n - limit));
  }
  if (const auto found = banned_terms_in(text, banned); !found.empty()) {
    return invalid_argument(fmt::format("the {} uses the brand kit's banned term{} {}", what,
                                        found.size() == 1 ? "" : "s", term_list(found)));
  }
  return Status::ok();
}

Result<PromptVersion> PromptService::compose(const RequestContext& ctx, const CampaignId& id) {
  ADLOOM_ASSIGN(CampaignRecord campaign, editable(ctx, id, "writing a prompt"));
  ADLOOM_ASSIGN(MetaPromptInputs in, inputs(ctx, id));
  const TextRequest request = meta_prompt_request(in);
  // A person is waiting for the answer: two tries, within kComposeDeadline.
  RetryBudget budget{2};
  const ModelCall call{
      {{}, std::chrono::steady_clock::now() + kComposeDeadline, &budget}, ctx.workspace_id, id, {}};
  auto answer = text_model_.generate(request, call);
  if (!answer) {
    const ErrorCode code = answer.status().code();
    // A refusal, a timeout or bad credentials keep their code: each asks something else of
    // the person (reword, wait, fix the configuration).
    return Status(
        code == ErrorCode::kInternal ? ErrorCode::kUnavailable : code,
        "the text model '" + text_model_.name() + "' failed: " + answer.status().message());
  }
  auto parsed = parse_meta_prompt(answer->text);
  if (!parsed) {
    return unavailable("the text model '" + text_model_.name() +
                       "' gave no usable prompt: " + parsed.status().message());
  }
  const std::vector<std::string> banned =
      in.brand ? in.brand->banned_terms : std::vector<std::string>{};
  const auto refuse = [&](const Status& st) {
    return unavailable("the text model's answer was not stored: " + st.message());
  };
  if (Status st = check_prompt(parsed->prompt, "prompt", banned); !st.is_ok()) return refuse(st);
  if (!banned_terms_in(parsed->negative_prompt, banned).empty()) {
    return refuse(invalid_argument("the negative prompt uses a banned term"));
  }
  for (const auto& v : parsed->variants) {
    if (Status st = check_prompt(v.prompt, "variant", banned); !st.is_ok()) return refuse(st);
  }
  NewPromptVersion v;
  v.source = PromptSource::kModel;
  v.engine = answer->model.empty() ? text_model_.name() : answer->model;
  v.prompt = parsed->prompt;
  v.negative_prompt = parsed->negative_prompt;
  v.reasoning = parsed->reasoning;
  v.structure = structure_json(parsed->structure);
  v.variants = variants_json(parsed->variants).dump();
  v.inputs = request.input_json;
  return creative_.add_prompt_version(ctx, id, v);
}

Result<PromptVersion> PromptService::edit(const RequestContext& ctx, const CampaignId& id,
                                          const PromptEdit& e) {
  ADLOOM_ASSIGN(CampaignRecord campaign, editable(ctx, id, "editing the prompt"));
  ADLOOM_ASSIGN(std::vector<std::string> banned, banned_terms(ctx, campaign));
  if (e.prompt.find_first_not_of(" \t\r\n") == std::string::npos) {
    return invalid_argument("the prompt is empty");
  }
  ADLOOM_TRY(check_prompt(e.prompt, "prompt", banned));
  std::string negative;
  if (e.negative_prompt) {
    negative = *e.negative_prompt;
  } else if (auto latest = creative_.prompt_version(ctx, id, 0)) {
    negative = latest->negative_prompt;  // kept from the version edited
  }
  if (const auto found = banned_terms_in(negative, banned); !found.empty()) {
    return invalid_argument("the negative prompt uses the brand kit's banned term(s) " +
                            term_list(found));
  }
  for (const auto& v : e.variants) ADLOOM_TRY(check_prompt(v.prompt, "variant", banned));
  NewPromptVersion v;
  v.source = PromptSource::kUser;
  v.prompt = e.prompt;
  v.negative_prompt = negative;
  v.variants = variants_json(e.variants).dump();
  return creative_.add_prompt_version(ctx, id, v);
}

Result<PromptVersion> PromptService::restore(const RequestContext& ctx, const CampaignId& id,
                                             int version) {
  ADLOOM_ASSIGN(CampaignRecord campaign, editable(ctx, id, "restoring a prompt"));
  if (version < 1) return invalid_argument("version must be 1 or more");
  ADLOOM_ASSIGN(PromptVersion old, creative_.prompt_version(ctx, id, version));
  // The brand kit or the image model may have changed since: the old text must still pass.
  ADLOOM_ASSIGN(std::vector<std::string> banned, banned_terms(ctx, campaign));
  ADLOOM_TRY(check_prompt(old.prompt, "restored prompt", banned));
  NewPromptVersion v;
  v.source = PromptSource::kRestore;
  v.engine = old.engine;
  v.prompt = old.prompt;
  v.negative_prompt = old.negative_prompt;
  v.reasoning = old.reasoning;
  v.structure = old.structure;
  v.variants = old.variants;
  v.inputs = old.inputs;
  v.restored_from = old.version;
  return creative_.add_prompt_version(ctx, id, v);
}

Result<PromptVersion> PromptService::version(const RequestContext& ctx, const CampaignId& id,
                                             int version) {
  return creative_.prompt_version(ctx, id, version);
}

Result<std::vector<PromptVersion>> PromptService::versions(const RequestContext& ctx,
                                                           const CampaignId& id) {
  return creative_.prompt_versions(ctx, id);
}

}  // namespace adloom
