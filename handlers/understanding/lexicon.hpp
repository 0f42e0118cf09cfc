// The vocabulary the message parser reads runners' text with: units, race names, run verbs, the words that
// make a distance a plan or a habit, topics, meal filters, other sports and medical red flags. It is data
// (templates/words/*.json), loaded and checked once at start like the templates, so a coach can add a
// synonym or a language without touching C++. Pure: the file contents come in as strings.
#pragma once

#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "handlers/settings.hpp"
#include "handlers/texts/template_error.hpp"

namespace rb {

// Phrases as the data files write them: lower-case words separated by one space; a word ending in '*'
// matches any word with that prefix. Converts to the span of views the matcher takes. Copying re-points the
// views at the copy's own strings; moving keeps them (a moved vector keeps its elements where they are).
class phrase_list {
public:
    phrase_list() = default;
    explicit phrase_list(std::vector<std::string> phrases);
    phrase_list(const phrase_list& other);
    phrase_list& operator=(const phrase_list& other);
    phrase_list(phrase_list&&) noexcept = default;
    phrase_list& operator=(phrase_list&&) noexcept = default;

    operator std::span<const std::string_view>() const { return views_; }  // NOLINT: used as a view
    std::span<const std::string_view> view() const { return views_; }
    const std::vector<std::string>& phrases() const { return owned_; }
    bool empty() const { return owned_.empty(); }

private:
    void index();
    std::vector<std::string> owned_;
    std::vector<std::string_view> views_;
};

struct unit_word {
    std::string word;
    distance_unit unit = distance_unit::km;
    double km_each = 1;
};

struct named_distance {
    std::string phrase;
    double km = 0;
    bool exact = true;  // false: a typical distance for the name ("ultra"), beaten by any number given
};

// "last night" -> about 12 hours since the run ended; "yesterday" -> 24.
struct past_marker {
    std::string phrase;
    int hours = 0;
};

// "this morning" -> the run ended by 12:00 on the runner's clock; how long ago depends on the time now there.
struct day_part_marker {
    std::string phrase;
    int by_hour = 0;
};

// A topic the bot answers (templates/topic/<name>.mustache), with the phrases that raise it. The list is
// in priority order: the first topic whose phrases appear wins, so narrow ones come before broad ones.
struct topic_words {
    std::string name;
    phrase_list phrases;
    phrase_list with;   // when set, one of these must appear too ("before" + "eat": pre_run_eating)
    bool weak = false;  // broad words ("water", "recover"): only when no strong topic matched
};

struct muscle_word {
    std::string phrase;
    std::string name;   // "hamstrings", "it band", ...: how the answer names it
    std::string group;  // the answer: templates/soreness/<group>.mustache ("general" when none is narrower)
};

// A meal filter: its name (also the meal tag it requires), how replies say it, and how runners write it.
struct filter_words {
    std::string name;
    std::string label;     // "gluten-free"
    bool dietary = false;  // a hard rule about what may be in the meal (never relaxed)
    phrase_list phrases;
};

// Another sport than running: a ride, a swim. Distances attached to it are not a run.
struct sport_words {
    std::string name;      // "cycling"
    std::string activity;  // "ride": what the reply calls it
    phrase_list phrases;
};

// A medical red flag: every group must match within `window` tokens of the first group's match, and a match
// right after a negation ("no chest pain") does not count. An `unless` phrase voids the rule: anywhere in the
// message when unless_window is 0 ("how do I avoid heat stroke"), else only within that many tokens of the
// first group's match ("chafed chest", not "chest pain, and my strap chafed"). flag names the reply
// (templates/urgent/<flag>.mustache).
struct red_flag_rule {
    std::string flag;
    std::vector<phrase_list> all;
    phrase_list unless;
    int window = 12;
    int unless_window = 0;
};

struct lexicon {
    // runs.json
    std::vector<unit_word> units;
    std::vector<named_distance> distances;  // longest phrases first, as written
    std::vector<past_marker> past_markers;
    std::vector<day_part_marker> day_part_markers;
    phrase_list not_the_race_after, not_a_run_after, bare_blockers_before, bare_blockers_after, run_verbs, fillers,
        done_after, strong_future, weak_future, past_verbs, negations, negation_exceptions, not_exceptions,
        stopped_early, habit_words, completion_words, run_nouns, race_words, long_words, interval_words, tempo_words,
        easy_words, pace_after, clock_words, clock_before, hour_units, minute_units, duration_not_after,
        duration_before, run_context, sum_joiners, part_words, half_words, ago_words, quarter_words, reached_words,
        report_words, context_words, done_words, within_words, device_words, rest_day_words, time_of_day,
        weight_units_kg, weight_units_lb, weight_words,
        spectator_words;  // "watched the marathon", "marshalled at parkrun": there, not running
    // "my friend", "she" just before a run verb: someone else's run, unless a first_person word ("i", "we", "me")
    // puts the runner in it too ("my wife and i ran 10k", "ran it with me").
    phrase_list other_runners, first_person;
    // topics.json
    std::vector<topic_words> topics;
    std::vector<muscle_word> muscles;
    phrase_list question_openers, wh_openers, recovery_context, after_words, run_words, statement_askers, desire_words,
        sore_words, swelling_words, clause_fillers;
    // meals.json
    std::vector<filter_words> filters;
    std::vector<filter_words> unsupported;  // diets runners ask for that the meal data cannot promise ("keto")
    phrase_list meal_nouns, meal_requests, not_a_meal_request, yes_no_openers;
    // chat.json
    phrase_list greetings, thanks, small_talk, acknowledgements, about_the_bot, farewells;
    // sports.json
    std::vector<sport_words> sports;
    phrase_list running_words;  // what makes the nearest activity word a run ("ran", "jog", "parkrun")
    // red_flags.json
    std::vector<red_flag_rule> red_flags;
    phrase_list negators;  // "no", "not", "without": a red flag right after one does not count
    // spelling.json
    std::map<std::string, std::string, std::less<>> misspellings;  // "finnished" -> "finished"
    std::map<std::string, std::string, std::less<>> glued;         // "2moro" -> "tomorrow", before tokens
    std::vector<std::string> correctable;  // words a one-letter slip is corrected to ("milez" -> "miles")
    // Every word any phrase above uses (and the stems of "word*" phrases): a word we know is never
    // "corrected" into another one ("glutes" is not a slip of "gluten").
    std::set<std::string, std::less<>> known_words;
    std::vector<std::string> known_stems;

    bool knows(std::string_view word) const;

    const filter_words* filter(std::string_view name) const;
    const topic_words* topic(std::string_view name) const;
};

// Builds the lexicon from the words/*.json files (path relative to templates/ -> content). Every file and
// key is required; unknown keys, empty lists, upper case, stray spaces and bad numbers are errors naming
// the file and the line, so a typo in a coach's edit stops the start instead of silently matching nothing.
std::variant<lexicon, template_error> load_lexicon(const std::map<std::string, std::string>& files);

}  // namespace rb
