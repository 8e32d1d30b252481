// Configuration: every setting is declared once, in the table in config.cpp (name, type,
// default, help, env var, secret). Sources, lowest to highest precedence:
//   built-in defaults < TOML file (--config) < environment (ADLOOM_…) < flags (--set k=v)
// The result is validated as a whole at start-up; every problem is reported at once with
// the setting's name and where its value came from.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace adloom {

// One model provider's connection: where it is and how calls to it behave
// (providers.<name>.*; see net/http_client.h for what each does).
struct ProviderSettings {
  std::string endpoint;
  std::int64_t connect_timeout_ms = 0;
  std::int64_t read_timeout_ms = 0;
  std::int64_t concurrency = 0;
  std::int64_t max_tries = 0;
  std::int64_t circuit_failures = 0;
  std::int64_t circuit_open_ms = 0;
};

// Which engine serves one capability (models.<capability>.*).
struct ModelSettings {
  std::string provider;  // "builtin", "bedrock", "openai", "automatic1111", "comfyui"
  std::string model;     // the provider's model id; "" for builtin
};

// The effective configuration. Field names mirror the dotted setting names
// (server.port -> server_port). Defaults live in the settings table, not here.
struct Config {
  // server.*
  std::string server_host;
  std::int64_t server_port = 0;
  std::int64_t server_io_threads = 0;
  std::int64_t server_handler_threads = 0;
  std::int64_t server_max_body_bytes = 0;
  std::int64_t server_max_upload_bytes = 0;
  std::int64_t server_read_timeout_ms = 0;
  std::int64_t server_shutdown_grace_ms = 0;
  bool server_access_log = false;
  std::string server_metrics_token;  // secret

  // data / storage
  std::string data_dir;
  std::string store_backend;      // "sqlite"
  std::string store_sqlite_path;  // empty: <data_dir>/adloom.db
  std::int64_t store_busy_timeout_ms = 0;
  std::string blob_backend;  // "fs"
  std::string blob_fs_root;  // empty: <data_dir>/blobs

  // jobs.*
  std::int64_t jobs_workers = 0;
  std::int64_t jobs_lease_ms = 0;
  std::int64_t jobs_poll_ms = 0;
  std::int64_t jobs_max_attempts = 0;
  std::int64_t jobs_backoff_base_ms = 0;
  std::int64_t jobs_backoff_max_ms = 0;

  // log.*
  std::string log_level;   // trace|debug|info|warn|error
  std::string log_format;  // text|json

  // workspace.*
  std::string workspace_default_name;

  // library.*
  std::int64_t library_max_image_bytes = 0;
  std::int64_t library_max_image_pixels = 0;
  bool library_ocr = false;

  // embedder.*
  std::int64_t embedder_dimension = 0;

  // models.*: the engine behind each capability.
  ModelSettings analyse;  // describe an image
  ModelSettings embed;    // text and images in one vector space
  ModelSettings text;     // meta-prompts
  ModelSettings image;    // generate images
  std::int64_t models_text_max_tokens = 0;

  // providers.*
  ProviderSettings bedrock;
  std::string bedrock_region;
  std::string bedrock_profile;
  std::string bedrock_access_key_id;
  std::string bedrock_secret_access_key;  // secret
  std::string bedrock_session_token;      // secret
  std::string bedrock_bearer_token;       // secret
  ProviderSettings openai;
  std::string openai_api_key;  // secret
  std::string openai_dialect;
  ProviderSettings automatic1111;
  ProviderSettings comfyui;
  std::string comfyui_workflow;

  // Paths with their defaults resolved against data_dir.
  std::string sqlite_path() const;
  std::string blob_root() const;
  // Where API imports stage their files: data_dir/imports.
  std::string staging_root() const;
};

enum class SettingType { kString, kInt, kBool };

// Where a setting's effective value came from, for `adloom config print`.
enum class SettingSource { kDefault, kFile, kEnv, kFlag };
std::string_view setting_source_name(SettingSource source);

// One row of the settings table, as exposed to docs and `config print`.
struct SettingInfo {
  std::string name;  // "server.port"
  std::string env;   // "ADLOOM_SERVER_PORT"
  SettingType type;
  std::string default_value;  // as text
  std::string help;
  bool secret = false;     // masked in config print and logs
  std::string constraint;  // human text: "1..65535", "one of: text, json", ""
};

// The whole table, in declaration order.
const std::vector<SettingInfo>& settings_table();

struct ConfigSources {
  std::string toml_path;                   // empty: no file
  std::map<std::string, std::string> env;  // the process environment (only ADLOOM_* is read)
  std::vector<std::string> flags;          // "name=value" from --set, in order
};

struct LoadedConfig {
  Config config;
  std::map<std::string, SettingSource> sources;  // setting name -> where its value came from
};

// Builds the effective config. Fails with kInvalidArgument listing every problem
// (unknown key, bad type, out of range, unreadable file), one per line.
Result<LoadedConfig> load_config(const ConfigSources& sources);

// The process environment as a map (for ConfigSources::env).
std::map<std::string, std::string> environment_map();

// `adloom config print`: one "name = value  # source" line per setting, TOML-compatible,
// secrets shown as "********" when set.
std::string format_effective_config(const LoadedConfig& loaded);

// adloom.example.toml generated from the table: every setting, commented out at its
// default, with its help (a test checks the checked-in file).
std::string format_example_toml();

// docs/configuration.md body generated from the table (a test checks the checked-in file).
std::string format_settings_markdown();

}  // namespace adloom
