// SearchFilter: what a search may return, checked per candidate against the in-memory
// catalog, inside the vector walk and the text scan (never on the results afterwards).
// Each present member must hold; within a list, any value may match (channels,
// objectives, audiences, campaigns, review states), except tags, which must all be there.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "search/catalog.h"

namespace adloom {

struct KpiMinimum {
  std::string metric;  // a rate (ctr …) is compared as a fraction: 0.02 is 2 %
  double min = 0;
};

struct SearchFilter {
  std::vector<std::string> channels;
  std::vector<std::string> objectives;
  std::vector<std::string> audiences;
  std::vector<CampaignId> campaigns;
  std::vector<std::string> tags;
  std::optional<std::string> kind;  // "uploaded" | "generated"
  std::vector<ReviewState> review;
  std::optional<std::string> date_from;  // ISO dates, inclusive, on the asset's start date
  std::optional<std::string> date_to;    // (else its campaign's, else its upload day)
  std::vector<KpiMinimum> min_kpis;

  bool empty() const;
};

// A SearchFilter resolved against one catalog's terms. Names no asset uses make it admit
// nothing (a filter on an unknown channel finds nothing, not everything).
class CompiledFilter {
 public:
  // kInvalidArgument for a malformed date or kind.
  static Result<CompiledFilter> compile(const SearchFilter& filter, const Catalog::Reader& catalog);
  bool admits(const CatalogEntry& e) const;
  // True when every entry passes (an empty filter).
  bool admits_all() const { return admits_all_; }
  // A superset of the admitted labels, from the catalog's postings of the filter's most
  // selective term field (channels, objectives, audiences, campaigns: any of; tags: the
  // rarest), possibly with repeats and with labels no longer admitted: check each with
  // find() and admits(). nullopt when the filter names none of those fields (sweep then).
  std::optional<std::vector<std::int64_t>> listed_labels(const Catalog::Reader& catalog) const;

 private:
  struct Minimum {
    std::optional<Term> metric;
    const RateSpec* rate = nullptr;
    double min = 0;
  };
  bool admits_all_ = true;
  bool nothing_ = false;
  std::vector<Term> channels_, objectives_, audiences_, campaigns_, tags_;
  std::optional<bool> generated_;
  std::vector<ReviewState> review_;
  std::optional<std::int32_t> day_from_, day_to_;
  std::vector<Minimum> minimums_;
  const TermTable* terms_ = nullptr;
};

}  // namespace adloom
