#include "search/embedded/sqlite_text_index.h"

namespace adloom {
namespace {

// Letters and digits of any script: ASCII alphanumerics and every byte of a UTF-8
// multi-byte sequence (the unicode61 tokenizer splits those itself).
bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

}  // namespace

std::string fts_match_expression(std::string_view query) {
  std::string out;
  std::size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && !is_word_byte(static_cast<unsigned char>(query[i]))) ++i;
    const std::size_t start = i;
    while (i < query.size() && is_word_byte(static_cast<unsigned char>(query[i]))) ++i;
    if (i == start) break;
    if (!out.empty()) out += " OR ";
    // A quoted string is a plain term to FTS5; the word holds no quote to escape.
    out += '"';
    out.append(query.substr(start, i - start));
    out += '"';
  }
  return out;
}

Result<std::vector<TextHit>> SqliteTextIndex::search(const WorkspaceId& workspace,
                                                     std::string_view query, int limit) {
  if (limit < 1 || limit > 1000) return invalid_argument("limit must be between 1 and 1000");
  const std::string match = fts_match_expression(query);
  std::vector<TextHit> hits;
  if (match.empty()) return hits;
  Status st = db_.read([&](sqlite::Connection& c) -> Status {
    // bm25() is lower for better matches; weights follow the column order of asset_fts:
    // workspace_id (unindexed), campaign_text, description, ocr_text, tags.
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT rowid, -bm25(asset_fts, 0.0, 1.0, 1.5, 1.0, 2.0) AS s "
                                    "FROM asset_fts WHERE asset_fts MATCH ?1 AND workspace_id = ?2 "
                                    "ORDER BY s DESC LIMIT ?3"));
    q.bind(1, match).bind(2, workspace).bind(3, static_cast<std::int64_t>(limit));
    while (true) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) break;
      hits.push_back({q.column_int(0), q.column_double(1)});
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return hits;
}

}  // namespace adloom
