#include "core/banned_terms.h"

#include <cctype>

#include "core/text.h"

namespace adloom {
namespace {

bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || u >= 0x80;  // UTF-8 letters count as word characters
}

}  // namespace

std::vector<std::string> banned_terms_in(const std::string& text,
                                         const std::vector<std::string>& banned) {
  // Runs of white space count as one space on both sides: "free  gift" is "free gift".
  const auto fold = [](const std::string& s) {
    std::string out;
    for (const char c : lower_ascii(s)) {
      const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
      if (space && (out.empty() || out.back() == ' ')) continue;
      out += space ? ' ' : c;
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  };
  const std::string haystack = fold(text);
  std::vector<std::string> found;
  for (const auto& term : banned) {
    const std::string needle = fold(term);
    if (needle.empty()) continue;
    for (std::size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1)) {
      const std::size_t end = at + needle.size();
      const bool starts =
          at == 0 || !is_word_char(haystack[at - 1]) || !is_word_char(needle.front());
      const bool ends =
          end == haystack.size() || !is_word_char(haystack[end]) || !is_word_char(needle.back());
      if (starts && ends) {
        found.push_back(term);
        break;
      }
    }
  }
  return found;
}

}  // namespace adloom
