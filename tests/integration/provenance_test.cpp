// XMP provenance: written into PNG and JPEG without touching the pixels, read back, and
// the marked files still decode; an export zip holds what was put in, byte for byte.
#include "imaging/provenance.h"

#include <archive.h>
#include <archive_entry.h>

#include <gtest/gtest.h>

#include "imaging/image.h"
#include "services/archive.h"
#include "services/csv.h"
#include "support/image_corpus.h"

namespace adloom {
namespace {

using testing::encode_image;
using testing::solid_image;

class ProvenanceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(init_imaging().is_ok()); }

  static ProvenanceRecord record() {
    return {"A trail shoe on wet rock, <golden hour> & \"mist\"", "builtin:layout-v1", 42, "cmp_1",
            "Trail & Co"};
  }

  static void expect_marked(const std::string& original, const std::string& mime) {
    XmpProvenance provenance;
    auto marked = provenance.apply(original, mime, record());
    ASSERT_TRUE(marked.is_ok()) << marked.status().to_string();
    const std::string xmp = read_xmp(*marked);
    EXPECT_NE(xmp.find(std::string(kTrainedAlgorithmicMedia)), std::string::npos) << xmp;
    EXPECT_NE(xmp.find("adloom:seed=\"42\""), std::string::npos) << xmp;
    EXPECT_NE(xmp.find("&lt;golden hour&gt; &amp; &quot;mist&quot;"), std::string::npos) << xmp;
    EXPECT_NE(xmp.find("adloom:campaign=\"Trail &amp; Co\""), std::string::npos) << xmp;
    EXPECT_EQ(read_xmp(original), "");
    // Same pixels: both decode to the same RGB.
    auto a = decode_rgb(original, 64);
    auto b = decode_rgb(*marked, 64);
    ASSERT_TRUE(a.is_ok() && b.is_ok()) << b.status().to_string();
    EXPECT_EQ(a->pixels, b->pixels);
    // Deterministic: the same record gives the same bytes.
    EXPECT_EQ(*provenance.apply(original, mime, record()), *marked);
  }
};

TEST_F(ProvenanceTest, MarksPngAndJpegWithoutChangingPixels) {
  expect_marked(encode_image(solid_image(200, 120, {10, 120, 200}), ".png"), "image/png");
  expect_marked(encode_image(solid_image(200, 120, {10, 120, 200}), ".jpg[Q=90]"), "image/jpeg");
}

TEST_F(ProvenanceTest, RefusesWhatItCannotMark) {
  XmpProvenance provenance;
  EXPECT_EQ(provenance.apply("not a png", "image/png", record()).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(provenance.apply("GIF89a", "image/gif", record()).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST(ExportFilesTest, ZipHoldsTheEntriesAndIsReproducible) {
  const std::vector<ZipEntry> entries = {{"manifest.csv", "a,b\r\n"},
                                         {"images/x.png", std::string(5000, '\x7f')}};
  auto zip = write_zip(entries);
  ASSERT_TRUE(zip.is_ok()) << zip.status().to_string();
  EXPECT_EQ(*write_zip(entries), *zip);
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  ASSERT_EQ(archive_read_open_memory(a, zip->data(), zip->size()), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  std::size_t i = 0;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    ASSERT_LT(i, entries.size());
    EXPECT_EQ(archive_entry_pathname(entry), entries[i].path);
    std::string data(entries[i].bytes.size(), '\0');
    EXPECT_EQ(archive_read_data(a, data.data(), data.size()), static_cast<la_ssize_t>(data.size()));
    EXPECT_EQ(data, entries[i].bytes);
    ++i;
  }
  archive_read_free(a);
  EXPECT_EQ(i, entries.size());
}

TEST(ExportFilesTest, CsvRowsQuoteAndDefuseFormulas) {
  EXPECT_EQ(csv_row({"a", "b c", "1.5"}), "a,b c,1.5\r\n");
  EXPECT_EQ(csv_row({"x,y", "say \"hi\"", "two\nlines"}),
            "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
  EXPECT_EQ(csv_row({"=HYPERLINK(\"x\")", "+1", "-2", "@sum"}),
            "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@sum\r\n");
  const auto parsed = parse_csv(csv_row({"x,y", "say \"hi\""}));
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ((*parsed)[0], (CsvRecord{"x,y", "say \"hi\""}));
}

}  // namespace
}  // namespace adloom
