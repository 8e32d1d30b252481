// The settings table: every setting adloom reads, declared once (name, where it lives in
// Config, default, allowed values, help, secret). Docs, the example file, `config print`
// and validation are all generated from it (config.cpp).
#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "core/config_schema.h"
#include "core/text.h"

namespace adloom::config_schema {
namespace {

Rule unconstrained() {
  return {};
}

Rule int_range(std::int64_t lo, std::int64_t hi) {
  return {fmt::format("{}..{}", lo, hi), [lo, hi](const Value& v) -> std::string {
            const std::int64_t n = std::get<std::int64_t>(v);
            if (n < lo || n > hi) return fmt::format("is out of range {}..{}", lo, hi);
            return {};
          }};
}

Rule one_of(std::vector<std::string_view> allowed) {
  std::string list;
  for (std::string_view a : allowed) {
    if (!list.empty()) list += ", ";
    list += a;
  }
  std::string constraint = "one of: " + list;
  return {constraint, [allowed = std::move(allowed), constraint](const Value& v) -> std::string {
            const auto& s = std::get<std::string>(v);
            if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return {};
            return "is not " + constraint;
          }};
}

Rule non_empty(std::size_t max_chars = 0) {
  std::string constraint = "non-empty";
  if (max_chars > 0) constraint += fmt::format(", at most {} characters", max_chars);
  return {constraint, [max_chars](const Value& v) -> std::string {
            const auto& s = std::get<std::string>(v);
            if (s.empty()) return "must not be empty";
            if (max_chars > 0 && utf8_length(s) > max_chars) {
              return fmt::format("is longer than {} characters", max_chars);
            }
            return {};
          }};
}

Rule with_note(Rule rule, std::string_view note) {
  rule.constraint += rule.constraint.empty() ? "" : ", ";
  rule.constraint += note;
  return rule;
}

std::string backoff_max_covers_base(const Config& c) {
  if (c.jobs_backoff_max_ms >= c.jobs_backoff_base_ms) return {};
  return fmt::format("must be >= jobs.backoff_base_ms = {}", c.jobs_backoff_base_ms);
}

// Accessors for settings inside Config's nested structs (config_schema.h: Field).
template <ProviderSettings Config::*P, typename T, T ProviderSettings::*F>
T& provider_field(Config& c) {
  return (c.*P).*F;
}
template <ModelSettings Config::*M, std::string ModelSettings::*F>
std::string& model_field(Config& c) {
  return (c.*M).*F;
}

// Generated names need storage that outlives the table (Setting holds string_views).
std::string_view keep(std::string text) {
  static std::deque<std::string> names;
  return names.emplace_back(std::move(text));
}

struct NetDefaults {
  std::string_view endpoint;
  std::string_view endpoint_help;
  std::string_view read_timeout_ms;
  std::string_view concurrency;
};

// The connection settings every provider has: providers.<name>.endpoint, timeouts,
// concurrency, tries and the circuit breaker.
template <ProviderSettings Config::*P>
void add_provider_block(std::vector<Setting>& t, std::string_view name, NetDefaults d) {
  const std::string prefix = fmt::format("providers.{}.", name);
  t.push_back({keep(prefix + "endpoint"),
               &provider_field<P, std::string, &ProviderSettings::endpoint>, d.endpoint,
               unconstrained(), d.endpoint_help});
  t.push_back({keep(prefix + "connect_timeout_ms"),
               &provider_field<P, std::int64_t, &ProviderSettings::connect_timeout_ms>, "5000",
               int_range(100, 600000),
               "Time allowed to open a connection to the provider, in milliseconds."});
  t.push_back({keep(prefix + "read_timeout_ms"),
               &provider_field<P, std::int64_t, &ProviderSettings::read_timeout_ms>,
               d.read_timeout_ms, int_range(100, 3600000),
               "Longest silence allowed while waiting for or reading an answer, in milliseconds; "
               "a call silent for longer is abandoned and retried."});
  t.push_back({keep(prefix + "concurrency"),
               &provider_field<P, std::int64_t, &ProviderSettings::concurrency>, d.concurrency,
               int_range(1, 256), "Calls to the provider at once; further calls wait their turn."});
  t.push_back({keep(prefix + "max_tries"),
               &provider_field<P, std::int64_t, &ProviderSettings::max_tries>, "3",
               int_range(1, 20),
               "Tries per call outside jobs (a search, a meta-prompt), the first included. Job "
               "steps share jobs.max_attempts between job attempts and HTTP retries instead."});
  t.push_back({keep(prefix + "circuit_failures"),
               &provider_field<P, std::int64_t, &ProviderSettings::circuit_failures>, "5",
               int_range(1, 1000),
               "Failures in a row (5xx, timeouts, connection errors) after which calls to the "
               "provider are paused (the circuit opens)."});
  t.push_back({keep(prefix + "circuit_open_ms"),
               &provider_field<P, std::int64_t, &ProviderSettings::circuit_open_ms>, "30000",
               int_range(0, 3600000),
               "How long calls stay paused after the circuit opens, in milliseconds; then one "
               "probe call decides whether they resume."});
}

template <ModelSettings Config::*M>
void add_model_block(std::vector<Setting>& t, std::string_view capability,
                     std::vector<std::string_view> providers, std::string_view what,
                     std::string_view model_help) {
  const std::string prefix = fmt::format("models.{}.", capability);
  t.push_back({keep(prefix + "provider"), &model_field<M, &ModelSettings::provider>, "builtin",
               one_of(std::move(providers)),
               keep(fmt::format("Engine that {}: builtin (offline, the default) or a provider "
                                "configured under [providers.*].",
                                what))});
  t.push_back({keep(prefix + "model"), &model_field<M, &ModelSettings::model>, "", unconstrained(),
               model_help});
}

void add_models_and_providers(std::vector<Setting>& t) {
  add_model_block<&Config::analyse>(
      t, "analyse", {"builtin", "bedrock", "openai"},
      "describes each image of the library (a vision language model; its description is "
      "merged with the builtin analyser's measured colours and OCR)",
      "The vision model's id, e.g. \"amazon.nova-lite-v1:0\" (bedrock), \"gpt-4o-mini\" or "
      "\"llava\" (openai); empty for builtin.");
  add_model_block<&Config::embed>(
      t, "embed", {"builtin", "bedrock", "openai"},
      "embeds images and text in one vector space for search (switching it needs `adloom "
      "reindex`)",
      "The embedding model's id, e.g. \"amazon.titan-embed-image-v1\" or "
      "\"amazon.nova-2-multimodal-embeddings-v1:0\" (bedrock), \"text-embedding-3-small\" "
      "(openai, text only); empty for builtin. Its vector size is embedder.dimension.");
  add_model_block<&Config::text>(
      t, "text", {"builtin", "bedrock", "openai"}, "writes meta-prompts",
      "The language model's id, e.g. \"amazon.nova-pro-v1:0\" or "
      "\"us.anthropic.claude-3-5-haiku-20241022-v1:0\" (bedrock, any Converse model), "
      "\"gpt-4o-mini\" or \"llama3.1\" (openai); empty for builtin.");
  t.push_back({"models.text.max_tokens", &Config::models_text_max_tokens, "2048",
               int_range(256, 32768), "Longest answer a language model may write, in tokens."});
  add_model_block<&Config::image>(
      t, "image", {"builtin", "bedrock", "openai", "automatic1111", "comfyui"}, "generates images",
      "The image model's id, e.g. \"amazon.nova-canvas-v1:0\" or "
      "\"stability.sd3-5-large-v1:0\" (bedrock), \"gpt-image-1\" (openai), a checkpoint "
      "name (automatic1111; empty: the loaded one); unused by comfyui and builtin.");

  add_provider_block<&Config::bedrock>(
      t, "bedrock",
      {"", "Bedrock Runtime endpoint; empty: https://bedrock-runtime.<region>.amazonaws.com.",
       "300000", "4"});
  t.push_back({"providers.bedrock.region", &Config::bedrock_region, "", unconstrained(),
               "AWS region; empty: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region."});
  t.push_back({"providers.bedrock.profile", &Config::bedrock_profile, "", unconstrained(),
               "Profile in ~/.aws/credentials and ~/.aws/config; empty: AWS_PROFILE, else "
               "default."});
  t.push_back({"providers.bedrock.access_key_id", &Config::bedrock_access_key_id, "",
               unconstrained(),
               "AWS access key id; empty: the environment (AWS_ACCESS_KEY_ID), then the "
               "shared credentials files."});
  t.push_back({"providers.bedrock.secret_access_key", &Config::bedrock_secret_access_key, "",
               unconstrained(), "AWS secret access key, with access_key_id.", true});
  t.push_back({"providers.bedrock.session_token", &Config::bedrock_session_token, "",
               unconstrained(), "AWS session token for temporary credentials.", true});
  t.push_back({"providers.bedrock.bearer_token", &Config::bedrock_bearer_token, "", unconstrained(),
               "Bedrock API key, sent as a bearer token instead of SigV4 signing; empty: "
               "AWS_BEARER_TOKEN_BEDROCK when set.",
               true});

  add_provider_block<&Config::openai>(
      t, "openai",
      {"https://api.openai.com/v1",
       "Base URL of an OpenAI-compatible API, with its /v1: OpenAI, llama.cpp server "
       "(http://127.0.0.1:8080/v1), vLLM, Ollama (http://127.0.0.1:11434/v1), LocalAI, "
       "stable-diffusion.cpp's server (docs/providers.md).",
       "300000", "4"});
  t.push_back({"providers.openai.api_key", &Config::openai_api_key, "", unconstrained(),
               "API key sent as a bearer token; empty sends none (local servers).", true});
  t.push_back({"providers.openai.dialect", &Config::openai_dialect, "openai",
               one_of({"openai", "llamacpp", "vllm", "ollama", "localai", "sdcpp"}),
               "Which server it is, where they differ (image sizes, seeds, negative prompts; "
               "docs/providers.md)."});

  add_provider_block<&Config::automatic1111>(
      t, "automatic1111",
      {"http://127.0.0.1:7860", "Base URL of an AUTOMATIC1111 or Forge web UI started with --api.",
       "600000", "1"});

  add_provider_block<&Config::comfyui>(
      t, "comfyui", {"http://127.0.0.1:8188", "Base URL of a ComfyUI server.", "600000", "1"});
  t.push_back({"providers.comfyui.workflow", &Config::comfyui_workflow, "", unconstrained(),
               "An API-format workflow file (Export (API) in ComfyUI) with the placeholders "
               "{{prompt}} and {{seed}}, and optionally {{negative_prompt}}, {{width}}, "
               "{{height}}, {{batch_size}} (docs/providers.md)."});
}

}  // namespace

// Columns: name, Config field, default (as text), allowed values, help[, secret[, cross-check]].
const std::vector<Setting>& settings() {
  static const std::vector<Setting> kTable = [] {
    std::vector<Setting> t = {
        {"data_dir", &Config::data_dir, "./data", non_empty(),
         "Directory holding adloom's state; the database and blob paths default to locations "
         "inside "
         "it, and the editable meta-prompt templates live in templates/ "
         "(docs/meta-prompt-templates.md)."},
        {"server.host", &Config::server_host, "127.0.0.1", non_empty(),
         "Address the HTTP server listens on; 0.0.0.0 listens on all IPv4 interfaces."},
        {"server.port", &Config::server_port, "8080", int_range(0, 65535),
         "TCP port the HTTP server listens on; 0 picks a free port."},
        {"server.io_threads", &Config::server_io_threads, "1", int_range(1, 64),
         "Threads doing network I/O: accepting connections, reading and writing sockets."},
        {"server.handler_threads", &Config::server_handler_threads, "4", int_range(1, 256),
         "Threads running request handlers; bounds how many requests are processed at once."},
        {"server.max_body_bytes", &Config::server_max_body_bytes, "1048576",
         int_range(1024, 1073741824),
         "Largest request body accepted, in bytes; larger requests are rejected with 413."},
        {"server.read_timeout_ms", &Config::server_read_timeout_ms, "30000",
         int_range(100, 3600000),
         "Time allowed to receive a whole request, in milliseconds, before the connection is "
         "closed."},
        {"server.shutdown_grace_ms", &Config::server_shutdown_grace_ms, "10000",
         int_range(0, 600000),
         "On shutdown, how long in-flight requests may run to completion, in milliseconds; 0 stops "
         "at once."},
        {"server.max_upload_bytes", &Config::server_max_upload_bytes, "67108864",
         int_range(1024, 1073741824),
         "Largest multipart/form-data request body (image uploads), in bytes; larger uploads are "
         "rejected with 413."},
        {"server.access_log", &Config::server_access_log, "true", unconstrained(),
         "Log one line per HTTP request (method, path, status, duration)."},
        {"server.metrics_token", &Config::server_metrics_token, "", unconstrained(),
         "When set, /metrics requires the header \"Authorization: Bearer <token>\"; empty leaves "
         "/metrics open.",
         true},
        {"store.backend", &Config::store_backend, "sqlite", one_of({"sqlite"}),
         "Metadata store implementation."},
        {"store.sqlite_path", &Config::store_sqlite_path, "", unconstrained(),
         "SQLite database file; empty means adloom.db inside data_dir."},
        {"store.busy_timeout_ms", &Config::store_busy_timeout_ms, "5000", int_range(0, 600000),
         "How long a statement waits for a locked SQLite database, in milliseconds, before failing "
         "as unavailable."},
        {"blob.backend", &Config::blob_backend, "fs", one_of({"fs"}),
         "Blob storage implementation (fs: files in a local directory)."},
        {"blob.fs_root", &Config::blob_fs_root, "", unconstrained(),
         "Directory for blob files; empty means blobs inside data_dir."},
        {"jobs.workers", &Config::jobs_workers, "2", int_range(0, 64),
         "Job worker threads in this process; 0 runs no job workers here."},
        {"jobs.lease_ms", &Config::jobs_lease_ms, "30000", int_range(500, 3600000),
         "How long a claimed job stays reserved for its worker, in milliseconds; after that "
         "another "
         "worker may take it over."},
        {"jobs.poll_ms", &Config::jobs_poll_ms, "500", int_range(10, 60000),
         "How often an idle worker looks for runnable jobs, in milliseconds."},
        {"jobs.max_attempts", &Config::jobs_max_attempts, "5", int_range(1, 100),
         "Attempts per job, the first included, before the job is marked failed."},
        {"jobs.backoff_base_ms", &Config::jobs_backoff_base_ms, "1000", int_range(1, 3600000),
         "Retry delay after the first failed attempt, in milliseconds; later retries wait longer."},
        {"jobs.backoff_max_ms",
         &Config::jobs_backoff_max_ms,
         "300000",
         with_note(int_range(1, 86400000), ">= jobs.backoff_base_ms"),
         "Longest delay between retries of a job, in milliseconds.",
         false,
         {"jobs.backoff_base_ms", backoff_max_covers_base}},
        {"log.level", &Config::log_level, "info",
         one_of({"trace", "debug", "info", "warn", "error"}),
         "Least severe log level that is written."},
        {"log.format", &Config::log_format, "text", one_of({"text", "json"}),
         "Log line format: text for people, json (one object per line) for log collectors."},
        {"workspace.default_name", &Config::workspace_default_name, "Default", non_empty(100),
         "Name given to the default workspace when it is first created."},
        {"library.max_image_bytes", &Config::library_max_image_bytes, "52428800",
         int_range(1024, 1073741824), "Largest image file accepted into the library, in bytes."},
        {"library.max_image_pixels", &Config::library_max_image_pixels, "100000000",
         int_range(1, 1000000000),
         "Largest image accepted, in pixels (width × height), checked from the header before "
         "decoding so decompression bombs are refused cheaply."},
        {"library.ocr", &Config::library_ocr, "true", unconstrained(),
         "Read text in images (Tesseract) while indexing; images without text-like regions skip "
         "it cheaply."},
        {"embedder.dimension", &Config::embedder_dimension, "512", int_range(256, 4096),
         "Dimensions of the embedding vectors: builtin takes any (a quarter of them describe the "
         "image); Titan Multimodal 256, 384 or 1024; Nova Multimodal 256, 384, 1024 or 3072; "
         "OpenAI-compatible models their own (sent as `dimensions`). Changing it or "
         "models.embed.* needs `adloom reindex`: vectors of other spaces never mix."},
    };
    add_models_and_providers(t);
    return t;
  }();
  return kTable;
}

}  // namespace adloom::config_schema
