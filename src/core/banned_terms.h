// Banned terms: the words and phrases a brand kit forbids in prompts and copy.
#pragma once

#include <string>
#include <vector>

namespace adloom {

// The banned terms that occur in `text` as whole words or phrases, ignoring case (ASCII),
// in the order of `banned`: "cheap" matches "Cheap!" but not "cheapest"; runs of white
// space match one space.
std::vector<std::string> banned_terms_in(const std::string& text,
                                         const std::vector<std::string>& banned);

}  // namespace adloom
