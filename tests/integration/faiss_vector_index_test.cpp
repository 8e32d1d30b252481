// FaissVectorIndex: recall against brute force, filters inside the walk, tombstones and
// rebuilds, workspace isolation, persistence (including corrupt files), concurrency.
#include "search/embedded/faiss_vector_index.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace adloom {
namespace {

constexpr int kDim = 64;
constexpr int kCount = 2000;
const WorkspaceId kWs = "ws_a";

using Vec = std::vector<float>;

// Fixed-seed random unit vectors.
std::vector<Vec> random_vectors(int count, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<Vec> out(count, Vec(kDim));
  for (Vec& v : out) {
    double s = 0;
    for (float& x : v) {
      x = normal(rng);
      s += double{x} * x;
    }
    for (float& x : v) x = static_cast<float>(x / std::sqrt(s));
  }
  return out;
}

float dot(const Vec& a, const Vec& b) {
  double s = 0;
  for (int i = 0; i < kDim; ++i) s += double{a[i]} * b[i];
  return static_cast<float>(s);
}

std::unique_ptr<FaissVectorIndex> open_index(const std::string& dir,
                                             const FaissVectorIndex::Options& options = {}) {
  auto index = FaissVectorIndex::open(dir, kDim, options);
  EXPECT_TRUE(index.is_ok()) << index.status().to_string();
  return index.is_ok() ? std::move(index).value() : nullptr;
}

void fill(FaissVectorIndex& index, const WorkspaceId& ws, const std::vector<Vec>& vectors,
          std::int64_t first_label = 0) {
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    ASSERT_TRUE(index.upsert(ws, first_label + static_cast<std::int64_t>(i), vectors[i]).is_ok());
  }
}

std::vector<VectorHit> search(FaissVectorIndex& index, const WorkspaceId& ws, const Vec& q, int k,
                              const LabelFilter& filter = nullptr) {
  auto hits = index.search(ws, q, k, filter);
  EXPECT_TRUE(hits.is_ok()) << hits.status().to_string();
  return hits.is_ok() ? std::move(hits).value() : std::vector<VectorHit>{};
}

std::vector<std::int64_t> labels_of(const std::vector<VectorHit>& hits) {
  std::vector<std::int64_t> out;
  for (const VectorHit& h : hits) out.push_back(h.label);
  return out;
}

bool has_duplicates(const std::vector<VectorHit>& hits) {
  std::set<std::int64_t> seen;
  for (const VectorHit& h : hits) {
    if (!seen.insert(h.label).second) return true;
  }
  return false;
}

bool sorted_by_score(const std::vector<VectorHit>& hits) {
  return std::is_sorted(hits.begin(), hits.end(),
                        [](const VectorHit& a, const VectorHit& b) { return a.score > b.score; });
}

class FaissVectorIndexTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
};

TEST_F(FaissVectorIndexTest, StoredVectorIsItsOwnTopHit) {
  auto index = open_index(dir_.str());
  const auto vectors = random_vectors(kCount, 1);
  fill(*index, kWs, vectors);
  EXPECT_EQ(index->size(kWs), static_cast<std::size_t>(kCount));
  for (int label = 0; label < kCount; label += 7) {
    const auto hits = search(*index, kWs, vectors[label], 1);
    ASSERT_EQ(hits.size(), 1U);
    EXPECT_EQ(hits[0].label, label);
    EXPECT_NEAR(hits[0].score, 1.0F, 1e-4);
  }
}

TEST_F(FaissVectorIndexTest, RecallAt10MatchesBruteForce) {
  auto index = open_index(dir_.str());
  const auto vectors = random_vectors(kCount, 2);
  fill(*index, kWs, vectors);
  const auto queries = random_vectors(100, 3);
  double found = 0;
  for (const Vec& q : queries) {
    std::vector<std::pair<float, std::int64_t>> exact;
    for (int i = 0; i < kCount; ++i) exact.emplace_back(-dot(q, vectors[i]), i);
    std::partial_sort(exact.begin(), exact.begin() + 10, exact.end());
    const auto hits = search(*index, kWs, q, 10);
    ASSERT_EQ(hits.size(), 10U);
    EXPECT_TRUE(sorted_by_score(hits));
    for (int i = 0; i < 10; ++i) {
      const auto labels = labels_of(hits);
      found += std::count(labels.begin(), labels.end(), exact[i].second);
    }
  }
  EXPECT_GE(found / (100.0 * 10), 0.95);
}

