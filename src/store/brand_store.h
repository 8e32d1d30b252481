// BrandStore: a workspace's brand kits — the palette, font, logo, words and rules that
// meta-prompts and generated images must follow. Values arrive validated and normalised
// by BrandService (services/brand_service.h); the store keeps them as given.
//
// Every method is scoped by ctx.workspace_id: a kit of another workspace is "not found".
// Thread safety: every method may be called concurrently. Errors: kNotFound,
// kAlreadyExists (the name is taken), kConflict (a stale version), kUnavailable (busy),
// kInternal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/request_context.h"
#include "core/status.h"

namespace adloom {

using BrandKitId = std::string;  // "bk_…"

struct PaletteColour {
  std::string hex;   // "#RRGGBB", upper case
  std::string role;  // primary | secondary | accent | background | text | "" (other)
  std::string name;  // the marketer's name for it, e.g. "Harbour blue"; may be ""
  bool operator==(const PaletteColour&) const = default;
};

struct BrandKitFields {
  std::string name;  // unique within the workspace
  std::vector<PaletteColour> palette;
  std::string font_family;                // a fontconfig family, e.g. "DejaVu Sans"; "" = default
  std::optional<std::string> logo;        // an asset id of the workspace
  std::vector<std::string> tone_words;    // "warm", "confident", …
  std::vector<std::string> style_words;   // "flat illustration", "bright daylight", …
  std::vector<std::string> banned_terms;  // never in a prompt or copy (case-insensitive)
  std::vector<std::string> disclosures;   // text every creative must carry, e.g. "T&Cs apply"
  bool operator==(const BrandKitFields&) const = default;
};

struct BrandKit {
  BrandKitId id;
  WorkspaceId workspace_id;
  BrandKitFields fields;
  std::int64_t version = 1;  // +1 on every update (optimistic concurrency)
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

class BrandStore {
 public:
  virtual ~BrandStore() = default;

  // kAlreadyExists when the workspace already has a kit of that name.
  virtual Result<BrandKit> create_brand_kit(const RequestContext& ctx,
                                            const BrandKitFields& fields) = 0;
  virtual Result<BrandKit> get_brand_kit(const RequestContext& ctx, const BrandKitId& id) = 0;
  // By name, for listing order and the CLI.
  virtual Result<std::vector<BrandKit>> list_brand_kits(const RequestContext& ctx) = 0;
  // Replaces every field. With `expected_version`, kConflict unless the stored kit is at
  // that version (someone else saved first); kAlreadyExists for a name taken.
  virtual Result<BrandKit> update_brand_kit(const RequestContext& ctx, const BrandKitId& id,
                                            const BrandKitFields& fields,
                                            std::optional<std::int64_t> expected_version) = 0;
  virtual Status delete_brand_kit(const RequestContext& ctx, const BrandKitId& id) = 0;
};

}  // namespace adloom
