// probe_image and make_rendition against real libvips. Every input is generated here with
// libvips (or by hand, for the malformed ones): no binary fixtures in the tree.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <vips/vips8>

#include "imaging/image.h"
#include "support/image_corpus.h"

namespace adloom {
namespace {

using ::adloom::testing::encode_image;
using ::adloom::testing::png_declaring;
using ::adloom::testing::solid_image;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class ImagingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(init_imaging().is_ok()); }
};

// A smooth colour ramp, so JPEG data is spread over the whole file.
vips::VImage gradient(int w, int h) {
  const vips::VImage xy = vips::VImage::xyz(w, h);
  const vips::VImage r = xy[0] * (255.0 / w);
  const vips::VImage g = xy[1] * (255.0 / h);
  const vips::VImage b = (xy[0] + xy[1]) * (255.0 / (w + h));
  return vips::VImage::bandjoin({r, g, b})
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

// Two frames stacked vertically, marked as pages: how libvips represents animation.
vips::VImage two_frames(const vips::VImage& first, const vips::VImage& second) {
  vips::VImage img =
      vips::VImage::arrayjoin({first, second}, vips::VImage::option()->set("across", 1));
  img = img.copy();  // own the header before setting metadata on it
  img.set("page-height", first.height());
  return img;
}

// The pixel at (x, y) of decoded bytes, as {r, g, b}.
std::vector<int> pixel_at(const std::string& bytes, int x, int y) {
  auto rgb = decode_rgb(bytes, 4096);
  EXPECT_TRUE(rgb.is_ok()) << rgb.status().to_string();
  if (!rgb) return {};
  const std::size_t at = (static_cast<std::size_t>(y) * rgb->width + x) * 3;
  return {rgb->pixels[at], rgb->pixels[at + 1], rgb->pixels[at + 2]};
}

void expect_near_colour(const std::vector<int>& got, const std::vector<int>& want) {
  ASSERT_EQ(got.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(got[i], want[i], 40) << "channel " << i;
}

// --- probe: formats ----------------------------------------------------------------

TEST_F(ImagingTest, ProbesEachSupportedFormat) {
  struct Case {
    const char* suffix;
    const char* format;
    const char* mime;
  };
  const vips::VImage img = gradient(64, 48);
  for (const Case& c : {Case{".jpg", "jpeg", "image/jpeg"}, Case{".png", "png", "image/png"},
                        Case{".webp", "webp", "image/webp"}, Case{".gif", "gif", "image/gif"},
                        Case{".tif", "tiff", "image/tiff"}}) {
    SCOPED_TRACE(c.suffix);
    const std::string bytes = encode_image(img, c.suffix);
    auto info = probe_image(bytes, {});
    ASSERT_TRUE(info.is_ok()) << info.status().to_string();
    EXPECT_EQ(info->format, c.format);
    EXPECT_EQ(info->mime, c.mime);
    EXPECT_EQ(info->width, 64);
    EXPECT_EQ(info->height, 48);
    EXPECT_EQ(info->orientation, 1);
    EXPECT_EQ(info->frames, 1);

    auto rendition = make_rendition(bytes, 32);
    ASSERT_TRUE(rendition.is_ok()) << rendition.status().to_string();
    EXPECT_EQ(rendition->width, 32);
    EXPECT_EQ(rendition->height, 24);
  }
}

TEST_F(ImagingTest, ExifOrientationSwapsSizeAndRotatesTheRendition) {
  // Stored landscape 200×100, blue with a red top-left corner, tagged "rotate 90° CW".
  vips::VImage img =
      solid_image(200, 100, {0, 0, 255}).insert(solid_image(50, 25, {255, 0, 0}), 0, 0);
  img = img.copy();
  img.set("orientation", 6);
  const std::string bytes = encode_image(img, ".jpg");

  auto info = probe_image(bytes, {});
  ASSERT_TRUE(info.is_ok()) << info.status().to_string();
  EXPECT_EQ(info->orientation, 6);
  EXPECT_EQ(info->width, 100);
  EXPECT_EQ(info->height, 200);

  auto rendition = make_rendition(bytes, 400);
  ASSERT_TRUE(rendition.is_ok()) << rendition.status().to_string();
  EXPECT_EQ(rendition->width, 100);
  EXPECT_EQ(rendition->height, 200);
  // Turning clockwise moves the stored top-left corner to the displayed top-right.
  expect_near_colour(pixel_at(rendition->bytes, 90, 20), {255, 0, 0});
  expect_near_colour(pixel_at(rendition->bytes, 10, 20), {0, 0, 255});
  expect_near_colour(pixel_at(rendition->bytes, 90, 180), {0, 0, 255});

  // The rotation is baked in and the EXIF block (with its tag) is stripped.
  const vips::VImage out = vips::VImage::new_from_buffer(rendition->bytes, "");
  EXPECT_EQ(out.get_typeof("exif-data"), 0u);
  EXPECT_EQ(vips_image_get_orientation(out.get_image()), 1);
}

TEST_F(ImagingTest, AnimatedImagesReportFramesAndRenderTheFirstFrame) {
  const vips::VImage anim =
      two_frames(solid_image(64, 48, {255, 0, 0}), solid_image(64, 48, {0, 0, 255}));
  for (const char* suffix : {".gif", ".webp"}) {
    SCOPED_TRACE(suffix);
    const std::string bytes = encode_image(anim, suffix);
    auto info = probe_image(bytes, {});
    ASSERT_TRUE(info.is_ok()) << info.status().to_string();
    EXPECT_EQ(info->frames, 2);
    EXPECT_EQ(info->width, 64);
    EXPECT_EQ(info->height, 48);

    auto rendition = make_rendition(bytes, 320);
    ASSERT_TRUE(rendition.is_ok()) << rendition.status().to_string();
    EXPECT_EQ(rendition->width, 64);
    EXPECT_EQ(rendition->height, 48);
    expect_near_colour(pixel_at(rendition->bytes, 32, 24), {255, 0, 0});
  }
}

// --- probe: limits -----------------------------------------------------------------

TEST_F(ImagingTest, EnforcesTheByteLimit) {
  const std::string bytes = encode_image(gradient(64, 48), ".jpg");
  IntakeLimits limits;
  limits.max_bytes = bytes.size();
  EXPECT_TRUE(probe_image(bytes, limits).is_ok());

  limits.max_bytes = bytes.size() - 1;
  auto r = probe_image(bytes, limits);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kPayloadTooLarge);
  EXPECT_THAT(r.status().message(), HasSubstr(std::to_string(bytes.size() - 1)));
}

TEST_F(ImagingTest, EnforcesThePixelLimit) {
  const std::string bytes = encode_image(gradient(64, 48), ".png");
  IntakeLimits limits;
  limits.max_pixels = 64 * 48;
  EXPECT_TRUE(probe_image(bytes, limits).is_ok());

  limits.max_pixels = 64 * 48 - 1;
  auto r = probe_image(bytes, limits);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kPayloadTooLarge);
  EXPECT_THAT(r.status().message(), HasSubstr("64×48 pixels (3072) exceeds the limit of 3071"));
}

