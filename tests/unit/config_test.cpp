#include "core/config.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdlib.h>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/temp_dir.h"

#ifndef ADLOOM_SOURCE_DIR
#error "ADLOOM_SOURCE_DIR must name the repository root (a string literal)"
#endif

namespace adloom {
namespace {

// A TOML file in a fresh temp directory, removed with it.
class TomlFile {
 public:
  explicit TomlFile(const std::string& text) : path_((dir_.path() / "adloom.toml").string()) {
    std::ofstream(path_) << text;
  }
  const std::string& path() const { return path_; }

 private:
  testing::TempDir dir_;
  std::string path_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string source_path(const std::string& relative) {
  return std::string(ADLOOM_SOURCE_DIR) + "/" + relative;
}

// ConfigSources has no member initializers, so designated initializers would warn.
ConfigSources sources(std::string toml_path, std::map<std::string, std::string> env,
                      std::vector<std::string> flags) {
  ConfigSources out;
  out.toml_path = std::move(toml_path);
  out.env = std::move(env);
  out.flags = std::move(flags);
  return out;
}
ConfigSources file_only(std::string toml_path) {
  return sources(std::move(toml_path), {}, {});
}
ConfigSources env_only(std::map<std::string, std::string> env) {
  return sources("", std::move(env), {});
}
ConfigSources flags_only(std::vector<std::string> flags) {
  return sources("", {}, std::move(flags));
}

// The error message of a load that must fail.
std::string load_error(const ConfigSources& input) {
  auto loaded = load_config(input);
  EXPECT_FALSE(loaded.is_ok());
  if (loaded.is_ok()) return {};
  EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidArgument);
  return loaded.status().message();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// format_effective_config without the "# source" comments, to compare values only.
std::string values_only(const LoadedConfig& loaded) {
  std::string out;
  for (std::string line : lines_of(format_effective_config(loaded))) {
    if (auto hash = line.rfind("  # "); hash != std::string::npos) line.resize(hash);
    out += line + "\n";
  }
  return out;
}

LoadedConfig load_ok(const ConfigSources& input) {
  auto loaded = load_config(input);
  EXPECT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  return loaded.is_ok() ? std::move(loaded).value() : LoadedConfig{};
}

TEST(ConfigTest, DefaultsLoad) {
  LoadedConfig loaded = load_ok(ConfigSources{});
  const Config& c = loaded.config;
  EXPECT_EQ(c.server_host, "127.0.0.1");
  EXPECT_EQ(c.server_port, 8080);
  EXPECT_EQ(c.server_io_threads, 1);
  EXPECT_EQ(c.server_handler_threads, 4);
  EXPECT_EQ(c.server_max_body_bytes, 1048576);
  EXPECT_EQ(c.server_read_timeout_ms, 30000);
  EXPECT_EQ(c.server_shutdown_grace_ms, 10000);
  EXPECT_TRUE(c.server_access_log);
  EXPECT_EQ(c.server_metrics_token, "");
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.store_backend, "sqlite");
  EXPECT_EQ(c.store_sqlite_path, "");
  EXPECT_EQ(c.store_busy_timeout_ms, 5000);
  EXPECT_EQ(c.blob_backend, "fs");
  EXPECT_EQ(c.blob_fs_root, "");
  EXPECT_EQ(c.jobs_workers, 2);
  EXPECT_EQ(c.jobs_lease_ms, 30000);
  EXPECT_EQ(c.jobs_poll_ms, 500);
  EXPECT_EQ(c.jobs_max_attempts, 5);
  EXPECT_EQ(c.jobs_backoff_base_ms, 1000);
  EXPECT_EQ(c.jobs_backoff_max_ms, 300000);
  EXPECT_EQ(c.log_level, "info");
  EXPECT_EQ(c.log_format, "text");
  EXPECT_EQ(c.workspace_default_name, "Default");

