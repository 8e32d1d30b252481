#include "support/image_corpus.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>

#include <vips/vips8>

namespace adloom::testing {
namespace {

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

vips::VImage make_image(int index, const CorpusOptions& o) {
  std::mt19937 rng(o.seed * 7919u + static_cast<std::uint32_t>(index));
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // Square, landscape or portrait.
  const int shape = index % 3;
  const int w = shape == 2 ? o.side * 3 / 4 : o.side;
  const int h = shape == 1 ? o.side * 3 / 4 : o.side;
  const vips::VImage xyz = vips::VImage::xyz(w, h);
  const vips::VImage x = xyz[0] / static_cast<double>(w);
  const vips::VImage y = xyz[1] / static_cast<double>(h);
  std::vector<vips::VImage> bands;
  for (int b = 0; b < 3; ++b) {
    bands.push_back(x * ((unit(rng) - 0.5) * 240.0) + y * ((unit(rng) - 0.5) * 240.0) +
                    static_cast<double>(byte(rng)));
  }
  vips::VImage img = vips::VImage::bandjoin(bands).cast(VIPS_FORMAT_UCHAR).copy_memory();
  std::uniform_int_distribution<int> px(0, w - 16);
  std::uniform_int_distribution<int> py(0, h - 16);
  for (int i = 0; i < 2 + index % 4; ++i) {
    const int bw = std::max(8, w / (2 + i));
    const int bh = std::max(8, h / (3 + i));
    img.draw_rect({static_cast<double>(byte(rng)), static_cast<double>(byte(rng)),
                   static_cast<double>(byte(rng))},
                  px(rng), py(rng), bw, bh, vips::VImage::option()->set("fill", true));
  }
  if (o.text_every > 0 && index % o.text_every == 0) {
    const std::string words = "SALE " + std::to_string(10 + index % 80) + "% OFF";
    const vips::VImage mask = vips::VImage::text(
        words.c_str(),
        vips::VImage::option()->set("font", "DejaVu Sans Bold 28")->set("width", w - 20));
    const int left = 10;
    const int top = std::max(0, (h - mask.height()) / 2);
    img.draw_rect({250.0, 250.0, 245.0}, left - 6, top - 6, mask.width() + 12, mask.height() + 12,
                  vips::VImage::option()->set("fill", true));
    const vips::VImage placed = mask.embed(left, top, w, h);
    img = placed
              .ifthenelse(img.new_from_image(std::vector<double>{20.0, 20.0, 30.0}), img,
                          vips::VImage::option()->set("blend", true))
              .cast(VIPS_FORMAT_UCHAR);
  }
  return img.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

}  // namespace

vips::VImage solid_image(int w, int h, const std::vector<double>& pixel) {
  const auto interpretation =
      pixel.size() >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W;
  return vips::VImage::black(w, h)
      .new_from_image(pixel)
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", interpretation));
}

std::string encode_image(const vips::VImage& img, const char* suffix) {
  void* buf = nullptr;
  std::size_t size = 0;
  img.write_to_buffer(suffix, &buf, &size);
  const std::unique_ptr<void, decltype(&g_free)> owned(buf, &g_free);
  return {static_cast<const char*>(buf), size};
}

std::vector<std::string> write_image_corpus(const std::string& dir, int count,
                                            const CorpusOptions& options) {
  if (VIPS_INIT("adloom-tests") != 0) throw std::runtime_error("libvips failed to start");
  std::filesystem::create_directories(dir);
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    const bool png = options.png_every > 0 && i % options.png_every == options.png_every - 1;
    char name[32];
    std::snprintf(name, sizeof name, "img-%05d.%s", i, png ? "png" : "jpg");
    write_file(dir + "/" + name, encode_image(make_image(i, options), png ? ".png" : ".jpg[Q=85]"));
    names.emplace_back(name);
  }
  return names;
}

namespace {

std::uint32_t crc32_of(std::string_view data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (const unsigned char byte : data) {
    c ^= byte;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

void append_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void append_chunk(std::string& out, std::string_view type, std::string_view data) {
  append_be32(out, static_cast<std::uint32_t>(data.size()));
  std::string body(type);
  body.append(data);
  out += body;
  append_be32(out, crc32_of(body));
}

}  // namespace

std::string png_declaring(std::uint32_t width, std::uint32_t height) {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  append_be32(ihdr, width);
  append_be32(ihdr, height);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8 bit, RGB, deflate, no filter, no interlace
  append_chunk(png, "IHDR", ihdr);
  append_chunk(png, "IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8));
  append_chunk(png, "IEND", "");
  return png;
}

std::map<std::string, std::string> bad_image_files() {
  if (VIPS_INIT("adloom-tests") != 0) throw std::runtime_error("libvips failed to start");
  const std::string jpeg = encode_image(make_image(7, {}), ".jpg");
  return {
      {"empty.jpg", ""},
      {"truncated.jpg", jpeg.substr(0, jpeg.size() / 2)},
      {"archive.jpg", std::string("PK\x03\x04\x14\x00\x00\x00", 8) + std::string(300, 'z')},
      {"bomb.png", png_declaring(50000, 50000)},
      {"notes.jpg", "Quarterly results: up and to the right.\n"},
  };
}

}  // namespace adloom::testing
