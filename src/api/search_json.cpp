#include "api/search_json.h"

#include <charconv>

#include <openssl/evp.h>

#include "core/clock.h"
#include "core/ids.h"

namespace adloom {
namespace {

// A string or an array of strings, as a list; absent or null leaves `out` empty.
Status read_string_list(const Json& obj, const char* key, std::vector<std::string>& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::ok();
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return Status::ok();
  }
  if (!it->is_array()) return invalid_argument(std::string(key) + " must be a string or a list");
  for (const auto& v : *it) {
    if (!v.is_string()) return invalid_argument(std::string(key) + " must hold strings only");
    out.push_back(v.get<std::string>());
  }
  return Status::ok();
}

Status read_number(const Json& obj, const char* key, double& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::ok();
  if (!it->is_number()) return invalid_argument(std::string(key) + " must be a number");
  out = it->get<double>();
  return Status::ok();
}

Status read_asset_ids(const Json& obj, const char* key, std::vector<AssetId>& out) {
  ADLOOM_TRY(read_string_list(obj, key, out));
  for (const auto& id : out) {
    if (!is_valid_id(id, "ast"))
      return invalid_argument(std::string(key) + ": '" + id + "' is not an asset id");
  }
  return Status::ok();
}

Result<std::string> decode_base64(const std::string& text) {
  std::string clean;
  for (char c : text) {
    if (c != '\n' && c != '\r' && c != ' ') clean += c;
  }
  if (clean.empty() || clean.size() % 4 != 0) {
    return invalid_argument("image_base64 is not base64 (its length must be a multiple of 4)");
  }
  std::string out(clean.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(clean.data()),
                                static_cast<int>(clean.size()));
  if (n < 0) return invalid_argument("image_base64 is not base64");
  std::size_t size = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes.
  for (std::size_t i = clean.size(); i > 0 && clean[i - 1] == '='; --i) --size;
  out.resize(size);
  return out;
}

Result<RankOptions> parse_rank(const Json& value, RankOptions rank) {
  if (!value.is_object()) return invalid_argument("rank must be an object");
  ADLOOM_TRY(check_keys(value, {"kpi", "kpi_weight", "text_weight", "half_life_days", "diversity"},
                        "rank"));
  if (auto it = value.find("kpi"); it != value.end()) {
    if (it->is_null()) {
      rank.kpi.clear();
    } else {
      ADLOOM_TRY(read_string(value, "kpi", rank.kpi));
    }
  }
  ADLOOM_TRY(read_number(value, "kpi_weight", rank.kpi_weight));
  ADLOOM_TRY(read_number(value, "text_weight", rank.text_weight));
  ADLOOM_TRY(read_number(value, "diversity", rank.diversity));
  if (auto it = value.find("half_life_days"); it != value.end() && !it->is_null()) {
    double days = 0;
    ADLOOM_TRY(read_number(value, "half_life_days", days));
    rank.half_life_days = days;
  }
  return rank;
}

// k, cursor, filters and rank: what every search request has.
Status parse_common(const Json& body, SearchRequest& req) {
  if (auto it = body.find("k"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer()) return invalid_argument("k must be a whole number");
    const auto k = it->get<std::int64_t>();
    if (k < 1 || k > SearchService::kMaxK) {
      return invalid_argument("k must be between 1 and " + std::to_string(SearchService::kMaxK));
    }
    req.k = static_cast<int>(k);
  }
  std::string cursor;
  ADLOOM_TRY(read_string(body, "cursor", cursor));
  if (!cursor.empty()) {
    ADLOOM_ASSIGN(req.offset, decode_cursor(cursor));
  }
  if (auto it = body.find("filters"); it != body.end() && !it->is_null()) {
    ADLOOM_ASSIGN(req.filter, parse_search_filter(*it));
  }
  if (auto it = body.find("rank"); it != body.end() && !it->is_null()) {
    RankOptions defaults;
    if (req.brief) defaults.kpi = kpi_for_objective(req.brief->objective);
    ADLOOM_ASSIGN(RankOptions rank, parse_rank(*it, defaults));
    req.rank = rank;
  }
  return Status::ok();
}

}  // namespace

