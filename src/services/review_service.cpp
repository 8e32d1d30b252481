#include "services/review_service.h"

#include <set>

#include "core/clock.h"
#include "core/text.h"
#include "services/archive.h"
#include "services/csv.h"

namespace adloom {
namespace {

// "Summer Sale 2026!" → "summer-sale-2026" (ASCII letters and digits only).
std::string slug(const std::string& name) {
  std::string out;
  for (const char c : lower_ascii(name)) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 && static_cast<unsigned char>(c) < 0x80) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "campaign" : out.substr(0, 60);
}

std::string extension_of(const std::string& mime) {
  if (mime == "image/png") return ".png";
  if (mime == "image/webp") return ".webp";
  return ".jpg";
}

}  // namespace

Status check_full_download(const Asset& asset) {
  if (asset.kind != "generated" || asset.review_state == ReviewState::kApproved) {
    return Status::ok();
  }
  return Status(ErrorCode::kPermissionDenied,
                "image " + asset.id + " is " + std::string(review_state_name(asset.review_state)) +
                    ": only approved images can be downloaded in full resolution");
}

Result<ReviewPage> ReviewService::queue(const RequestContext& ctx,
                                        const ReviewQueueFilter& filter) {
  if (filter.limit < 1 || filter.limit > 200) {
    return invalid_argument("limit must be between 1 and 200");
  }
  return creative_.review_queue(ctx, filter);
}

Result<std::vector<ReviewItem>> ReviewService::decide(const RequestContext& ctx,
                                                      std::vector<Decision> decisions) {
  if (!ctx.has_role(Role::kReviewer)) {
    return Status(ErrorCode::kPermissionDenied, "reviewing images needs the reviewer role");
  }
  if (decisions.empty()) return invalid_argument("no decisions given");
  if (decisions.size() > kMaxDecisions) {
    return invalid_argument("at most " + std::to_string(kMaxDecisions) + " decisions at once");
  }
  std::set<AssetId> seen;
  for (auto& d : decisions) {
    if (!seen.insert(d.asset_id).second) {
      return invalid_argument("image " + d.asset_id + " is decided twice");
    }
    const auto first = d.reason.find_first_not_of(" \t\r\n");
    d.reason = first == std::string::npos ? "" : d.reason.substr(first);
    while (!d.reason.empty() && std::isspace(static_cast<unsigned char>(d.reason.back())) != 0) {
      d.reason.pop_back();
    }
    if (d.decision != ReviewState::kApproved && d.decision != ReviewState::kRejected) {
      return invalid_argument("a decision is \"approved\" or \"rejected\"");
    }
    if (d.decision == ReviewState::kRejected && d.reason.empty()) {
      return invalid_argument("rejecting image " + d.asset_id + " needs a reason");
    }
    if (utf8_length(d.reason) > kMaxReason) {
      return invalid_argument("a reason must be at most " + std::to_string(kMaxReason) +
                              " characters");
    }
  }
  ADLOOM_ASSIGN(std::vector<ReviewItem> decided, creative_.decide(ctx, decisions));
  // Approved images join the library's search; a failure here leaves them approved and
  // findable once re-indexed (POST /api/v1/assets/reindex), so it is not the caller's.
  for (const auto& item : decided) {
    if (item.asset.review_state == ReviewState::kApproved) {
      (void)library_.reindex(ctx, item.asset.id);
    }
  }
  return decided;
}

Result<ExportFile> ReviewService::export_campaign(const RequestContext& ctx, const CampaignId& id) {
  ADLOOM_ASSIGN(CampaignRecord campaign, campaigns_.get_campaign_record(ctx, id));
  ReviewQueueFilter filter;
  filter.campaign_id = id;
  filter.states = {ReviewState::kApproved};
  filter.limit = kMaxExport;
  ADLOOM_ASSIGN(ReviewPage page, creative_.review_queue(ctx, filter));
  if (page.items.empty()) {
    return Status(ErrorCode::kFailedPrecondition,
                  "campaign " + id + " has no approved images to export yet");
  }
  if (page.next_cursor) {
    return invalid_argument("campaign " + id + " has over " + std::to_string(kMaxExport) +
                            " approved images; export is limited to " + std::to_string(kMaxExport));
  }
  std::vector<ZipEntry> entries;
  std::string manifest =
      csv_row({"asset_id", "file", "preview", "width", "height", "prompt", "variant", "model",
               "seed", "prompt_version", "generation", "reviewer", "decided_at", "reason"});
  for (const auto& item : page.items) {
    const Asset& a = item.asset;
    const std::string file = "images/" + a.id + extension_of(a.mime);
    ADLOOM_ASSIGN(std::string full, blobs_.get(a.blob_key));
    entries.push_back({file, std::move(full)});
    std::string preview;
    if (a.preview_key && *a.preview_key != a.blob_key) {
      preview = "previews/" + a.id + ".jpg";
      ADLOOM_ASSIGN(std::string bytes, blobs_.get(*a.preview_key));
      entries.push_back({preview, std::move(bytes)});
    }
    manifest += csv_row({a.id, file, preview, std::to_string(a.width), std::to_string(a.height),
                         item.image.prompt, item.image.variant, item.image.model,
                         std::to_string(item.image.seed), item.prompt_version_id,
                         item.image.generation_id, item.reviewer.value_or(""),
                         item.decided_at ? format_rfc3339(*item.decided_at) : "", item.reason});
  }
  entries.insert(entries.begin(), ZipEntry{"manifest.csv", manifest});
  ADLOOM_ASSIGN(std::string zip, write_zip(entries));
  return ExportFile{slug(campaign.campaign.fields.name) + "-approved.zip", std::move(zip),
                    static_cast<int>(page.items.size())};
}

}  // namespace adloom
