#include "core/campaign_state.h"

#include <algorithm>
#include <array>
#include <utility>

namespace adloom {
namespace {

using S = CampaignState;

constexpr std::array<std::pair<S, S>, 13> kMoves = {{
    {S::kDraft, S::kGenerating},
    {S::kDraft, S::kArchived},
    {S::kGenerating, S::kInReview},
    {S::kGenerating, S::kDraft},
    {S::kInReview, S::kApproved},
    {S::kInReview, S::kGenerating},
    {S::kInReview, S::kDraft},
    {S::kInReview, S::kArchived},
    {S::kApproved, S::kGenerating},
    {S::kApproved, S::kLive},
    {S::kApproved, S::kArchived},
    {S::kLive, S::kCompleted},
    {S::kCompleted, S::kArchived},
}};

}  // namespace

std::string_view campaign_state_name(CampaignState state) {
  switch (state) {
    case S::kDraft: return "draft";
    case S::kGenerating: return "generating";
    case S::kInReview: return "in_review";
    case S::kApproved: return "approved";
    case S::kLive: return "live";
    case S::kCompleted: return "completed";
    case S::kArchived: return "archived";
  }
  return "draft";
}

const std::vector<CampaignState>& all_campaign_states() {
  static const std::vector<CampaignState> kAll = {
      S::kDraft, S::kGenerating, S::kInReview, S::kApproved, S::kLive, S::kCompleted, S::kArchived};
  return kAll;
}

std::optional<CampaignState> parse_campaign_state(std::string_view name) {
  for (const auto s : all_campaign_states()) {
    if (campaign_state_name(s) == name) return s;
  }
  return std::nullopt;
}

std::string campaign_state_list(const std::vector<CampaignState>& states) {
  std::string out;
  for (const auto s : states) {
    out += (out.empty() ? "" : ", ") + std::string(campaign_state_name(s));
  }
  return out.empty() ? "none" : out;
}

bool can_move(CampaignState from, CampaignState to) {
  return std::find(kMoves.begin(), kMoves.end(), std::make_pair(from, to)) != kMoves.end();
}

bool is_manual_move(CampaignState from, CampaignState to) {
  const bool manual = to == S::kLive || to == S::kCompleted || to == S::kArchived ||
                      (to == S::kDraft && (from == S::kInReview || from == S::kGenerating));
  return manual && can_move(from, to);
}

std::vector<CampaignState> manual_moves(CampaignState from) {
  std::vector<CampaignState> out;
  for (const auto to : all_campaign_states()) {
    if (is_manual_move(from, to)) out.push_back(to);
  }
  return out;
}

}  // namespace adloom
