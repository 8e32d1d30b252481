#include "models/provider_errors.h"

#include <fmt/format.h>

namespace adloom {
namespace {

constexpr std::size_t kMaxMessage = 500;

std::string json_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return {};
  return v.dump();
}

// FastAPI validation errors: [{"loc":["body","width"],"msg":"…"}] -> "body.width: …".
std::string fastapi_detail(const nlohmann::json& detail) {
  std::string out;
  for (const auto& item : detail) {
    if (!item.is_object()) continue;
    std::string loc;
    if (const auto l = item.find("loc"); l != item.end() && l->is_array()) {
      for (const auto& part : *l) {
        if (!loc.empty()) loc += '.';
        loc += json_text(part);
      }
    }
    const std::string msg = json_text(item.value("msg", nlohmann::json()));
    if (!out.empty()) out += "; ";
    if (!loc.empty()) out.append(loc).append(": ");
    out += msg;
  }
  return out;
}

std::string message_of(const nlohmann::json& body) {
  if (!body.is_object()) return {};
  if (const auto e = body.find("error"); e != body.end()) {
    if (e->is_object()) {  // OpenAI, ComfyUI
      std::string message = json_text(e->value("message", nlohmann::json()));
      const std::string code = json_text(e->value("code", nlohmann::json()));
      if (!code.empty() && message.find(code) == std::string::npos) {
        message = message.empty() ? code : code + ": " + message;
      }
      if (!message.empty()) return message;
    } else if (e->is_string()) {  // AUTOMATIC1111: {"error": "RuntimeError", "detail": "…"}
      std::string detail = json_text(body.value("detail", nlohmann::json()));
      if (detail.empty()) return e->get<std::string>();
      return e->get<std::string>() + ": " + detail;
    }
  }
  if (const auto d = body.find("detail"); d != body.end()) {
    if (d->is_array()) return fastapi_detail(*d);
    if (!d->is_null()) return json_text(*d);
  }
  if (const auto m = body.find("message"); m != body.end() && !m->is_null()) return json_text(*m);
  return {};
}

std::string_view fallback(std::string_view text, std::string_view otherwise) {
  return text.empty() ? otherwise : text;
}

}  // namespace

std::string clip_text(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

std::string error_body_message(std::string_view body) {
  const auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string message = parsed.is_discarded() ? std::string() : message_of(parsed);
  if (message.empty()) {
    // Not JSON, or a shape we do not know: the start of the body, on one line.
    message = std::string(body.substr(0, kMaxMessage + 1));
    for (char& c : message) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
  }
  return clip_text(message, kMaxMessage);
}

Status http_error(std::string_view provider, std::string_view model, const OutboundResponse& r,
                  std::string_view provider_message, const ProviderErrorHints& hints) {
  const std::string said = provider_message.empty() ? error_body_message(r.body)
                                                    : clip_text(provider_message, kMaxMessage);
  const std::string_view where = fallback(hints.endpoint, provider);
  const int s = r.status;
  if (s < 400) {
    return internal_error(fmt::format("{} answered HTTP {}, which is not an error", provider, s));
  }
  if (s == 400 || s == 413 || s == 422) {
    return invalid_argument(fmt::format("{} rejected the request: {}", provider,
                                        fallback(said, "HTTP " + std::to_string(s))));
  }
  if (s == 401 || s == 403) {
    const std::string check =
        hints.credentials_setting.empty()
            ? fmt::format("check the credentials and that they may use the model '{}'", model)
            : fmt::format("check {} and that the key may use the model '{}'",
                          hints.credentials_setting, model);
    return {ErrorCode::kFailedPrecondition,
            fmt::format("{}: {} {} — {}", provider, s, fallback(said, "access denied"), check)};
  }
  if (s == 404) {
    return {ErrorCode::kFailedPrecondition,
            fmt::format("model '{}' not found on {}{}{} (check the model name and the endpoint)",
                        model, where, said.empty() ? "" : ": ", said)};
  }
  if (s == 408 || s == 504) {
    return {ErrorCode::kDeadlineExceeded,
            fmt::format("{} timed out (HTTP {}){}{}", provider, s, said.empty() ? "" : ": ", said)};
  }
  if (s == 429) {
    return {ErrorCode::kResourceExhausted,
            fmt::format("{} is rate limiting or out of quota (HTTP 429){}{}", provider,
                        said.empty() ? "" : ": ", said)};
  }
  if (s >= 500) {
    return unavailable(
        fmt::format("{} failed (HTTP {}){}{}", provider, s, said.empty() ? "" : ": ", said));
  }
  return {ErrorCode::kFailedPrecondition,
          fmt::format("{} answered HTTP {} at {}{}{} (is the endpoint a {} server?)", provider, s,
                      where, said.empty() ? "" : ": ", said, provider)};
}

Result<nlohmann::json> parse_json_body(std::string_view provider, const OutboundResponse& r) {
  try {
    return nlohmann::json::parse(r.body);
  } catch (const nlohmann::json::parse_error& e) {
    return malformed_answer(
        provider, fmt::format("{} (HTTP {}, {} bytes)", e.what(), r.status, r.body.size()));
  }
}

Status malformed_answer(std::string_view provider, std::string_view what) {
  return unavailable(fmt::format("malformed answer from {}: {}", provider, what));
}

}  // namespace adloom