std::string encode_cursor(int offset) {
  return "p" + std::to_string(offset);
}

Result<int> decode_cursor(const std::string& cursor) {
  int offset = 0;
  const char* end = cursor.data() + cursor.size();
  const auto parsed = cursor.size() < 2 || cursor[0] != 'p'
                          ? std::from_chars_result{cursor.data(), std::errc::invalid_argument}
                          : std::from_chars(cursor.data() + 1, end, offset);
  if (parsed.ec != std::errc{} || parsed.ptr != end || offset < 0) {
    return invalid_argument("cursor is not one this server gave out");
  }
  return offset;
}

Result<Brief> parse_brief(const Json& value) {
  if (!value.is_object()) return invalid_argument("brief must be an object");
  ADLOOM_TRY(check_keys(value,
                        {"name", "product", "description", "objective", "audience", "channel",
                         "format", "tone", "call_to_action"},
                        "the brief"));
  Brief b;
  ADLOOM_TRY(read_string(value, "name", b.name));
  ADLOOM_TRY(read_string(value, "product", b.product));
  ADLOOM_TRY(read_string(value, "description", b.description));
  ADLOOM_TRY(read_string(value, "objective", b.objective));
  ADLOOM_TRY(read_string(value, "audience", b.audience));
  ADLOOM_TRY(read_string(value, "channel", b.channel));
  ADLOOM_TRY(read_string(value, "format", b.format));
  ADLOOM_TRY(read_string(value, "tone", b.tone));
  ADLOOM_TRY(read_string(value, "call_to_action", b.call_to_action));
  return b;
}

Result<SearchFilter> parse_search_filter(const Json& value) {
  if (!value.is_object()) return invalid_argument("filters must be an object");
  ADLOOM_TRY(check_keys(value,
                        {"channel", "objective", "audience", "campaign", "kind", "review_state",
                         "tags", "date_from", "date_to", "min_kpi"},
                        "filters"));
  SearchFilter f;
  ADLOOM_TRY(read_string_list(value, "channel", f.channels));
  ADLOOM_TRY(read_string_list(value, "objective", f.objectives));
  ADLOOM_TRY(read_string_list(value, "audience", f.audiences));
  ADLOOM_TRY(read_string_list(value, "campaign", f.campaigns));
  ADLOOM_TRY(read_string_list(value, "tags", f.tags));
  std::string kind;
  ADLOOM_TRY(read_string(value, "kind", kind));
  if (!kind.empty()) f.kind = kind;
  std::vector<std::string> review;
  ADLOOM_TRY(read_string_list(value, "review_state", review));
  for (const auto& r : review) {
    auto state = parse_review_state(r);
    if (!state) {
      return invalid_argument("review_state must be none, pending, approved or rejected, not '" +
                              r + "'");
    }
    f.review.push_back(*state);
  }
  std::string date;
  ADLOOM_TRY(read_string(value, "date_from", date));
  if (!date.empty()) f.date_from = date;
  date.clear();
  ADLOOM_TRY(read_string(value, "date_to", date));
  if (!date.empty()) f.date_to = date;
  if (auto it = value.find("min_kpi"); it != value.end() && !it->is_null()) {
    if (!it->is_object())
      return invalid_argument("min_kpi must be an object such as {\"ctr\": 0.02}");
    for (const auto& [metric, v] : it->items()) {
      if (!v.is_number()) return invalid_argument("min_kpi." + metric + " must be a number");
      f.min_kpis.push_back({metric, v.get<double>()});
    }
  }
  return f;
}

