// Every SIMD inner-product kernel this CPU runs against a double-precision sum, and the
// HNSW storage that uses it against FAISS's own flat index.
#include "search/embedded/inner_product.h"

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include <faiss/impl/DistanceComputer.h>
#include <gtest/gtest.h>

namespace adloom {
namespace {

std::vector<float> random_vector(std::mt19937& rng, std::size_t d) {
  std::normal_distribution<float> normal;
  std::vector<float> v(d);
  for (float& x : v) x = normal(rng);
  return v;
}

double reference(const std::vector<float>& a, const std::vector<float>& b, std::size_t offset,
                 std::size_t d) {
  double s = 0;
  for (std::size_t i = 0; i < d; ++i) {
    s += static_cast<double>(a[offset + i]) * static_cast<double>(b[offset + i]);
  }
  return s;
}

TEST(InnerProductTest, EveryKernelMatchesADoubleSumForEveryLengthAndAlignment) {
  std::mt19937 rng(7);
  const auto kernels = inner_product_kernels();
  ASSERT_FALSE(kernels.empty());
  EXPECT_STREQ(kernels.front().name, inner_product_kernel());
  EXPECT_STREQ(kernels.back().name, "scalar");
  std::vector<std::size_t> lengths;
  for (std::size_t d = 0; d <= 80; ++d) lengths.push_back(d);
  for (std::size_t d : {127U, 128U, 129U, 384U, 512U, 1023U, 1024U, 1536U}) lengths.push_back(d);
  for (const auto& k : kernels) {
    for (std::size_t d : lengths) {
      for (std::size_t offset : {0U, 1U, 3U}) {  // unaligned starts
        auto a = random_vector(rng, d + offset);
        auto b = random_vector(rng, d + offset);
        const double want = reference(a, b, offset, d);
        const float got = k.fn(a.data() + offset, b.data() + offset, d);
        // Float sums of d products of N(0,1) numbers: rounding grows with sqrt(d).
        EXPECT_NEAR(got, want, 1e-5 * (1.0 + std::sqrt(static_cast<double>(d)) * 4.0))
            << k.name << " d=" << d << " offset=" << offset;
      }
    }
  }
  EXPECT_EQ(inner_product(nullptr, nullptr, 0), 0.0F);
}

TEST(InnerProductTest, FastFlatIpScoresAsFaissFlatIpAndAdoptsItsVectors) {
  std::mt19937 rng(11);
  constexpr int kDim = 100;
  constexpr int kCount = 50;
  faiss::IndexFlatIP plain(kDim);
  std::vector<float> all;
  for (int i = 0; i < kCount; ++i) {
    auto v = random_vector(rng, kDim);
    all.insert(all.end(), v.begin(), v.end());
  }
  plain.add(kCount, all.data());
  const auto query = random_vector(rng, kDim);

  std::unique_ptr<faiss::FlatCodesDistanceComputer> slow(plain.get_FlatCodesDistanceComputer());
  slow->set_query(query.data());
  std::vector<float> want;
  for (int i = 0; i < kCount; ++i) want.push_back((*slow)(i));
  const float want_sym = slow->symmetric_dis(3, 17);

  std::unique_ptr<FastFlatIP> fast(adopt_flat_ip(plain));
  EXPECT_EQ(plain.ntotal, 0);
  EXPECT_TRUE(plain.codes.empty());
  ASSERT_EQ(fast->ntotal, kCount);
  std::unique_ptr<faiss::FlatCodesDistanceComputer> dc(fast->get_FlatCodesDistanceComputer());
  dc->set_query(query.data());
  for (int i = 0; i < kCount; ++i) EXPECT_NEAR((*dc)(i), want[i], 1e-4) << i;
  EXPECT_NEAR(dc->symmetric_dis(3, 17), want_sym, 1e-4);
}

}  // namespace
}  // namespace adloom
