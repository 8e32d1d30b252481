#include "core/config.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <unistd.h>
#include <utility>
#include <variant>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/config_schema.h"
#include "core/text.h"

namespace adloom {
namespace {

using config_schema::Field;
using config_schema::Setting;
using config_schema::settings;
using config_schema::Value;

constexpr std::string_view kEnvPrefix = "ADLOOM_";
constexpr std::string_view kMask = "********";
constexpr std::size_t kMaxSuggestionDistance = 3;

SettingType type_of(const Field& field) {
  switch (field.index() % 3) {
    case 0: return SettingType::kString;
    case 1: return SettingType::kInt;
    default: return SettingType::kBool;
  }
}

std::string_view type_name(SettingType type) {
  switch (type) {
    case SettingType::kString: return "string";
    case SettingType::kInt: return "integer";
    case SettingType::kBool: return "boolean";
  }
  return "string";
}

std::string_view type_with_article(SettingType type) {
  switch (type) {
    case SettingType::kString: return "a string";
    case SettingType::kInt: return "an integer";
    case SettingType::kBool: return "a boolean";
  }
  return "a string";
}

// The value's place in `config`, through a member pointer or an accessor.
template <typename Member>
auto& place(Config& config, Member member) {
  if constexpr (std::is_member_object_pointer_v<Member>) {
    return config.*member;
  } else {
    return member(config);
  }
}

void store_value(Config& config, const Field& field, const Value& value) {
  std::visit(
      [&](auto member) {
        auto& slot = place(config, member);
        slot = std::get<std::remove_reference_t<decltype(slot)>>(value);
      },
      field);
}

Value read_value(const Config& config, const Field& field) {
  // The accessors take a mutable Config; reading through them changes nothing.
  return std::visit([&](auto member) { return Value(place(const_cast<Config&>(config), member)); },
                    field);
}

std::string env_name(std::string_view name) {
  std::string env(kEnvPrefix);
  for (char c : name) {
    env += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return env;
}

std::optional<std::size_t> find_setting(std::string_view name) {
  const auto& table = settings();
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table[i].name == name) return i;
  }
  return std::nullopt;
}

// True when name is a table that holds settings ("server").
bool is_group(std::string_view name) {
  return std::any_of(settings().begin(), settings().end(), [&](const Setting& s) {
    return s.name.size() > name.size() && s.name.starts_with(name) && s.name[name.size()] == '.';
  });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "; did you mean server.port?" for the closest setting name, or "" when none is close.
std::string suggestion(std::string_view name) {
  std::string_view best;
  std::size_t best_distance = kMaxSuggestionDistance + 1;
  for (const Setting& s : settings()) {
    const std::size_t d = edit_distance(name, s.name);
    if (d < best_distance) {
      best = s.name;
      best_distance = d;
    }
  }
  if (best.empty()) return {};
  return fmt::format("; did you mean {}?", best);
}

// A TOML basic string, so printed values can be pasted back into a config file.
std::string toml_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// How a value appears in messages and `config print`; secrets are never echoed.
std::string display(const Setting& s, const Value& value) {
  if (const auto* str = std::get_if<std::string>(&value)) {
    if (s.secret && !str->empty()) return toml_quote(kMask);
    return toml_quote(*str);
  }
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return std::to_string(std::get<std::int64_t>(value));
}

std::string display_raw(const Setting& s, std::string_view text) {
  return toml_quote(s.secret && !text.empty() ? kMask : text);
}

struct Parsed {
  std::optional<Value> value;
  std::string problem;  // set when value is empty
};

// Strict: the whole text must be the value (no spaces, no trailing junk).
Parsed parse_text(SettingType type, std::string_view text) {
  switch (type) {
    case SettingType::kString: return {Value(std::string(text)), {}};
    case SettingType::kInt: {
      std::string_view digits = text;
      if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
      // from_chars accepts a leading '-' itself; reject "+-1".
      if (!digits.empty() && digits.front() == '-' && digits.size() != text.size()) {
        return {std::nullopt, "is not an integer"};
      }
      std::int64_t n = 0;
      const char* end = digits.data() + digits.size();
      auto [ptr, ec] = std::from_chars(digits.data(), end, n);
      if (ec == std::errc::result_out_of_range) {
        return {std::nullopt, "is outside the 64-bit integer range"};
      }
      if (ec != std::errc() || ptr != end || digits.empty()) {
        return {std::nullopt, "is not an integer"};
      }
      return {Value(n), {}};
    }
    case SettingType::kBool: {
      std::string lower(text);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") {
        return {Value(true), {}};
      }
      if (lower == "false" || lower == "0" || lower == "no" || lower == "off") {
        return {Value(false), {}};
      }
      return {std::nullopt, "is not a boolean (use true/false, yes/no, on/off or 1/0)"};
    }
  }
  return {std::nullopt, "has an unknown type"};
}

std::string_view node_kind(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    default: return "date/time";
  }
}

