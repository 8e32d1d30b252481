// TermTable: small integers for repeated strings (channels, tags, metric names …), so
// in-memory search data compares integers. Not thread safe: its owner locks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace adloom {

using Term = std::uint32_t;  // 0 is the empty string

class TermTable {
 public:
  TermTable() { names_.emplace_back(); }
  // The term of `name`, added if new ("" is 0).
  Term intern(const std::string& name) {
    if (name.empty()) return 0;
    auto [it, added] = terms_.try_emplace(name, static_cast<Term>(names_.size()));
    if (added) names_.push_back(name);
    return it->second;
  }
  // The term of `name`, or nullopt when it was never interned.
  std::optional<Term> find(const std::string& name) const {
    if (name.empty()) return Term{0};
    auto it = terms_.find(name);
    if (it == terms_.end()) return std::nullopt;
    return it->second;
  }
  const std::string& name(Term t) const { return names_[t]; }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, Term> terms_;
};

}  // namespace adloom
