#include "services/brand_service.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "core/text.h"
#include "imaging/fonts.h"

namespace adloom {
namespace {

using Limits = BrandKitLimits;

Status need_owner(const RequestContext& ctx) {
  if (ctx.has_role(Role::kOwner)) return Status::ok();
  return Status(ErrorCode::kPermissionDenied, "changing brand kits needs the owner role");
}

// Trims and collapses runs of white space to one space; kInvalidArgument for control
// characters (a pasted tab or newline counts as space).
Result<std::string> clean_text(const std::string& in, const std::string& what) {
  std::string out;
  bool space = false;
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (c < 0x20 || c == 0x7f) return invalid_argument(what + " contains a control character");
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

Status check_length(const std::string& value, std::size_t max, const std::string& what) {
  if (utf8_length(value) <= max) return Status::ok();
  return invalid_argument(fmt::format("{} is longer than {} characters", what, max));
}

// Trimmed, empty entries dropped, duplicates (ignoring case) dropped, bounded.
Result<std::vector<std::string>> clean_list(const std::vector<std::string>& in, const char* field,
                                            std::size_t max_items, std::size_t max_length) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::string what = fmt::format("{}[{}]", field, i);
    ADLOOM_ASSIGN(std::string item, clean_text(in[i], what));
    if (item.empty()) continue;
    ADLOOM_TRY(check_length(item, max_length, what));
    if (seen.insert(lower_ascii(item)).second) out.push_back(std::move(item));
  }
  if (out.size() > max_items) {
    return invalid_argument(
        fmt::format("{} has {} entries; at most {} are allowed", field, out.size(), max_items));
  }
  return out;
}

Result<std::vector<PaletteColour>> clean_palette(const std::vector<PaletteColour>& in) {
  if (in.size() > Limits::kPalette) {
    return invalid_argument(
        fmt::format("palette has {} colours; at most {} are allowed", in.size(), Limits::kPalette));
  }
  std::vector<PaletteColour> out;
  std::set<std::string> roles_taken;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::string what = fmt::format("palette[{}]", i);
    PaletteColour c;
    const auto hex = normalise_hex_colour(in[i].hex);
    if (!hex) {
      return invalid_argument(fmt::format(
          "{}.hex '{}' is not a colour: write it as #RRGGBB, e.g. #1E6FD9", what, in[i].hex));
    }
    c.hex = *hex;
    c.role = lower_ascii(in[i].role);
    const auto& roles = palette_roles();
    if (!c.role.empty() && std::find(roles.begin(), roles.end(), c.role) == roles.end()) {
      return invalid_argument(
          fmt::format("{}.role '{}' is not one of primary, secondary, accent, background, text",
                      what, in[i].role));
    }
    if (!c.role.empty() && c.role != "accent" && !roles_taken.insert(c.role).second) {
      return invalid_argument(
          fmt::format("{}: only one colour can be the {} colour", what, c.role));
    }
    ADLOOM_ASSIGN(c.name, clean_text(in[i].name, what + ".name"));
    ADLOOM_TRY(check_length(c.name, Limits::kColourName, what + ".name"));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::string> clean_font(const std::string& family) {
  ADLOOM_ASSIGN(std::string wanted, clean_text(family, "font_family"));
  if (wanted.empty()) return wanted;
  if (auto found = find_font_family(wanted)) return *found;
  const auto installed = installed_font_families();
  std::string some;
  for (std::size_t i = 0; i < installed.size() && i < 8; ++i) {
    some += (i == 0 ? "" : ", ") + installed[i];
  }
  return invalid_argument(fmt::format(
      "font_family '{}' is not installed on this server{}{}; install its Debian fonts-* "
      "package or pick an installed family",
      wanted, installed.empty() ? "" : " (installed: ", installed.empty() ? "" : some + ")"));
}

}  // namespace

const std::vector<std::string>& palette_roles() {
  static const std::vector<std::string> kRoles = {"primary", "secondary", "accent", "background",
                                                  "text"};
  return kRoles;
}

std::optional<std::string> normalise_hex_colour(const std::string& text) {
  std::string hex = text;
  if (!hex.empty() && hex.front() == '#') hex.erase(0, 1);
  if (hex.size() != 3 && hex.size() != 6) return std::nullopt;
  for (const char c : hex) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
  }
  if (hex.size() == 3) hex = {hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]};
  std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  return "#" + hex;
}

