#include "app/model_factory.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "imaging/image.h"
#include "models/automatic1111/a1111_image_model.h"
#include "models/bedrock/bedrock_models.h"
#include "models/builtin/builtin_analyser.h"
#include "models/builtin/builtin_embedder.h"
#include "models/builtin/layout_composer.h"
#include "models/builtin/template_composer.h"
#include "models/comfyui/comfyui_image_model.h"
#include "models/openai/openai_models.h"
#include "models/vision_analyser.h"
#include "net/aws_credentials.h"

namespace adloom {
namespace {

// Keeps `engine` alive in `m` and returns it.
template <typename T>
T* keep(ModelEngines& m, std::unique_ptr<T> engine) {
  T* raw = engine.get();
  m.owned.push_back(std::shared_ptr<T>(std::move(engine)));
  return raw;
}

class Builder {
 public:
  Builder(const Config& config, const std::map<std::string, std::string>& env, ModelEngines& m)
      : config_(config), env_(env), m_(m) {}

  Result<HttpClient*> client(const std::string& provider);
  Result<const BedrockRuntime*> bedrock();
  Result<TextModel*> text_model(const ModelSettings& s, const std::string& setting);
  Result<ImageAnalyser*> analyser();
  Result<Embedder*> embedder();
  Result<ImageModel*> image_model();

 private:
  const ProviderSettings& provider_settings(const std::string& provider) const {
    if (provider == "bedrock") return config_.bedrock;
    if (provider == "openai") return config_.openai;
    if (provider == "automatic1111") return config_.automatic1111;
    return config_.comfyui;
  }

