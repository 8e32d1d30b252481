// TextIndex: keyword search over each asset's text (its campaign's name, description,
// channel, objective and audience; its own description and the analyser's; OCR text;
// tags), ranked by BM25. Implementations: embedded/ on SQLite FTS5 (rows written by
// AssetStore::write_text_index in the index step); OpenSearch later. Like the vector
// index, it is derived from the metadata store and rebuilt by re-indexing.
// Thread safety: search() may be called concurrently.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ids.h"
#include "core/status.h"
#include "search/vector_index.h"

namespace adloom {

struct TextHit {
  std::int64_t label = 0;  // the asset's label
  double score = 0;        // BM25: higher is better; comparable within one query only
};

class TextIndex {
 public:
  virtual ~TextIndex() = default;
  // The workspace's best `limit` (1..1000) assets for the words of `query`, best first.
  // Words are plain terms (letters and digits, any script; case and English word endings
  // do not matter); any word may match, and assets matching more words rank higher.
  // Punctuation and operators in `query` are never interpreted. No words: no hits.
  // `filter` (may be null) runs on each matching label in rank order, so `limit` hits
  // come back whenever that many match and pass it.
  virtual Result<std::vector<TextHit>> search(const WorkspaceId& workspace, std::string_view query,
                                              int limit, const LabelFilter& filter) = 0;
  // For each of `labels`, the words of `query` its text matches (in query order, as the
  // user typed them), to explain a hit. Labels without a match are left out.
  virtual Result<std::unordered_map<std::int64_t, std::vector<std::string>>> matched_words(
      const WorkspaceId& workspace, std::string_view query,
      std::span<const std::int64_t> labels) = 0;
};

}  // namespace adloom
