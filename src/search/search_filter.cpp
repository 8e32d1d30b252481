#include "search/search_filter.h"

#include <algorithm>

namespace adloom {
namespace {

// Terms for `names`; false when none of them is known (nothing can match).
bool resolve(const std::vector<std::string>& names, const TermTable& terms,
             std::vector<Term>& out) {
  for (const auto& n : names) {
    if (auto t = terms.find(n); t && *t != 0) out.push_back(*t);
  }
  return names.empty() || !out.empty();
}

bool any_of_terms(const std::vector<Term>& allowed, Term t) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), t) != allowed.end();
}

}  // namespace

bool SearchFilter::empty() const {
  return channels.empty() && objectives.empty() && audiences.empty() && campaigns.empty() &&
         tags.empty() && !kind && review.empty() && !date_from && !date_to && min_kpis.empty();
}

Result<CompiledFilter> CompiledFilter::compile(const SearchFilter& f,
                                               const Catalog::Reader& catalog) {
  CompiledFilter c;
  c.terms_ = &catalog.terms();
  c.admits_all_ = f.empty();
  const TermTable& terms = catalog.terms();
  bool possible =
      resolve(f.channels, terms, c.channels_) && resolve(f.objectives, terms, c.objectives_) &&
      resolve(f.audiences, terms, c.audiences_) && resolve(f.campaigns, terms, c.campaigns_);
  for (const auto& tag : f.tags) {
    auto t = terms.find(tag);
    if (!t || *t == 0) possible = false;
    if (t) c.tags_.push_back(*t);
  }
  std::sort(c.tags_.begin(), c.tags_.end());
  if (f.kind) {
    if (*f.kind != "uploaded" && *f.kind != "generated") {
      return invalid_argument("kind must be \"uploaded\" or \"generated\", not \"" + *f.kind +
                              "\"");
    }
    c.generated_ = *f.kind == "generated";
  }
  c.review_ = f.review;
  if (f.date_from) {
    c.day_from_ = parse_iso_day(*f.date_from);
    if (!c.day_from_) return invalid_argument("date_from must be a date like 2026-06-01");
  }
  if (f.date_to) {
    c.day_to_ = parse_iso_day(*f.date_to);
    if (!c.day_to_) return invalid_argument("date_to must be a date like 2026-06-30");
  }
  for (const auto& m : f.min_kpis) {
    Minimum min{terms.find(m.metric), find_rate_spec(m.metric), m.min};
    if (!min.metric && min.rate == nullptr) possible = false;
    c.minimums_.push_back(min);
  }
  c.nothing_ = !possible;
  return c;
}

std::optional<std::vector<std::int64_t>> CompiledFilter::listed_labels(
    const Catalog::Reader& catalog) const {
  if (nothing_) return std::vector<std::int64_t>{};
  // Each usable field: the postings whose union holds every admitted label.
  std::vector<const std::vector<std::int64_t>*> best;
  std::size_t best_size = 0;
  bool found = false;
  const auto consider = [&](std::vector<const std::vector<std::int64_t>*> lists) {
    std::size_t size = 0;
    for (const auto* l : lists) size += l == nullptr ? 0 : l->size();
    if (!found || size < best_size) {
      best = std::move(lists);
      best_size = size;
      found = true;
    }
  };
  const std::pair<PostingField, const std::vector<Term>*> any_of[] = {
      {PostingField::kChannel, &channels_},
      {PostingField::kObjective, &objectives_},
      {PostingField::kAudience, &audiences_},
      {PostingField::kCampaign, &campaigns_}};
  for (const auto& [field, terms] : any_of) {
    if (terms->empty()) continue;
    std::vector<const std::vector<std::int64_t>*> lists;
    for (const Term t : *terms) lists.push_back(catalog.posting(field, t));
    consider(std::move(lists));
  }
  for (const Term t : tags_) consider({catalog.posting(PostingField::kTag, t)});  // all must hold
  if (!found) return std::nullopt;
  std::vector<std::int64_t> out;
  out.reserve(best_size);
  for (const auto* l : best) {
    if (l != nullptr) out.insert(out.end(), l->begin(), l->end());
  }
  return out;
}

bool CompiledFilter::admits(const CatalogEntry& e) const {
  if (admits_all_) return true;
  if (nothing_) return false;
  if (!any_of_terms(channels_, e.channel) || !any_of_terms(objectives_, e.objective) ||
      !any_of_terms(audiences_, e.audience) || !any_of_terms(campaigns_, e.campaign)) {
    return false;
  }
  if (!std::includes(e.tags.begin(), e.tags.end(), tags_.begin(), tags_.end())) return false;
  if (generated_ && *generated_ != e.generated) return false;
  if (!review_.empty() && std::find(review_.begin(), review_.end(), e.review) == review_.end()) {
    return false;
  }
  if ((day_from_ && e.day < *day_from_) || (day_to_ && e.day > *day_to_)) return false;
  for (const auto& m : minimums_) {
    std::optional<double> v = m.metric ? e.kpis.get(*m.metric) : std::nullopt;
    // A rate not stored as such is computed from its counts (ctr from clicks/impressions).
    if (!v && m.rate != nullptr) {
      if (auto obs = observe_rate(e.kpis, *m.rate, *terms_)) v = obs->rate;
    }
    if (!v || *v < m.min) return false;
  }
  return true;
}

}  // namespace adloom
