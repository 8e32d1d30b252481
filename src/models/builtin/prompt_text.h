// Text helpers of the built-in template composer (template_composer.h): keeping banned
// terms out, tidying rendered templates, fitting a character limit without cutting words,
// and taking prose apart into short phrases. Pure functions, thread safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace adloom::prompt_text {

// One line: white space runs become one space, spaces before punctuation go, doubled
// punctuation left by removed words collapses (", ." → "."), and leading or trailing
// separators are trimmed. Idempotent.
std::string tidy(std::string_view text);

// `tidy` for each line; empty lines are left out; lines joined with '\n'.
std::string tidy_lines(std::string_view text);

// `text` tidied (tidy_lines when `multi_line`) with every occurrence of the banned terms
// removed, as banned_terms_in() matches them (whole words, ASCII case ignored, white space
// runs as one space). Guarantee: banned_terms_in(result, banned) is empty.
std::string remove_banned(std::string_view text, const std::vector<std::string>& banned,
                          bool multi_line = false);

// `text` without the phrases (pieces between , ; . ! ? and new lines) that hold a banned
// term; the remaining ones keep their punctuation. For prose whose phrases stand alone
// (descriptions, past prompts): a phrase without the term would read wrongly.
std::string drop_banned_phrases(std::string_view text, const std::vector<std::string>& banned);

// Sentences start with a capital: a lowercase ASCII letter at the start or after ". ",
// "! " or "? " is raised when its word has no capital already ("iPhone" stays).
std::string sentence_case(std::string text);

// At most `max_chars` characters (UTF-8 code points): `text` when it fits, else cut at the
// last space that fits, trailing separators trimmed. Only when the first word alone is
// longer than the limit is it cut inside that word (at a code point boundary).
std::string truncate_words(std::string_view text, std::size_t max_chars);

// Short phrases of prose: split at , ; : . ! ? and new lines ('.' between digits does not
// split), parenthesised asides removed, each phrase tidied; empty ones left out.
std::vector<std::string> phrases(std::string_view prose);

// The first sentence of prose (up to . ! ? or a new line), parenthesised asides removed,
// without its final punctuation; at most `max_words` words, cut back to the last comma
// within them when there is one.
std::string first_sentence(std::string_view prose, std::size_t max_words);

// The words of `text`, ASCII-lowered, split at anything but letters, digits, '-' and
// UTF-8 bytes.
std::vector<std::string> words(std::string_view text);

// Whether `text` has `word` (ASCII case ignored) as one of its words().
bool has_word(std::string_view text, std::string_view word);

std::string join(const std::vector<std::string>& items, std::string_view separator);

// Items without the later repeats (ASCII case ignored) and without empty ones.
std::vector<std::string> unique_ci(const std::vector<std::string>& items);

// "a", "a and b", "a, b and c".
std::string join_and(const std::vector<std::string>& items);

}  // namespace adloom::prompt_text
