#include "core/ids.h"

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>

namespace adloom {
namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr TimeMs kSomeTime = 1'764'292'143'123;  // 2025-11-28

TEST(IdsTest, NewIdHasPrefixAndUlidBody) {
  std::string id = new_id("job", kSomeTime);
  ASSERT_EQ(id.size(), 4u + 26u);
  EXPECT_EQ(id.substr(0, 4), "job_");
  for (char c : id.substr(4)) {
    EXPECT_NE(kCrockford.find(c), std::string_view::npos) << "unexpected char " << c;
  }
  EXPECT_LE(id[4], '7');  // 128 bits in 130: the first char carries 3 bits
  EXPECT_TRUE(is_valid_id(id, "job"));
  EXPECT_TRUE(is_valid_id(new_id("ws", kSomeTime), "ws"));
}

TEST(IdsTest, TimeIsEncodedInTheFirstTenChars) {
  // 48-bit time in the first 10 chars (2 pad bits + 48 = 50 bits = 10 chars).
  EXPECT_EQ(new_id("x", 0).substr(2, 10), "0000000000");
  EXPECT_EQ(new_id("x", 1).substr(2, 10), "0000000001");
  EXPECT_EQ(new_id("x", 32).substr(2, 10), "0000000010");
  EXPECT_EQ(new_id("x", (TimeMs{1} << 48) - 1).substr(2, 10), "7ZZZZZZZZZ");
  // Same time: same 10-char prefix, different random tail.
  std::string a = new_id("x", kSomeTime);
  std::string b = new_id("x", kSomeTime);
  EXPECT_EQ(a.substr(0, 12), b.substr(0, 12));
  EXPECT_NE(a, b);
}

TEST(IdsTest, IsValidIdAcceptsWellFormedIds) {
  EXPECT_TRUE(is_valid_id("job_01ARZ3NDEKTSV4RRFFQ69G5FAV", "job"));
  EXPECT_TRUE(is_valid_id("job_00000000000000000000000000", "job"));
  EXPECT_TRUE(is_valid_id("job_7ZZZZZZZZZZZZZZZZZZZZZZZZZ", "job"));
  EXPECT_TRUE(is_valid_id("ws_01ARZ3NDEKTSV4RRFFQ69G5FAV", "ws"));
}

TEST(IdsTest, IsValidIdRejectsWrongPrefix) {
  const std::string body = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
  EXPECT_FALSE(is_valid_id("ws_" + body, "job"));
  EXPECT_FALSE(is_valid_id("jo_" + body, "job"));
  EXPECT_FALSE(is_valid_id("JOB_" + body, "job"));
  EXPECT_FALSE(is_valid_id("job-" + body, "job"));  // separator must be '_'
  EXPECT_FALSE(is_valid_id("jobx" + body, "job"));
  EXPECT_FALSE(is_valid_id(body, "job"));  // no prefix at all
  EXPECT_FALSE(is_valid_id("xjob_" + body.substr(1), "job"));
}

TEST(IdsTest, IsValidIdRejectsWrongLength) {
  const std::string body = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
  EXPECT_FALSE(is_valid_id("job_" + body.substr(0, 25), "job"));
  EXPECT_FALSE(is_valid_id("job_" + body + "0", "job"));
  EXPECT_FALSE(is_valid_id("job_", "job"));
  EXPECT_FALSE(is_valid_id("", "job"));
}

TEST(IdsTest, IsValidIdRejectsLowercase) {
  EXPECT_FALSE(is_valid_id("job_01arz3ndektsv4rrffq69g5fav", "job"));
  EXPECT_FALSE(is_valid_id("job_01ARZ3NDEKTSV4RRFFQ69G5FAv", "job"));
}

TEST(IdsTest, IsValidIdRejectsLettersCrockfordExcludes) {
  for (char c : std::string("ILOU")) {
    std::string id = "job_01ARZ3NDEKTSV4RRFFQ69G5FA";
    id += c;
    EXPECT_FALSE(is_valid_id(id, "job")) << id;
  }
}

TEST(IdsTest, IsValidIdRejectsOtherCharacters) {
  for (char c : std::string("-_ !/%\0", 7)) {
    std::string id = "job_01ARZ3NDEKTSV4RRFFQ69G5FA";
    id += c;
    EXPECT_FALSE(is_valid_id(id, "job")) << static_cast<int>(c);
  }
}

TEST(IdsTest, IsValidIdRejectsFirstCharAboveSeven) {
  EXPECT_TRUE(is_valid_id("job_71ARZ3NDEKTSV4RRFFQ69G5FAV", "job"));
  for (char c : std::string("89ABZ")) {
    std::string id = "job_";
    id += c;
    id += "ARZ3NDEKTSV4RRFFQ69G5FAV0";
    ASSERT_EQ(id.size(), 30u);
    EXPECT_FALSE(is_valid_id(id, "job")) << id;
  }
}

TEST(IdsTest, IdsFromIncreasingTimesSortIncreasingly) {
  std::vector<TimeMs> times = {0,
                               1,
                               31,
                               32,
                               999,
                               1000,
                               kSomeTime,
                               kSomeTime + 1,
                               kSomeTime + 1000,
                               (TimeMs{1} << 41),
                               (TimeMs{1} << 47),
                               (TimeMs{1} << 48) - 1};
  std::string prev;
  for (TimeMs t : times) {
    // Several ids per time: any id of a later ms sorts after any id of an earlier ms.
    for (int i = 0; i < 20; ++i) {
      std::string id = new_id("job", t);
      if (!prev.empty() && i == 0) {
        EXPECT_LT(prev, id) << "t=" << t;
      }
      if (i == 19) prev = id;
    }
  }
  std::string last_of_earlier;
  for (TimeMs t = kSomeTime; t < kSomeTime + 200; ++t) {
    std::string id = new_id("job", t);
    EXPECT_LT(last_of_earlier, id);
    last_of_earlier = id;
  }
}

TEST(IdsTest, TenThousandIdsAreUnique) {
  std::unordered_set<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    std::string id = new_id("job", kSomeTime);  // same ms: uniqueness from randomness alone
    ASSERT_TRUE(is_valid_id(id, "job")) << id;
    EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
  }
  EXPECT_EQ(ids.size(), 10000u);
}

TEST(IdsTest, RandomHexLengthAndCharset) {
  for (std::size_t bytes : {0u, 1u, 8u, 16u, 33u}) {
    std::string h = random_hex(bytes);
    EXPECT_EQ(h.size(), bytes * 2);
    for (char c : h) {
      EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << "unexpected char " << c;
    }
  }
  EXPECT_NE(random_hex(16), random_hex(16));
}

}  // namespace
}  // namespace adloom
