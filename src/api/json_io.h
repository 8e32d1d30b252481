// JSON at the edge: request bodies parsed and checked here, responses serialised here.
// Services never see JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "api/http_types.h"
#include "core/status.h"

namespace adloom {

using Json = nlohmann::json;

// The body as a JSON object. 415 unless Content-Type is application/json; 400 for an
// empty body, malformed JSON (with the byte offset) or a non-object.
Result<Json> parse_json_body(const HttpRequest& req);

HttpResponse json_response(int status, const Json& body);

// Optional typed fields of a JSON object; a present field of the wrong type is an error
// naming the field.
Result<std::optional<std::string>> optional_string(const Json& obj, const char* field);
Result<std::optional<std::int64_t>> optional_int(const Json& obj, const char* field,
                                                 std::int64_t min, std::int64_t max);

// Reads an optional string field into `out` (left alone when absent or null); at most
// 10,000 characters.
Status read_string(const Json& obj, const char* key, std::string& out);

// kInvalidArgument naming the first key of `object` that is not in `known`: a typo
// ("tag" for "tags") is an error, never silently dropped. `what` names the object.
Status check_keys(const Json& object, const std::set<std::string>& known, const char* what);

// The {id} path parameter as a campaign id; kNotFound ("campaign … does not exist") when
// it is not one, before any query.
Result<std::string> campaign_id_param(const HttpRequest& req);

// Stored JSON text as JSON, or the text as a JSON string if it does not parse.
Json json_or_text(const std::string& text);

// An integer query parameter in [min, max]; `fallback` when absent.
Result<std::int64_t> query_int(const HttpRequest& req, const char* name, std::int64_t fallback,
                               std::int64_t min, std::int64_t max);

}  // namespace adloom
