// Search: POST /api/v1/search, GET /api/v1/assets/{id}/similar and
// POST /api/v1/campaigns/recommendations (docs/search.md).
#include "api/api.h"
#include "api/multipart.h"
#include "api/search_json.h"

namespace adloom {
namespace {

// The search as JSON, or as multipart/form-data with a "query" part (the JSON) and an
// "image" part (the query image's bytes, for images too big for image_base64).
Result<SearchRequest> read_search(const HttpRequest& req) {
  auto ct = req.header("content-type");
  if (ct && ct->starts_with("multipart/form-data")) {
    ADLOOM_ASSIGN(auto parts, parse_multipart(*ct, req.body));
    std::optional<SearchRequest> search;
    std::string image;
    for (const auto& p : parts) {
      if (p.name == "query") {
        auto j = Json::parse(p.data, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
          return invalid_argument("the query part must be a JSON object");
        }
        ADLOOM_ASSIGN(SearchRequest parsed, parse_search_request(j));
        search = std::move(parsed);
      } else if (p.name == "image") {
        image = std::string(p.data);
      } else {
        return invalid_argument("unexpected part '" + p.name + "' (expected query and image)");
      }
    }
    if (!search) search = SearchRequest{};
    if (!image.empty()) search->image_bytes = std::move(image);
    return *search;
  }
  ADLOOM_ASSIGN(Json body, parse_json_body(req));
  return parse_search_request(body);
}

// channel, objective, audience, campaign, kind, tag: the filters a query string can carry.
SearchFilter filter_from_query(const HttpRequest& req) {
  SearchFilter f;
  auto get = [&req](const char* key) -> std::optional<std::string> {
    auto it = req.query.find(key);
    if (it == req.query.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
  if (auto v = get("channel")) f.channels.push_back(*v);
  if (auto v = get("objective")) f.objectives.push_back(*v);
  if (auto v = get("audience")) f.audiences.push_back(*v);
  if (auto v = get("campaign")) f.campaigns.push_back(*v);
  if (auto v = get("tag")) f.tags.push_back(*v);
  if (auto v = get("kind")) f.kind = *v;
  return f;
}

}  // namespace

void register_search_routes(Router& router, ApiDeps& deps) {
  router.add("POST", "/api/v1/search",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(SearchRequest search, read_search(req));
               ADLOOM_ASSIGN(SearchResult result, deps.search.search(ctx, search));
               return json_response(200, search_result_to_json(result));
             });
  router.add("GET", "/api/v1/assets/{id}/similar",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(std::int64_t k, query_int(req, "k", 10, 1, SearchService::kMaxK));
               ADLOOM_ASSIGN(SearchResult result,
                             deps.search.similar(ctx, req.param("id"), static_cast<int>(k),
                                                 filter_from_query(req)));
               return json_response(200, search_result_to_json(result));
             });
  router.add("POST", "/api/v1/campaigns/recommendations",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_ASSIGN(SearchRequest search, parse_recommendation_request(body));
               ADLOOM_ASSIGN(SearchResult result, deps.search.search(ctx, search));
               return json_response(200, search_result_to_json(result));
             });
}

}  // namespace adloom
