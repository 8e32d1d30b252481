#include "net/aws_credentials.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"

namespace adloom {
namespace {

using IniSection = std::map<std::string, std::string>;  // lower-case key -> value

// Not `failed_precondition`: status.h may grow a helper of that name.
Status precondition_failed(std::string message) {
  return {ErrorCode::kFailedPrecondition, std::move(message)};
}

bool is_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim_whitespace(std::string_view s) {
  while (!s.empty() && is_whitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_whitespace(s.back())) s.remove_suffix(1);
  return s;
}

// A variable's value, trimmed; "" when unset (an empty variable counts as unset).
std::string env_value(const AwsEnv& env, const std::string& name) {
  const auto it = env.find(name);
  return it == env.end() ? "" : std::string(trim_whitespace(it->second));
}

// A shared file's path: the variable's value ("~/" is HOME), else ~/.aws/<default_name>;
// "" when that needs HOME and HOME is not set.
std::string shared_file_path(const AwsEnv& env, const std::string& variable,
                             const std::string& default_name) {
  const std::string home = env_value(env, "HOME");
  std::string path = env_value(env, variable);
  if (path.empty()) return home.empty() ? "" : home + "/.aws/" + default_name;
  if (path.starts_with("~/") && !home.empty()) path = home + path.substr(1);
  return path;
}

// "value  # comment" -> "value": a comment starts at `#` or `;` after whitespace (keys,
// secrets and tokens never contain whitespace, so nothing of theirs is cut).
std::string_view strip_comment(std::string_view value) {
  for (std::size_t i = 1; i < value.size(); ++i) {
    if ((value[i] == '#' || value[i] == ';') && is_whitespace(value[i - 1])) {
      return trim_whitespace(value.substr(0, i));
    }
  }
  return value;
}

// The profile a section header names: "[name]" in the credentials file; "[profile name]"
// or "[default]" in the config file, whose other sections ([sso-session x], [services x])
// are not profiles (nullopt).
std::optional<std::string> profile_of_section(std::string_view name, bool config_file) {
  if (!config_file || name == "default") return std::string(name);
  if (name.starts_with("profile") && name.size() > 7 && is_whitespace(name[7])) {
    return std::string(trim_whitespace(name.substr(7)));
  }
  return std::nullopt;
}

std::map<std::string, IniSection> parse_profiles(std::istream& in, bool config_file) {
  std::map<std::string, IniSection> profiles;
  IniSection* section = nullptr;  // null: outside any profile
  bool in_nested = false;         // after "key =" with no value: indented lines belong to it
  std::string raw;
  while (std::getline(in, raw)) {
    const bool indented = !raw.empty() && is_whitespace(raw.front());
    const std::string_view line = trim_whitespace(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      in_nested = false;
      section = nullptr;
      const std::size_t close = line.find(']');
      if (close == std::string_view::npos) continue;
      const auto profile =
          profile_of_section(trim_whitespace(line.substr(1, close - 1)), config_file);
      if (profile && !profile->empty()) section = &profiles[*profile];
      continue;
    }
    if (section == nullptr || (indented && in_nested)) continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view value = strip_comment(trim_whitespace(line.substr(eq + 1)));
    in_nested = value.empty();
    (*section)[lower_ascii(std::string(trim_whitespace(line.substr(0, eq))))] = std::string(value);
  }
  return profiles;
}

struct SharedFile {
  std::string path;  // "" when HOME is unset and no variable names it
  std::string variable;
  bool config_file = false;
  bool exists = false;
  std::map<std::string, IniSection> profiles;
};

Result<SharedFile> read_shared_file(const AwsEnv& env, bool config_file) {
  SharedFile file;
  file.config_file = config_file;
  file.variable = config_file ? "AWS_CONFIG_FILE" : "AWS_SHARED_CREDENTIALS_FILE";
  file.path = shared_file_path(env, file.variable, config_file ? "config" : "credentials");
  std::error_code ec;
  if (file.path.empty() || !std::filesystem::exists(file.path, ec)) return file;
  file.exists = true;
  std::ifstream in(file.path);
  const bool directory = std::filesystem::is_directory(file.path, ec);
  if (!in || directory) {
    return precondition_failed(
        "cannot read the AWS " + std::string(config_file ? "config" : "credentials") + " file " +
        file.path + ": " + (directory ? "it is a directory" : std::strerror(errno)));
  }
  file.profiles = parse_profiles(in, config_file);
  return file;
}

std::string section_name(const std::string& profile, bool config_file) {
  return config_file && profile != "default" ? "[profile " + profile + "]" : "[" + profile + "]";
}

std::string value_of(const IniSection& section, const std::string& key) {
  const auto it = section.find(key);
  return it == section.end() ? "" : it->second;
}

struct ProfileChoice {
  std::string name;
  std::string origin;  // why this one, for messages: " chosen by AWS_PROFILE"
};

ProfileChoice choose_profile(const AwsCredentialOptions& options, const AwsEnv& env) {
  if (!options.profile.empty()) {
    return {options.profile, " chosen by " + options.settings_prefix + ".profile"};
  }
  if (std::string name = env_value(env, "AWS_PROFILE"); !name.empty()) {
    return {std::move(name), " chosen by AWS_PROFILE"};
  }
  return {"default", ""};
}

// Keys the AWS CLI resolves by other means adloom does not implement.
std::string unsupported_method(const IniSection& section) {
  for (const char* key : {"sso_session", "sso_start_url", "role_arn", "credential_process",
                          "web_identity_token_file"}) {
    if (section.contains(key)) return key;
  }
  return "";
}

// Source 3, one file: the keys of `profile`, nullopt when the file lacks them, or an
// error when it holds half of them. `notes` gathers what was seen, for the final message.
Result<std::optional<AwsCredentials>> from_shared_file(const SharedFile& file,
                                                       const std::string& profile,
                                                       std::vector<std::string>& notes,
                                                       std::string& unsupported) {
  const std::string kind = file.config_file ? "config" : "credentials";
  if (file.path.empty()) {
    notes.push_back("no " + kind + " file (HOME and " + file.variable + " are unset)");
    return std::optional<AwsCredentials>();
  }
  if (!file.exists) {
    notes.push_back(file.path + ": no such file");
    return std::optional<AwsCredentials>();
  }
  const std::string section = section_name(profile, file.config_file);
  const auto it = file.profiles.find(profile);
  if (it == file.profiles.end()) {
    notes.push_back(file.path + ": no " + section);
    return std::optional<AwsCredentials>();
  }
  AwsCredentials creds{
      value_of(it->second, "aws_access_key_id"), value_of(it->second, "aws_secret_access_key"),
      value_of(it->second, "aws_session_token"), "profile '" + profile + "' in " + file.path};
  if (creds.access_key_id.empty() && creds.secret_access_key.empty()) {
    notes.push_back(file.path + ": " + section + " has no aws_access_key_id");
    if (unsupported.empty()) unsupported = unsupported_method(it->second);
    return std::optional<AwsCredentials>();
  }
  if (creds.access_key_id.empty() || creds.secret_access_key.empty()) {
    const bool has_id = !creds.access_key_id.empty();
    return precondition_failed("incomplete AWS credentials: " + section + " in " + file.path +
                               " has " +
                               (has_id ? "aws_access_key_id but no aws_secret_access_key"
                                       : "aws_secret_access_key but no aws_access_key_id") +
                               "; add the missing key to that section");
  }
  return std::optional<AwsCredentials>(std::move(creds));
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace

Result<AwsCredentials> resolve_aws_credentials(const AwsCredentialOptions& options,
                                               const AwsEnv& env) {
  const std::string& prefix = options.settings_prefix;
  // 1. Configuration.
  if (!options.access_key_id.empty() || !options.secret_access_key.empty()) {
    if (options.access_key_id.empty() || options.secret_access_key.empty()) {
      return precondition_failed("incomplete AWS credentials: set both " + prefix +
                                 ".access_key_id and " + prefix +
                                 ".secret_access_key, or neither to use the environment or "
                                 "~/.aws/credentials");
    }
    return AwsCredentials{options.access_key_id, options.secret_access_key, options.session_token,
                          "configuration (" + prefix + ")"};
  }
  // 2. Environment.
  std::string key_id = env_value(env, "AWS_ACCESS_KEY_ID");
  std::string secret = env_value(env, "AWS_SECRET_ACCESS_KEY");
  if (!key_id.empty() || !secret.empty()) {
    if (key_id.empty() || secret.empty()) {
      return precondition_failed(
          std::string("incomplete AWS credentials: ") +
          (key_id.empty() ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
                          : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not") +
          "; set both, or unset it to use ~/.aws/credentials");
    }
    return AwsCredentials{std::move(key_id), std::move(secret), env_value(env, "AWS_SESSION_TOKEN"),
                          "environment"};
  }
  // 3. Shared files: credentials, then config.
  const ProfileChoice profile = choose_profile(options, env);
  std::vector<std::string> notes;
  std::string unsupported;
  for (bool config_file : {false, true}) {
    ADLOOM_ASSIGN(const SharedFile file, read_shared_file(env, config_file));
    ADLOOM_ASSIGN(std::optional<AwsCredentials> found,
                  from_shared_file(file, profile.name, notes, unsupported));
    if (found) return std::move(*found);
  }
  std::string message = "no AWS credentials: set " + prefix + ".access_key_id and " + prefix +
                        ".secret_access_key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                        "aws_access_key_id and aws_secret_access_key in profile '" +
                        profile.name + "'" + profile.origin + " (looked in " + join(notes, "; ") +
                        "); another profile is chosen with " + prefix + ".profile or AWS_PROFILE";
  if (!unsupported.empty()) {
    message += ". Profile '" + profile.name + "' uses " + unsupported +
               ", which adloom does not support: export its temporary keys with `aws configure "
               "export-credentials --profile " +
               profile.name + " --format env`";
  }
  return precondition_failed(std::move(message));
}

Result<std::string> resolve_aws_region(const AwsCredentialOptions& options, const AwsEnv& env) {
  if (!options.region.empty()) return options.region;
  for (const char* variable : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::string region = env_value(env, variable); !region.empty()) return region;
  }
  const ProfileChoice profile = choose_profile(options, env);
  ADLOOM_ASSIGN(const SharedFile config, read_shared_file(env, true));
  if (const auto it = config.profiles.find(profile.name); it != config.profiles.end()) {
    if (std::string region = value_of(it->second, "region"); !region.empty()) return region;
  }
  std::vector<std::string> notes;
  if (!profile.origin.empty()) notes.push_back("profile '" + profile.name + "'" + profile.origin);
  if (config.path.empty()) notes.push_back("HOME and AWS_CONFIG_FILE are unset");
  if (!config.path.empty() && !config.exists) notes.push_back("no such file");
  return precondition_failed("no AWS region: set " + options.settings_prefix +
                             ".region, or AWS_REGION, or region in " +
                             section_name(profile.name, true) + " of " +
                             (config.path.empty() ? "~/.aws/config" : config.path) +
                             (notes.empty() ? "" : " (" + join(notes, "; ") + ")"));
}

std::optional<std::string> bedrock_bearer_token(const AwsCredentialOptions& options,
                                                const AwsEnv& env) {
  if (const std::string_view token = trim_whitespace(options.bearer_token); !token.empty()) {
    return std::string(token);
  }
  if (std::string token = env_value(env, "AWS_BEARER_TOKEN_BEDROCK"); !token.empty()) {
    return token;
  }
  return std::nullopt;
}

}  // namespace adloom