// "string \"8080\"", "integer 5", "table": what the file holds, for type mismatch messages.
std::string describe_node(const toml::node& node, bool secret) {
  const std::string_view kind = node_kind(node);
  if (secret) return std::string(kind);
  if (const auto* s = node.as_string()) return fmt::format("{} {}", kind, toml_quote(s->get()));
  if (const auto* i = node.as_integer()) return fmt::format("{} {}", kind, i->get());
  if (const auto* f = node.as_floating_point()) return fmt::format("{} {}", kind, f->get());
  if (const auto* b = node.as_boolean()) return fmt::format("{} {}", kind, b->get());
  return std::string(kind);
}

struct Origin {
  SettingSource source = SettingSource::kDefault;
  std::string where = "default";  // "env ADLOOM_SERVER_PORT", "file a.toml:3:1", ...
};

// Applies the sources in precedence order, collecting every problem instead of stopping at
// the first. Each supplied value is checked where it is supplied, even if a higher source
// overrides it: a bad value in the file would otherwise surface only when the override goes.
class Loader {
 public:
  Loader() : origins_(settings().size()), valid_(settings().size(), false) {
    for (std::size_t i = 0; i < settings().size(); ++i) {
      apply_text(i, settings()[i].default_value, SettingSource::kDefault, "default");
    }
  }

  void load_file(const std::string& path);
  void load_env(const std::map<std::string, std::string>& env);
  void load_flags(const std::vector<std::string>& flags);
  Result<LoadedConfig> finish();

 private:
  void apply_value(std::size_t i, const Value& value, SettingSource source, std::string where);
  void apply_text(std::size_t i, std::string_view text, SettingSource source, std::string where);
  void apply_node(std::size_t i, const toml::node& node, const std::string& where);
  void walk(const toml::table& table, const std::string& prefix, const std::string& path);
  void unknown(std::string_view name, std::string_view where) {
    problems_.push_back(
        fmt::format("{}: unknown setting{} (from {})", name, suggestion(name), where));
  }

  Config config_;
  std::vector<Origin> origins_;
  std::vector<bool> valid_;  // the effective value passed its own checks
  std::vector<std::string> problems_;
};

void Loader::apply_value(std::size_t i, const Value& value, SettingSource source,
                         std::string where) {
  const Setting& s = settings()[i];
  if (s.rule.check) {
    std::string problem = s.rule.check(value);
    if (!problem.empty()) {
      problems_.push_back(
          fmt::format("{}: {} {} (from {})", s.name, display(s, value), problem, where));
      valid_[i] = false;
      return;
    }
  }
  store_value(config_, s.field, value);
  origins_[i] = {source, std::move(where)};
  valid_[i] = true;
}

void Loader::apply_text(std::size_t i, std::string_view text, SettingSource source,
                        std::string where) {
  const Setting& s = settings()[i];
  Parsed parsed = parse_text(type_of(s.field), text);
  if (!parsed.value) {
    problems_.push_back(
        fmt::format("{}: {} {} (from {})", s.name, display_raw(s, text), parsed.problem, where));
    valid_[i] = false;
    return;
  }
  apply_value(i, *parsed.value, source, std::move(where));
}