TEST_F(ImagingTest, RejectsADecompressionBombFromItsHeaderAlone) {
  // 50000×50000 declared, a few dozen bytes of body: a decode would have failed with
  // kInvalidArgument (the IDAT is empty), so kPayloadTooLarge proves no decode happened.
  const std::string bomb = png_declaring(50000, 50000);
  ASSERT_LT(bomb.size(), 100u);
  auto r = probe_image(bomb, {});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kPayloadTooLarge);
  EXPECT_THAT(r.status().message(),
              HasSubstr("50000×50000 pixels (2500000000) exceeds the limit of 100000000 pixels"));
}

// --- probe: damaged and non-image files -------------------------------------------

TEST_F(ImagingTest, RejectsAnEmptyFile) {
  auto r = probe_image("", {});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "empty file (0 bytes)");
}

TEST_F(ImagingTest, RenditionsRejectATruncatedJpegWhoseHeaderIsReadable) {
  const std::string jpeg = encode_image(gradient(512, 384), ".jpg");
  const std::string half = jpeg.substr(0, jpeg.size() / 2);
  // The header is whole, so the probe passes; the one full decode names the damage.
  auto info = probe_image(half, {});
  ASSERT_TRUE(info.is_ok()) << info.status().to_string();
  auto r = make_renditions(half, *info);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), StartsWith("damaged or truncated JPEG: "));
  EXPECT_EQ(make_rendition(half, 64).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ImagingTest, RejectsAJpegWhoseHeaderIsCutOff) {
  const std::string jpeg = encode_image(gradient(64, 48), ".jpg");
  auto r = probe_image(jpeg.substr(0, 20), {});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), StartsWith("damaged or truncated JPEG: "));
}

