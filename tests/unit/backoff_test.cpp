#include <algorithm>
#include <cstdint>
#include <random>

#include <gtest/gtest.h>

#include "jobs/job.h"

namespace adloom {
namespace {

// unit_random is drawn from [0, 1): 0 gives the low end of the jitter range, values close to
// 1 the high end. 1.0 itself is out of contract but is clamped, giving exactly the delay.
constexpr double kLow = 0.0;
constexpr double kHigh = 1.0;

TEST(BackoffTest, GrowsExponentially) {
  BackoffPolicy p{1000, 1'000'000};
  EXPECT_EQ(backoff_delay_ms(1, p, kHigh), 1000);
  EXPECT_EQ(backoff_delay_ms(2, p, kHigh), 2000);
  EXPECT_EQ(backoff_delay_ms(3, p, kHigh), 4000);
  EXPECT_EQ(backoff_delay_ms(4, p, kHigh), 8000);
  EXPECT_EQ(backoff_delay_ms(8, p, kHigh), 128000);
  EXPECT_EQ(backoff_delay_ms(1, p, kLow), 500);
  EXPECT_EQ(backoff_delay_ms(2, p, kLow), 1000);
  EXPECT_EQ(backoff_delay_ms(3, p, kLow), 2000);
  EXPECT_EQ(backoff_delay_ms(4, p, kLow), 4000);
  // Midpoint jitter: 3/4 of the delay.
  EXPECT_EQ(backoff_delay_ms(3, p, 0.5), 3000);
}

TEST(BackoffTest, CappedAtMax) {
  BackoffPolicy p{1000, 300000};
  EXPECT_EQ(backoff_delay_ms(9, p, kHigh), 256000);
  EXPECT_EQ(backoff_delay_ms(10, p, kHigh), 300000);  // 512000 capped
  EXPECT_EQ(backoff_delay_ms(11, p, kHigh), 300000);
  EXPECT_EQ(backoff_delay_ms(10, p, kLow), 150000);
  // Huge attempt numbers neither overflow nor exceed the cap.
  for (int attempt : {40, 41, 63, 64, 100, 1000, 1 << 30}) {
    std::int64_t d = backoff_delay_ms(attempt, p, kHigh);
    EXPECT_EQ(d, 300000) << attempt;
    EXPECT_EQ(backoff_delay_ms(attempt, p, kLow), 150000) << attempt;
  }
}

TEST(BackoffTest, MaxBelowBaseCapsTheFirstDelay) {
  BackoffPolicy p{1000, 400};
  EXPECT_EQ(backoff_delay_ms(1, p, kHigh), 400);
  EXPECT_EQ(backoff_delay_ms(1, p, kLow), 200);
}

TEST(BackoffTest, AttemptBelowOneIsTreatedAsFirst) {
  BackoffPolicy p{1000, 300000};
  EXPECT_EQ(backoff_delay_ms(0, p, kHigh), 1000);
  EXPECT_EQ(backoff_delay_ms(-5, p, kHigh), 1000);
}

TEST(BackoffTest, JitterStaysWithinHalfAndFullDelay) {
  BackoffPolicy p{1000, 300000};
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int attempt = 1; attempt <= 15; ++attempt) {
    std::int64_t delay = std::min<std::int64_t>(p.base_ms << (attempt - 1), p.max_ms);
    std::int64_t lo = delay;
    std::int64_t hi = 0;
    for (int i = 0; i < 500; ++i) {
      std::int64_t d = backoff_delay_ms(attempt, p, unit(rng));
      EXPECT_GE(d, delay / 2) << "attempt " << attempt;
      EXPECT_LE(d, delay) << "attempt " << attempt;
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    // The jitter actually spreads over the range (not a constant).
    EXPECT_LT(lo, delay / 2 + delay / 8) << "attempt " << attempt;
    EXPECT_GT(hi, delay - delay / 8) << "attempt " << attempt;
  }
}

TEST(BackoffTest, OutOfRangeRandomIsClamped) {
  BackoffPolicy p{1000, 300000};
  EXPECT_EQ(backoff_delay_ms(1, p, -3.0), 500);
  EXPECT_EQ(backoff_delay_ms(1, p, 7.0), 1000);
}

TEST(BackoffTest, NeverBelowOneMillisecond) {
  EXPECT_EQ(backoff_delay_ms(1, BackoffPolicy{0, 0}, kLow), 1);
  EXPECT_EQ(backoff_delay_ms(1, BackoffPolicy{0, 0}, kHigh), 1);
  EXPECT_EQ(backoff_delay_ms(5, BackoffPolicy{0, 1000}, 0.5), 1);
  EXPECT_EQ(backoff_delay_ms(1, BackoffPolicy{1, 5}, kLow), 1);  // 0.5 ms rounds down, then 1
  for (int attempt = 1; attempt <= 50; ++attempt) {
    for (double u : {0.0, 0.25, 0.5, 0.999}) {
      EXPECT_GE(backoff_delay_ms(attempt, BackoffPolicy{1, 5}, u), 1);
      EXPECT_LE(backoff_delay_ms(attempt, BackoffPolicy{1, 5}, u), 5);
    }
  }
}

}  // namespace
}  // namespace adloom
