// The shared request path of the OpenAI-compatible adapters, and the chat model.
#include "models/openai/openai_models.h"

#include <fmt/format.h>

#include "models/openai/openai_internal.h"
#include "models/provider_errors.h"
#include "net/encoding.h"

namespace adloom {
namespace openai_internal {

ApiError api_error(std::string_view body) {
  ApiError out;
  const auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) {
    if (const auto e = parsed.find("error"); e != parsed.end() && e->is_object()) {
      if (const auto c = e->find("code"); c != e->end() && c->is_string()) out.code = *c;
    }
  }
  out.message = error_body_message(body);
  return out;
}

Result<nlohmann::json> post_json(HttpClient& http, const Target& target, std::string_view path,
                                 const nlohmann::json& body, const CallControl& control,
                                 ErrorHook on_error) {
  std::string_view base = target.endpoint;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  OutboundRequest request;
  request.method = "POST";
  request.url = fmt::format("{}{}", base, path);
  request.headers.push_back({"Content-Type", "application/json"});
  request.headers.push_back({"Accept", "application/json"});
  if (!target.api_key.empty()) {
    request.headers.push_back({"Authorization", fmt::format("Bearer {}", target.api_key)});
  }
  request.body = body.dump();
  ADLOOM_ASSIGN(OutboundResponse response, http.send(std::move(request), control));
  if (response.status >= 400) {
    const ApiError error = api_error(response.body);
    if (on_error != nullptr) ADLOOM_TRY(on_error(error, response));
    return http_error(kProvider, target.model, response, error.message,
                      {.endpoint = base, .credentials_setting = target.credentials_setting});
  }
  return parse_json_body(kProvider, response);
}

}  // namespace openai_internal

namespace {

using openai_internal::kProvider;

// The user message: the prompt alone, or the prompt then each image as a data: URL (the
// one image form every compatible server accepts; Ollama takes no http URLs).
nlohmann::json user_content(const TextRequest& request) {
  if (request.images.empty()) return request.prompt;
  nlohmann::json parts = nlohmann::json::array();
  parts.push_back({{"type", "text"}, {"text", request.prompt}});
  for (const auto& image : request.images) {
    parts.push_back(
        {{"type", "image_url"},
         {"image_url",
          {{"url", fmt::format("data:{};base64,{}", image.mime, base64_encode(image.bytes))}}}});
  }
  return parts;
}

int int_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

}  // namespace

Result<std::unique_ptr<OpenAiTextModel>> OpenAiTextModel::create(HttpClient& http,
                                                                 Options options) {
  if (options.endpoint.empty()) return invalid_argument("the OpenAI text model needs an endpoint");
  if (options.model.empty()) return invalid_argument("the OpenAI text model needs a model name");
  return std::unique_ptr<OpenAiTextModel>(new OpenAiTextModel(http, std::move(options)));
}

Result<TextResponse> OpenAiTextModel::generate(const TextRequest& request, const ModelCall& call) {
  nlohmann::json messages = nlohmann::json::array();
  if (!request.system.empty()) {
    messages.push_back({{"role", "system"}, {"content", request.system}});
  }
  messages.push_back({{"role", "user"}, {"content", user_content(request)}});
  const nlohmann::json body = {{"model", options_.model},
                               {"messages", std::move(messages)},
                               {"max_tokens", request.max_tokens},
                               {"temperature", request.temperature}};
  const openai_internal::Target target{options_.endpoint, options_.api_key, options_.model,
                                       options_.credentials_setting};
  ADLOOM_ASSIGN(const nlohmann::json answer,
                openai_internal::post_json(http_, target, "/chat/completions", body, call.control));

  const auto choices = answer.find("choices");
  if (!answer.is_object() || choices == answer.end() || !choices->is_array() || choices->empty() ||
      !(*choices)[0].is_object()) {
    return malformed_answer(kProvider, "no choices[0] in the chat completion");
  }
  const nlohmann::json& choice = (*choices)[0];
  TextResponse out;
  out.model = name();
  if (const auto f = choice.find("finish_reason"); f != choice.end() && f->is_string()) {
    out.stop_reason = *f;
  }
  if (out.stop_reason == "content_filter") {
    return refused("openai: the model's content filter stopped the answer");
  }
  const auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) {
    return malformed_answer(kProvider, "no choices[0].message in the chat completion");
  }
  // Models with structured refusals put the reason here instead of content.
  if (const auto r = message->find("refusal");
      r != message->end() && r->is_string() && !r->get<std::string>().empty()) {
    return refused(fmt::format("openai: the model refused: {}", r->get<std::string>()));
  }
  const auto content = message->find("content");
  if (content == message->end() || !content->is_string()) {
    return malformed_answer(kProvider, "choices[0].message.content is not a string");
  }
  out.text = *content;
  if (const auto usage = answer.find("usage"); usage != answer.end() && usage->is_object()) {
    out.input_tokens = int_field(*usage, "prompt_tokens");
    out.output_tokens = int_field(*usage, "completion_tokens");
  }
  return out;
}

}  // namespace adloom
