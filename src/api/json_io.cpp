#include "api/json_io.h"

#include <charconv>

#include "core/ids.h"

namespace adloom {
namespace {

bool is_json_content_type(std::string_view ct) {
  auto semi = ct.find(';');
  std::string_view mime = ct.substr(0, semi);
  while (!mime.empty() && mime.back() == ' ') mime.remove_suffix(1);
  std::string lower(mime);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json";
}

}  // namespace

Result<Json> parse_json_body(const HttpRequest& req) {
  auto ct = req.header("content-type");
  if (!ct || !is_json_content_type(*ct)) {
    return Status(ErrorCode::kUnsupportedMediaType,
                  "expected Content-Type: application/json, got " +
                      (ct ? "'" + std::string(*ct) + "'" : std::string("none")));
  }
  if (req.body.empty()) return invalid_argument("request body is empty; expected a JSON object");
  try {
    Json body = Json::parse(req.body);
    if (!body.is_object()) return invalid_argument("request body must be a JSON object");
    return body;
  } catch (const Json::parse_error& e) {
    return invalid_argument("malformed JSON at byte " + std::to_string(e.byte) + ": " +
                            std::string(e.what()).substr(std::string(e.what()).rfind(':') + 2));
  }
}

HttpResponse json_response(int status, const Json& body) {
  HttpResponse resp;
  resp.status = status;
  resp.body = body.dump();
  return resp;
}

Result<std::optional<std::string>> optional_string(const Json& obj, const char* field) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) return invalid_argument(std::string(field) + " must be a string");
  return std::optional<std::string>{it->get<std::string>()};
}

Result<std::optional<std::int64_t>> optional_int(const Json& obj, const char* field,
                                                 std::int64_t min, std::int64_t max) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::optional<std::int64_t>{};
  if (!it->is_number_integer()) return invalid_argument(std::string(field) + " must be an integer");
  auto v = it->get<std::int64_t>();
  if (v < min || v > max) {
    return invalid_argument(std::string(field) + " must be between " + std::to_string(min) +
                            " and " + std::to_string(max));
  }
  return std::optional<std::int64_t>{v};
}

Result<std::int64_t> query_int(const HttpRequest& req, const char* name, std::int64_t fallback,
                               std::int64_t min, std::int64_t max) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return fallback;
  std::int64_t v = 0;
  const auto& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return invalid_argument(std::string("query parameter ") + name + " must be an integer");
  }
  if (v < min || v > max) {
    return invalid_argument(std::string("query parameter ") + name + " must be between " +
                            std::to_string(min) + " and " + std::to_string(max));
  }
  return v;
}

Status read_string(const Json& obj, const char* key, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::ok();
  if (!it->is_string()) return invalid_argument(std::string(key) + " must be a string");
  out = it->get<std::string>();
  if (out.size() > 10000)
    return invalid_argument(std::string(key) + " is longer than 10000 characters");
  return Status::ok();
}

Status check_keys(const Json& object, const std::set<std::string>& known, const char* what) {
  for (const auto& [key, value] : object.items()) {
    if (known.count(key) == 0) {
      std::string message = "unknown field '";
      message.append(key).append("' in ").append(what).append(" (known: ");
      for (const auto& k : known) {
        if (k != *known.begin()) message += ", ";
        message += k;
      }
      return invalid_argument(message + ")");
    }
  }
  return Status::ok();
}

Result<std::string> campaign_id_param(const HttpRequest& req) {
  const std::string& id = req.param("id");
  if (!is_valid_id(id, "cmp")) return not_found("campaign " + id + " does not exist");
  return id;
}

Json json_or_text(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json(text) : j;
}

}  // namespace adloom
