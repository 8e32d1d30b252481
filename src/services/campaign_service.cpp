#include "services/campaign_service.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/text.h"
#include "search/catalog.h"

namespace adloom {
namespace {

using Limits = CampaignLimits;

Status need_editor(const RequestContext& ctx, const char* what) {
  if (ctx.has_role(Role::kEditor)) return Status::ok();
  return Status(ErrorCode::kPermissionDenied, std::string(what) + " needs the editor role");
}

// Trimmed; kInvalidArgument for control characters (but newlines in a description) or
// more than `max` characters.
Status clean(std::string& value, const char* field, std::size_t max, bool multiline = false) {
  const auto first = value.find_first_not_of(" \t\r\n");
  const auto last = value.find_last_not_of(" \t\r\n");
  value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    const bool allowed = c >= 0x20 || c == '\t' || (multiline && (c == '\n' || c == '\r'));
    if (!allowed || c == 0x7f) {
      return invalid_argument(fmt::format("{} contains a control character", field));
    }
  }
  if (utf8_length(value) > max) {
    return invalid_argument(fmt::format("{} is longer than {} characters", field, max));
  }
  return Status::ok();
}

Status check_date(const std::string& date, const char* field) {
  if (date.empty() || (date.size() == 10 && parse_iso_day(date))) return Status::ok();
  return invalid_argument(
      fmt::format("{} '{}' is not a date: write it as YYYY-MM-DD, e.g. 2026-06-01", field, date));
}

}  // namespace

Result<std::pair<int, int>> parse_format(const std::string& format) {
  std::string f;
  for (const char c : format) {
    if (c != ' ') f += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const std::string times = "\xc3\x97";  // ×
  if (const auto at = f.find(times); at != std::string::npos) f.replace(at, times.size(), "x");
  const auto x = f.find('x');
  const auto is_number = [](const std::string& s) {
    return !s.empty() && s.size() <= 5 &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(c) != 0; });
  };
  const std::string bad = fmt::format(
      "format '{}' is not a size: write it as WIDTHxHEIGHT in pixels, e.g. 1080x1080, each "
      "side {} to {}",
      format, Limits::kMinSide, Limits::kMaxSide);
  if (x == std::string::npos || !is_number(f.substr(0, x)) || !is_number(f.substr(x + 1))) {
    return invalid_argument(bad);
  }
  const int w = std::stoi(f.substr(0, x));
  const int h = std::stoi(f.substr(x + 1));
  if (w < Limits::kMinSide || w > Limits::kMaxSide || h < Limits::kMinSide ||
      h > Limits::kMaxSide) {
    return invalid_argument(bad);
  }
  return std::make_pair(w, h);
}

Status CampaignService::normalise(const RequestContext& ctx, CampaignDraft& d) {
  CampaignFields& f = d.fields;
  CampaignPlan& p = d.plan;
  ADLOOM_TRY(clean(f.name, "name", Limits::kName));
  if (f.name.empty()) return invalid_argument("a campaign needs a name");
  ADLOOM_TRY(clean(f.description, "description", Limits::kDescription, true));
  ADLOOM_TRY(clean(f.channel, "channel", Limits::kShortField));
  ADLOOM_TRY(clean(f.objective, "objective", Limits::kShortField));
  ADLOOM_TRY(clean(f.audience, "audience", Limits::kShortField));
  ADLOOM_TRY(clean(f.start_date, "start_date", Limits::kShortField));
  ADLOOM_TRY(clean(f.end_date, "end_date", Limits::kShortField));
  ADLOOM_TRY(check_date(f.start_date, "start_date"));
  ADLOOM_TRY(check_date(f.end_date, "end_date"));
  if (!f.start_date.empty() && !f.end_date.empty() && f.end_date < f.start_date) {
    return invalid_argument("end_date " + f.end_date + " is before start_date " + f.start_date);
  }
  ADLOOM_TRY(clean(p.product, "product", Limits::kShortField));
  ADLOOM_TRY(clean(p.tone, "tone", Limits::kShortField));
  ADLOOM_TRY(clean(p.call_to_action, "call_to_action", Limits::kShortField));
  ADLOOM_TRY(clean(p.format, "format", Limits::kShortField));
  if (!p.format.empty()) {
    ADLOOM_ASSIGN(const auto size, parse_format(p.format));
    p.format = fmt::format("{}x{}", size.first, size.second);
  }
  if (p.brand_kit_id) {
    auto kit = brands_.get_brand_kit(ctx, *p.brand_kit_id);
    if (!kit) {
      if (kit.status().code() == ErrorCode::kNotFound) {
        return invalid_argument("brand_kit: " + kit.status().message());
      }
      return kit.status();
    }
  }
  return Status::ok();
}

