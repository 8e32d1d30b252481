#include "models/builtin/prompt_text.h"

#include <algorithm>
#include <cctype>

#include "core/banned_terms.h"
#include "core/text.h"

namespace adloom::prompt_text {
namespace {

// Removing terms shortens the text every round; a few rounds cover terms that only meet
// once others are gone ("free free gift gift").
constexpr int kMaxScrubRounds = 64;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// banned_terms_in()'s notion of a word character, mirrored so removal matches detection.
bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || u >= 0x80;
}

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_separator(char c) {
  return c == ',' || c == '.' || c == ';' || c == ':';
}

bool is_closing(char c) {
  return is_separator(c) || c == '!' || c == '?' || c == ')';
}

// A '.' or ':' between digits ("1.91:1", "3.1%") is part of a number, not a break.
bool inside_number(std::string_view s, std::size_t i) {
  return (s[i] == '.' || s[i] == ':') && i > 0 && i + 1 < s.size() && is_digit(s[i - 1]) &&
         is_digit(s[i + 1]);
}

// banned_terms_in()'s folding: lowered, white space runs as one space, trimmed.
std::string fold(std::string_view s) {
  std::string out;
  for (const char c : lower_ascii(std::string(s))) {
    const bool space = is_space(c);
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Appends one character of a line to `out`, applying tidy()'s punctuation rules.
void tidy_append(std::string& out, char c, bool& pending_space) {
  if (c == ' ') {
    pending_space = true;
    return;
  }
  if (is_closing(c)) {
    pending_space = false;  // no space before closing punctuation
    if (c == ')' && !out.empty() && out.back() == '(') {
      out.pop_back();  // "()" left by removed words
      if (!out.empty() && out.back() == ' ') out.pop_back();
      pending_space = !out.empty();
      return;
    }
    if (is_separator(c) && (out.empty() || is_separator(out.back()) || out.back() == '!' ||
                            out.back() == '?' || out.back() == '(')) {
      if (c == '.' && !out.empty() && is_separator(out.back())) out.back() = '.';
      return;
    }
  }
  if (pending_space && !out.empty()) out += ' ';
  pending_space = false;
  out += c;
}

// Every occurrence of each term in `s` erased; `s` has single white space characters
// between words (as tidy()/tidy_lines() leave it), so folding maps positions one to one.
std::string erase_terms(std::string s, const std::vector<std::string>& banned) {
  for (const auto& term : banned) {
    const std::string needle = fold(term);
    if (needle.empty()) continue;
    std::string hay = lower_ascii(s);
    std::replace_if(hay.begin(), hay.end(), is_space, ' ');
    std::vector<std::pair<std::size_t, std::size_t>> hits;
    for (std::size_t at = hay.find(needle); at != std::string::npos;) {
      const std::size_t end = at + needle.size();
      const bool starts = at == 0 || !is_word_char(hay[at - 1]) || !is_word_char(needle.front());
      const bool ends =
          end == hay.size() || !is_word_char(hay[end]) || !is_word_char(needle.back());
      if (starts && ends) hits.emplace_back(at, end);
      at = hay.find(needle, starts && ends ? end : at + 1);
    }
    for (auto it = hits.rbegin(); it != hits.rend(); ++it) {
      s.replace(it->first, it->second - it->first, " ");
    }
  }
  return s;
}

std::string remove_asides(std::string_view s) {
  std::string out;
  int depth = 0;
  for (const char c : s) {
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      depth = std::max(0, depth - 1);
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

std::string trim_trailing_separators(std::string s) {
  while (!s.empty()) {
    const char c = s.back();
    if (is_space(c) || is_separator(c) || c == '-' || c == '(' || c == '/' || c == '&') {
      s.pop_back();
    } else if (s.size() >= 2 && s.compare(s.size() - 2, 2, "\xC2\xB7") == 0) {
      s.resize(s.size() - 2);  // "·"
    } else {
      break;
    }
  }
  return s;
}

}  // namespace

std::string tidy(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (const char c : text) tidy_append(out, is_space(c) ? ' ' : c, pending_space);
  while (!out.empty() && (out.back() == ',' || out.back() == ';' || out.back() == ':')) {
    out.pop_back();
  }
  return out;
}

std::string tidy_lines(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string line = tidy(text.substr(start, end - start));
    if (!line.empty()) {
      if (!out.empty()) out += '\n';
      out += line;
    }
    start = end + 1;
  }
  return out;
}

std::string remove_banned(std::string_view text, const std::vector<std::string>& banned,
                          bool multi_line) {
  const auto clean = [multi_line](std::string_view s) {
    return multi_line ? tidy_lines(s) : tidy(s);
  };
  std::string s = clean(text);
  if (banned.empty()) return s;
  for (int round = 0; round < kMaxScrubRounds; ++round) {
    if (banned_terms_in(s, banned).empty()) return s;
    std::string next = clean(erase_terms(s, banned));
    if (next.size() >= s.size()) break;  // no progress: never expected, the guarantee wins
    s = std::move(next);
  }
  return banned_terms_in(s, banned).empty() ? s : std::string();
}

std::string drop_banned_phrases(std::string_view text, const std::vector<std::string>& banned) {
  if (banned.empty()) return std::string(text);
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool last = i == text.size();
    const char c = last ? '\0' : text[i];
    const bool breaks = last || c == ',' || c == ';' || c == '!' || c == '?' || c == '\n' ||
                        (c == '.' && !inside_number(text, i));
    if (!breaks) continue;
    const std::string_view phrase = text.substr(start, i - start);
    if (banned_terms_in(std::string(phrase), banned).empty()) {
      out.append(phrase);
      if (!last) out += c;
    } else if (!last && (c == '.' || c == '\n')) {
      out += c;  // keep the sentence break so neighbours do not run together
    }
    start = i + 1;
  }
  return remove_banned(out, banned, /*multi_line=*/true);
}

std::string sentence_case(std::string text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts = i == 0 || text[i - 1] == '\n' ||
                        (i >= 2 && text[i - 1] == ' ' &&
                         (text[i - 2] == '.' || text[i - 2] == '!' || text[i - 2] == '?'));
    if (!starts || std::islower(static_cast<unsigned char>(text[i])) == 0) continue;
    std::size_t end = i;
    bool has_capital = false;
    while (end < text.size() && is_word_char(text[end])) {
      has_capital = has_capital || std::isupper(static_cast<unsigned char>(text[end])) != 0;
      ++end;
    }
    if (!has_capital)
      text[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
  }
  return text;
}

std::string truncate_words(std::string_view text, std::size_t max_chars) {
  if (utf8_length(text) <= max_chars) return std::string(text);
  if (max_chars == 0) return "";
  std::size_t count = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    if ((text[end] & 0xC0) == 0x80) continue;
    if (count == max_chars) break;
    ++count;
  }
  std::string_view cut = text.substr(0, end);
  if (!is_space(text[end])) {
    const std::size_t space = cut.find_last_of(" \t\n");
    if (space != std::string_view::npos) cut = cut.substr(0, space);
  }
  return trim_trailing_separators(std::string(cut));
}

std::vector<std::string> phrases(std::string_view prose) {
  const std::string s = remove_asides(prose);
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    const bool last = i == s.size();
    const char c = last ? '\0' : s[i];
    const bool breaks = last || c == ',' || c == ';' || c == '!' || c == '?' || c == '\n' ||
                        ((c == '.' || c == ':') && !inside_number(s, i));
    if (!breaks) continue;
    std::string phrase = tidy(std::string_view(s).substr(start, i - start));
    if (!phrase.empty()) out.push_back(std::move(phrase));
    start = i + 1;
  }
  return out;
}

