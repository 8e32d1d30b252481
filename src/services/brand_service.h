// BrandService: brand kits, checked and normalised before they are stored, so everything
// downstream (meta-prompts, the layout composer, checks of generated images) can trust
// them: colours are "#RRGGBB", the font is installed, the logo is an image of the
// workspace, and word lists are trimmed, de-duplicated and bounded.
//
// Roles: anyone in the workspace reads kits; creating, changing and deleting them needs
// the owner role (brand kits are an admin's job, docs/brand-kits.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/asset_store.h"
#include "store/brand_store.h"

namespace adloom {

// Limits, enforced with messages that name the field and the limit.
struct BrandKitLimits {
  static constexpr std::size_t kName = 100;         // characters
  static constexpr std::size_t kPalette = 12;       // colours
  static constexpr std::size_t kColourName = 50;    // characters
  static constexpr std::size_t kWords = 20;         // tone and style words, each list
  static constexpr std::size_t kWord = 60;          // characters per tone or style word
  static constexpr std::size_t kBannedTerms = 200;  // terms
  static constexpr std::size_t kBannedTerm = 80;    // characters per term
  static constexpr std::size_t kDisclosures = 5;    // disclosures
  static constexpr std::size_t kDisclosure = 300;   // characters per disclosure
};

// The palette roles a colour may have; "" is allowed too (a colour with no set role).
// Each role but "accent" may be given to one colour only.
const std::vector<std::string>& palette_roles();

// A partial change: only present members are replaced.
struct BrandKitPatch {
  std::optional<std::string> name;
  std::optional<std::vector<PaletteColour>> palette;
  std::optional<std::string> font_family;
  std::optional<std::optional<std::string>> logo;  // nullopt inside: remove the logo
  std::optional<std::vector<std::string>> tone_words;
  std::optional<std::vector<std::string>> style_words;
  std::optional<std::vector<std::string>> banned_terms;
  std::optional<std::vector<std::string>> disclosures;
};

class BrandService {
 public:
  // Both stores must outlive the service.
  BrandService(BrandStore& kits, AssetStore& assets) : kits_(kits), assets_(assets) {}

  // Errors: kInvalidArgument (a field is wrong: the message names it and says why),
  // kAlreadyExists (the name is taken), kPermissionDenied (role below owner).
  Result<BrandKit> create(const RequestContext& ctx, const BrandKitFields& fields);
  Result<BrandKit> get(const RequestContext& ctx, const BrandKitId& id);
  Result<std::vector<BrandKit>> list(const RequestContext& ctx);
  // With `expected_version`, kConflict when someone saved the kit since that version.
  Result<BrandKit> update(const RequestContext& ctx, const BrandKitId& id,
                          const BrandKitPatch& patch, std::optional<std::int64_t> expected_version);
  Status remove(const RequestContext& ctx, const BrandKitId& id);

  // The fields checked and normalised (see the header comment), or kInvalidArgument.
  Result<BrandKitFields> normalise(const RequestContext& ctx, BrandKitFields fields);

 private:
  BrandStore& kits_;
  AssetStore& assets_;
};

// "#RGB", "RGB", "#RRGGBB" or "RRGGBB" in any case → "#RRGGBB"; nullopt for anything else.
std::optional<std::string> normalise_hex_colour(const std::string& text);

}  // namespace adloom