TEST_F(ImagingTest, RejectsATruncatedPng) {
  const std::string png = encode_image(gradient(256, 192), ".png");
  auto r = probe_image(png.substr(0, png.size() / 2), {});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), StartsWith("damaged or truncated PNG: "));
}

TEST_F(ImagingTest, NamesWhatANonImageLooksLike) {
  struct Case {
    std::string bytes;
    std::string reason;
  };
  const Case cases[] = {
      {std::string("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10) + "word/document.xml",
       "not an image: looks like a ZIP archive"},
      {"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
       "not an image: looks like a PDF document"},
      {"Quarterly results\n\tRevenue: up 12% — strong quarter.\r\n",
       "not an image: looks like a text file"},
      {"<!DOCTYPE html>\n<html><body>Not found</body></html>",
       "not an image: looks like an HTML or XML file"},
      {"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
       "not a supported image: looks like an SVG drawing (supported: JPEG, PNG, WebP, GIF or "
       "TIFF)"},
      {std::string("\x00\x01\x02\x03\xFE\xED\xFA\xCE\x00\x00", 10),
       "not a supported image (JPEG, PNG, WebP, GIF or TIFF)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    auto r = probe_image(c.bytes, {});
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), c.reason);
  }
}

// --- renditions --------------------------------------------------------------------

TEST_F(ImagingTest, RenditionsFitTheLongerSideAndAreJpeg) {
  const std::string landscape = encode_image(gradient(2000, 1000), ".jpg");
  for (int side : {320, 1280}) {
    auto r = make_rendition(landscape, side);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r->width, side);
    EXPECT_EQ(r->height, side / 2);
    EXPECT_EQ(r->mime, "image/jpeg");
    EXPECT_THAT(r->bytes, StartsWith("\xFF\xD8"));
    auto reread = probe_image(r->bytes, {});
    ASSERT_TRUE(reread.is_ok()) << reread.status().to_string();
    EXPECT_EQ(reread->width, side);
    EXPECT_EQ(reread->height, side / 2);
  }
  auto portrait = make_rendition(encode_image(gradient(1000, 2000), ".png"), 320);
  ASSERT_TRUE(portrait.is_ok()) << portrait.status().to_string();
  EXPECT_EQ(portrait->width, 160);
  EXPECT_EQ(portrait->height, 320);
}

TEST_F(ImagingTest, RenditionsNeverUpscale) {
  auto r = make_rendition(encode_image(gradient(100, 50), ".jpg"), 320);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->width, 100);
  EXPECT_EQ(r->height, 50);
}

TEST_F(ImagingTest, RenditionsFlattenAlphaOnWhiteAndAreSrgb) {
  // Fully transparent black must come out white, not black.
  auto clear = make_rendition(encode_image(solid_image(40, 40, {0, 0, 0, 0}), ".png"), 64);
  ASSERT_TRUE(clear.is_ok()) << clear.status().to_string();
  expect_near_colour(pixel_at(clear->bytes, 20, 20), {255, 255, 255});

  // Greyscale input becomes a 3-band sRGB JPEG.
  auto grey = make_rendition(encode_image(solid_image(40, 40, {128}), ".png"), 64);
  ASSERT_TRUE(grey.is_ok()) << grey.status().to_string();
  const vips::VImage out = vips::VImage::new_from_buffer(grey->bytes, "");
  EXPECT_EQ(out.bands(), 3);
  EXPECT_EQ(out.interpretation(), VIPS_INTERPRETATION_sRGB);
  expect_near_colour(pixel_at(grey->bytes, 20, 20), {128, 128, 128});
}

