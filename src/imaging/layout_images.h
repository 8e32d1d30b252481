// The pictures of a layout (imaging/layout.cpp): the hero and logo decoded once, the hero
// cropped or fitted to each slot, and the abstract product stand-in drawn when there is no
// hero. Included only by src/imaging files; functions throw vips::VError on libvips
// failures (a damaged image included).
#pragma once

#include <string_view>

#include <vips/vips8>

#include "imaging/layout.h"

namespace adloom::draw {

struct HeroImage {
  vips::VImage full;   // upright 8-bit sRGB, in memory
  vips::VImage small;  // the same, longer side at most kAttentionSide, for smartcrop
};
constexpr int kAttentionSide = 256;

// Decodes a hero (bytes that passed probe_image) for a w×h canvas: full size, or shrunk
// (on load where the format allows) to twice the size that covers the canvas when it is
// larger, so that each slot takes a single resample. Alpha is flattened onto `matte`.
HeroImage decode_hero(std::string_view bytes, int w, int h, Rgb8 matte);

// Decodes a logo fitted inside w×h (aspect kept, scaled either way) as 8-bit sRGB + alpha.
vips::VImage decode_logo(std::string_view bytes, int w, int h);

// The hero for a w×h slot (3-band sRGB, exactly w×h). The crop keeps the slot's aspect
// ratio and is centred as near as it can be on the point of attention libvips's smartcrop
// finds. It keeps at least 1/1.25 of the image's width or height: for a slot of a very
// different shape, the crop is fitted inside the slot over its own edges stretched and
// blurred, with feathered seams, rather than cut down to a sliver of the product.
vips::VImage fit_hero(const HeroImage& hero, int w, int h);

// A studio still life in the brand colours standing in for a missing hero: a backdrop in
// the secondary colour, a halo, a bottle in the primary colour (accent cap, light label,
// highlight) and an accent sphere on the side given by `sphere_right`, with soft shadows.
// The group stands around (fx, fy), fractions of the slot. Exactly w×h, 3-band sRGB.
vips::VImage stand_in(const LayoutPalette& palette, int w, int h, double fx, double fy,
                      bool sphere_right);

}  // namespace adloom::draw
