// SqliteTextIndex over the rows the index step writes: BM25 ranking, words only (no query
// syntax), stemming, workspaces kept apart.
#include <gtest/gtest.h>

#include "integration/library_db_fixture.h"
#include "search/embedded/sqlite_text_index.h"

namespace adloom {
namespace {

class TextIndexTest : public testing::LibraryDbTest {
 protected:
  // An indexed asset with this text; returns its label.
  std::int64_t add(const RequestContext& ctx, const std::string& sha,
                   const std::string& description, std::vector<std::string> tags = {},
                   const std::string& ocr = "") {
    NewAsset a;
    a.sha256 = sha;
    a.mime = "image/jpeg";
    a.bytes = 1;
    a.width = 10;
    a.height = 10;
    a.fields.description = description;
    a.fields.tags = std::move(tags);
    auto inserted = store_->insert_asset(ctx, a);
    EXPECT_TRUE(inserted.is_ok()) << inserted.status().to_string();
    if (!ocr.empty()) {
      EXPECT_TRUE(store_->set_analysis(ctx, inserted->first.id, "{}", ocr, "").is_ok());
    }
    EXPECT_TRUE(store_->write_text_index(ctx, inserted->first.id).is_ok());
    return inserted->first.label;
  }

  std::vector<std::int64_t> labels(const std::string& query, const RequestContext& ctx) {
    auto hits = index_->search(ctx.workspace_id, query, 10, nullptr);
    EXPECT_TRUE(hits.is_ok()) << hits.status().to_string();
    std::vector<std::int64_t> out;
    if (hits.is_ok()) {
      for (const auto& h : *hits) out.push_back(h.label);
    }
    return out;
  }

  void SetUp() override {
    LibraryDbTest::SetUp();
    index_ = std::make_unique<SqliteTextIndex>(*db_);
  }

  std::unique_ptr<SqliteTextIndex> index_;
};

TEST_F(TextIndexTest, RanksAssetsMatchingMoreWordsFirst) {
  const auto towels = add(ctx_, "a1", "Beach towels in bright orange", {"summer"});
  const auto hats = add(ctx_, "a2", "Sun hats for the beach");
  add(ctx_, "a3", "Winter scarves");
  EXPECT_EQ(labels("orange beach towels", ctx_), (std::vector<std::int64_t>{towels, hats}));
  EXPECT_EQ(labels("hat", ctx_), std::vector<std::int64_t>{hats}) << "stemmed: hats ~ hat";
  EXPECT_EQ(labels("SUMMER", ctx_), std::vector<std::int64_t>{towels}) << "tags, any case";
}

TEST_F(TextIndexTest, FindsOcrTextAndKeepsWorkspacesApart) {
  const auto mine = add(ctx_, "b1", "Banner", {}, "50% OFF EVERYTHING");
  add(other_, "b1", "Banner", {}, "50% OFF EVERYTHING");
  EXPECT_EQ(labels("everything", ctx_), std::vector<std::int64_t>{mine});
}

TEST_F(TextIndexTest, QuerySyntaxIsNeverInterpreted) {
  const auto a = add(ctx_, "c1", "Red boots NOT included");
  EXPECT_EQ(fts_match_expression("red AND (boots) \"x\" -y*"),
            R"("red" OR "AND" OR "boots" OR "x" OR "y")");
  EXPECT_EQ(labels("boots AND NEAR(", ctx_), std::vector<std::int64_t>{a});
  EXPECT_TRUE(labels("  !!! ", ctx_).empty());
  EXPECT_EQ(index_->search(ctx_.workspace_id, "boots", 0, nullptr).status().code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace adloom
