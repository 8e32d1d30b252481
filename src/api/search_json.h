// JSON of search: the request of POST /api/v1/search and of recommendations, and the
// result with its explanations. Unknown fields are errors, as everywhere in the API.
#pragma once

#include "api/json_io.h"
#include "services/search_service.h"

namespace adloom {

// {"text", "image" (asset id), "image_base64", "vector", "brief", "like", "unlike",
// "filters", "k", "cursor", "rank"}; see docs/search.md.
Result<SearchRequest> parse_search_request(const Json& body);

// {"brief", "filters", "k", "cursor", "rank"}: a search by brief.
Result<SearchRequest> parse_recommendation_request(const Json& body);

Result<Brief> parse_brief(const Json& value);
Result<SearchFilter> parse_search_filter(const Json& value);

// Cursors are opaque to clients: "p" + the offset of the next page.
std::string encode_cursor(int offset);
Result<int> decode_cursor(const std::string& cursor);

Json search_result_to_json(const SearchResult& result);
Json search_hit_to_json(const SearchHit& hit);

}  // namespace adloom