TEST_F(ImagingTest, RenditionsHonourQuality) {
  const std::string bytes = encode_image(gradient(512, 384), ".png");
  auto low = make_rendition(bytes, 512, 20);
  auto high = make_rendition(bytes, 512, 95);
  ASSERT_TRUE(low.is_ok() && high.is_ok());
  EXPECT_LT(low->bytes.size(), high->bytes.size());
}

TEST_F(ImagingTest, RenditionsRejectBadArguments) {
  const std::string bytes = encode_image(gradient(16, 16), ".jpg");
  EXPECT_EQ(make_rendition(bytes, 0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_rendition(bytes, 64, 0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_rendition(bytes, 64, 101).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_rendition("", 64).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_rendition("not an image", 64).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ImagingTest, AnOriginalIsItsOwnPreviewOnlyWhenBrowsersCanShowItAsIs) {
  struct Case {
    const char* what;
    std::string bytes;
    bool reused;
    int preview_width;  // when made
  };
  vips::VImage turned = gradient(400, 300).copy();
  turned.set("orientation", 6);
  const std::vector<Case> cases = {
      {"upright sRGB JPEG within 1280 px", encode_image(gradient(800, 600), ".jpg"), true, 0},
      {"grey JPEG", encode_image(solid_image(300, 200, {90}), ".jpg"), true, 0},
      {"PNG", encode_image(gradient(800, 600), ".png"), false, 800},
      {"JPEG over 1280 px", encode_image(gradient(2000, 1000), ".jpg"), false, kPreviewSide},
      {"JPEG tagged to be turned", encode_image(turned, ".jpg"), false, 300},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    auto info = probe_image(c.bytes, {});
    ASSERT_TRUE(info.is_ok()) << info.status().to_string();
    EXPECT_EQ(info->web_ready_jpeg, c.reused || c.preview_width == kPreviewSide);
    auto r = make_renditions(c.bytes, *info);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(std::max(r->thumb.width, r->thumb.height),
              std::min(kThumbSide, std::max(info->width, info->height)));
    EXPECT_EQ(r->preview.has_value(), !c.reused);
    if (r->preview) {
      EXPECT_EQ(r->preview->width, c.preview_width);
    }
  }
}

TEST_F(ImagingTest, DecodeRgbFitsTheLongerSideWithoutUpscaling) {
  struct Case {
    const char* what;
    std::string bytes;
    int max_side;
    int width;
    int height;
  };
  const std::vector<Case> cases = {
      // JPEG decodes at 1/2 scale, exactly the target.
      {"JPEG halved on load", encode_image(gradient(1024, 1024), ".jpg"), 512, 512, 512},
      // 1/2 would undershoot 512, so a full decode and a box filter of 2.
      {"JPEG box-filtered", encode_image(gradient(1000, 300), ".jpg"), 512, 500, 150},
      {"JPEG shrunk on load then filtered", encode_image(gradient(4000, 2000), ".jpg"), 128, 125,
       63},
      {"PNG box-filtered", encode_image(gradient(2000, 100), ".png"), 128, 125, 6},
      {"small PNG kept", encode_image(gradient(100, 40), ".png"), 512, 100, 40},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    auto rgb = decode_rgb(c.bytes, c.max_side);
    ASSERT_TRUE(rgb.is_ok()) << rgb.status().to_string();
    EXPECT_EQ(rgb->width, c.width);
    EXPECT_EQ(rgb->height, c.height);
    EXPECT_EQ(rgb->pixels.size(), static_cast<std::size_t>(c.width) * c.height * 3);
  }
}

}  // namespace
}  // namespace adloom
