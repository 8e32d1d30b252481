// A campaign brief: what a marketer writes to start a campaign. Search takes one to find
// references (POST /api/v1/campaigns/recommendations); the campaign workflow keeps it.
#pragma once

#include <string>

namespace adloom {

struct Brief {
  std::string name;
  std::string product;
  std::string description;
  std::string objective;  // awareness, clicks, conversions, engagement, …
  std::string audience;
  std::string channel;
  std::string format;  // e.g. "1080x1080"
  std::string tone;
  std::string call_to_action;
};

// The brief's words, for embedding and keyword search: product, description, audience,
// tone, call to action and name, one per line (empty ones left out).
std::string brief_text(const Brief& brief);

// The KPI a brief's objective is judged by: conversions → conversion_rate; engagement,
// likes, followers → engagement_rate; anything else → ctr.
std::string kpi_for_objective(const std::string& objective);

}  // namespace adloom
