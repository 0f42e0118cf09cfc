// Understanding what a runner wrote: a finished run ("finished 15 miles", "ran 70 min steady", "DNF at mile
// 20"), a recovery question, a meal request, small talk, another sport, a medical red flag, or a bot command
// ("/units@my_bot km"). Pure functions over text and the lexicon (templates/words): no I/O, no clock.
// Only the first 4 KiB of a message are analysed, so hostile or huge input costs bounded, linear work.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/settings.hpp"
#include "handlers/understanding/lexicon.hpp"

namespace rb {

enum class intent { run_report, question, meal_request, smalltalk, unknown };
enum class run_kind { easy, long_run, tempo, intervals, race };

// Stable lower-case names ("run_report", "long_run", ...) for JSON and logs.
std::string_view to_string(intent what);
std::string_view to_string(run_kind kind);

// A run the runner says they finished. distance_km is always kilometres; unit is how the runner wrote it
// (replies speak in that unit). A run given only by its time ("ran 70 min steady") has distance_given false
// and a distance estimated from the time for planning. Implausible values are still reported so the caller
// can question them; nothing here is ever negative.
struct run_report {
    double distance_km = 0;
    bool distance_given = true;
    distance_unit unit = distance_unit::km;
    bool unit_explicit = true;  // false: a bare number ("did 12") took the chat's unit (miles if none set)
    bool named = false;         // the distance came from a name (marathon, half, parkrun), not a number
    run_kind kind = run_kind::easy;
    bool kind_stated = false;          // the runner named the kind ("tempo", "easy", "race")
    std::optional<int> duration_s;     // "in 1:05" -> 3900, "ran 70 min" -> 4200
    bool stopped_early = false;        // "DNF at mile 20", "had to pull out at 25k"
    std::optional<int> ended_min_ago;  // a past run ("last night", "3 hours ago"): minutes since it ended
    std::optional<int> ended_by_hour;  // "this morning": ended by 12:00 local; the plan, knowing the zone, decides
    int parts = 1;                     // "3 mile warm up, 5k race, 2 mile cool down": 3 parts, summed

    // 0 < distance_km <= 250 and finite (and a duration, if any, under two days): else questioned.
    bool plausible() const;
    bool faster_than_anyone() const;  // the time and distance give a pace past every world record
    // The distance in the runner's own unit (miles for unit == mi), for replies.
    double distance_in_unit() const;
    // Minutes of running: given, or estimated at about 6 min/km.
    double minutes() const;
};

// A filter is a meal tag name from templates/words/meals.json ("vegan", "gluten_free", "breakfast").
struct meal_filters {
    std::vector<std::string> names;  // sorted, unique
    bool any() const { return !names.empty(); }
    bool has(std::string_view name) const;
    void add(std::string_view name);
};

struct parsed_message {
    intent what = intent::unknown;
    std::optional<run_report> run;  // set iff what == run_report
    std::string topic;              // what a question asks about (a topic name from templates/words/topics.json); for a
                        // run report, what the rest of the message asks or says ("left hip aches": soreness)
    std::string muscle;        // the muscle named, if any: "hamstrings", "calves", "it band", "legs", ...
    std::string muscle_group;  // its soreness answer (templates/soreness/<group>), "general" when none
    bool swollen = false;      // "swollen ankle", "my knee is puffy": soreness/swelling, whatever the part
    meal_filters filters;
    std::vector<std::string> unknown_filters;  // diets asked for that no meal is tagged with ("keto"), labels
    std::string urgent;  // a medical red flag's name ("cardiac", "low_sodium", ...): reply with help, nothing else
    std::string sport;   // another sport reported instead of a run ("cycling"); sport_activity: "ride"
    std::string sport_activity;
    std::optional<double> weight_kg;  // "weigh 65kg btw", "I'm 150 lbs"
    bool greeting = false;            // "hi", "hello", "good morning" at the start
    bool thanks = false;              // "thanks", "thank you", "cheers"
    bool about_the_bot = false;       // "who are you", "are you a bot?", "what can you do"
    bool farewell = false;            // "bye", "good night"
    bool acknowledged = false;        // small talk that only acknowledges: "ok", "got it", "👍"
    bool asked = false;               // the message asks something (a question clause), answered or not
};

// Classifies one message. chat_unit is the unit the runner chose (/units); without one a bare number
// ("did 12") means miles, as runners who count in kilometres nearly always write the "k".
// Future or planned runs, negated runs and questions about runs are never run reports.
parsed_message parse_message(std::string_view text, const lexicon& words, std::optional<distance_unit> chat_unit);

// The filters named in "/meal gluten-free, high protein": each word must belong to a filter (its name or one
// of its phrases); words that do not are returned in unknown so the reply can say so plainly.
meal_filters read_meal_filters(std::string_view text, const lexicon& words, std::vector<std::string>& unknown);

// Plausible adult body weights, everywhere the bot accepts one.
constexpr double min_weight_kg = 30;
constexpr double max_weight_kg = 250;
constexpr double kg_per_lb = 0.45359237;
constexpr double kg_per_stone = 14 * kg_per_lb;

struct command {
    std::string name;  // lower-case, without '/' and without "@bot"
    std::string args;  // the rest, trimmed
    friend bool operator==(const command&, const command&) = default;
};

// "/units@my_bot km" -> {"units", "km"}. nullopt when text is not a command, or is addressed to another bot.
// bot_username is without '@'; the comparison is case-insensitive.
std::optional<command> parse_command(std::string_view text, std::string_view bot_username);

// True when "@bot_username" appears in text as a whole mention, case-insensitively.
bool mentions(std::string_view text, std::string_view bot_username);

}  // namespace rb
