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
    std::size_t size() const { return c_.slot_of_.size(); }
    // Live entries for uniform sampling: entry(i) for i < slots() may be dead (label 0).
    std::size_t slots() const { return c_.entries_.size(); }
    const CatalogEntry& slot(std::size_t i) const { return c_.entries_[i]; }
    const TermTable& terms() const { return c_.terms_; }
    std::int64_t rev() const { return c_.rev_; }

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

  mutable std::shared_mutex mu_;
  std::int64_t rev_ = -1;  // never loaded
  std::vector<CatalogEntry> entries_;
  std::vector<std::size_t> free_slots_;
  std::unordered_map<std::int64_t, std::size_t> slot_of_;
  TermTable terms_;
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
