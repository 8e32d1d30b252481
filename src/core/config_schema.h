// The settings table's types, shared by the table (config_settings.cpp) and the loader
// and formatters (config.cpp). Internal to src/core: everything else uses config.h.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/config.h"

namespace adloom::config_schema {

using Value = std::variant<std::string, std::int64_t, bool>;
// Where a setting's value lives in Config: a member, or (for settings inside a nested
// struct such as Config::bedrock) an accessor. Alternative order: string, int, bool, then
// the same three as accessors; index % 3 matches Value and SettingType.
using Field =
    std::variant<std::string Config::*, std::int64_t Config::*, bool Config::*,
                 std::string& (*)(Config&), std::int64_t& (*)(Config&), bool& (*)(Config&)>;

// What is wrong with a value ("is out of range 1..64"), or "" when it is acceptable. The
// caller prefixes the setting name and the value, and appends the source.
using Check = std::function<std::string(const Value&)>;

struct Rule {
  std::string constraint{};  // for docs; "" when any value of the type is allowed
  Check check{};             // null when any value of the type is allowed
};

// A check that reads another setting too. It runs on the effective config, and only when
// both settings hold valid values, so it never reports a problem twice.
struct CrossCheck {
  std::string_view other{};
  std::function<std::string(const Config&)> check{};  // problem text, or ""
};

// One row of the settings table: the only place a setting is declared.
struct Setting {
  std::string_view name{};
  Field field{};
  std::string_view default_value{};  // parsed like an env value, so it is validated too
  Rule rule{};
  std::string_view help{};
  bool secret = false;
  CrossCheck cross{};
};

// The whole table, in declaration order: the only place a setting is declared.
const std::vector<Setting>& settings();

}  // namespace adloom::config_schema
