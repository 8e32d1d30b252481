// Inner-product kernels, dispatched once on the CPU's features (see the header).
#include "search/embedded/inner_product.h"

#include <cstdint>
#include <immintrin.h>

#include <faiss/impl/DistanceComputer.h>

namespace adloom {
namespace {

using Kernel = float (*)(const float*, const float*, std::size_t);

float ip_scalar(const float* a, const float* b, std::size_t d) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= d; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < d; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

__attribute__((target("avx2,fma"))) float ip_avx2(const float* a, const float* b, std::size_t d) {
  __m256 s0 = _mm256_setzero_ps();
  __m256 s1 = _mm256_setzero_ps();
  __m256 s2 = _mm256_setzero_ps();
  __m256 s3 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= d; i += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
  }
  for (; i + 8 <= d; i += 8) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  }
  __m256 s = _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_movehdup_ps(h));
  float sum = _mm_cvtss_f32(h);
  for (; i < d; ++i) sum += a[i] * b[i];
  return sum;
}

__attribute__((target("avx512f"))) float ip_avx512(const float* a, const float* b, std::size_t d) {
  __m512 s0 = _mm512_setzero_ps();
  __m512 s1 = _mm512_setzero_ps();
  __m512 s2 = _mm512_setzero_ps();
  __m512 s3 = _mm512_setzero_ps();
  std::size_t i = 0;
  for (; i + 64 <= d; i += 64) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
    s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), s2);
    s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), s3);
  }
  for (; i + 16 <= d; i += 16) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
  }
  if (i < d) {  // the last 1..15 components, masked
    const auto mask = static_cast<__mmask16>((1U << (d - i)) - 1U);
    s1 =
        _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), s1);
  }
  // Halves added down to one lane, through memory: GCC 12's 512-bit reduce and extract
  // intrinsics trip -Wuninitialized (their _mm256_undefined_pd).
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
  const __m256 q = _mm256_add_ps(_mm256_load_ps(lanes), _mm256_load_ps(lanes + 8));
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(q), _mm256_extractf128_ps(q, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_movehdup_ps(h));
  return _mm_cvtss_f32(h);
}

std::vector<InnerProductKernel> runnable_kernels() {
  __builtin_cpu_init();
  std::vector<InnerProductKernel> out;
  if (__builtin_cpu_supports("avx512f")) out.push_back({"avx512", ip_avx512});
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    out.push_back({"avx2", ip_avx2});
  }
  out.push_back({"scalar", ip_scalar});
  return out;
}

const InnerProductKernel& kernel() {
  static const InnerProductKernel kPicked = runnable_kernels().front();
  return kPicked;
}

// FAISS's FlatIPDis with our kernel: HNSW negates these for its min-heaps.
class FastIpComputer final : public faiss::FlatCodesDistanceComputer {
 public:
  explicit FastIpComputer(const FastFlatIP& index)
      : faiss::FlatCodesDistanceComputer(index.codes.data(), index.code_size),
        base_(index.get_xb()),
        d_(static_cast<std::size_t>(index.d)),
        ip_(kernel().fn) {}

  void set_query(const float* x) override { query_ = x; }
  float distance_to_code(const std::uint8_t* code) override {
    return ip_(query_, reinterpret_cast<const float*>(code), d_);
  }
  float symmetric_dis(idx_t i, idx_t j) override {
    return ip_(base_ + (static_cast<std::size_t>(i) * d_),
               base_ + (static_cast<std::size_t>(j) * d_), d_);
  }

 private:
  const float* base_;
  std::size_t d_;
  Kernel ip_;
  const float* query_ = nullptr;
};

}  // namespace

float inner_product(const float* a, const float* b, std::size_t d) {
  return kernel().fn(a, b, d);
}

const char* inner_product_kernel() {
  return kernel().name;
}

std::vector<InnerProductKernel> inner_product_kernels() {
  return runnable_kernels();
}

faiss::FlatCodesDistanceComputer* FastFlatIP::get_FlatCodesDistanceComputer() const {
  return new FastIpComputer(*this);
}

FastFlatIP* adopt_flat_ip(faiss::IndexFlat& flat) {
  auto* fast = new FastFlatIP(flat.d);
  fast->codes.swap(flat.codes);
  fast->ntotal = flat.ntotal;
  flat.ntotal = 0;
  return fast;
}

}  // namespace adloom
