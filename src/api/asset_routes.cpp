// /api/v1/assets: upload (multipart), list, inspect, renditions, KPIs and deletion of the
// library's images.
#include <spdlog/spdlog.h>

#include "api/api.h"
#include "api/asset_json.h"
#include "api/multipart.h"
#include "services/kpi.h"

namespace adloom {
namespace {

Result<AssetId> asset_id_param(const HttpRequest& req) {
  const std::string& id = req.param("id");
  if (!is_valid_id(id, "ast")) return not_found("asset " + id + " does not exist");
  return id;
}

Result<AssetFilter> parse_asset_filter(const HttpRequest& req) {
  AssetFilter f;
  auto text = [&](const char* key, std::optional<std::string>& out) {
    if (auto it = req.query.find(key); it != req.query.end() && !it->second.empty())
      out = it->second;
  };
  text("campaign_id", f.campaign_id);
  text("channel", f.channel);
  text("objective", f.objective);
  text("tag", f.tag);
  if (auto it = req.query.find("index_state"); it != req.query.end()) {
    f.index_state = parse_index_state(it->second);
    if (!f.index_state)
      return invalid_argument("index_state must be pending, indexing, indexed or failed");
  }
  if (auto it = req.query.find("cursor"); it != req.query.end()) {
    if (!is_valid_id(it->second, "ast")) return invalid_argument("cursor is not an asset id");
    f.before = it->second;
  }
  ADLOOM_ASSIGN(auto limit, query_int(req, "limit", 50, 1, 500));
  f.limit = static_cast<int>(limit);
  return f;
}

HttpResponse content_response(const HttpRequest& req, BlobStore& blobs, const std::string& key,
                              Result<HttpResponse>& error) {
  HttpResponse resp;
  const std::string etag = "\"" + key + "\"";
  resp.headers.emplace_back("ETag", etag);
  // Content-addressed: the bytes behind a key never change.
  resp.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
  if (auto inm = req.header("if-none-match"); inm && *inm == etag) {
    resp.status = 304;
    resp.content_type = "image/jpeg";
    return resp;
  }
  auto bytes = blobs.get(key);
  if (!bytes) {
    error = bytes.status();
    return resp;
  }
  resp.body = std::move(bytes).value();
  return resp;
}

}  // namespace

void register_asset_routes(Router& router, ApiDeps& deps) {
  router.add(
      "POST", "/api/v1/assets",
      [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
        auto ct = req.header("content-type");
        ADLOOM_ASSIGN(auto parts, parse_multipart(ct ? *ct : "", req.body));
        AssetUpload upload;
        for (const auto& p : parts) {
          if (p.name == "metadata") {
            ADLOOM_ASSIGN(upload, parse_upload_metadata(p.data));
          }
        }
        Json added = Json::array();
        Json rejected = Json::array();
        bool any_new = false;
        int files = 0;
        for (const auto& p : parts) {
          if (p.name != "file") continue;
          ++files;
          auto one = deps.library.add_asset(ctx, p.data, upload_with_name(upload, p.filename));
          if (!one) {
            rejected.push_back({{"filename", p.filename},
                                {"code", error_code_name(one.status().code())},
                                {"reason", one.status().message()}});
            continue;
          }
          any_new = any_new || !one->duplicate;
          if (one->index_job && deps.on_job_enqueued) deps.on_job_enqueued();
          Json item = asset_to_json(one->asset);
          item["duplicate"] = one->duplicate;
          item["index_job"] = one->index_job ? Json(*one->index_job) : Json(nullptr);
          added.push_back(item);
        }
        if (files == 0) return invalid_argument("no file parts named 'file' in the upload");
        if (added.empty()) {
          return invalid_argument(
              "no file was accepted: " + rejected[0]["filename"].get<std::string>() + ": " +
              rejected[0]["reason"].get<std::string>());
        }
        return json_response(any_new ? 201 : 200, {{"assets", added}, {"rejected", rejected}});
      });

  router.add("GET", "/api/v1/assets",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(AssetFilter filter, parse_asset_filter(req));
               ADLOOM_ASSIGN(AssetPage page, deps.assets.list_assets(ctx, filter));
               Json items = Json::array();
               for (const auto& a : page.assets) items.push_back(asset_to_json(a));
               return json_response(200, {{"assets", items},
                                          {"next_cursor", page.next_cursor ? Json(*page.next_cursor)
                                                                           : Json(nullptr)}});
             });

