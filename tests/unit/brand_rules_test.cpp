// The pure rules of brand kits: colour notation and banned-term matching.
#include <gtest/gtest.h>

#include "core/banned_terms.h"
#include "services/brand_service.h"

namespace adloom {
namespace {

TEST(BrandRulesTest, HexColoursNormaliseToUpperCaseSixDigits) {
  EXPECT_EQ(normalise_hex_colour("#1e6fd9"), "#1E6FD9");
  EXPECT_EQ(normalise_hex_colour("1E6FD9"), "#1E6FD9");
  EXPECT_EQ(normalise_hex_colour("#abc"), "#AABBCC");
  EXPECT_EQ(normalise_hex_colour("fff"), "#FFFFFF");
  for (const char* bad : {"", "#", "#12", "#1234", "#12345", "#1234567", "#GG0000", "blue",
                          "rgb(1,2,3)", " #123456", "#123456 "}) {
    EXPECT_EQ(normalise_hex_colour(bad), std::nullopt) << bad;
  }
}

TEST(BrandRulesTest, BannedTermsMatchWholeWordsAndPhrasesIgnoringCase) {
  const std::vector<std::string> banned = {"cheap", "free gift", "guarantee", "#1", "Bäst"};
  EXPECT_EQ(banned_terms_in("Cheap! And a FREE \n gift", banned),
            (std::vector<std::string>{"cheap", "free gift"}));  // white space runs fold
  EXPECT_EQ(banned_terms_in("a Free Gift inside, cheap", banned),
            (std::vector<std::string>{"cheap", "free gift"}));
  EXPECT_TRUE(banned_terms_in("the cheapest guarantees", banned).empty());
  EXPECT_TRUE(banned_terms_in("", banned).empty());
  // A term that starts or ends with punctuation matches wherever it appears.
  EXPECT_EQ(banned_terms_in("rated#1 by users", banned), std::vector<std::string>{"#1"});
  // Non-ASCII letters are word characters: no match inside a longer word.
  EXPECT_TRUE(banned_terms_in("Bästa", banned).empty());
  EXPECT_EQ(banned_terms_in("Bäst i test", banned), std::vector<std::string>{"Bäst"});
  // A later occurrence counts when the first is inside a word.
  EXPECT_EQ(banned_terms_in("cheapest, cheap", banned), std::vector<std::string>{"cheap"});
}

}  // namespace
}  // namespace adloom