  const Config& config_;
  const std::map<std::string, std::string>& env_;
  ModelEngines& m_;
  BedrockRuntime* bedrock_ = nullptr;
  BuiltinAnalyser* builtin_analyser_ = nullptr;
};

Status needs_model(const ModelSettings& s, const std::string& capability) {
  if (!s.model.empty()) return Status::ok();
  return invalid_argument(
      fmt::format("models.{}.model must name the {} model to use with "
                  "models.{}.provider = \"{}\"",
                  capability, s.provider, capability, s.provider));
}

Result<HttpClient*> Builder::client(const std::string& provider) {
  if (auto it = m_.clients.find(provider); it != m_.clients.end()) return it->second.get();
  const ProviderSettings& p = provider_settings(provider);
  HttpClientOptions o;
  o.name = provider;
  o.connect_timeout_ms = static_cast<int>(p.connect_timeout_ms);
  o.read_timeout_ms = static_cast<int>(p.read_timeout_ms);
  o.concurrency = static_cast<int>(p.concurrency);
  o.max_tries = static_cast<int>(p.max_tries);
  o.circuit_failures = static_cast<int>(p.circuit_failures);
  o.circuit_open_ms = static_cast<int>(p.circuit_open_ms);
  o.backoff_base_ms = 500;
  o.backoff_max_ms = 20000;
  ADLOOM_ASSIGN(auto http, HttpClient::create(std::move(o)));
  HttpClient* raw = http.get();
  m_.clients[provider] = std::move(http);
  return raw;
}

Result<const BedrockRuntime*> Builder::bedrock() {
  if (bedrock_ != nullptr) return bedrock_;
  AwsCredentialOptions aws;
  aws.access_key_id = config_.bedrock_access_key_id;
  aws.secret_access_key = config_.bedrock_secret_access_key;
  aws.session_token = config_.bedrock_session_token;
  aws.profile = config_.bedrock_profile;
  aws.region = config_.bedrock_region;
  aws.bearer_token = config_.bedrock_bearer_token;
  BedrockOptions o;
  ADLOOM_ASSIGN(o.region, resolve_aws_region(aws, env_));
  o.bearer_token = bedrock_bearer_token(aws, env_);
  if (!o.bearer_token) {
    ADLOOM_ASSIGN(o.credentials, resolve_aws_credentials(aws, env_));
  }
  o.endpoint =
      config_.bedrock.endpoint.empty() ? bedrock_endpoint(o.region) : config_.bedrock.endpoint;
  while (!o.endpoint.empty() && o.endpoint.back() == '/') o.endpoint.pop_back();
  ADLOOM_ASSIGN(HttpClient * http, client("bedrock"));
  bedrock_ = keep(m_, std::make_unique<BedrockRuntime>(*http, std::move(o)));
  return bedrock_;
}

Result<TextModel*> Builder::text_model(const ModelSettings& s, const std::string& capability) {
  ADLOOM_TRY(needs_model(s, capability));
  const int max_tokens = static_cast<int>(config_.models_text_max_tokens);
  if (s.provider == "bedrock") {
    ADLOOM_ASSIGN(const BedrockRuntime* runtime, bedrock());
    return static_cast<TextModel*>(
        keep(m_, std::make_unique<BedrockTextModel>(*runtime, s.model, max_tokens)));
  }
  ADLOOM_ASSIGN(HttpClient * http, client("openai"));
  OpenAiTextOptions o;
  o.endpoint = config_.openai.endpoint;
  o.api_key = config_.openai_api_key;
  o.model = s.model;
  ADLOOM_ASSIGN(auto model, OpenAiTextModel::create(*http, std::move(o)));
  return static_cast<TextModel*>(keep(m_, std::move(model)));
}

Result<ImageAnalyser*> Builder::analyser() {
  builtin_analyser_ = keep(m_, std::make_unique<BuiltinAnalyser>());
  if (config_.analyse.provider == "builtin") return static_cast<ImageAnalyser*>(builtin_analyser_);
  ADLOOM_ASSIGN(TextModel * vision, text_model(config_.analyse, "analyse"));
  return static_cast<ImageAnalyser*>(
      keep(m_, std::make_unique<VisionAnalyser>(*vision, *builtin_analyser_)));
}

Result<Embedder*> Builder::embedder() {
  const ModelSettings& s = config_.embed;
  const int dimension = static_cast<int>(config_.embedder_dimension);
  if (s.provider == "builtin") {
    BuiltinEmbedderOptions o;
    o.dimension = dimension;
    // A quarter describes the image, but never fewer than the 128 dimensions the visual
    // descriptor needs (embedder.dimension goes down to 256 for the remote models).
    o.text_dimension = std::min(dimension * 3 / 4, dimension - 128);
    ADLOOM_ASSIGN(auto e, BuiltinEmbedder::create(o));
    return static_cast<Embedder*>(keep(m_, std::move(e)));
  }
  ADLOOM_TRY(needs_model(s, "embed"));
  if (s.provider == "bedrock") {
    ADLOOM_ASSIGN(const BedrockRuntime* runtime, bedrock());
    ADLOOM_ASSIGN(auto e, BedrockEmbedder::create(*runtime, s.model, dimension));
    return static_cast<Embedder*>(keep(m_, std::move(e)));
  }
  ADLOOM_ASSIGN(HttpClient * http, client("openai"));
  OpenAiEmbedderOptions o;
  o.endpoint = config_.openai.endpoint;
  o.api_key = config_.openai_api_key;
  o.model = s.model;
  o.dimension = dimension;
  o.send_dimensions = config_.openai_dialect == "openai" || config_.openai_dialect == "ollama";
  ADLOOM_ASSIGN(auto e, OpenAiEmbedder::create(*http, std::move(o)));
  return static_cast<Embedder*>(keep(m_, std::move(e)));
}

Result<ImageModel*> Builder::image_model() {
  const ModelSettings& s = config_.image;
  if (s.provider == "builtin") {
    return static_cast<ImageModel*>(keep(m_, std::make_unique<LayoutComposer>()));
  }
  if (s.provider == "bedrock") {
    ADLOOM_TRY(needs_model(s, "image"));
    ADLOOM_ASSIGN(const BedrockRuntime* runtime, bedrock());
    return static_cast<ImageModel*>(
        keep(m_, std::make_unique<BedrockImageModel>(*runtime, s.model)));
  }
  ADLOOM_ASSIGN(HttpClient * http, client(s.provider));
  if (s.provider == "openai") {
    OpenAiImageOptions o;
    o.endpoint = config_.openai.endpoint;
    o.api_key = config_.openai_api_key;
    o.model = s.model;
    o.dialect = config_.openai_dialect == "localai" ? OpenAiImageDialect::kLocalAi
                : config_.openai_dialect == "sdcpp" ? OpenAiImageDialect::kSdCpp
                                                    : OpenAiImageDialect::kOpenAi;
    ADLOOM_ASSIGN(auto model, OpenAiImageModel::create(*http, std::move(o)));
    return static_cast<ImageModel*>(keep(m_, std::move(model)));
  }
  if (s.provider == "automatic1111") {
    A1111ImageOptions o;
    o.endpoint = config_.automatic1111.endpoint;
    o.model = s.model;
    ADLOOM_ASSIGN(auto model, A1111ImageModel::create(*http, std::move(o)));
    return static_cast<ImageModel*>(keep(m_, std::move(model)));
  }
  if (config_.comfyui_workflow.empty()) {
    return invalid_argument(
        "providers.comfyui.workflow must name an API-format workflow file to use "
        "models.image.provider = \"comfyui\" (docs/providers.md)");
  }
  ComfyUiImageOptions o;
  o.endpoint = config_.comfyui.endpoint;
  o.workflow_path = config_.comfyui_workflow;
  ADLOOM_ASSIGN(auto model, ComfyUiImageModel::open(*http, std::move(o)));
  return static_cast<ImageModel*>(keep(m_, std::move(model)));
}

const HttpClient* client_of(const ModelEngines& m, const std::string& provider) {
  const auto it = m.clients.find(provider);
  return it == m.clients.end() ? nullptr : it->second.get();
}

}  // namespace

Result<std::unique_ptr<ModelEngines>> build_model_engines(
    const Config& config, const std::map<std::string, std::string>& env,
    const std::string& templates_dir) {
  auto m = std::make_unique<ModelEngines>();
  Builder b(config, env, *m);
  ADLOOM_ASSIGN(m->analyser, b.analyser());
  ADLOOM_ASSIGN(m->embedder, b.embedder());
  if (config.text.provider == "builtin") {
    ADLOOM_TRY(TemplateComposer::write_default_templates(templates_dir));
    ADLOOM_ASSIGN(auto composer, TemplateComposer::open(templates_dir));
    m->text = keep(*m, std::move(composer));
  } else {
    ADLOOM_ASSIGN(m->text, b.text_model(config.text, "text"));
  }
  ADLOOM_ASSIGN(m->image, b.image_model());
  const std::pair<const char*, const ModelSettings*> capabilities[] = {{"analyse", &config.analyse},
                                                                       {"embed", &config.embed},
                                                                       {"text", &config.text},
                                                                       {"image", &config.image}};
  const std::string names[] = {m->analyser->name(), m->embedder->model_id(), m->text->name(),
                               m->image->name()};
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string& provider = capabilities[i].second->provider;
    m->engines.push_back({capabilities[i].first, provider, names[i], client_of(*m, provider), ""});
  }
  return m;
}

}  // namespace adloom

