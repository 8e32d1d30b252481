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
                                      int limit) override;

 private:
  sqlite::Database& db_;
};

// The FTS5 MATCH expression for a user's words: each word quoted, joined by OR
// ("summer sale!" -> "\"summer\" OR \"sale\""); "" when there are no words.
std::string fts_match_expression(std::string_view query);

}  // namespace adloom