void Loader::apply_node(std::size_t i, const toml::node& node, const std::string& where) {
  const Setting& s = settings()[i];
  const SettingType type = type_of(s.field);
  if (type == SettingType::kString && node.is_string()) {
    return apply_value(i, Value(node.as_string()->get()), SettingSource::kFile, where);
  }
  if (type == SettingType::kInt && node.is_integer()) {
    return apply_value(i, Value(node.as_integer()->get()), SettingSource::kFile, where);
  }
  if (type == SettingType::kBool && node.is_boolean()) {
    return apply_value(i, Value(node.as_boolean()->get()), SettingSource::kFile, where);
  }
  problems_.push_back(fmt::format("{}: expected {}, got {} (from {})", s.name,
                                  type_with_article(type), describe_node(node, s.secret), where));
  valid_[i] = false;
}

// Nested tables flatten to dotted names: [server] port = 1 is server.port.
void Loader::walk(const toml::table& table, const std::string& prefix, const std::string& path) {
  for (const auto& [key, node] : table) {
    const std::string name =
        prefix.empty() ? std::string(key.str()) : fmt::format("{}.{}", prefix, key.str());
    const auto& pos = key.source().begin;
    const std::string where = fmt::format("file {}:{}:{}", path, pos.line, pos.column);
    if (auto i = find_setting(name)) {
      apply_node(*i, node, where);
    } else if (const toml::table* sub = node.as_table()) {
      // An empty known table ([server] with every key commented out) is fine.
      if (sub->empty() && !is_group(name)) unknown(name, where);
      walk(*sub, name, path);
    } else {
      unknown(name, where);
    }
  }
}

void Loader::load_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    problems_.push_back(fmt::format("{}: cannot read config file: it is a directory", path));
    return;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems_.push_back(fmt::format("{}: cannot read config file: {}", path,
                                    std::error_code(errno, std::generic_category()).message()));
    return;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    problems_.push_back(fmt::format("{}: cannot read config file: read error", path));
    return;
  }
  try {
    const toml::table root = toml::parse(text.str(), path);
    walk(root, "", path);
  } catch (const toml::parse_error& e) {
    problems_.push_back(fmt::format("{}:{}:{}: TOML syntax error: {}", path, e.source().begin.line,
                                    e.source().begin.column, e.description()));
  }
}

// Only ADLOOM_* variables that name a setting are read; others (ADLOOM_CONFIG, or variables
// of other tools sharing the prefix) are not errors.
void Loader::load_env(const std::map<std::string, std::string>& env) {
  for (std::size_t i = 0; i < settings().size(); ++i) {
    const std::string var = env_name(settings()[i].name);
    if (auto it = env.find(var); it != env.end()) {
      apply_text(i, it->second, SettingSource::kEnv, "env " + var);
    }
  }
}

void Loader::load_flags(const std::vector<std::string>& flags) {
  for (const std::string& flag : flags) {
    const std::size_t eq = flag.find('=');
    if (eq == std::string::npos || eq == 0) {
      problems_.push_back(fmt::format("{}: expected name=value (from --set)", toml_quote(flag)));
      continue;
    }
    const std::string_view name = std::string_view(flag).substr(0, eq);
    if (auto i = find_setting(name)) {
      apply_text(*i, std::string_view(flag).substr(eq + 1), SettingSource::kFlag, "--set");
    } else {
      unknown(name, "--set");
    }
  }
}

Result<LoadedConfig> Loader::finish() {
  const auto& table = settings();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const Setting& s = table[i];
    if (!s.cross.check || !valid_[i]) continue;
    const auto other = find_setting(s.cross.other);
    if (!other || !valid_[*other]) continue;
    std::string problem = s.cross.check(config_);
    if (problem.empty()) continue;
    problems_.push_back(fmt::format("{}: {} {} (from {}; {} from {})", s.name,
                                    display(s, read_value(config_, s.field)), problem,
                                    origins_[i].where, s.cross.other, origins_[*other].where));
  }
  if (!problems_.empty()) {
    std::string message;
    for (const std::string& p : problems_) {
      if (!message.empty()) message += '\n';
      message += p;
    }
    return invalid_argument(std::move(message));
  }
  LoadedConfig loaded;
  loaded.config = std::move(config_);
  for (std::size_t i = 0; i < table.size(); ++i) {
    loaded.sources[std::string(table[i].name)] = origins_[i].source;
  }
  return loaded;
}

