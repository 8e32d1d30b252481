// Inner products of float vectors with the widest SIMD this CPU has, chosen once at start-up.
//
// Why ours and not faiss::fvec_inner_product: Debian builds FAISS for baseline x86-64, where
// that function is a scalar loop (one multiply-add after another, ~3,000 cycles at d = 1024).
// These kernels keep several vector accumulators (AVX-512F, else AVX2 + FMA, else four
// scalar ones), which makes a 1024-d product several times faster; it is what every HNSW
// insertion and search and every exact scan spends its time on.
//
// Results differ from a strictly sequential sum only by float rounding (the additions are
// reordered); callers must not depend on bit-exact equality with another implementation.
#pragma once

#include <cstddef>
#include <vector>

#include <faiss/IndexFlat.h>

namespace adloom {

// Σ a[i]·b[i] for i < d. a and b need no alignment.
float inner_product(const float* a, const float* b, std::size_t d);

// The kernel inner_product uses here: "avx512", "avx2" or "scalar" (for logs and benches).
const char* inner_product_kernel();

// Every kernel this CPU can run, widest first (the first is the one in use): for tests.
struct InnerProductKernel {
  const char* name;
  float (*fn)(const float* a, const float* b, std::size_t d);
};
std::vector<InnerProductKernel> inner_product_kernels();

// IndexFlatIP whose distance computer uses inner_product: the storage of adloom's HNSW
// shards, so graph inserts and walks get the fast kernel. It stores and serialises exactly
// as IndexFlatIP (faiss::write_index writes it as one; see adopt_flat_ip to load it back).
struct FastFlatIP final : faiss::IndexFlatIP {
  explicit FastFlatIP(idx_t d) : faiss::IndexFlatIP(d) {}
  faiss::FlatCodesDistanceComputer* get_FlatCodesDistanceComputer() const override;
};

// A FastFlatIP holding `flat`'s vectors, which it takes (flat is left empty).
// Precondition: flat is inner-product.
FastFlatIP* adopt_flat_ip(faiss::IndexFlat& flat);

}  // namespace adloom
