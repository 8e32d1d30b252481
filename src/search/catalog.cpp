#include "search/catalog.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <mutex>

namespace adloom {

std::optional<std::int32_t> parse_iso_day(std::string_view date) {
  if (date.size() < 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (date[i] < '0' || date[i] > '9') return std::nullopt;
      v = v * 10 + (date[i] - '0');
    }
    return v;
  };
  const auto y = number(0, 4);
  const auto m = number(5, 2);
  const auto d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{*y},
                                        std::chrono::month{static_cast<unsigned>(*m)},
                                        std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

const CatalogEntry* Catalog::Reader::find(std::int64_t label) const {
  const auto slot = c_.slot_of(label);
  return slot ? &c_.entries_[*slot] : nullptr;
}

const std::vector<std::int64_t>* Catalog::Reader::posting(PostingField field, Term term) const {
  const auto& map = c_.postings_[static_cast<std::size_t>(field)];
  auto it = map.find(term);
  return it == map.end() ? nullptr : &it->second;
}

void Catalog::post(PostingField field, Term term, std::int64_t label) {
  if (term == 0) return;
  postings_[static_cast<std::size_t>(field)][term].push_back(label);
  ++posted_;
}

void Catalog::maybe_rebuild_postings() {
  if (posted_ <= 2 * std::max<std::size_t>(posted_rebuilt_, 1024)) return;
  for (auto& map : postings_) map.clear();
  posted_ = 0;
  for (const auto& e : entries_) {
    if (e.label == 0) continue;
    post(PostingField::kChannel, e.channel, e.label);
    post(PostingField::kObjective, e.objective, e.label);
    post(PostingField::kAudience, e.audience, e.label);
    post(PostingField::kCampaign, e.campaign, e.label);
    for (const Term t : e.tags) post(PostingField::kTag, t, e.label);
  }
  posted_rebuilt_ = posted_;
}

std::optional<std::size_t> Catalog::slot_of(std::int64_t label) const {
  if (label <= 0 || static_cast<std::uint64_t>(label) >= slot_by_label_.size()) return std::nullopt;
  const std::uint32_t s = slot_by_label_[static_cast<std::size_t>(label)];
  if (s == 0) return std::nullopt;
  return s - 1;
}

void Catalog::erase(std::int64_t label) {
  const auto slot = slot_of(label);
  if (!slot) return;
  entries_[*slot] = CatalogEntry{};  // label 0: a free slot
  free_slots_.push_back(*slot);
  slot_by_label_[static_cast<std::size_t>(label)] = 0;
  --live_;
}

void Catalog::apply(const CatalogRow& row) {
  // Labels come from the store's max + 1: positive and far below 2^32 slots.
  if (row.label <= 0 || row.label >= std::numeric_limits<std::uint32_t>::max()) return;
  std::size_t slot = 0;
  if (const auto existing = slot_of(row.label)) {
    slot = *existing;
  } else {
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = entries_.size();
      entries_.emplace_back();
    }
    const auto at = static_cast<std::size_t>(row.label);
    if (at >= slot_by_label_.size()) {
      slot_by_label_.resize(std::max(at + 1, slot_by_label_.size() * 3 / 2));
    }
    slot_by_label_[at] = static_cast<std::uint32_t>(slot + 1);
    ++live_;
  }
  CatalogEntry& e = entries_[slot];
  const CatalogEntry before = e.label == row.label ? e : CatalogEntry{};  // label 0: new here
  e.label = row.label;
  e.id = row.id;
  e.generated = row.kind == "generated";
  e.indexed = row.index_state == IndexState::kIndexed;
  e.review = row.review_state;
  e.channel = terms_.intern(row.channel);
  e.objective = terms_.intern(row.objective);
  e.audience = terms_.intern(row.audience);
  e.campaign = terms_.intern(row.campaign_id.value_or(""));
  constexpr TimeMs kMsPerDay = 86'400'000;
  e.day = parse_iso_day(row.date).value_or(static_cast<std::int32_t>(row.created_at / kMsPerDay));
  e.tags.clear();
  for (const auto& t : row.tags) e.tags.push_back(terms_.intern(t));
  std::sort(e.tags.begin(), e.tags.end());
  e.near_duplicate_of = row.near_duplicate_of;
  e.kpis = merge_kpi_periods(row.kpis, terms_);
  // Post the terms this entry did not have (a changed or new entry).
  const auto post_if_new = [&](PostingField f, Term was, Term now) {
    if (before.label == 0 || was != now) post(f, now, e.label);
  };
  post_if_new(PostingField::kChannel, before.channel, e.channel);
  post_if_new(PostingField::kObjective, before.objective, e.objective);
  post_if_new(PostingField::kAudience, before.audience, e.audience);
  post_if_new(PostingField::kCampaign, before.campaign, e.campaign);
  for (const Term t : e.tags) {
    if (before.label == 0 || !std::binary_search(before.tags.begin(), before.tags.end(), t)) {
      post(PostingField::kTag, t, e.label);
    }
  }
}

Status Catalog::refresh(AssetStore& store, const RequestContext& ctx) {
  {
    std::shared_lock lock(mu_);
    if (rev_ >= 0) {
      ADLOOM_ASSIGN(std::int64_t current, store.library_rev(ctx));
      if (current == rev_) return Status::ok();
    }
  }
  std::unique_lock lock(mu_);
  ADLOOM_ASSIGN(CatalogChanges changes,
                store.catalog_changes(ctx, std::max<std::int64_t>(rev_, 0)));
  if (changes.rev <= rev_) return Status::ok();  // another refresh got there first
  // Deletions first: a label deleted and then reused by a new asset comes back as a row.
  for (std::int64_t label : changes.deleted) erase(label);
  for (const auto& row : changes.rows) apply(row);
  if (rev_ < 0) {
    posted_rebuilt_ = posted_;  // the first load posts each term once: nothing stale yet
  } else {
    maybe_rebuild_postings();
  }
  rev_ = changes.rev;
  return Status::ok();
}

Result<std::shared_ptr<Catalog>> Catalogs::get(const RequestContext& ctx) {
  std::shared_ptr<Catalog> catalog;
  {
    std::lock_guard lock(mu_);
    auto& slot = catalogs_[ctx.workspace_id];
    if (!slot) slot = std::make_shared<Catalog>();
    catalog = slot;
  }
  ADLOOM_TRY(catalog->refresh(store_, ctx));
  return catalog;
}

}  // namespace adloom
