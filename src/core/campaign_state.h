// A campaign's lifecycle: draft → generating → in_review → approved → live → completed →
// archived. Past campaigns imported into the library are "completed". Which moves are
// legal is decided here, once; who may make them (a person through the API, or the system
// when images are generated and reviewed) too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace adloom {

enum class CampaignState {
  kDraft,
  kGenerating,
  kInReview,
  kApproved,
  kLive,
  kCompleted,
  kArchived
};

std::string_view campaign_state_name(CampaignState state);  // "draft", "in_review", …
std::optional<CampaignState> parse_campaign_state(std::string_view name);
// "draft, in_review, approved"; "none" for no states (for messages).
std::string campaign_state_list(const std::vector<CampaignState>& states);
const std::vector<CampaignState>& all_campaign_states();

// Every legal move:
//   draft      → generating, archived
//   generating → in_review (images are ready), draft (generation failed or was stopped)
//   in_review  → approved (the reviewer finished with an approved image), generating
//                (more images), draft (back to the prompt), archived
//   approved   → generating (more images), live, archived
//   live       → completed
//   completed  → archived
//   archived   → nothing
bool can_move(CampaignState from, CampaignState to);

// The legal moves a person may ask for (POST …/state): live, completed, archived, and
// back to draft from in_review or generating (to stop waiting for a generation that was
// cancelled or failed for good; images it still makes go to the review queue). The others
// happen as work is done: generating when a generation starts, in_review when its images
// are ready (draft if none could be made), approved when the review finishes.
bool is_manual_move(CampaignState from, CampaignState to);
std::vector<CampaignState> manual_moves(CampaignState from);

}  // namespace adloom