Result<BrandKitFields> BrandService::normalise(const RequestContext& ctx, BrandKitFields f) {
  ADLOOM_ASSIGN(f.name, clean_text(f.name, "name"));
  if (f.name.empty()) return invalid_argument("a brand kit needs a name");
  ADLOOM_TRY(check_length(f.name, Limits::kName, "name"));
  ADLOOM_ASSIGN(f.palette, clean_palette(f.palette));
  ADLOOM_ASSIGN(f.font_family, clean_font(f.font_family));
  if (f.logo) {
    auto logo = assets_.get_asset(ctx, *f.logo);
    if (!logo) {
      if (logo.status().code() == ErrorCode::kNotFound) {
        return invalid_argument("logo: asset " + *f.logo + " does not exist in this workspace");
      }
      return logo.status();
    }
  }
  ADLOOM_ASSIGN(f.tone_words,
                clean_list(f.tone_words, "tone_words", Limits::kWords, Limits::kWord));
  ADLOOM_ASSIGN(f.style_words,
                clean_list(f.style_words, "style_words", Limits::kWords, Limits::kWord));
  ADLOOM_ASSIGN(f.banned_terms, clean_list(f.banned_terms, "banned_terms", Limits::kBannedTerms,
                                           Limits::kBannedTerm));
  ADLOOM_ASSIGN(f.disclosures, clean_list(f.disclosures, "disclosures", Limits::kDisclosures,
                                          Limits::kDisclosure));
  return f;
}

Result<BrandKit> BrandService::create(const RequestContext& ctx, const BrandKitFields& fields) {
  ADLOOM_TRY(need_owner(ctx));
  ADLOOM_ASSIGN(BrandKitFields clean, normalise(ctx, fields));
  return kits_.create_brand_kit(ctx, clean);
}

Result<BrandKit> BrandService::get(const RequestContext& ctx, const BrandKitId& id) {
  return kits_.get_brand_kit(ctx, id);
}

Result<std::vector<BrandKit>> BrandService::list(const RequestContext& ctx) {
  return kits_.list_brand_kits(ctx);
}

Result<BrandKit> BrandService::update(const RequestContext& ctx, const BrandKitId& id,
                                      const BrandKitPatch& patch,
                                      std::optional<std::int64_t> expected_version) {
  ADLOOM_TRY(need_owner(ctx));
  ADLOOM_ASSIGN(BrandKit current, kits_.get_brand_kit(ctx, id));
  BrandKitFields f = current.fields;
  if (patch.name) f.name = *patch.name;
  if (patch.palette) f.palette = *patch.palette;
  if (patch.font_family) f.font_family = *patch.font_family;
  if (patch.logo) f.logo = *patch.logo;
  if (patch.tone_words) f.tone_words = *patch.tone_words;
  if (patch.style_words) f.style_words = *patch.style_words;
  if (patch.banned_terms) f.banned_terms = *patch.banned_terms;
  if (patch.disclosures) f.disclosures = *patch.disclosures;
  ADLOOM_ASSIGN(BrandKitFields clean, normalise(ctx, f));
  // Without a version from the caller, still refuse to overwrite a save made since the
  // read above.
  return kits_.update_brand_kit(ctx, id, clean, expected_version.value_or(current.version));
}

Status BrandService::remove(const RequestContext& ctx, const BrandKitId& id) {
  ADLOOM_TRY(need_owner(ctx));
  return kits_.delete_brand_kit(ctx, id);
}

}  // namespace adloom