  router.add("GET", "/api/v1/assets/{id}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(AssetId id, asset_id_param(req));
               ADLOOM_ASSIGN(Asset asset, deps.assets.get_asset(ctx, id));
               return json_response(200, asset_to_json(asset));
             });

  router.add("GET", "/api/v1/assets/{id}/content",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(AssetId id, asset_id_param(req));
               ADLOOM_ASSIGN(Asset asset, deps.assets.get_asset(ctx, id));
               std::string rendition = "preview";
               if (auto it = req.query.find("rendition"); it != req.query.end())
                 rendition = it->second;
               std::optional<std::string> key;
               std::string mime = "image/jpeg";
               if (rendition == "thumb") {
                 key = asset.thumb_key;
               } else if (rendition == "preview") {
                 key = asset.preview_key;
               } else if (rendition == "full") {
                 ADLOOM_TRY(check_full_download(asset));
                 key = asset.blob_key;
                 mime = asset.mime;
               } else {
                 return invalid_argument("rendition must be thumb, preview or full");
               }
               if (!key) return not_found("asset " + id + " has no " + rendition + " rendition");
               Result<HttpResponse> error = HttpResponse{};
               HttpResponse resp = content_response(req, deps.blobs, *key, error);
               if (!error) return error.status();
               resp.content_type = mime;
               return resp;
             });

  router.add("PATCH", "/api/v1/assets/{id}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(AssetId id, asset_id_param(req));
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_ASSIGN(AssetPatch patch, parse_asset_patch(body));
               ADLOOM_ASSIGN(auto updated, deps.library.update_asset(ctx, id, patch));
               if (deps.on_job_enqueued) deps.on_job_enqueued();
               Json out = asset_to_json(updated.first);
               out["index_job"] = updated.second;
               return json_response(200, out);
             });

  router.add("PUT", "/api/v1/assets/{id}/kpis",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(AssetId id, asset_id_param(req));
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_ASSIGN(std::vector<KpiValue> kpis,
                             parse_kpis(body.contains("kpis") ? body["kpis"] : body, "api"));
               ADLOOM_ASSIGN(kpis, normalise_kpis(std::move(kpis)));
               ADLOOM_TRY(deps.assets.set_asset_kpis(ctx, id, kpis));
               ADLOOM_ASSIGN(Asset asset, deps.assets.get_asset(ctx, id));
               return json_response(200, asset_to_json(asset));
             });

  router.add("POST", "/api/v1/assets/reindex",
             [&deps](const RequestContext& ctx, HttpRequest&) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(int queued, deps.library.reindex_all(ctx));
               if (deps.on_job_enqueued) deps.on_job_enqueued();
               return json_response(202, {{"queued", queued}});
             });

  router.add("DELETE", "/api/v1/assets/{id}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(AssetId id, asset_id_param(req));
               ADLOOM_ASSIGN(Asset asset, deps.assets.get_asset(ctx, id));
               ADLOOM_ASSIGN(auto orphans, deps.assets.delete_asset(ctx, id));
               ADLOOM_TRY(deps.vectors.remove(ctx.workspace_id, asset.label));
               for (const auto& key : orphans) {
                 if (Status st = deps.blobs.remove(key); !st.is_ok()) {
                   spdlog::warn("event=blob_remove_failed request_id={} error=\"{}\"",
                                ctx.request_id, st.to_string());
                 }
               }
               HttpResponse resp;
               resp.status = 204;
               return resp;
             });
}

}  // namespace adloom
