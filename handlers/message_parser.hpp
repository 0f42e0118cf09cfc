// Understanding what a runner wrote: a finished run ("finished 15 miles"), a recovery question, a meal
// request, small talk, or a bot command ("/units@my_bot km"). Pure functions over text: no I/O, no clock.
// Only the first 4 KiB of a message are analysed, so hostile or huge input costs bounded, linear work.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "settings.hpp"

namespace rb {

enum class intent { run_report, question, meal_request, smalltalk, unknown };
enum class run_kind { easy, long_run, tempo, intervals, race };
enum class topic {
    eating,              // what / when to eat after a run
    carb_protein_ratio,  // "3:1", carbs vs protein
    protein,
    hydration,           // drink, fluids, water, electrolytes
    foam_rolling,        // how long, where
    massage,             // sports massage and tools: gun, ball, foot roller, compression boots
    cold_therapy,        // ice bath, cold plunge, ice pack
    epsom_salts,         // Epsom salts, hot bath
    heat_rubs,           // Deep Heat, Tiger Balm
    rewards,             // beer, ice cream, treats
    soreness,            // a named muscle hurts (see parsed_message::muscle)
    rest,                // rest days, sleep, when to run again
    general,             // a recovery question with no narrower topic
};

// Stable lower-case names ("run_report", "long_run", "carb_protein_ratio", ...) for JSON and logs.
std::string_view to_string(intent what);
std::string_view to_string(run_kind kind);
std::string_view to_string(topic about);

// A run the runner says they finished. distance_km is always kilometres; unit is how the runner wrote it
// (replies speak in that unit). Implausible distances are still reported so the caller can question them.
struct run_report {
    double distance_km = 0;
    distance_unit unit = distance_unit::km;
    bool unit_explicit = true;  // false: a bare number ("ran 8 today") took the chat's default unit
    bool named = false;         // the distance came from a name (marathon, half, parkrun), not a number
    run_kind kind = run_kind::easy;
    std::optional<int> duration_s;  // "in 1:05" -> 3900, "in 45 min" -> 2700

    // 0 < distance_km <= 250 and finite: anything else is questioned, never planned.
    bool plausible() const;
    // The distance in the runner's own unit (miles for unit == mi), for replies.
    double distance_in_unit() const;
};

struct meal_filters {
    bool vegetarian = false;
    bool vegan = false;
    bool dairy_free = false;
    bool quick = false;  // quick, fast, no cooking, no-cook
    bool any() const { return vegetarian || vegan || dairy_free || quick; }
};

struct parsed_message {
    intent what = intent::unknown;
    std::optional<run_report> run;  // set iff what == run_report
    std::optional<topic> about;     // always set for a question; for a run report, set when the message also
                                    // asks something ("ran 15 miles, ice bath?"); otherwise empty
    std::string muscle;             // the muscle named, if any: "hamstrings", "calves", "quads", "glutes",
                                    // "it band", "hips", "feet", "shins", "knees", "legs", ...; else empty
    meal_filters filters;           // for meal_request (also filled when a question names them)
    bool greeting = false;          // "hi", "hello", "good morning" anywhere at the start
    bool thanks = false;            // "thanks", "thank you", "cheers"
};

// Classifies one message. default_unit is the chat's unit, used only for bare numbers.
// Future or planned runs, negated runs and questions about runs are never run reports.
parsed_message parse_message(std::string_view text, distance_unit default_unit);

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