std::string first_sentence(std::string_view prose, std::size_t max_words) {
  const std::string s = remove_asides(prose);
  std::size_t end = 0;
  while (end < s.size() && !(s[end] == '!' || s[end] == '?' || s[end] == '\n' ||
                             (s[end] == '.' && !inside_number(s, end)))) {
    ++end;
  }
  std::string sentence = tidy(std::string_view(s).substr(0, end));
  std::size_t spaces = 0;
  for (std::size_t i = 0; i < sentence.size(); ++i) {
    if (sentence[i] != ' ' || ++spaces < max_words) continue;
    std::string head = sentence.substr(0, i);
    const std::size_t comma = head.rfind(',');
    sentence = comma == std::string::npos ? head : head.substr(0, comma);
    break;
  }
  return trim_trailing_separators(sentence);
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (const char c : text) {
    if (is_word_char(c) || c == '-') {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

bool has_word(std::string_view text, std::string_view word) {
  const std::string needle = lower_ascii(std::string(word));
  const auto all = words(text);
  return std::find(all.begin(), all.end(), needle) != all.end();
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (item.empty()) continue;
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::vector<std::string> unique_ci(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  std::vector<std::string> seen;
  for (const auto& item : items) {
    std::string key = fold(item);
    if (key.empty() || std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    out.push_back(item);
  }
  return out;
}

std::string join_and(const std::vector<std::string>& items) {
  std::vector<std::string> kept;
  for (const auto& item : items) {
    if (!item.empty()) kept.push_back(item);
  }
  if (kept.size() <= 1) return kept.empty() ? "" : kept.front();
  const std::string last = kept.back();
  kept.pop_back();
  return join(kept, ", ") + " and " + last;
}

}  // namespace adloom::prompt_text
