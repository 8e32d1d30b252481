// Test images made on the spot with libvips: no binary fixtures in the tree.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <vips/vips8>

namespace adloom::testing {

// A w×h 8-bit image filled with `pixel` (3 values: sRGB, 4: sRGB + alpha, 1: grey).
vips::VImage solid_image(int w, int h, const std::vector<double>& pixel);

// `img` encoded by libvips's saver for `suffix` (".jpg", ".png[compression=9]", …).
std::string encode_image(const vips::VImage& img, const char* suffix);

struct CorpusOptions {
  int side = 256;      // longer side in pixels
  int text_every = 0;  // every n-th image gets a line of large text (0: none)
  int png_every = 0;   // every n-th image is a PNG instead of a JPEG (0: none)
  std::uint32_t seed = 1;
};

// Writes `count` distinct images into `dir` (created if missing) as img-00000.jpg, … :
// a colour gradient in a random direction, a few solid blocks, some in portrait or
// landscape, optionally a text line. Deterministic for a seed. Returns the file names.
std::vector<std::string> write_image_corpus(const std::string& dir, int count,
                                            const CorpusOptions& options = {});

// A structurally valid PNG whose header declares w×h RGB pixels but holds none: a
// decompression bomb as far as a header reader can tell.
std::string png_declaring(std::uint32_t width, std::uint32_t height);

// The bad files of an import, by name: 0 bytes, a truncated JPEG, a ZIP renamed .jpg,
// a PNG declaring 50,000×50,000 pixels and a text file.
std::map<std::string, std::string> bad_image_files();

}  // namespace adloom::testing
