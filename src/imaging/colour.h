// Colour science for image analysis: sRGB → CIE L*a*b* (D65), CIEDE2000 differences,
// dominant colours by k-means in Lab, human colour names and tone statistics.
//
// Everything here is pure arithmetic on RgbImage pixels (no libvips), deterministic and
// thread safe: the same pixels always give the same clusters, names and numbers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imaging/image.h"

namespace adloom {

// CIE L*a*b* under D65 (2° observer). L in 0..100; a, b roughly -128..127 for sRGB.
struct Lab {
  double l = 0;
  double a = 0;
  double b = 0;
};

// 8-bit sRGB pixel.
struct Rgb8 {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
};

// sRGB (IEC 61966-2-1 transfer curve) → linear RGB → XYZ (D65) → L*a*b*.
Lab srgb_to_lab(Rgb8 rgb);
// The inverse, rounded and clamped to the sRGB gamut (out-of-gamut Lab is clipped per
// channel, so the round trip is exact only for colours that came from sRGB).
Rgb8 lab_to_srgb(const Lab& lab);

// CIEDE2000 colour difference (kL = kC = kH = 1), implemented as in Sharma, Wu & Dalal,
// "The CIEDE2000 Color-Difference Formula: Implementation Notes…", Color Res. Appl. 30(1),
// 2005. Symmetric. About 1 is a just-noticeable difference; above ~5 colours look distinct.
double delta_e2000(const Lab& x, const Lab& y);

// "#1f6fb2": lowercase, always 7 characters.
std::string hex_colour(Rgb8 rgb);

// A plain English name ("blue", "dark red", "light grey", …) for a colour: the nearest,
// by ΔE2000, of a fixed table of about 30 reference colours. Pure sRGB primaries,
// secondaries, black, white and the 25/50/75 % greys map to their obvious names.
std::string_view colour_name(const Lab& lab);

// One dominant colour: the centroid of a cluster of pixels.
struct ColourCluster {
  Lab lab;
  Rgb8 rgb;          // lab_to_srgb(lab)
  double share = 0;  // fraction of the sampled pixels, 0..1
};

struct KMeansOptions {
  int k = 5;                   // clusters before merging
  int max_iterations = 20;     // Lloyd iterations; stops earlier when assignments settle
  int max_samples = 16384;     // pixels are subsampled on a regular grid down to this
  double merge_delta_e = 5.0;  // centroids closer than this (ΔE2000) are merged
  std::uint64_t seed = 0x9e3779b97f4a7c15ULL;  // k-means++ seeding: fixed, so runs repeat
};

// Dominant colours of an image: k-means in Lab, k-means++ seeded from `options.seed`,
// near-duplicate centroids merged. Sorted by share, largest first; shares sum to 1.
// Fewer than k clusters when the image has fewer distinct colours. Empty for an empty
// image. Deterministic for the same pixels and options.
std::vector<ColourCluster> dominant_colours(const RgbImage& image,
                                            const KMeansOptions& options = {});

// Whole-image tone, each 0..1: brightness = mean L*/100, contrast = std-dev of L*/100,
// saturation = mean chroma C*ab/100 clamped to 1. Zeros for an empty image. Images over
// kToneSamples pixels are measured on a regular grid of about that many pixels.
constexpr std::size_t kToneSamples = 16384;
struct ToneStats {
  double brightness = 0;
  double contrast = 0;
  double saturation = 0;
};
ToneStats tone_stats(const RgbImage& image);

}  // namespace adloom
