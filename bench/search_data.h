// The synthetic library of adloom_bench_search: clustered unit vectors with metadata, the
// queries, the filters of each selectivity, and exact (brute force) top-k.
//
// Vectors: C = max(1, n / 100) cluster centres uniform on the unit sphere; each vector is
// a random centre plus Gaussian noise of norm ≈ spread, L2-normalised. Queries are
// further draws from the same distribution (not library members). Metadata is drawn
// independently of the clusters: a filter keeps a random subset of every cluster, the
// hard case for a filtered graph walk. Everything comes from per-row seeded generators,
// so the data does not depend on the number of threads that made it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace adloom::bench {

// The filterable fields, each with one value per vector (tags: exactly one tag).
enum class Field { kNone = -1, kChannel = 0, kObjective = 1, kAudience = 2, kTag = 3 };
constexpr int kFields = 4;
// How many values each field takes, uniformly: a filter on one keeps 1 / values.
constexpr std::array<int, kFields> kFieldValues = {2, 10, 100, 1000};

// One row of the report: no filter, or a filter on one value of a field.
struct FilterCase {
  const char* name;  // "50%"
  Field field;
  int values;  // how many values the field takes: selectivity 1 / values
};
// 100% (none), 50% (channel of 2), 10% (objective of 10), 1% (audience of 100),
// 0.1% (tag of 1000).
const std::vector<FilterCase>& filter_cases();
const char* field_name(Field f);  // "channel", "objective", "audience", "tag"

struct Dataset {
  int dim = 0;
  std::size_t n = 0;
  std::size_t nq = 0;
  std::size_t clusters = 0;
  std::vector<float> base;     // n × dim; row i has label i + 1
  std::vector<float> queries;  // nq × dim
  // Per field: the value of every row, and the value each query's filtered run selects.
  std::array<std::vector<std::uint16_t>, kFields> values;
  std::array<std::vector<std::uint16_t>, kFields> query_values;

  const float* row(std::size_t i) const { return base.data() + i * static_cast<std::size_t>(dim); }
  const float* query(std::size_t q) const {
    return queries.data() + q * static_cast<std::size_t>(dim);
  }
};

struct DatasetOptions {
  std::size_t n = 100'000;
  int dim = 1024;
  std::size_t queries = 200;
  double spread = 0.8;  // noise norm relative to the (unit) centre
  std::uint64_t seed = 1;
  int threads = 2;
};

Dataset make_dataset(const DatasetOptions& options);

// "Field = value", or admit everything (field kNone).
struct Filter {
  Field field = Field::kNone;
  std::uint16_t value = 0;

  bool admits(const Dataset& ds, std::size_t row) const {
    return field == Field::kNone || ds.values[static_cast<int>(field)][row] == value;
  }
  // The value as stored in the asset's column: "c1", "o3", "a42", "t123".
  std::string value_name() const;
  // The "filters" object of an /api/v1/search request ("" for none).
  std::string json() const;
};

// The filter query q runs under for this case.
Filter query_filter(const Dataset& ds, const FilterCase& c, std::size_t q);

// Exact top-k by inner product over the rows the filter admits, one thread: labels
// (row + 1), best first; equal scores rank the lower label first. `scores`, when given,
// receives their inner products.
std::vector<std::int64_t> exact_top_k(const Dataset& ds, const float* query, const Filter& filter,
                                      int k, std::vector<float>* scores = nullptr);

// |found ∩ truth| / |truth| (1 when truth is empty).
double recall(const std::vector<std::int64_t>& found, const std::vector<std::int64_t>& truth);

}  // namespace adloom::bench
