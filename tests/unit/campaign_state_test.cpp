// The campaign lifecycle table and the output-size parser.
#include "core/campaign_state.h"

#include <set>

#include <gtest/gtest.h>

#include "services/campaign_service.h"

namespace adloom {
namespace {

using S = CampaignState;

TEST(CampaignStateTest, NamesRoundTrip) {
  ASSERT_EQ(all_campaign_states().size(), 7U);
  for (const auto s : all_campaign_states()) {
    EXPECT_EQ(parse_campaign_state(campaign_state_name(s)), s);
  }
  EXPECT_EQ(campaign_state_name(S::kInReview), "in_review");
  EXPECT_EQ(parse_campaign_state("in review"), std::nullopt);
  EXPECT_EQ(parse_campaign_state(""), std::nullopt);
}

TEST(CampaignStateTest, OnlyTheDocumentedMovesAreLegal) {
  const std::set<std::pair<S, S>> legal = {
      {S::kDraft, S::kGenerating},  {S::kDraft, S::kArchived},    {S::kGenerating, S::kInReview},
      {S::kGenerating, S::kDraft},  {S::kInReview, S::kApproved}, {S::kInReview, S::kGenerating},
      {S::kInReview, S::kDraft},    {S::kInReview, S::kArchived}, {S::kApproved, S::kGenerating},
      {S::kApproved, S::kLive},     {S::kApproved, S::kArchived}, {S::kLive, S::kCompleted},
      {S::kCompleted, S::kArchived}};
  for (const auto from : all_campaign_states()) {
    for (const auto to : all_campaign_states()) {
      EXPECT_EQ(can_move(from, to), legal.count({from, to}) > 0)
          << campaign_state_name(from) << " → " << campaign_state_name(to);
    }
  }
}

TEST(CampaignStateTest, PeopleMakeOnlyTheManualMoves) {
  const auto names = [](const std::vector<S>& states) {
    std::vector<std::string> out;
    for (const auto s : states) out.emplace_back(campaign_state_name(s));
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(manual_moves(S::kDraft)), V{"archived"});
  EXPECT_EQ(names(manual_moves(S::kGenerating)), V{"draft"});
  EXPECT_EQ(names(manual_moves(S::kInReview)), (V{"draft", "archived"}));
  EXPECT_EQ(names(manual_moves(S::kApproved)), (V{"live", "archived"}));
  EXPECT_EQ(names(manual_moves(S::kLive)), V{"completed"});
  EXPECT_EQ(names(manual_moves(S::kCompleted)), V{"archived"});
  EXPECT_EQ(names(manual_moves(S::kArchived)), V{});
  // Legal, but the system's to make.
  EXPECT_TRUE(can_move(S::kDraft, S::kGenerating));
  EXPECT_FALSE(is_manual_move(S::kDraft, S::kGenerating));
  EXPECT_FALSE(is_manual_move(S::kInReview, S::kApproved));
}

TEST(CampaignStateTest, FormatsParseAsWidthByHeightWithinLimits) {
  EXPECT_EQ(parse_format("1080x1080").value(), std::make_pair(1080, 1080));
  EXPECT_EQ(parse_format("1200 X 628").value(), std::make_pair(1200, 628));
  EXPECT_EQ(parse_format("1080×1920").value(), std::make_pair(1080, 1920));
  EXPECT_EQ(parse_format("64x4096").value(), std::make_pair(64, 4096));
  for (const char* bad : {"", "1080", "x1080", "1080x", "63x100", "100x4097", "10a0x100",
                          "1080x1080x3", "-100x100", "999999x1"}) {
    auto r = parse_format(bad);
    ASSERT_FALSE(r.is_ok()) << bad;
    EXPECT_NE(r.status().message().find("WIDTHxHEIGHT"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace adloom
