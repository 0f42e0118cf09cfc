// Internal to the message parser (not for use outside handlers/message_*.cpp, distance.cpp, topics.cpp,
// number_words.cpp): the runner's text normalised, split into tokens and clauses, and phrase matching
// over those tokens. Everything here is linear in the (capped) input length.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "message_parser.hpp"

namespace rb::text {

// Only this much of a message is analysed: enough for any real report or question, and a hard bound on work.
constexpr std::size_t max_analysed_bytes = 4096;

enum class token_kind {
    word,    // lower-case ASCII letters and inner apostrophes: "didn't", "km"
    number,  // 15, 10.5, "10,5", 1e308, -5; value may be infinite for absurd input
    time,    // 1:05, 25:30, 3:45:12 (parts in time_parts)
    ratio,   // 3:1
    punct,   // one of . , ! ? ; : /
};

struct token {
    token_kind kind = token_kind::word;
    std::string text;  // the word, the punctuation character, or the number as written
    double value = 0;  // number: the value; ratio: the left side
    int time_parts[3] = {0, 0, 0};
    int time_count = 0;
    bool glued = false;  // the next token follows with no space between ("10k", "21.1km")
};
using tokens = std::vector<token>;

// Lower-cases ASCII, keeps the punctuation that carries meaning, maps typographic apostrophes and a few
// "done" emoji (check marks, chequered flag, medal) to ASCII, and turns every other byte into a space.
std::string normalise(std::string_view raw);
tokens tokenize(std::string_view normalised);

// A stretch of tokens between sentence breaks (. ! ? ; , newline and "but").
struct clause {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool question = false;  // ends in '?' or opens with a question word
};
std::vector<clause> split_clauses(const tokens& t);

bool is_word(const tokens& t, std::size_t i, std::string_view w);
bool is_punct(const tokens& t, std::size_t i, char c);
// Phrases are words separated by single spaces; a word ending in '*' matches any word with that prefix.
// Returns the number of tokens matched at i (0 when the phrase does not match there).
std::size_t match_at(const tokens& t, std::size_t i, std::size_t end, std::string_view phrase);
bool has_phrase(const tokens& t, std::size_t begin, std::size_t end, std::string_view phrase);
bool has_any(const tokens& t, std::size_t begin, std::size_t end, std::span<const std::string_view> phrases);
// True when one of the phrases matches starting exactly at token i.
bool any_at(const tokens& t, std::size_t i, std::size_t end, std::span<const std::string_view> phrases);
// Index of the first token in [begin, end) where one of the phrases matches, or end.
std::size_t find_any(const tokens& t, std::size_t begin, std::size_t end, std::span<const std::string_view> phrases);

// "fifteen", "twenty six", "a hundred", "thirteen point one" starting at i; sets next to the token after it.
std::optional<double> read_number_words(const tokens& t, std::size_t i, std::size_t end, std::size_t& next);

// Run extraction (distance.cpp): the finished run a message reports, if any, looking only at clauses
// that are neither questions, nor about the future, nor negated.
std::optional<run_report> find_run(const tokens& t, const std::vector<clause>& clauses, distance_unit default_unit);

// Run details (run_details.cpp): whether a clause reports a done run (not planned, not negated, not a
// habit), whether the message says something was completed, the run's duration and its kind.
bool reports_done(const tokens& t, const clause& c);
bool says_completed(const tokens& t);
std::optional<int> find_duration(const tokens& t, double km);
run_kind classify_run(const tokens& t, const run_report& r);

// Topics, meals and small talk (topics.cpp).
std::optional<topic> find_topic(const tokens& t, std::size_t begin, std::size_t end);
std::string find_muscle(const tokens& t);
bool says_sore(const tokens& t);
bool has_recovery_context(const tokens& t);
meal_filters find_filters(const tokens& t);
bool asks_for_meal(const tokens& t, const meal_filters& filters);
bool is_greeting(const tokens& t);
bool is_thanks(const tokens& t);
bool is_small_talk(const tokens& t);

}  // namespace rb::text