TEST_F(FaissVectorIndexTest, FilterAppliesInsideTheWalk) {
  auto index = open_index(dir_.str());
  const auto vectors = random_vectors(kCount, 4);
  fill(*index, kWs, vectors);
  const auto queries = random_vectors(50, 5);
  const LabelFilter even = [](std::int64_t l) { return l % 2 == 0; };
  for (const Vec& q : queries) {
    const auto hits = search(*index, kWs, q, 10, even);
    ASSERT_EQ(hits.size(), 10U);
    for (const VectorHit& h : hits) EXPECT_EQ(h.label % 2, 0) << h.label;
  }
  // A stored odd vector is not found even as its own query.
  for (const VectorHit& h : search(*index, kWs, vectors[11], 10, even)) EXPECT_NE(h.label, 11);

  // Very selective (20 of 2000 pass): still k results, through the exact fallback.
  const LabelFilter rare = [](std::int64_t l) { return l % 100 == 0; };
  for (const Vec& q : queries) {
    const auto hits = search(*index, kWs, q, 10, rare);
    ASSERT_EQ(hits.size(), 10U);
    EXPECT_TRUE(sorted_by_score(hits));
    EXPECT_FALSE(has_duplicates(hits));
    for (const VectorHit& h : hits) EXPECT_EQ(h.label % 100, 0) << h.label;
  }
  // Fewer matches than k: all of them.
  const auto three = search(*index, kWs, queries[0], 10, [](std::int64_t l) { return l < 3; });
  EXPECT_EQ(three.size(), 3U);
  EXPECT_TRUE(search(*index, kWs, queries[0], 10, [](std::int64_t) { return false; }).empty());
}

TEST_F(FaissVectorIndexTest, FilterThatThrowsFailsTheSearch) {
  auto index = open_index(dir_.str());
  fill(*index, kWs, random_vectors(100, 6));
  const auto hits = index->search(kWs, random_vectors(1, 7)[0], 5,
                                  [](std::int64_t) -> bool { throw std::runtime_error("boom"); });
  EXPECT_EQ(hits.status().code(), ErrorCode::kInternal);
}