  ASSERT_EQ(loaded.sources.size(), settings_table().size());
  for (const SettingInfo& s : settings_table()) {
    EXPECT_EQ(loaded.sources.at(s.name), SettingSource::kDefault) << s.name;
  }
}

TEST(ConfigTest, DerivedPathsResolveAgainstDataDir) {
  Config c = load_ok(flags_only({"data_dir=/var/lib/adloom"})).config;
  EXPECT_EQ(c.sqlite_path(), "/var/lib/adloom/adloom.db");
  EXPECT_EQ(c.blob_root(), "/var/lib/adloom/blobs");

  c = load_ok(flags_only({"data_dir=/d", "store.sqlite_path=/db/x.db", "blob.fs_root=/b"})).config;
  EXPECT_EQ(c.sqlite_path(), "/db/x.db");
  EXPECT_EQ(c.blob_root(), "/b");
}

TEST(ConfigTest, TableIsWellFormed) {
  std::set<std::string> names;
  for (const SettingInfo& s : settings_table()) {
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate setting " << s.name;
    EXPECT_FALSE(s.help.empty()) << s.name;
    EXPECT_EQ(s.help.find('\n'), std::string::npos) << s.name;
  }
  EXPECT_EQ(settings_table().size(), 75U);
}

// Settings inside nested structs (providers.*, models.*) load from every source.
TEST(ConfigTest, ProviderAndModelSettingsLoadFromFileEnvAndFlags) {
  TomlFile file(
      "[models.text]\nprovider = \"bedrock\"\nmodel = \"amazon.nova-pro-v1:0\"\n"
      "[providers.bedrock]\nregion = \"eu-west-1\"\nread_timeout_ms = 9000\n");
  ConfigSources sources = file_only(file.path());
  sources.env = {{"ADLOOM_PROVIDERS_OPENAI_API_KEY", "sk-test"}};
  sources.flags = {"providers.comfyui.concurrency=3", "models.image.provider=comfyui"};
  const LoadedConfig loaded = load_ok(sources);
  const Config& c = loaded.config;
  EXPECT_EQ(c.text.provider, "bedrock");
  EXPECT_EQ(c.text.model, "amazon.nova-pro-v1:0");
  EXPECT_EQ(c.bedrock_region, "eu-west-1");
  EXPECT_EQ(c.bedrock.read_timeout_ms, 9000);
  EXPECT_EQ(c.bedrock.concurrency, 4);  // default
  EXPECT_EQ(c.openai_api_key, "sk-test");
  EXPECT_EQ(c.comfyui.concurrency, 3);
  EXPECT_EQ(c.image.provider, "comfyui");
  EXPECT_EQ(loaded.sources.at("providers.openai.api_key"), SettingSource::kEnv);
  const std::string printed = format_effective_config(loaded);
  EXPECT_EQ(printed.find("sk-test"), std::string::npos) << printed;
  EXPECT_NE(printed.find("[providers.bedrock]"), std::string::npos) << printed;

  auto bad =
      load_config(flags_only({"models.image.provider=dalle", "providers.bedrock.concurrency=0"}));
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("models.image.provider"), std::string::npos);
  EXPECT_NE(bad.status().message().find("providers.bedrock.concurrency"), std::string::npos);
}

TEST(ConfigTest, EnvNameOfEverySettingFollowsTheRule) {
  for (const SettingInfo& s : settings_table()) {
    std::string expected = "ADLOOM_";
    for (char c : s.name) {
      expected += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    EXPECT_EQ(s.env, expected) << s.name;
  }
  EXPECT_EQ(settings_table().front().env, "ADLOOM_DATA_DIR");
}

TEST(ConfigTest, FileOverridesDefaults) {
  TomlFile file(R"(
data_dir = "/srv/adloom"
[server]
port = 9000
access_log = false
[jobs]
workers = 0
)");
  LoadedConfig loaded = load_ok(file_only(file.path()));
  EXPECT_EQ(loaded.config.data_dir, "/srv/adloom");
  EXPECT_EQ(loaded.config.server_port, 9000);
  EXPECT_FALSE(loaded.config.server_access_log);
  EXPECT_EQ(loaded.config.jobs_workers, 0);
  EXPECT_EQ(loaded.config.server_host, "127.0.0.1");
  EXPECT_EQ(loaded.sources.at("server.port"), SettingSource::kFile);
  EXPECT_EQ(loaded.sources.at("data_dir"), SettingSource::kFile);
  EXPECT_EQ(loaded.sources.at("server.host"), SettingSource::kDefault);
}

TEST(ConfigTest, DottedKeysFlattenLikeTables) {
  TomlFile file("server.port = 9001\nlog = { level = \"debug\" }\n");
  LoadedConfig loaded = load_ok(file_only(file.path()));
  EXPECT_EQ(loaded.config.server_port, 9001);
  EXPECT_EQ(loaded.config.log_level, "debug");
}

TEST(ConfigTest, EnvOverridesFile) {
  TomlFile file("[server]\nport = 9000\nhost = \"0.0.0.0\"\n");
  LoadedConfig loaded = load_ok(sources(file.path(),
                                        {{"ADLOOM_SERVER_PORT", "9100"},
                                         {"ADLOOM_SERVER_ACCESS_LOG", "off"},
                                         {"ADLOOM_DATA_DIR", "/env/data"}},
                                        {}));
  EXPECT_EQ(loaded.config.server_port, 9100);
  EXPECT_EQ(loaded.config.server_host, "0.0.0.0");
  EXPECT_FALSE(loaded.config.server_access_log);
  EXPECT_EQ(loaded.config.data_dir, "/env/data");
  EXPECT_EQ(loaded.sources.at("server.port"), SettingSource::kEnv);
  EXPECT_EQ(loaded.sources.at("server.host"), SettingSource::kFile);
}

TEST(ConfigTest, FlagsOverrideEnvAndLastFlagWins) {
  TomlFile file("[server]\nport = 9000\n");
  LoadedConfig loaded =
      load_ok(sources(file.path(), {{"ADLOOM_SERVER_PORT", "9100"}, {"ADLOOM_LOG_LEVEL", "warn"}},
                      {"server.port=9200", "server.port=9300", "server.host=::1"}));
  EXPECT_EQ(loaded.config.server_port, 9300);
  EXPECT_EQ(loaded.config.server_host, "::1");
  EXPECT_EQ(loaded.config.log_level, "warn");
  EXPECT_EQ(loaded.sources.at("server.port"), SettingSource::kFlag);
  EXPECT_EQ(loaded.sources.at("log.level"), SettingSource::kEnv);
}

TEST(ConfigTest, FlagValueMayContainEquals) {
  LoadedConfig loaded = load_ok(flags_only({"server.metrics_token=a=b"}));
  EXPECT_EQ(loaded.config.server_metrics_token, "a=b");
}

TEST(ConfigTest, UnrelatedEnvironmentIsIgnored) {
  LoadedConfig loaded = load_ok(env_only({{"ADLOOM_CONFIG", "/etc/adloom.toml"},
                                          {"ADLOOM_SOMETHING_ELSE", "x"},
                                          {"SERVER_PORT", "1"},
                                          {"adloom_server_port", "1"}}));
  EXPECT_EQ(loaded.config.server_port, 8080);
}

TEST(ConfigTest, TypeMismatchInFileNamesSettingFileAndType) {
  TomlFile file("[server]\nport = \"8080\"\naccess_log = 1\nhost = 5\n");
  const std::string message = load_error(file_only(file.path()));
  EXPECT_NE(message.find("server.port: expected an integer, got string \"8080\" (from file " +
                         file.path() + ":2:1)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("server.access_log: expected a boolean, got integer 1"), std::string::npos)
      << message;
  EXPECT_NE(message.find("server.host: expected a string, got integer 5"), std::string::npos)
      << message;
}

TEST(ConfigTest, FloatIsNotAnInteger) {
  TomlFile file("[jobs]\nworkers = 2.0\n");
  EXPECT_NE(
      load_error(file_only(file.path())).find("jobs.workers: expected an integer, got float 2"),
      std::string::npos);
}

TEST(ConfigTest, OutOfRangeNamesValueAndSource) {
  EXPECT_EQ(load_error(env_only({{"ADLOOM_SERVER_PORT", "70000"}})),
            "server.port: 70000 is out of range 0..65535 (from env ADLOOM_SERVER_PORT)");
  EXPECT_EQ(load_error(flags_only({"server.io_threads=0"})),
            "server.io_threads: 0 is out of range 1..64 (from --set)");
  TomlFile file("[jobs]\nmax_attempts = 101\n");
  EXPECT_EQ(load_error(file_only(file.path())),
            "jobs.max_attempts: 101 is out of range 1..100 (from file " + file.path() + ":2:1)");
}

TEST(ConfigTest, IntegersAreParsedStrictly) {
  EXPECT_EQ(load_error(flags_only({"jobs.workers=two"})),
            "jobs.workers: \"two\" is not an integer (from --set)");
  for (const char* bad : {"", " 8", "8 ", "8x", "0x10", "1e3", "+-1", "--1", "+", "-"}) {
    const std::string message = load_error(flags_only({std::string("server.port=") + bad}));
    EXPECT_NE(message.find("is not an integer"), std::string::npos) << bad << ": " << message;
  }
  EXPECT_NE(load_error(flags_only({"server.port=99999999999999999999"}))
                .find("is outside the 64-bit integer range"),
            std::string::npos);
  EXPECT_EQ(load_ok(flags_only({"server.port=+80"})).config.server_port, 80);
  EXPECT_EQ(load_ok(flags_only({"server.port=007"})).config.server_port, 7);
  EXPECT_EQ(load_error(flags_only({"server.port=-1"})),
            "server.port: -1 is out of range 0..65535 (from --set)");
}

TEST(ConfigTest, BooleansAcceptCommonSpellings) {
  for (const char* yes : {"true", "TRUE", "1", "yes", "Yes", "on", "ON"}) {
    EXPECT_TRUE(load_ok(env_only({{"ADLOOM_SERVER_ACCESS_LOG", yes}})).config.server_access_log)
        << yes;
  }
  for (const char* no : {"false", "False", "0", "no", "NO", "off", "Off"}) {
    EXPECT_FALSE(load_ok(env_only({{"ADLOOM_SERVER_ACCESS_LOG", no}})).config.server_access_log)
        << no;
  }
}

TEST(ConfigTest, BadBoolIsAnError) {
  EXPECT_EQ(load_error(env_only({{"ADLOOM_SERVER_ACCESS_LOG", "maybe"}})),
            "server.access_log: \"maybe\" is not a boolean (use true/false, yes/no, on/off or "
            "1/0) (from env ADLOOM_SERVER_ACCESS_LOG)");
  EXPECT_NE(load_error(flags_only({"server.access_log=y"})).find("is not a boolean"),
            std::string::npos);
}

TEST(ConfigTest, StringConstraints) {
  EXPECT_EQ(load_error(flags_only({"log.level=verbose"})),
            "log.level: \"verbose\" is not one of: trace, debug, info, warn, error (from --set)");
  EXPECT_EQ(load_error(flags_only({"server.host="})),
            "server.host: \"\" must not be empty (from --set)");
  EXPECT_NE(load_error(flags_only({"workspace.default_name=" + std::string(101, 'w')}))
                .find("is longer than 100 characters"),
            std::string::npos);
  // 100 characters of two bytes each: the limit counts characters, not bytes.
  std::string accented;
  for (int i = 0; i < 100; ++i) accented += "\xC3\xA9";
  EXPECT_EQ(
      load_ok(flags_only({"workspace.default_name=" + accented})).config.workspace_default_name,
      accented);
}

TEST(ConfigTest, UnknownKeyInFileSuggestsTheClosestSetting) {
  TomlFile file("[server]\nprot = 1\n[jobz]\nworkers = 1\n[nothing_like_it]\nzzz = 1\n");
  const std::string message = load_error(file_only(file.path()));
  const auto lines = lines_of(message);
  ASSERT_EQ(lines.size(), 3U) << message;
  // toml++ iterates tables in key order.
  EXPECT_EQ(lines[0], "jobz.workers: unknown setting; did you mean jobs.workers? (from file " +
                          file.path() + ":4:1)");
  EXPECT_EQ(lines[1], "nothing_like_it.zzz: unknown setting (from file " + file.path() + ":6:1)");
  EXPECT_EQ(lines[2], "server.prot: unknown setting; did you mean server.port? (from file " +
                          file.path() + ":2:1)");
}

TEST(ConfigTest, EmptyTablesAreUnknownUnlessTheyHoldSettings) {
  TomlFile known("[server]\n[jobs]\n");
  load_ok(file_only(known.path()));
  TomlFile unknown("[serverz]\n");
  EXPECT_EQ(load_error(file_only(unknown.path())),
            "serverz: unknown setting (from file " + unknown.path() + ":1:2)");
}

TEST(ConfigTest, UnknownFlagIsAnError) {
  EXPECT_EQ(load_error(flags_only({"server.prot=1"})),
            "server.prot: unknown setting; did you mean server.port? (from --set)");
  EXPECT_EQ(load_error(flags_only({"server.port"})),
            "\"server.port\": expected name=value (from --set)");
  EXPECT_EQ(load_error(flags_only({"=1"})), "\"=1\": expected name=value (from --set)");
}

TEST(ConfigTest, CrossCheckBackoff) {
  EXPECT_EQ(load_error(flags_only({"jobs.backoff_base_ms=5000", "jobs.backoff_max_ms=4000"})),
            "jobs.backoff_max_ms: 4000 must be >= jobs.backoff_base_ms = 5000 (from --set; "
            "jobs.backoff_base_ms from --set)");
  EXPECT_EQ(load_error(env_only({{"ADLOOM_JOBS_BACKOFF_MAX_MS", "999"}})),
            "jobs.backoff_max_ms: 999 must be >= jobs.backoff_base_ms = 1000 (from env "
            "ADLOOM_JOBS_BACKOFF_MAX_MS; jobs.backoff_base_ms from default)");
  LoadedConfig equal = load_ok(flags_only({"jobs.backoff_base_ms=7", "jobs.backoff_max_ms=7"}));
  EXPECT_EQ(equal.config.jobs_backoff_max_ms, 7);
  // An invalid base is reported once, not again by the cross-check.
  EXPECT_EQ(load_error(flags_only({"jobs.backoff_base_ms=0", "jobs.backoff_max_ms=5"})),
            "jobs.backoff_base_ms: 0 is out of range 1..3600000 (from --set)");
}

TEST(ConfigTest, AllProblemsAreReportedTogether) {
  TomlFile file("[server]\nport = \"x\"\nbogus = 1\n");
  const std::string message = load_error(
      sources(file.path(), {{"ADLOOM_JOBS_WORKERS", "many"}, {"ADLOOM_LOG_FORMAT", "xml"}},
              {"server.io_threads=100", "blob.backend=s3"}));
  const auto lines = lines_of(message);
  ASSERT_EQ(lines.size(), 6U) << message;
  EXPECT_NE(lines[0].find("server.bogus: unknown setting"), std::string::npos);
  EXPECT_NE(lines[1].find("server.port: expected an integer"), std::string::npos);
  EXPECT_NE(lines[2].find("jobs.workers: \"many\" is not an integer (from env"), std::string::npos);
  EXPECT_NE(lines[3].find("log.format: \"xml\" is not one of: text, json"), std::string::npos);
  EXPECT_NE(lines[4].find("server.io_threads: 100 is out of range"), std::string::npos);
  EXPECT_NE(lines[5].find("blob.backend: \"s3\" is not one of: fs (from --set)"),
            std::string::npos);
}

TEST(ConfigTest, OverriddenBadValueIsStillReported) {
  TomlFile file("[server]\nport = 70000\n");
  EXPECT_NE(load_error(sources(file.path(), {}, {"server.port=80"}))
                .find("server.port: 70000 is out of range"),
            std::string::npos);
}

TEST(ConfigTest, MissingFileIsAnError) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "absent.toml").string();
  EXPECT_EQ(load_error(file_only(path)),
            path + ": cannot read config file: No such file or directory");
  EXPECT_NE(load_error(file_only(dir.str())).find("cannot read config file"), std::string::npos);
}

TEST(ConfigTest, SyntaxErrorHasFileLineAndColumn) {
  TomlFile file("[server]\nport = 80\nhost = \"unterminated\n");
  const std::string message = load_error(file_only(file.path()));
  EXPECT_EQ(message.rfind(file.path() + ":3:", 0), 0U) << message;
  EXPECT_NE(message.find("TOML syntax error"), std::string::npos) << message;
}

TEST(ConfigTest, SecretsAreMaskedInPrint) {
  LoadedConfig loaded = load_ok(env_only({{"ADLOOM_SERVER_METRICS_TOKEN", "s3cret-token"}}));
  EXPECT_EQ(loaded.config.server_metrics_token, "s3cret-token");
  const std::string printed = format_effective_config(loaded);
  EXPECT_EQ(printed.find("s3cret-token"), std::string::npos) << printed;
  EXPECT_NE(printed.find("metrics_token = \"********\"  # env\n"), std::string::npos) << printed;

  const std::string empty = format_effective_config(load_ok(ConfigSources{}));
  EXPECT_NE(empty.find("metrics_token = \"\"  # default\n"), std::string::npos) << empty;
}

TEST(ConfigTest, SecretsAreNotEchoedInErrors) {
  TomlFile file("[server]\nmetrics_token = 12345\n");
  const std::string message = load_error(file_only(file.path()));
  EXPECT_EQ(message.find("12345"), std::string::npos) << message;
  EXPECT_NE(message.find("server.metrics_token: expected a string, got integer"), std::string::npos)
      << message;
}

TEST(ConfigTest, PrintIsGroupedAndNamesSources) {
  TomlFile file("[jobs]\nworkers = 3\n");
  LoadedConfig loaded =
      load_ok(sources(file.path(), {{"ADLOOM_LOG_LEVEL", "debug"}}, {"server.host=0.0.0.0"}));
  const std::string printed = format_effective_config(loaded);
  const auto lines = lines_of(printed);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "data_dir = \"./data\"  # default");
  EXPECT_NE(printed.find("\n[server]\nhost = \"0.0.0.0\"  # flag\nport = 8080  # default\n"),
            std::string::npos)
      << printed;
  EXPECT_NE(printed.find("\n[jobs]\nworkers = 3  # file\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("\n[log]\nlevel = \"debug\"  # env\n"), std::string::npos) << printed;
  for (const char* table : {"[server]", "[store]", "[blob]", "[jobs]", "[log]", "[workspace]"}) {
    EXPECT_NE(printed.find(std::string("\n") + table + "\n"), std::string::npos) << table;
  }
}

TEST(ConfigTest, PrintedConfigLoadsBackAsTheSameValues) {
  LoadedConfig loaded =
      load_ok(flags_only({"server.port=1234", "data_dir=/x \"quoted\"\\path",
                          "workspace.default_name=Tab\there", "server.access_log=no"}));
  TomlFile file(format_effective_config(loaded));
  LoadedConfig reloaded = load_ok(file_only(file.path()));
  EXPECT_EQ(values_only(reloaded), values_only(loaded));
  EXPECT_EQ(reloaded.config.data_dir, "/x \"quoted\"\\path");
  EXPECT_EQ(reloaded.config.workspace_default_name, "Tab\there");
}

TEST(ConfigTest, SettingSourceNames) {
  EXPECT_EQ(setting_source_name(SettingSource::kDefault), "default");
  EXPECT_EQ(setting_source_name(SettingSource::kFile), "file");
  EXPECT_EQ(setting_source_name(SettingSource::kEnv), "env");
  EXPECT_EQ(setting_source_name(SettingSource::kFlag), "flag");
}

TEST(ConfigTest, EnvironmentMapReadsTheProcessEnvironment) {
  ASSERT_EQ(setenv("ADLOOM_CONFIG_TEST_PROBE", "a=b", 1), 0);
  const auto env = environment_map();
  unsetenv("ADLOOM_CONFIG_TEST_PROBE");
  ASSERT_EQ(env.count("ADLOOM_CONFIG_TEST_PROBE"), 1U);
  EXPECT_EQ(env.at("ADLOOM_CONFIG_TEST_PROBE"), "a=b");
}

// Each setting must appear in its table of the example, as "key = ..." or "# key = ...".
TEST(ConfigTest, ExampleFileMentionsEverySetting) {
  const std::string example = read_file(source_path("adloom.example.toml"));
  const auto lines = lines_of(example);
  for (const SettingInfo& s : settings_table()) {
    const auto dot = s.name.rfind('.');
    const std::string table = dot == std::string::npos ? "" : s.name.substr(0, dot);
    const std::string key = s.name.substr(dot == std::string::npos ? 0 : dot + 1);
    std::string current;
    bool found = false;
    for (const std::string& line : lines) {
      if (!line.empty() && line.front() == '[') current = line.substr(1, line.find(']') - 1);
      if (current == table &&
          (line.rfind(key + " = ", 0) == 0 || line.rfind("# " + key + " = ", 0) == 0)) {
        found = true;
      }
    }
    EXPECT_TRUE(found) << "adloom.example.toml does not mention " << s.name;
  }
}

TEST(ConfigTest, ExampleFileLoadsAndItsValuesAreTheDefaults) {
  const std::string path = source_path("adloom.example.toml");
  load_ok(file_only(path));

  // Uncommenting every "# key = value" line must give exactly the defaults.
  std::string uncommented;
  for (const std::string& line : lines_of(read_file(path))) {
    bool is_setting = false;
    for (const SettingInfo& s : settings_table()) {
      const std::string key = s.name.substr(s.name.rfind('.') + 1);
      if (line.rfind("# " + key + " = ", 0) == 0) is_setting = true;
    }
    uncommented += (is_setting ? line.substr(2) : line) + "\n";
  }
  TomlFile file(uncommented);
  LoadedConfig loaded = load_ok(file_only(file.path()));
  for (const SettingInfo& s : settings_table()) {
    EXPECT_EQ(loaded.sources.at(s.name), SettingSource::kFile)
        << s.name << " is not in the example";
  }
  EXPECT_EQ(values_only(loaded), values_only(load_ok(ConfigSources{})));
}

TEST(ConfigTest, CheckedInDocsMatchTheTable) {
  EXPECT_EQ(read_file(source_path("docs/configuration.md")), format_settings_markdown())
      << "docs/configuration.md is stale: run `adloom config docs > docs/configuration.md`";
}

TEST(ConfigTest, CheckedInExampleMatchesTheTable) {
  EXPECT_EQ(read_file(source_path("adloom.example.toml")), format_example_toml())
      << "adloom.example.toml is stale: run `adloom config example > adloom.example.toml`";
}

TEST(ConfigTest, MarkdownHasATableRowPerSetting) {
  const std::string md = format_settings_markdown();
  EXPECT_EQ(md.rfind("# Configuration\n", 0), 0U);
  EXPECT_NE(md.find("| Setting | Env | Type | Default | Allowed | Description |"),
            std::string::npos);
  for (const SettingInfo& s : settings_table()) {
    EXPECT_NE(md.find("| `" + s.name + "` | `" + s.env + "` |"), std::string::npos) << s.name;
  }
}

}  // namespace
}  // namespace adloom
