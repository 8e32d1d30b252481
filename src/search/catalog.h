// Catalog: what search needs to know of every asset of one workspace, in memory, so
// filters can run inside the vector walk and the text scan (a few nanoseconds per
// candidate) and ranking can read KPIs without a query per hit.
//
// The metadata store is the source of truth. The catalog refreshes itself from
// AssetStore::catalog_changes whenever the workspace's library revision moved (one cheap
// read per search), whichever process wrote the change; rows are replaced whole.
//
// Thread safety: refresh() takes the catalog exclusively; readers hold a Catalog::Reader
// (a shared lock) for as long as they use entries.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "search/kpi_evidence.h"
#include "search/terms.h"
#include "store/asset_store.h"

namespace adloom {

struct CatalogEntry {
  std::int64_t label = 0;
  AssetId id;
  bool generated = false;
  bool indexed = false;
  ReviewState review = ReviewState::kNone;
  Term channel = 0;
  Term objective = 0;
  Term audience = 0;
  Term campaign = 0;
  std::int32_t day = 0;    // days since 1970 of its start date, else of its creation
  std::vector<Term> tags;  // sorted
  std::optional<AssetId> near_duplicate_of;
  KpiSet kpis;
};

// The fields a catalog keeps postings for (Catalog::Reader::posting).
enum class PostingField { kChannel, kObjective, kAudience, kCampaign, kTag };
inline constexpr std::size_t kPostingFields = 5;

class Catalog {
 public:
  // Consistent read access; keep it only for the duration of one search.
  class Reader {
   public:
    explicit Reader(const Catalog& c) : c_(c), lock_(c.mu_) {}
    // nullptr for a label the catalog does not hold.
    const CatalogEntry* find(std::int64_t label) const;
    // Every live entry, in no particular order.
    template <typename Fn>
    void for_each(Fn&& fn) const {
      for (const auto& e : c_.entries_) {
        if (e.label != 0) fn(e);
      }
    }
    std::size_t size() const { return c_.live_; }
    // Live entries for uniform sampling: entry(i) for i < slots() may be dead (label 0).
    std::size_t slots() const { return c_.entries_.size(); }
    const CatalogEntry& slot(std::size_t i) const { return c_.entries_[i]; }
    const TermTable& terms() const { return c_.terms_; }
    std::int64_t rev() const { return c_.rev_; }
    // Labels of the entries that have, or had, `term` (not 0) in `field`, possibly
    // repeated: a superset of the live entries with that term, so a caller checks each
    // label with find() and the filter. nullptr when there are none. Lets a selective
    // filter list its candidates without a sweep of every entry.
    const std::vector<std::int64_t>* posting(PostingField field, Term term) const;

   private:
    const Catalog& c_;
    std::shared_lock<std::shared_mutex> lock_;
  };

  // Brings the catalog up to the store's revision for `ctx.workspace_id` (nothing to do
  // when it has not moved). Errors are the store's.
  Status refresh(AssetStore& store, const RequestContext& ctx);

 private:
  void apply(const CatalogRow& row);
  void erase(std::int64_t label);
  void post(PostingField field, Term term, std::int64_t label);
  // Postings are appended to as entries change and never trimmed; once they hold more
  // than twice the labels of their last rebuild (and 1024), they are rebuilt from entries.
  void maybe_rebuild_postings();

  mutable std::shared_mutex mu_;
  std::int64_t rev_ = -1;  // never loaded
  std::vector<CatalogEntry> entries_;
  std::vector<std::size_t> free_slots_;
  // Slot + 1 by label (0: none). Labels are small positive integers handed out in order
  // across the install (max + 1), so a flat array beats a hash map in the filter's hot
  // path: 4 bytes per label up to the largest one seen.
  std::vector<std::uint32_t> slot_by_label_;
  std::size_t live_ = 0;
  // The slot of `label`, or nullopt.
  std::optional<std::size_t> slot_of(std::int64_t label) const;
  TermTable terms_;
  std::array<std::unordered_map<Term, std::vector<std::int64_t>>, kPostingFields> postings_;
  std::size_t posted_ = 0;          // labels held in all postings
  std::size_t posted_rebuilt_ = 0;  // … right after the last rebuild
};

// One Catalog per workspace, created on first use.
class Catalogs {
 public:
  explicit Catalogs(AssetStore& store) : store_(store) {}
  // The workspace's catalog, refreshed.
  Result<std::shared_ptr<Catalog>> get(const RequestContext& ctx);

 private:
  AssetStore& store_;
  std::mutex mu_;
  std::unordered_map<WorkspaceId, std::shared_ptr<Catalog>> catalogs_;
};

// Days since 1970-01-01 of an ISO date "YYYY-MM-DD" (a longer timestamp is cut to its
// date); nullopt when it is not one.
std::optional<std::int32_t> parse_iso_day(std::string_view date);

}  // namespace adloom