Result<CampaignRecord> CampaignService::create(const RequestContext& ctx, CampaignDraft draft) {
  ADLOOM_TRY(need_editor(ctx, "creating a campaign"));
  ADLOOM_TRY(normalise(ctx, draft));
  return campaigns_.create_campaign(ctx, draft.fields, draft.plan);
}

Result<CampaignRecord> CampaignService::get(const RequestContext& ctx, const CampaignId& id) {
  return campaigns_.get_campaign_record(ctx, id);
}

Result<CampaignPage> CampaignService::list(const RequestContext& ctx,
                                           const CampaignListFilter& filter) {
  return campaigns_.list_campaign_records(ctx, filter);
}

Result<CampaignRecord> CampaignService::update(const RequestContext& ctx, const CampaignId& id,
                                               const CampaignPatch& patch) {
  ADLOOM_TRY(need_editor(ctx, "editing a campaign"));
  ADLOOM_ASSIGN(CampaignRecord current, campaigns_.get_campaign_record(ctx, id));
  CampaignDraft d{current.campaign.fields, current.plan};
  const auto apply = [](const std::optional<std::string>& from, std::string& to) {
    if (from) to = *from;
  };
  apply(patch.name, d.fields.name);
  apply(patch.description, d.fields.description);
  apply(patch.channel, d.fields.channel);
  apply(patch.objective, d.fields.objective);
  apply(patch.audience, d.fields.audience);
  apply(patch.start_date, d.fields.start_date);
  apply(patch.end_date, d.fields.end_date);
  apply(patch.product, d.plan.product);
  apply(patch.format, d.plan.format);
  apply(patch.tone, d.plan.tone);
  apply(patch.call_to_action, d.plan.call_to_action);
  if (patch.brand_kit) d.plan.brand_kit_id = *patch.brand_kit;
  ADLOOM_TRY(normalise(ctx, d));
  return campaigns_.update_campaign(
      ctx, id, d.fields, d.plan,
      {CampaignState::kDraft, CampaignState::kInReview, CampaignState::kApproved});
}

Result<CampaignRecord> CampaignService::move(const RequestContext& ctx, const CampaignId& id,
                                             CampaignState to, const std::string& reason) {
  ADLOOM_TRY(need_editor(ctx, "changing a campaign's state"));
  ADLOOM_ASSIGN(CampaignRecord current, campaigns_.get_campaign_record(ctx, id));
  if (!is_manual_move(current.state, to)) {
    const auto possible = manual_moves(current.state);
    const bool automatic = can_move(current.state, to);
    return conflict(fmt::format(
        "campaign {} is {} and cannot be moved to {}{}; from {} it can be moved to: {}", id,
        campaign_state_name(current.state), campaign_state_name(to),
        automatic ? " by hand (that happens when its images are generated or reviewed)" : "",
        campaign_state_name(current.state), campaign_state_list(possible)));
  }
  std::string why = reason;
  ADLOOM_TRY(clean(why, "reason", Limits::kShortField));
  return campaigns_.move_campaign(ctx, id, current.state, to, why);
}

Result<AuditPage> CampaignService::audit(const RequestContext& ctx, const AuditFilter& filter) {
  return campaigns_.list_audit(ctx, filter);
}

}  // namespace adloom
