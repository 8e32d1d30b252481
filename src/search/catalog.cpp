#include "search/catalog.h"

#include <algorithm>
#include <chrono>
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
  auto it = c_.slot_of_.find(label);
  return it == c_.slot_of_.end() ? nullptr : &c_.entries_[it->second];
}

void Catalog::erase(std::int64_t label) {
  auto it = slot_of_.find(label);
  if (it == slot_of_.end()) return;
  entries_[it->second] = CatalogEntry{};  // label 0: a free slot
  free_slots_.push_back(it->second);
  slot_of_.erase(it);
}

void Catalog::apply(const CatalogRow& row) {
  std::size_t slot = 0;
  if (auto it = slot_of_.find(row.label); it != slot_of_.end()) {
    slot = it->second;
  } else if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slot_of_.emplace(row.label, slot);
  } else {
    slot = entries_.size();
    entries_.emplace_back();
    slot_of_.emplace(row.label, slot);
  }
  CatalogEntry& e = entries_[slot];
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
