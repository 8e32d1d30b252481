#include "search/embedded/sqlite_text_index.h"

#include <algorithm>

namespace adloom {
namespace {

// Letters and digits of any script: ASCII alphanumerics and every byte of a UTF-8
// multi-byte sequence (the unicode61 tokenizer splits those itself).
bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

}  // namespace

std::vector<std::string> query_words(std::string_view query) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && !is_word_byte(static_cast<unsigned char>(query[i]))) ++i;
    const std::size_t start = i;
    while (i < query.size() && is_word_byte(static_cast<unsigned char>(query[i]))) ++i;
    if (i == start) break;
    std::string word(query.substr(start, i - start));
    if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
  }
  return words;
}

std::string fts_match_expression(std::string_view query) {
  std::string out;
  for (const auto& word : query_words(query)) {
    if (!out.empty()) out += " OR ";
    // A quoted string is a plain term to FTS5; the word holds no quote to escape.
    out += '"';
    out += word;
    out += '"';
  }
  return out;
}

Result<std::vector<TextHit>> SqliteTextIndex::search(const WorkspaceId& workspace,
                                                     std::string_view query, int limit,
                                                     const LabelFilter& filter) {
  if (limit < 1 || limit > 1000) return invalid_argument("limit must be between 1 and 1000");
  const std::string match = fts_match_expression(query);
  std::vector<TextHit> hits;
  if (match.empty()) return hits;
  Status st = db_.read([&](sqlite::Connection& c) -> Status {
    // bm25() is lower for better matches; weights follow the column order of asset_fts:
    // workspace_id (unindexed), campaign_text, description, ocr_text, tags. Without a
    // filter SQLite stops at the limit; with one, rows are read in rank order until
    // `limit` pass it.
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT rowid, -bm25(asset_fts, 0.0, 1.0, 1.5, 1.0, 2.0) AS s "
                                    "FROM asset_fts WHERE asset_fts MATCH ?1 AND workspace_id = ?2 "
                                    "ORDER BY s DESC LIMIT ?3"));
    q.bind(1, match).bind(2, workspace).bind(3, filter ? std::int64_t{-1} : std::int64_t{limit});
    while (hits.size() < static_cast<std::size_t>(limit)) {
      ADLOOM_ASSIGN(bool row, q.step());
      if (!row) break;
      const std::int64_t label = q.column_int(0);
      if (filter && !filter(label)) continue;
      hits.push_back({label, q.column_double(1)});
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return hits;
}

Result<std::unordered_map<std::int64_t, std::vector<std::string>>> SqliteTextIndex::matched_words(
    const WorkspaceId& workspace, std::string_view query, std::span<const std::int64_t> labels) {
  std::unordered_map<std::int64_t, std::vector<std::string>> out;
  if (labels.empty()) return out;
  std::string ids;
  for (std::int64_t label : labels) ids += (ids.empty() ? "" : ",") + std::to_string(label);
  Status st = db_.read([&](sqlite::Connection& c) -> Status {
    // One query per word (a query has a handful), over these rows only.
    ADLOOM_ASSIGN(auto q, c.prepare("SELECT rowid FROM asset_fts WHERE asset_fts MATCH ?1 AND "
                                    "workspace_id = ?2 AND rowid IN (SELECT value FROM "
                                    "json_each(?3))"));
    for (const auto& word : query_words(query)) {
      q.reset();
      q.bind(1, '"' + word + '"').bind(2, workspace).bind(3, "[" + ids + "]");
      while (true) {
        ADLOOM_ASSIGN(bool row, q.step());
        if (!row) break;
        out[q.column_int(0)].push_back(word);
      }
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

}  // namespace adloom