namespace adloom {
namespace {

// A 64×64 grey PNG for the vision check, made without a decoder round trip.
std::string check_image() {
  RgbImage img;
  img.width = 64;
  img.height = 64;
  img.pixels.assign(static_cast<std::size_t>(64 * 64 * 3), 128);
  auto png = encode_png(img);
  return png ? std::move(png).value() : std::string{};
}

Status run_check(const ModelEngines& m, const std::string& capability, const ModelCall& call) {
  if (capability == "analyse") {
    return m.analyser->analyse(check_image(), AnalyseOptions{.ocr = false}, call).status();
  }
  if (capability == "embed") {
    EmbedInput input;
    input.text = "adloom check";
    input.query = true;
    return m.embedder->embed(input, call).status();
  }
  if (capability == "text") {
    TextRequest r;
    r.prompt = "Reply with the single word OK.";
    r.max_tokens = 16;
    r.input_json = R"({"brief":{"name":"adloom check","product":"check"}})";
    return m.text->generate(r, call).status();
  }
  const ImageModelLimits& l = m.image->limits();
  const int side = std::max(l.min_side, 320);
  ImageRequest r;
  r.prompt = "a plain grey square";
  r.width = side;
  r.height = side;
  return m.image->generate(r, call).status();
}

}  // namespace

std::vector<EngineCheck> check_model_engines(const ModelEngines& engines, int deadline_ms) {
  std::vector<EngineCheck> out;
  for (const EngineInfo& e : engines.engines) {
    EngineCheck c;
    c.engine = e;
    RetryBudget budget{1};  // a check reports what one request gets, without retries
    const auto started = std::chrono::steady_clock::now();
    ModelCall call;
    call.control.deadline = started + std::chrono::milliseconds(deadline_ms);
    call.control.budget = &budget;
    const Status st = run_check(engines, e.capability, call);
    c.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
               .count();
    c.ok = st.is_ok();
    c.verdict = st.is_ok() ? "ok" : st.to_string();
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace adloom
