// The recovery plan for one finished run: which reminders, when, and the numbers behind them (grams of
// carbohydrate and protein, litres of fluid). Scaled by distance band and run kind. Pure: now and the zone
// come in; the words are in templates/ (plan_text.hpp renders them).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/settings.hpp"
#include "handlers/time/time_zone.hpp"
#include "handlers/understanding/message_parser.hpp"

namespace rb {

enum class distance_band { short_run, medium, long_run };  // < 10 km, 10-18 km, >= 18 km
enum class plan_size { light, standard, full };

distance_band band_of(double distance_km);
// Light for a short easy run; full for long runs, races, anything in the long band and anything of 90
// minutes or more; standard otherwise.
plan_size size_of(const run_report& run);
std::string_view to_string(plan_size size);

// Carbohydrate scales with the run (ACSM/AND/DC 2016; ISSN nutrient timing 2017): after a long, hard or
// glycogen-draining run (a full plan: long run, race, 90 minutes or more) 1.0-1.2 g/kg per hour for the
// first 4 hours; otherwise one ordinary meal with about 1 g/kg. Protein 0.3 g/kg either way. Rounded for
// humans: carbohydrate to 5 g, protein to 1 g. The weight counts up to fuel_weight_cap_kg: the per-kg rates
// come from studies of runners of about 50-90 kg, and for a 250 kg weight they asked for 250-300 g of carbs an
// hour for 4 hours, past what a gut takes in (about 90-120 g an hour, ACSM/AND/DC 2016) and past any source.
constexpr double fuel_weight_cap_kg = 100;
struct fuel_targets {
    int carbs_g_low = 0, carbs_g_high = 0;  // per hour when hourly, else for the one meal
    int protein_g = 0;
    bool hourly = false;  // true: keep it up every hour for 4 hours
};
fuel_targets fuel_for(double weight_kg, plan_size size);

// Sweat loss is not measured, only estimated (ACSM 2007 fluid replacement position stand): a sweat rate
// band of 0.4-0.8 L/h for a 70 kg runner on an easy run up to 0.6-1.2 L/h on a hard or fast one, scaled by
// body weight, over the time spent running (given, or at about 6 min/km). What to drink back is 125-150% of
// the loss (ACSM/AND/DC 2016), less what was drunk on the way, but never faster than about 1 L an hour and
// never more than 1 L/h over the next 4 hours in all (drinking far beyond thirst risks low blood sodium:
// Hew-Butler et al. 2015). The loss counted is at most 3% of body weight: longer efforts drink on the way.
struct fluid_estimate {
    double hours = 0;
    bool duration_given = false;
    double lost_l_low = 0, lost_l_high = 0;
    double drink_l_low = 0, drink_l_high = 0;
    bool capped = false;  // the ceiling applied: "don't try to drink it all back at once"
};
constexpr double max_drink_l_per_hour = 1.0;
constexpr double drink_window_hours = 4.0;
fluid_estimate fluid_for(const run_report& run, double weight_kg);

struct plan_step {
    std::string kind;  // unique within a plan ("hydrate", "hydrate_2"): the reminder id is built from it
    std::chrono::milliseconds offset{0};  // from now, already moved out of quiet hours
};

// A run that ended at least this long ago is planned as a past run: the eating window has gone.
constexpr int past_after_minutes = 60;

// The runner just wrote, so they are awake: reminders this soon after the report are not held back by
// quiet hours.
constexpr std::chrono::hours awake_after_message{3};

struct recovery_plan {
    distance_band band = distance_band::short_run;
    plan_size size = plan_size::light;
    bool past = false;                                        // the run ended an hour or more ago: no eat-now step
    std::vector<std::string> quiet_moved;                     // base kinds moved to the end of quiet hours
    std::vector<std::string> quiet_dropped;                   // base kinds left out because of quiet hours
    std::optional<std::chrono::milliseconds> quiet_moved_to;  // offset the moved steps fire at (end + spread)
    std::vector<plan_step> steps;      // earliest first; the first is "eat", except for a past run
    std::optional<fuel_targets> fuel;  // only when the runner's weight is known
    fluid_estimate fluid;
};

recovery_plan make_plan(const run_report& run, const chat_settings& settings, std::int64_t now_ms,
                        const zone_rules& zone);

// "hydrate_2" -> "hydrate": the template and label a numbered step shares with the first.
std::string_view base_kind(std::string_view kind);

}  // namespace rb