TEST_F(FaissVectorIndexTest, LargeKReturnsKSortedHits) {
  auto index = open_index(dir_.str(), {.ef_search = 16});
  const auto vectors = random_vectors(500, 8);
  fill(*index, kWs, vectors);
  const auto hits = search(*index, kWs, vectors[0], 200);
  ASSERT_EQ(hits.size(), 200U);
  EXPECT_EQ(hits[0].label, 0);
  EXPECT_TRUE(sorted_by_score(hits));
  EXPECT_FALSE(has_duplicates(hits));
  // More than exist: all of them.
  EXPECT_EQ(search(*index, kWs, vectors[0], 1000).size(), 500U);
  EXPECT_TRUE(search(*index, kWs, vectors[0], 0).empty());
  EXPECT_EQ(index->search(kWs, vectors[0], -1, nullptr).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(FaissVectorIndexTest, RemovedLabelsAreNeverReturned) {
  auto index = open_index(dir_.str());
  const auto vectors = random_vectors(kCount, 9);
  fill(*index, kWs, vectors);
  std::set<std::int64_t> removed;
  for (std::int64_t label = 0; label < kCount; label += 20) {
    ASSERT_TRUE(index->remove(kWs, label).is_ok());
    removed.insert(label);
  }
  ASSERT_TRUE(index->remove(kWs, 999'999).is_ok());   // absent
  ASSERT_TRUE(index->remove("ws_other", 1).is_ok());  // no such shard
  EXPECT_EQ(index->size(kWs), kCount - removed.size());
  for (const std::int64_t label : removed) {
    for (const VectorHit& h : search(*index, kWs, vectors[label], 10)) {
      EXPECT_FALSE(removed.contains(h.label)) << h.label;
    }
  }
  // Removing everything empties the shard.
  for (std::int64_t label = 0; label < kCount; ++label)
    ASSERT_TRUE(index->remove(kWs, label).is_ok());
  EXPECT_EQ(index->size(kWs), 0U);
  EXPECT_TRUE(search(*index, kWs, vectors[1], 10).empty());
  // An empty shard persists as such.
  ASSERT_TRUE(index->flush().is_ok());
  index.reset();
  index = open_index(dir_.str());
  EXPECT_FALSE(index->needs_rebuild(kWs));
  EXPECT_EQ(index->size(kWs), 0U);
  ASSERT_TRUE(index->upsert(kWs, 1, vectors[1]).is_ok());
  EXPECT_EQ(search(*index, kWs, vectors[1], 10)[0].label, 1);
}

TEST_F(FaissVectorIndexTest, UpsertReplacesTheVector) {
  auto index = open_index(dir_.str());
  const auto vectors = random_vectors(kCount, 10);
  fill(*index, kWs, vectors);
  const auto replacements = random_vectors(50, 11);
  for (std::int64_t label = 0; label < 50; ++label) {
    ASSERT_TRUE(index->upsert(kWs, label, replacements[label]).is_ok());
  }
  EXPECT_EQ(index->size(kWs), static_cast<std::size_t>(kCount));
  for (std::int64_t label = 0; label < 50; ++label) {
    const auto by_new = search(*index, kWs, replacements[label], 20);
    ASSERT_FALSE(by_new.empty());
    EXPECT_EQ(by_new[0].label, label);
    EXPECT_FALSE(has_duplicates(by_new));
    // The old vector is gone: if the label shows up, it is with its new vector's score.
    for (const VectorHit& h : search(*index, kWs, vectors[label], 20)) {
      if (h.label == label) {
        EXPECT_NEAR(h.score, dot(vectors[label], replacements[label]), 1e-4);
      }
    }
  }
  // Upserting the same label over and over never yields duplicates.
  const auto rounds = random_vectors(5, 25);
  for (int round = 0; round < 30; ++round) {
    ASSERT_TRUE(index->upsert(kWs, 7, rounds[round % 5]).is_ok());
  }
  EXPECT_EQ(index->size(kWs), static_cast<std::size_t>(kCount));
  const auto hits = search(*index, kWs, rounds[29 % 5], 50);
  EXPECT_FALSE(has_duplicates(hits));
  EXPECT_EQ(hits[0].label, 7);
}

TEST_F(FaissVectorIndexTest, WorkspacesAreIsolated) {
  auto index = open_index(dir_.str());
  const auto a = random_vectors(300, 12);
  const auto b = random_vectors(200, 13);
  fill(*index, "ws_a", a, 0);
  fill(*index, "ws_b", b, 10'000);
  EXPECT_EQ(index->size("ws_a"), 300U);
  EXPECT_EQ(index->size("ws_b"), 200U);
  for (int i = 0; i < 300; i += 3) {
    for (const VectorHit& h : search(*index, "ws_b", a[i], 10)) EXPECT_GE(h.label, 10'000);
    for (const VectorHit& h : search(*index, "ws_a", a[i], 10)) EXPECT_LT(h.label, 10'000);
  }
  // The same label in two workspaces is two independent entries.
  ASSERT_TRUE(index->upsert("ws_b", 5, a[5]).is_ok());
  ASSERT_TRUE(index->remove("ws_a", 5).is_ok());
  EXPECT_EQ(search(*index, "ws_b", a[5], 1)[0].label, 5);
  EXPECT_NE(search(*index, "ws_a", a[5], 1)[0].label, 5);
  EXPECT_TRUE(search(*index, "ws_none", a[0], 10).empty());
  EXPECT_EQ(index->size("ws_none"), 0U);

  ASSERT_TRUE(index->clear("ws_a").is_ok());
  EXPECT_EQ(index->size("ws_a"), 0U);
  EXPECT_EQ(index->size("ws_b"), 201U);
}

TEST_F(FaissVectorIndexTest, FlushAndReopenGiveTheSameResults) {
  const auto vectors = random_vectors(kCount, 14);
  const auto queries = random_vectors(50, 15);
  const LabelFilter even = [](std::int64_t l) { return l % 2 == 0; };
  std::vector<std::vector<VectorHit>> before;
  {
    auto index = open_index(dir_.str());
    fill(*index, kWs, vectors);
    fill(*index, "ws_b", random_vectors(10, 16));
    for (std::int64_t label = 0; label < 100; ++label)
      ASSERT_TRUE(index->remove(kWs, label).is_ok());
    ASSERT_TRUE(index->upsert(kWs, 500, queries[0]).is_ok());
    ASSERT_TRUE(index->flush().is_ok());
    ASSERT_TRUE(index->flush().is_ok());  // nothing changed: nothing to do
    for (const Vec& q : queries) before.push_back(search(*index, kWs, q, 10, even));
  }
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "ws_a.faiss"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "ws_a.meta"));
  auto index = open_index(dir_.str());
  EXPECT_FALSE(index->needs_rebuild(kWs));
  EXPECT_EQ(index->size(kWs), static_cast<std::size_t>(kCount - 100));
  EXPECT_EQ(index->size("ws_b"), 10U);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const auto after = search(*index, kWs, queries[i], 10, even);
    ASSERT_EQ(after.size(), before[i].size());
    for (std::size_t j = 0; j < after.size(); ++j) {
      EXPECT_EQ(after[j].label, before[i][j].label);
      EXPECT_FLOAT_EQ(after[j].score, before[i][j].score);
    }
  }
  EXPECT_EQ(search(*index, kWs, queries[0], 1)[0].label, 500);
  // The loaded shard keeps working: tombstones from before the flush still apply.
  ASSERT_TRUE(index->upsert(kWs, 501, queries[1]).is_ok());
  EXPECT_EQ(search(*index, kWs, queries[1], 1)[0].label, 501);
  for (const VectorHit& h : search(*index, kWs, vectors[3], 10)) EXPECT_NE(h.label, 3);
}

TEST_F(FaissVectorIndexTest, TombstoneRebuildKeepsResultsCorrect) {
  auto index = open_index(dir_.str(), {.rebuild_ratio = 0.2});
  auto current = random_vectors(500, 17);
  fill(*index, kWs, current);
  // 300 replacements and 100 removals: several rebuilds along the way.
  const auto replacements = random_vectors(300, 18);
  for (std::int64_t label = 0; label < 300; ++label) {
    ASSERT_TRUE(index->upsert(kWs, label, replacements[label]).is_ok());
    current[label] = replacements[label];
  }
  for (std::int64_t label = 400; label < 500; ++label)
    ASSERT_TRUE(index->remove(kWs, label).is_ok());
  EXPECT_EQ(index->size(kWs), 400U);
  for (std::int64_t label = 0; label < 500; ++label) {
    const auto hits = search(*index, kWs, current[label], 5);
    ASSERT_EQ(hits.size(), 5U);
    EXPECT_FALSE(has_duplicates(hits));
    if (label < 400) {
      EXPECT_EQ(hits[0].label, label);
      EXPECT_NEAR(hits[0].score, 1.0F, 1e-4);
    }
    for (const VectorHit& h : hits) EXPECT_LT(h.label, 400);
  }
  // The rebuilds dropped the tombstones: 900 entries without them, at most 400 / (1 - 0.2)
  // with them. The sidecar holds 9 bytes per entry after a 40-byte header (+ 8 checksum).
  ASSERT_TRUE(index->flush().is_ok());
  const auto meta_bytes = std::filesystem::file_size(dir_.path() / "ws_a.meta");
  EXPECT_LE((meta_bytes - 48) / 9, 500U);
}

// The exact-or-walk cost model at its defaults (ef_search 64, max_filtered_ef 2048): a
// walk of beam ef costs about 24·ef vector reads.
TEST(FaissVectorIndexCostTest, ExactScanWinsForSmallAllowedSets) {
  testing::TempDir dir;
  auto index = open_index(dir.str());
  EXPECT_FALSE(index->prefers_exact(100000, 0.10));  // 1M at 10 %: walk, ef 640
  EXPECT_TRUE(index->prefers_exact(10000, 0.10));    // 100k at 10 %: scan
  EXPECT_TRUE(index->prefers_exact(10000, 0.01));    // 1M at 1 %: scan (ef would be 2048)
  EXPECT_FALSE(index->prefers_exact(500000, 0.5));   // 1M at 50 %: walk, ef 128
  EXPECT_TRUE(index->prefers_exact(3000, 0.5));      // 6k at 50 %: scan
}

TEST_F(FaissVectorIndexTest, WrongDimensionIsInvalid) {
  auto index = open_index(dir_.str());
  const Vec short_vector(kDim - 1, 0.1F);
  const Vec long_vector(kDim + 1, 0.1F);
  EXPECT_EQ(index->upsert(kWs, 1, short_vector).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(index->search(kWs, long_vector, 5, nullptr).status().code(),
            ErrorCode::kInvalidArgument);
  Vec nan_vector(kDim, 0.0F);
  nan_vector[3] = std::nanf("");
  EXPECT_EQ(index->upsert(kWs, 1, nan_vector).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(FaissVectorIndex::open(dir_.str(), 0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(FaissVectorIndex::open(dir_.str(), kDim, {.m = 1}).status().code(),
            ErrorCode::kInvalidArgument);
  // Workspace ids become file names.
  EXPECT_EQ(index->upsert("../escape", 1, random_vectors(1, 19)[0]).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(index->clear("a/b").code(), ErrorCode::kInvalidArgument);

  // A shard of another dimension on disk is reported, not loaded.
  fill(*index, kWs, random_vectors(20, 20));
  ASSERT_TRUE(index->flush().is_ok());
  index.reset();
  auto other = FaissVectorIndex::open(dir_.str(), kDim * 2);
  ASSERT_TRUE(other.is_ok()) << other.status().to_string();
  EXPECT_TRUE((*other)->needs_rebuild(kWs));
  EXPECT_EQ((*other)->size(kWs), 0U);
}

TEST_F(FaissVectorIndexTest, CorruptShardIsReportedForRebuild) {
  const auto vectors = random_vectors(200, 21);
  {
    auto index = open_index(dir_.str());
    fill(*index, kWs, vectors);
    fill(*index, "ws_b", vectors);
    ASSERT_TRUE(index->flush().is_ok());
  }
  {
    // Flip bytes in the middle of ws_a's index file; leave a stray temp file behind.
    std::fstream f(dir_.path() / "ws_a.faiss", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(
        static_cast<std::streamoff>(std::filesystem::file_size(dir_.path() / "ws_a.faiss") / 2));
    f.write("\xde\xad\xbe\xef", 4);
    std::ofstream(dir_.path() / "ws_b.faiss.tmp") << "partial";
  }
  auto index = open_index(dir_.str());
  EXPECT_TRUE(index->needs_rebuild(kWs));
  EXPECT_EQ(index->size(kWs), 0U);
  EXPECT_TRUE(search(*index, kWs, vectors[0], 5).empty());
  EXPECT_FALSE(index->needs_rebuild("ws_b"));
  EXPECT_EQ(index->size("ws_b"), 200U);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "ws_b.faiss.tmp"));

  // The caller's rebuild: clear, upsert from the metadata store, flush.
  ASSERT_TRUE(index->clear(kWs).is_ok());
  EXPECT_FALSE(index->needs_rebuild(kWs));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "ws_a.faiss"));
  fill(*index, kWs, vectors);
  ASSERT_TRUE(index->flush().is_ok());
  index.reset();
  index = open_index(dir_.str());
  EXPECT_FALSE(index->needs_rebuild(kWs));
  EXPECT_EQ(search(*index, kWs, vectors[42], 1)[0].label, 42);

  // A missing half (meta without its index) is also reported.
  std::filesystem::remove(dir_.path() / "ws_b.faiss");
  index.reset();
  index = open_index(dir_.str());
  EXPECT_TRUE(index->needs_rebuild("ws_b"));
  EXPECT_FALSE(index->needs_rebuild(kWs));
}

TEST_F(FaissVectorIndexTest, ConcurrentSearchesWhileUpserting) {
  auto index = open_index(dir_.str());
  const auto vectors = random_vectors(1000, 22);
  fill(*index, kWs, vectors);
  const auto replacements = random_vectors(1000, 23);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const LabelFilter even = [](std::int64_t l) { return l % 2 == 0; };
      for (int i = 0; i < 150; ++i) {
        const Vec& q = vectors[(t * 250 + i) % vectors.size()];
        // Thread 3 uses a large k: the exclusive efSearch path.
        const int k = t == 3 ? 100 : 10;
        auto hits = index->search(kWs, q, k, t % 2 == 0 ? even : nullptr);
        if (!hits.is_ok() || has_duplicates(*hits)) ++failures;
        index->size(kWs);
      }
    });
  }
  threads.emplace_back([&] {
    // Replaces labels 0..499 (some twice), removes 500..559.
    for (int i = 0; i < 600; ++i) {
      const auto label = static_cast<std::int64_t>(i % 500);
      if (!index->upsert(kWs, label, replacements[label]).is_ok()) ++failures;
      if (i % 10 == 0 && !index->remove(kWs, 500 + i / 10).is_ok()) ++failures;
      if (i % 200 == 0 && !index->flush().is_ok()) ++failures;
    }
  });
  threads.emplace_back([&] {
    // Another workspace appears and is cleared while the first is busy.
    for (int i = 0; i < 5; ++i) {
      fill(*index, "ws_b", random_vectors(20, 24));
      if (!index->clear("ws_b").is_ok()) ++failures;
    }
  });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(index->size(kWs), 1000U - 60U);
  EXPECT_EQ(index->size("ws_b"), 0U);
}

}  // namespace
}  // namespace adloom