// The TOML table a setting lives in ("" for top-level keys) and its key within it.
std::pair<std::string_view, std::string_view> split_name(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return {"", name};
  return {name.substr(0, dot), name.substr(dot + 1)};
}

// Settings grouped by table: top-level keys first (TOML requires them before any table),
// then tables in order of first declaration.
std::vector<std::pair<std::string_view, std::vector<std::size_t>>> groups() {
  std::vector<std::pair<std::string_view, std::vector<std::size_t>>> out;
  out.emplace_back("", std::vector<std::size_t>{});
  const auto& table = settings();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const std::string_view group = split_name(table[i].name).first;
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& g) { return g.first == group; });
    if (it == out.end()) it = out.insert(out.end(), {group, {}});
    it->second.push_back(i);
  }
  if (out.front().second.empty()) out.erase(out.begin());
  return out;
}

// Markdown table cells: a raw '|' ends the cell and '<' may start an HTML tag.
std::string md_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string default_for_docs(const Setting& s) {
  if (type_of(s.field) == SettingType::kString) return toml_quote(s.default_value);
  return std::string(s.default_value);
}

}  // namespace

std::string Config::sqlite_path() const {
  if (!store_sqlite_path.empty()) return store_sqlite_path;
  return (std::filesystem::path(data_dir) / "adloom.db").string();
}

std::string Config::blob_root() const {
  if (!blob_fs_root.empty()) return blob_fs_root;
  return (std::filesystem::path(data_dir) / "blobs").string();
}

std::string Config::staging_root() const {
  return (std::filesystem::path(data_dir) / "imports").string();
}

std::string_view setting_source_name(SettingSource source) {
  switch (source) {
    case SettingSource::kDefault: return "default";
    case SettingSource::kFile: return "file";
    case SettingSource::kEnv: return "env";
    case SettingSource::kFlag: return "flag";
  }
  return "default";
}

const std::vector<SettingInfo>& settings_table() {
  static const std::vector<SettingInfo> kInfos = [] {
    std::vector<SettingInfo> out;
    for (const Setting& s : settings()) {
      out.push_back({.name = std::string(s.name),
                     .env = env_name(s.name),
                     .type = type_of(s.field),
                     .default_value = std::string(s.default_value),
                     .help = std::string(s.help),
                     .secret = s.secret,
                     .constraint = s.rule.constraint});
    }
    return out;
  }();
  return kInfos;
}

Result<LoadedConfig> load_config(const ConfigSources& sources) {
  Loader loader;
  if (!sources.toml_path.empty()) loader.load_file(sources.toml_path);
  loader.load_env(sources.env);
  loader.load_flags(sources.flags);
  return loader.finish();
}

std::map<std::string, std::string> environment_map() {
  std::map<std::string, std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return out;
}

std::string format_effective_config(const LoadedConfig& loaded) {
  const auto& table = settings();
  std::string out;
  for (const auto& [group, members] : groups()) {
    if (!group.empty()) out += fmt::format("{}[{}]\n", out.empty() ? "" : "\n", group);
    for (std::size_t i : members) {
      const Setting& s = table[i];
      const auto it = loaded.sources.find(std::string(s.name));
      const SettingSource source =
          it == loaded.sources.end() ? SettingSource::kDefault : it->second;
      out +=
          fmt::format("{} = {}  # {}\n", split_name(s.name).second,
                      display(s, read_value(loaded.config, s.field)), setting_source_name(source));
    }
  }
  return out;
}

namespace {

// `text` as "# " comment lines of at most kExampleWidth columns, broken between words.
constexpr std::size_t kExampleWidth = 96;
std::string comment_lines(std::string_view text) {
  std::string out;
  std::string line = "#";
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    const std::string_view word = text.substr(pos, end - pos);
    if (line.size() > 1 && line.size() + 1 + word.size() > kExampleWidth) {
      out += line + "\n";
      line = "#";
    }
    line += " ";
    line += word;
    pos = end + 1;
  }
  return out + line + "\n";
}

}  // namespace

