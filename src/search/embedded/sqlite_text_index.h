// SqliteTextIndex: TextIndex on the FTS5 table asset_fts (migration 2). Column weights:
// tags 2, description 1.5, campaign text 1, OCR text 1.
#pragma once

#include "search/text_index.h"
#include "store/sqlite/sqlite_db.h"

namespace adloom {

class SqliteTextIndex final : public TextIndex {
 public:
  // `db` must outlive the index.
  explicit SqliteTextIndex(sqlite::Database& db) : db_(db) {}
  Result<std::vector<TextHit>> search(const WorkspaceId& workspace, std::string_view query,
                                      int limit, const LabelFilter& filter) override;
  Result<std::unordered_map<std::int64_t, std::vector<std::string>>> matched_words(
      const WorkspaceId& workspace, std::string_view query,
      std::span<const std::int64_t> labels) override;

 private:
  sqlite::Database& db_;
};

// The FTS5 MATCH expression for a user's words: each word quoted, joined by OR
// ("summer sale!" -> "\"summer\" OR \"sale\""); "" when there are no words.
std::string fts_match_expression(std::string_view query);

// The words of a query as fts_match_expression sees them, in order, without repeats.
std::vector<std::string> query_words(std::string_view query);

}  // namespace adloom
