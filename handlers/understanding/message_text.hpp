// Internal to the message parser (handlers/message_*.cpp, distance.cpp, run_details.cpp, topics.cpp,
// chat_words.cpp, number_words.cpp, red_flags.cpp): the runner's text normalised, split into tokens and
// clauses, and phrase matching over those tokens. Everything here is linear in the (capped) input length.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/understanding/message_parser.hpp"

namespace rb::text {

// Only this much of a message is analysed: enough for any real report or question, and a hard bound on work.
constexpr std::size_t max_analysed_bytes = 4096;

enum class token_kind {
    word,    // lower-case ASCII letters and inner apostrophes: "didn't", "km"
    number,  // 15, 10.5, "10,5", 1e308; value is never negative, and may be infinite for absurd input
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

// Lower-cases ASCII, folds accented Latin letters (maratón -> maraton, gelaufen stays), reads '@' as "at",
// '+' as "plus", '&' as "and", "½" as "and a half", maps typographic apostrophes and a few "done" emoji
// (check marks, chequered flag, medal) to ASCII, and turns every other byte into a space.
std::string normalise(std::string_view raw);
// Text-speak the tokenizer would split ("2moro", "c25k"), replaced as whole words (templates/words/spelling.json).
std::string replace_glued(std::string normalised, const lexicon& words);
tokens tokenize(std::string_view normalised);
// Known slips ("finnished", "maraton", "milez") read as the word meant; see templates/words/spelling.json.
void correct_spelling(tokens& t, const lexicon& words);

// A stretch of tokens between sentence breaks (. ! ? ; , newline and "but").
struct clause {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool question = false;  // ends in '?' or opens with a question word
};
std::vector<clause> split_clauses(const tokens& t, const lexicon& words);

bool is_word(const tokens& t, std::size_t i, std::string_view w);
// An "m" after the number at i: metres from 100 on ("400m"), minutes below ("45m") or after "in" ("in 100m").
bool m_is_metres(const tokens& t, std::size_t i, double value);
bool is_punct(const tokens& t, std::size_t i, char c);
// Phrases are words separated by single spaces; a word ending in '*' matches any word with that prefix, and
// a word of digits matches a number written that way. Returns the number of tokens matched at i (0 when the
// phrase does not match there).
std::size_t match_at(const tokens& t, std::size_t i, std::size_t end, std::string_view phrase);
bool has_phrase(const tokens& t, std::size_t begin, std::size_t end, std::string_view phrase);
bool has_any(const tokens& t, std::size_t begin, std::size_t end, std::span<const std::string_view> phrases);
// True when one of the phrases matches starting exactly at token i.
bool any_at(const tokens& t, std::size_t i, std::size_t end, std::span<const std::string_view> phrases);
// The longest match of any of the phrases starting at i (0 when none).
std::size_t longest_at(const tokens& t, std::size_t i, std::size_t end, std::span<const std::string_view> phrases);
// Index of the first token in [begin, end) where one of the phrases matches, or end.
std::size_t find_any(const tokens& t, std::size_t begin, std::size_t end, std::span<const std::string_view> phrases);
// True when one of the phrases matches ending exactly at token i - 1 (so the phrase ends just before i).
bool any_before(const tokens& t, std::size_t begin, std::size_t i, std::span<const std::string_view> phrases);

// "fifteen", "twenty six", "a hundred", "thirteen point one" starting at i; sets next to the token after it.
std::optional<double> read_number_words(const tokens& t, std::size_t i, std::size_t end, std::size_t& next);

// The parsed text every step below reads: tokens, clauses and the vocabulary.
struct reading {
    const tokens& t;
    const std::vector<clause>& clauses;
    const lexicon& w;
    std::size_t size() const { return t.size(); }
};

// Run extraction (distance.cpp): the finished run a message reports, if any, looking only at clauses that
// are neither questions, nor about the future, nor negated, and at distances not attached to another sport.
std::optional<run_report> find_run(const reading& r, std::optional<distance_unit> chat_unit);

// Run details (run_details.cpp).
bool reports_done(const reading& r, const clause& c);
// Where a clause's own words end: at a "who" clause, whose plans and distances are someone else's.
std::size_t own_words_end(const reading& r, const clause& c);
// The clause speaks of something still to come ("tomorrow", "going to").
bool reports_future(const reading& r, const clause& c);
// Some clause speaks of a run still to come ("tomorrow", "going to", "on sunday" without a past verb).
bool about_the_future(const reading& r);
bool says_completed(const reading& r);
std::optional<int> find_duration(const reading& r, double km);
// A run given by its time alone ("ran 70 min steady", "hour-long jog done"): its duration in seconds.
std::optional<int> find_time_only_run(const reading& r);
// A run reported with neither distance nor time ("finished 3 hours ago", "just back from my run").
bool reported_without_distance(const reading& r);
void classify_run(const reading& r, run_report& run);
bool stopped_early(const reading& r);
// A run the message says did not happen ("missed my long run", "no run today, rest day", "DNS the half").
bool skipped_run(const reading& r);
// Minutes since a past run ended ("3 hours ago", "last night"), or nullopt for a run just finished.
std::optional<int> ended_minutes_ago(const reading& r);
std::optional<int> ended_by_local_hour(const reading& r);
// "my friend ran 15 miles", "she did a 10k": someone else's run, not one to plan (other_runners, first_person).
bool someone_elses_run(const reading& r);  // "this morning": 12 (day_part_markers)

// Other sports (sports.cpp): the sport the token at i belongs to, looking back in its clause for the nearest
// activity word ("cycled 40 km") or forward at the noun after it ("40 km bike ride"); null for a run.
const sport_words* sport_of(const reading& r, const clause& c, std::size_t i, std::size_t after);
// The first sport named in a clause that reports it done, when no run is.
const sport_words* reported_sport(const reading& r);

// Topics, meals and small talk (topics.cpp, chat_words.cpp).
enum class topic_rows { strong, weak, any };
std::string find_topic(const reading& r, std::size_t begin, std::size_t end, topic_rows rows = topic_rows::any);
const muscle_word* find_muscle(const reading& r);
bool says_sore(const reading& r, std::size_t begin, std::size_t end);
bool has_recovery_context(const reading& r);
meal_filters find_filters(const reading& r);
std::vector<std::string> find_unsupported_filters(const reading& r);
bool asks_for_meal(const reading& r, const meal_filters& filters);
bool is_greeting(const reading& r);
bool is_thanks(const reading& r);
bool is_small_talk(const reading& r);
bool asks_about_the_bot(const reading& r);  // "who are you", "are you a bot?": short, about the bot itself
bool is_farewell(const reading& r);         // "bye", "good night": short
bool is_acknowledgement(const reading& r);  // "ok", "got it", "👍": short, asks nothing
std::optional<double> find_weight_kg(const reading& r, std::optional<distance_unit> chat_unit);

// Medical red flags (red_flags.cpp): the first rule that fires, or empty.
std::string find_red_flag(const reading& r);

}  // namespace rb::text
