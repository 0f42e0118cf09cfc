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

#include "message_parser.hpp"
#include "settings.hpp"
#include "time_zone.hpp"

namespace rb {

enum class distance_band { short_run, medium, long_run };  // < 10 km, 10-18 km, >= 18 km
enum class plan_size { light, standard, full };

distance_band band_of(double distance_km);
// Light for a short easy run; full for long runs, races, anything in the long band and anything of 90
// minutes or more; standard otherwise.
plan_size size_of(const run_report& run);
std::string_view to_string(plan_size size);

// Carbohydrate 1.0-1.2 g/kg per hour for the first 4 hours and protein 0.3 g/kg, rounded for humans
// (ACSM/AND/DC 2016; ISSN nutrient timing 2017).
struct fuel_targets {
    int carbs_g_low = 0, carbs_g_high = 0;  // per hour
    int protein_g = 0;
};
fuel_targets fuel_for(double weight_kg);

// Sweat loss is not measured, only estimated: 0.5-1.0 L per hour of running, and the runner should drink
// 125-150% of it. Running time comes from the report, or from the distance at about 6 min/km.
struct fluid_estimate {
    double hours = 0;
    bool duration_given = false;
    double lost_l_low = 0, lost_l_high = 0;
    double drink_l_low = 0, drink_l_high = 0;
};
fluid_estimate fluid_for(const run_report& run);

struct plan_step {
    std::string kind;  // unique within a plan ("hydrate", "hydrate_2"): the reminder id is built from it
    std::chrono::milliseconds offset{0};  // from now, already moved out of quiet hours
};

// A run that ended at least this long ago is planned as a past run: the eating window has gone.
constexpr int past_after_minutes = 60;

struct recovery_plan {
    distance_band band = distance_band::short_run;
    plan_size size = plan_size::light;
    bool past = false;  // the run ended an hour or more ago: no eat-now step
    std::vector<plan_step> steps;      // earliest first; the first is "eat", except for a past run
    std::optional<fuel_targets> fuel;  // only when the runner's weight is known
    fluid_estimate fluid;
};

recovery_plan make_plan(const run_report& run, const chat_settings& settings, std::int64_t now_ms,
                        const zone_rules& zone);

// "hydrate_2" -> "hydrate": the template and label a numbered step shares with the first.
std::string_view base_kind(std::string_view kind);

}  // namespace rb