std::string format_example_toml() {
  std::string out =
      "# adloom example configuration: copy it, edit it, and pass the copy with `--config "
      "<file>`.\n"
      "# Generated by `adloom config example` from the settings table in "
      "src/core/config_settings.cpp.\n"
      "#\n"
      "# Every setting is listed with its default, commented out; uncomment a line to change "
      "it.\n"
      "# Values must have the setting's type: `port = 8080`, not `port = \"8080\"`. Unknown "
      "keys are\n"
      "# errors, so a misspelt setting is reported instead of silently ignored.\n"
      "#\n"
      "# Sources, lowest to highest precedence:\n"
      "#   built-in defaults < this file < environment variables < `--set name=value` flags\n"
      "# Each setting's environment variable is ADLOOM_ followed by its name in upper case with "
      "\".\"\n"
      "# replaced by \"_\": server.port is ADLOOM_SERVER_PORT, data_dir is ADLOOM_DATA_DIR.\n"
      "#\n"
      "# `adloom config print` shows the effective configuration and where each value came "
      "from;\n"
      "# docs/configuration.md describes every setting, docs/providers.md the model "
      "providers.\n";
  const auto& table = settings();
  for (const auto& [group, members] : groups()) {
    if (!group.empty()) out += fmt::format("\n[{}]\n", group);
    for (std::size_t i : members) {
      const Setting& s = table[i];
      out += "\n" + comment_lines(s.help);
      if (!s.rule.constraint.empty()) out += comment_lines("Allowed: " + s.rule.constraint + ".");
      out += fmt::format("# {} = {}\n", split_name(s.name).second, default_for_docs(s));
    }
  }
  return out;
}

std::string format_settings_markdown() {
  const auto& table = settings();
  std::string out =
      "# Configuration\n"
      "\n"
      "<!-- Generated by `adloom config docs`; edit the settings table in "
      "src/core/config.cpp instead. -->\n"
      "\n"
      "adloom reads each setting from four sources; a later source overrides an earlier "
      "one:\n"
      "\n"
      "1. the built-in default;\n"
      "2. the TOML file given with `--config` (see `adloom.example.toml`), where "
      "`server.port` is written as `port` in the `[server]` table;\n"
      "3. an environment variable named `ADLOOM_` followed by the setting name in upper case "
      "with `.` replaced by `_` (`server.port` is `ADLOOM_SERVER_PORT`);\n"
      "4. `--set name=value` flags, applied in order.\n"
      "\n"
      "Values in the file must have the setting's type (`port = 8080`, not "
      "`port = \"8080\"`). Environment variables and flags are parsed strictly: integers "
      "are whole numbers with an optional sign; booleans are `true`/`false`, `yes`/`no`, "
      "`on`/`off` or `1`/`0`. Unknown settings in the file or in flags are errors; "
      "`ADLOOM_*` variables that name no setting are ignored. The whole configuration is "
      "checked at start-up and every problem is reported at once, with the setting, the "
      "value and where it came from. `adloom config print` shows the effective "
      "configuration with the source of every value; secrets are shown as `********`.\n";
  for (const auto& [group, members] : groups()) {
    out +=
        group.empty() ? std::string("\n## Top-level keys\n") : fmt::format("\n## `[{}]`\n", group);
    out +=
        "\n"
        "| Setting | Env | Type | Default | Allowed | Description |\n"
        "|---|---|---|---|---|---|\n";
    for (std::size_t i : members) {
      const Setting& s = table[i];
      const std::string type(type_name(type_of(s.field)));
      out += fmt::format("| `{}` | `{}` | {} | `{}` | {} | {} |\n", s.name, env_name(s.name),
                         s.secret ? type + " (secret)" : type, default_for_docs(s),
                         s.rule.constraint.empty() ? "any" : md_escape(s.rule.constraint),
                         md_escape(s.help));
    }
  }
  return out;
}

}  // namespace adloom
