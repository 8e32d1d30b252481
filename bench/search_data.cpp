#include "search_data.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include <faiss/utils/distances.h>
#include <fmt/format.h>

namespace adloom::bench {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** with Box–Muller normals: fast, and the same numbers on every platform
// (std::normal_distribution is implementation-defined).
class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    std::uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL) ^ (index * 0x8cb92ba72f3d8dd7ULL);
    for (auto& w : s_) w = splitmix64(x);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  std::uint32_t below(std::uint32_t bound) {
    return static_cast<std::uint32_t>((next() >> 32) * bound >> 32);
  }

  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
    const double u2 = static_cast<double>(next() >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * M_PI * u2);
    has_spare_ = true;
    return r * std::cos(2.0 * M_PI * u2);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

enum Stream : std::uint64_t { kCentre = 1, kRow = 2, kQuery = 3 };

void normalise(float* v, int dim) {
  double norm = 0;
  for (int j = 0; j < dim; ++j) norm += double{v[j]} * v[j];
  const auto inv = static_cast<float>(1.0 / std::sqrt(std::max(norm, 1e-30)));
  for (int j = 0; j < dim; ++j) v[j] *= inv;
}

// A member of a random cluster: centre + N(0, spread² / dim) per component, normalised;
// then one value per metadata field, drawn independently of the cluster.
void draw_point(Rng& rng, const std::vector<float>& centres, std::size_t clusters, int dim,
                double spread, float* out, std::array<std::uint16_t, kFields>& meta) {
  const std::size_t c = rng.below(static_cast<std::uint32_t>(clusters));
  const float* centre = centres.data() + c * static_cast<std::size_t>(dim);
  const double sigma = spread / std::sqrt(static_cast<double>(dim));
  for (int j = 0; j < dim; ++j) out[j] = centre[j] + static_cast<float>(sigma * rng.normal());
  normalise(out, dim);
  for (int f = 0; f < kFields; ++f) {
    meta[f] = static_cast<std::uint16_t>(rng.below(static_cast<std::uint32_t>(kFieldValues[f])));
  }
}

// Runs fn(i) for i in [0, count) on `threads` threads, in contiguous ranges.
template <typename Fn>
void parallel_for(std::size_t count, int threads, Fn fn) {
  std::vector<std::thread> pool;
  const std::size_t per = (count + threads - 1) / threads;
  for (int t = 0; t < threads; ++t) {
    const std::size_t begin = std::min(count, per * t);
    const std::size_t end = std::min(count, begin + per);
    pool.emplace_back([=, &fn] {
      for (std::size_t i = begin; i < end; ++i) fn(i);
    });
  }
  for (auto& t : pool) t.join();
}

}  // namespace

const std::vector<FilterCase>& filter_cases() {
  static const std::vector<FilterCase> cases = {{"100%", Field::kNone, 1},
                                                {"50%", Field::kChannel, kFieldValues[0]},
                                                {"10%", Field::kObjective, kFieldValues[1]},
                                                {"1%", Field::kAudience, kFieldValues[2]},
                                                {"0.1%", Field::kTag, kFieldValues[3]}};
  return cases;
}

const char* field_name(Field f) {
  switch (f) {
    case Field::kChannel: return "channel";
    case Field::kObjective: return "objective";
    case Field::kAudience: return "audience";
    case Field::kTag: return "tag";
    case Field::kNone: break;
  }
  return "none";
}

Dataset make_dataset(const DatasetOptions& o) {
  Dataset ds;
  ds.dim = o.dim;
  ds.n = o.n;
  ds.nq = o.queries;
  ds.clusters = std::max<std::size_t>(1, o.n / 100);
  const auto d = static_cast<std::size_t>(o.dim);

  std::vector<float> centres(ds.clusters * d);
  parallel_for(ds.clusters, o.threads, [&](std::size_t c) {
    Rng rng(o.seed, kCentre, c);
    float* v = centres.data() + c * d;
    for (std::size_t j = 0; j < d; ++j) v[j] = static_cast<float>(rng.normal());
    normalise(v, o.dim);
  });

  ds.base.resize(ds.n * d);
  ds.queries.resize(ds.nq * d);
  for (int f = 0; f < kFields; ++f) {
    ds.values[f].resize(ds.n);
    ds.query_values[f].resize(ds.nq);
  }
  parallel_for(ds.n, o.threads, [&](std::size_t i) {
    Rng rng(o.seed, kRow, i);
    std::array<std::uint16_t, kFields> meta{};
    draw_point(rng, centres, ds.clusters, o.dim, o.spread, ds.base.data() + i * d, meta);
    for (int f = 0; f < kFields; ++f) ds.values[f][i] = meta[f];
  });
  parallel_for(ds.nq, o.threads, [&](std::size_t q) {
    Rng rng(o.seed, kQuery, q);
    std::array<std::uint16_t, kFields> meta{};  // the value each filtered run selects
    draw_point(rng, centres, ds.clusters, o.dim, o.spread, ds.queries.data() + q * d, meta);
    for (int f = 0; f < kFields; ++f) ds.query_values[f][q] = meta[f];
  });
  return ds;
}

std::string Filter::value_name() const {
  static constexpr char kPrefix[kFields] = {'c', 'o', 'a', 't'};
  if (field == Field::kNone) return "";
  return fmt::format("{}{}", kPrefix[static_cast<int>(field)], value);
}

std::string Filter::json() const {
  if (field == Field::kNone) return "";
  if (field == Field::kTag) return fmt::format(R"({{"tags":["{}"]}})", value_name());
  return fmt::format(R"({{"{}":"{}"}})", field_name(field), value_name());
}

Filter query_filter(const Dataset& ds, const FilterCase& c, std::size_t q) {
  if (c.field == Field::kNone) return {};
  return {c.field, ds.query_values[static_cast<int>(c.field)][q]};
}

std::vector<std::int64_t> exact_top_k(const Dataset& ds, const float* query, const Filter& filter,
                                      int k, std::vector<float>* scores) {
  // best[0..size) sorted best first; a candidate enters when it beats the last.
  std::vector<std::pair<float, std::int64_t>> best;
  best.reserve(static_cast<std::size_t>(k) + 1);
  const auto d = static_cast<std::size_t>(ds.dim);
  for (std::size_t i = 0; i < ds.n; ++i) {
    if (!filter.admits(ds, i)) continue;
    const float s = faiss::fvec_inner_product(query, ds.row(i), d);
    if (best.size() == static_cast<std::size_t>(k) && s <= best.back().first) continue;
    // Rows come in label order, so among equal scores the earlier one stays ahead.
    const auto pos = std::upper_bound(best.begin(), best.end(), s,
                                      [](float v, const auto& e) { return v > e.first; });
    best.insert(pos, {s, static_cast<std::int64_t>(i + 1)});
    if (best.size() > static_cast<std::size_t>(k)) best.pop_back();
  }
  std::vector<std::int64_t> labels;
  if (scores != nullptr) scores->clear();
  for (const auto& [s, label] : best) {
    labels.push_back(label);
    if (scores != nullptr) scores->push_back(s);
  }
  return labels;
}

double recall(const std::vector<std::int64_t>& found, const std::vector<std::int64_t>& truth) {
  if (truth.empty()) return 1.0;
  std::size_t hit = 0;
  for (const std::int64_t t : truth) {
    if (std::find(found.begin(), found.end(), t) != found.end()) ++hit;
  }
  return static_cast<double>(hit) / static_cast<double>(truth.size());
}

}  // namespace adloom::bench
