// parse_csv: RFC 4180 quoting, line endings, BOM and malformed input.
#include "services/csv.h"

#include <gtest/gtest.h>

namespace adloom {
namespace {

using Records = std::vector<CsvRecord>;

Records parse_ok(std::string_view text) {
  auto r = parse_csv(text);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? *r : Records{};
}

TEST(CsvTest, PlainFieldsAndLineEndings) {
  EXPECT_EQ(parse_ok("a,b,c\n1,2,3\n"), (Records{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(parse_ok("a,b\r\n1,2\r\n"), (Records{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(parse_ok("a,b\r1,2"), (Records{{"a", "b"}, {"1", "2"}}));
  // No line break after the last record.
  EXPECT_EQ(parse_ok("a,b\n1,2"), (Records{{"a", "b"}, {"1", "2"}}));
  // Mixed endings in one file.
  EXPECT_EQ(parse_ok("a\r\nb\nc"), (Records{{"a"}, {"b"}, {"c"}}));
}

TEST(CsvTest, EmptyFieldsAndBlankLines) {
  EXPECT_EQ(parse_ok(",a,,\n"), (Records{{"", "a", "", ""}}));
  EXPECT_EQ(parse_ok("a,"), (Records{{"a", ""}}));
  // A blank line is a record with one empty field, keeping row numbers aligned.
  EXPECT_EQ(parse_ok("a\n\nb\n"), (Records{{"a"}, {""}, {"b"}}));
  EXPECT_TRUE(parse_ok("").empty());
  EXPECT_EQ(parse_ok("\n"), (Records{{""}}));
}

TEST(CsvTest, QuotedFields) {
  EXPECT_EQ(parse_ok("\"a,b\",c\n"), (Records{{"a,b", "c"}}));
  EXPECT_EQ(parse_ok("\"say \"\"hi\"\"\",x"), (Records{{"say \"hi\"", "x"}}));
  EXPECT_EQ(parse_ok("\"line1\r\nline2\",x\ny,z\n"),
            (Records{{"line1\r\nline2", "x"}, {"y", "z"}}));
  EXPECT_EQ(parse_ok("\"\",\"\"\n"), (Records{{"", ""}}));
  EXPECT_EQ(parse_ok("\"\""), (Records{{""}}));
  EXPECT_EQ(parse_ok("\"\"\"\""), (Records{{"\""}}));
  // Spaces are kept verbatim.
  EXPECT_EQ(parse_ok(" a , b \n"), (Records{{" a ", " b "}}));
}

TEST(CsvTest, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(parse_ok("\xEF\xBB\xBF"
                     "asset_id,clicks\nx,1\n"),
            (Records{{"asset_id", "clicks"}, {"x", "1"}}));
  EXPECT_EQ(parse_ok("\xEF\xBB\xBF\"q\",1"), (Records{{"q", "1"}}));
}

TEST(CsvTest, MalformedInputNamesTheRow) {
  auto unclosed = parse_csv("a,b\n\"open,1\n2,3\n");
  ASSERT_FALSE(unclosed.is_ok());
  EXPECT_EQ(unclosed.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(unclosed.status().message().find("row 2"), std::string::npos);
  EXPECT_NE(unclosed.status().message().find("never closed"), std::string::npos);

  auto after_quote = parse_csv("a\n\"x\"y,1\n");
  ASSERT_FALSE(after_quote.is_ok());
  EXPECT_NE(after_quote.status().message().find("row 2"), std::string::npos);
  EXPECT_NE(after_quote.status().message().find("after a closing quote"), std::string::npos);

  auto stray = parse_csv("a,b\"c\n");
  ASSERT_FALSE(stray.is_ok());
  EXPECT_NE(stray.status().message().find("row 1"), std::string::npos);
  EXPECT_NE(stray.status().message().find("quote inside an unquoted field"), std::string::npos);
}

}  // namespace
}  // namespace adloom
