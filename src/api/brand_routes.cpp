// /api/v1/brand-kits: create, list, read, change (PATCH, optionally guarded by "version")
// and delete a workspace's brand kits. Wire format in docs/brand-kits.md.
#include "api/api.h"
#include "api/json_io.h"
#include "services/brand_service.h"

namespace adloom {
namespace {

const std::set<std::string> kKitKeys = {"name",         "palette",     "font_family",
                                        "logo",         "tone_words",  "style_words",
                                        "banned_terms", "disclosures", "version"};

Json kit_to_json(const BrandKit& k) {
  Json palette = Json::array();
  for (const auto& c : k.fields.palette) {
    palette.push_back({{"hex", c.hex}, {"role", c.role}, {"name", c.name}});
  }
  const auto& f = k.fields;
  return {{"id", k.id},
          {"name", f.name},
          {"palette", palette},
          {"font_family", f.font_family},
          {"logo", f.logo ? Json(*f.logo) : Json(nullptr)},
          {"tone_words", f.tone_words},
          {"style_words", f.style_words},
          {"banned_terms", f.banned_terms},
          {"disclosures", f.disclosures},
          {"version", k.version},
          {"created_at", format_rfc3339(k.created_at)},
          {"updated_at", format_rfc3339(k.updated_at)}};
}

Result<std::vector<std::string>> read_string_list(const Json& body, const char* key) {
  const Json& v = body[key];
  const std::string bad = std::string(key) + " must be an array of strings";
  if (!v.is_array()) return invalid_argument(bad);
  std::vector<std::string> out;
  for (const auto& item : v) {
    if (!item.is_string()) return invalid_argument(bad);
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::vector<PaletteColour>> read_palette(const Json& body) {
  const Json& v = body["palette"];
  if (!v.is_array()) return invalid_argument("palette must be an array of colours");
  std::vector<PaletteColour> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const Json& c = v[i];
    const std::string what = "palette[" + std::to_string(i) + "]";
    PaletteColour colour;
    if (c.is_string()) {  // "#1E6FD9" alone: a colour with no role or name
      colour.hex = c.get<std::string>();
    } else if (c.is_object()) {
      ADLOOM_TRY(check_keys(c, {"hex", "role", "name"}, what.c_str()));
      if (!c.contains("hex")) return invalid_argument(what + " needs a hex value");
      ADLOOM_TRY(read_string(c, "hex", colour.hex));
      ADLOOM_TRY(read_string(c, "role", colour.role));
      ADLOOM_TRY(read_string(c, "name", colour.name));
    } else {
      return invalid_argument(what + " must be \"#RRGGBB\" or {\"hex\", \"role\", \"name\"}");
    }
    out.push_back(std::move(colour));
  }
  return out;
}

// Every present kit key of `body` into `patch` (null lists and palette clear them).
Result<BrandKitPatch> parse_patch(const Json& body) {
  ADLOOM_TRY(check_keys(body, kKitKeys, "brand kit"));
  BrandKitPatch p;
  const auto has = [&](const char* key) { return body.contains(key); };
  if (has("name")) {
    ADLOOM_ASSIGN(p.name, optional_string(body, "name"));
    if (!p.name) return invalid_argument("name must not be null");
  }
  if (has("font_family")) {
    ADLOOM_ASSIGN(auto font, optional_string(body, "font_family"));
    p.font_family = font.value_or("");
  }
  if (has("logo")) {
    ADLOOM_ASSIGN(auto logo, optional_string(body, "logo"));
    p.logo = logo;  // null removes the logo
  }
  if (has("palette")) {
    if (body["palette"].is_null()) {
      p.palette.emplace();
    } else {
      ADLOOM_ASSIGN(p.palette, read_palette(body));
    }
  }
  const std::pair<const char*, std::optional<std::vector<std::string>>*> lists[] = {
      {"tone_words", &p.tone_words},
      {"style_words", &p.style_words},
      {"banned_terms", &p.banned_terms},
      {"disclosures", &p.disclosures}};
  for (const auto& [key, out] : lists) {
    if (!has(key)) continue;
    if (body[key].is_null()) {
      out->emplace();
      continue;
    }
    ADLOOM_ASSIGN(*out, read_string_list(body, key));
  }
  return p;
}

BrandKitFields fields_from(const BrandKitPatch& p) {
  BrandKitFields f;
  f.name = p.name.value_or("");
  f.palette = p.palette.value_or(std::vector<PaletteColour>{});
  f.font_family = p.font_family.value_or("");
  f.logo = p.logo.value_or(std::nullopt);
  f.tone_words = p.tone_words.value_or(std::vector<std::string>{});
  f.style_words = p.style_words.value_or(std::vector<std::string>{});
  f.banned_terms = p.banned_terms.value_or(std::vector<std::string>{});
  f.disclosures = p.disclosures.value_or(std::vector<std::string>{});
  return f;
}

Result<BrandKitId> kit_id_param(const HttpRequest& req) {
  const std::string& id = req.param("id");
  if (!is_valid_id(id, "bk")) return not_found("brand kit " + id + " does not exist");
  return id;
}

}  // namespace

void register_brand_routes(Router& router, ApiDeps& deps) {
  router.add("POST", "/api/v1/brand-kits",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               if (body.contains("version")) {
                 return invalid_argument("version is set by the server; leave it out");
               }
               ADLOOM_ASSIGN(BrandKitPatch patch, parse_patch(body));
               ADLOOM_ASSIGN(BrandKit kit, deps.brands.create(ctx, fields_from(patch)));
               HttpResponse resp = json_response(201, kit_to_json(kit));
               resp.headers.emplace_back("Location", "/api/v1/brand-kits/" + kit.id);
               return resp;
             });

  router.add("GET", "/api/v1/brand-kits",
             [&deps](const RequestContext& ctx, HttpRequest&) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(auto kits, deps.brands.list(ctx));
               Json out = Json::array();
               for (const auto& k : kits) out.push_back(kit_to_json(k));
               return json_response(200, {{"brand_kits", out}});
             });

  router.add("GET", "/api/v1/brand-kits/{id}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(BrandKitId id, kit_id_param(req));
               ADLOOM_ASSIGN(BrandKit kit, deps.brands.get(ctx, id));
               return json_response(200, kit_to_json(kit));
             });

  // Present keys replace; absent keys stay. "version": the version the client edited
  // (409 when someone saved since).
  router.add("PATCH", "/api/v1/brand-kits/{id}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(BrandKitId id, kit_id_param(req));
               ADLOOM_ASSIGN(Json body, parse_json_body(req));
               ADLOOM_ASSIGN(BrandKitPatch patch, parse_patch(body));
               ADLOOM_ASSIGN(auto version, optional_int(body, "version", 1,
                                                        std::numeric_limits<std::int64_t>::max()));
               ADLOOM_ASSIGN(BrandKit kit, deps.brands.update(ctx, id, patch, version));
               return json_response(200, kit_to_json(kit));
             });

  router.add("DELETE", "/api/v1/brand-kits/{id}",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               ADLOOM_ASSIGN(BrandKitId id, kit_id_param(req));
               ADLOOM_TRY(deps.brands.remove(ctx, id));
               HttpResponse resp;
               resp.status = 204;
               return resp;
             });
}

}  // namespace adloom