Result<SearchRequest> parse_search_request(const Json& body) {
  ADLOOM_TRY(check_keys(body,
                        {"text", "image", "image_base64", "vector", "brief", "like", "unlike",
                         "filters", "k", "cursor", "rank"},
                        "the search"));
  SearchRequest req;
  ADLOOM_TRY(read_string(body, "text", req.text));
  std::string image;
  ADLOOM_TRY(read_string(body, "image", image));
  if (!image.empty()) {
    if (!is_valid_id(image, "ast")) return invalid_argument("image must be an asset id (ast_…)");
    req.image_asset = image;
  }
  if (auto it = body.find("image_base64"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) return invalid_argument("image_base64 must be a string");
    ADLOOM_ASSIGN(req.image_bytes, decode_base64(it->get<std::string>()));
  }
  if (auto it = body.find("vector"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return invalid_argument("vector must be an array of numbers");
    for (const auto& x : *it) {
      if (!x.is_number()) return invalid_argument("vector must be an array of numbers");
      req.vector.push_back(x.get<float>());
    }
  }
  if (auto it = body.find("brief"); it != body.end() && !it->is_null()) {
    ADLOOM_ASSIGN(Brief brief, parse_brief(*it));
    req.brief = brief;
  }
  ADLOOM_TRY(read_asset_ids(body, "like", req.like));
  ADLOOM_TRY(read_asset_ids(body, "unlike", req.unlike));
  ADLOOM_TRY(parse_common(body, req));
  return req;
}

Result<SearchRequest> parse_recommendation_request(const Json& body) {
  ADLOOM_TRY(check_keys(body, {"brief", "filters", "k", "cursor", "rank"}, "the request"));
  auto it = body.find("brief");
  if (it == body.end() || it->is_null()) return invalid_argument("a brief is required");
  SearchRequest req;
  ADLOOM_ASSIGN(Brief brief, parse_brief(*it));
  if (brief_text(brief).empty()) {
    return invalid_argument("the brief needs words: a product, a description or an audience");
  }
  req.brief = brief;
  ADLOOM_TRY(parse_common(body, req));
  return req;
}

Json search_hit_to_json(const SearchHit& h) {
  Json kpi = nullptr;
  if (h.kpi) {
    const auto& ev = h.kpi->evidence;
    kpi = {{"metric", h.kpi->metric},
           {"value", ev.value},
           {"measured", ev.raw},
           {"smoothed", ev.smoothed},
           {"plus_minus", ev.sd},
           {"successes", ev.successes},
           {"trials", ev.trials},
           {"percentile", ev.percentile},
           {"percentile_scope", ev.scope},
           {"from_campaign", ev.from_campaign},
           {"prior_mean", h.kpi->prior_mean},
           {"prior_strength", h.kpi->prior_strength}};
  }
  const std::string base = "/api/v1/assets/" + h.id;
  return {
      {"id", h.id},
      {"score", h.score},
      {"similarity", h.similarity},
      {"text_match", h.text_match},
      {"matched_words", h.matched_words},
      {"kpi", kpi},
      {"kpi_percentile_used", h.kpi_percentile},
      {"recency", h.recency},
      {"age_days", h.age_days},
      {"parts", {{"similarity", h.parts.similarity}, {"text", h.parts.text}, {"kpi", h.parts.kpi}}},
      {"redundancy", h.redundancy},
      {"similar_to", h.similar_to ? Json(*h.similar_to) : Json(nullptr)},
      {"near_duplicate_of", h.near_duplicate_of ? Json(*h.near_duplicate_of) : Json(nullptr)},
      {"explanation", h.explanation},
      {"asset", base},
      {"thumb", base + "/content?rendition=thumb"},
      {"preview", base + "/content?rendition=preview"}};
}

Json search_result_to_json(const SearchResult& r) {
  Json hits = Json::array();
  for (const auto& h : r.hits) hits.push_back(search_hit_to_json(h));
  return {{"hits", hits},
          {"next_cursor", r.next_offset ? Json(encode_cursor(*r.next_offset)) : Json(nullptr)},
          {"kpi", r.kpi.empty() ? Json(nullptr) : Json(r.kpi)},
          {"stats",
           {{"vector_mode", r.stats.vector_mode},
            {"selectivity", r.stats.selectivity},
            {"candidates", r.stats.candidates},
            {"library_size", r.stats.library_size},
            {"took_ms", r.stats.took_ms}}}};
}

}  // namespace adloom
