#include "core/brief.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace adloom {

std::string brief_text(const Brief& b) {
  std::string text;
  for (const std::string* part :
       {&b.product, &b.description, &b.audience, &b.tone, &b.call_to_action, &b.name}) {
    if (part->empty()) continue;
    if (!text.empty()) text += '\n';
    text += *part;
  }
  return text;
}

std::string kpi_for_objective(const std::string& objective) {
  std::string o = objective;
  std::transform(o.begin(), o.end(), o.begin(), [](unsigned char c) { return std::tolower(c); });
  constexpr std::array<const char*, 4> kConversion = {"conversion", "sales", "leads", "purchase"};
  constexpr std::array<const char*, 5> kEngagement = {"engagement", "likes", "followers", "shares",
                                                      "comments"};
  auto mentions = [&o](const auto& words) {
    return std::any_of(words.begin(), words.end(),
                       [&o](const char* w) { return o.find(w) != std::string::npos; });
  };
  if (mentions(kConversion)) return "conversion_rate";
  if (mentions(kEngagement)) return "engagement_rate";
  return "ctr";
}

}  // namespace adloom
