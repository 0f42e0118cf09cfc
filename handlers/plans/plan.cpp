// Building a recovery plan: bands, sizes, the schedule of steps and the nutrition arithmetic.
// Timing rules: eat at once (the 30-minute window), fluids early and again for longer efforts, rolling
// after eating, the next-morning nudge at 08:00 local, the Epsom bath in the local evening.
#include "handlers/plans/plan.hpp"

#include <algorithm>
#include <cmath>

#include "handlers/plans/quiet_hours.hpp"
#include "handlers/time/civil_time.hpp"

namespace rb {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr int morning_minute = 8 * 60;
constexpr int evening_minute = 20 * 60;
constexpr int latest_bath_minute = 22 * 60 + 30;
constexpr int bedtime_minute = 21 * 60 + 30;

double round_to(double v, double step) { return std::round(v / step) * step; }

int local_minute(const zone_rules& zone, std::int64_t utc_ms) {
    return static_cast<int>(civil::floor_mod(to_local_ms(zone, utc_ms), civil::ms_per_day) / civil::ms_per_minute);
}

// The first local wall time `minute_of_day` at least `min_ahead` after now.
milliseconds next_local(const zone_rules& zone, std::int64_t now_ms, int minute_of_day, milliseconds min_ahead) {
    const std::int64_t today = civil::floor_div(to_local_ms(zone, now_ms), civil::ms_per_day);
    for (std::int64_t day = today;; ++day) {
        const std::int64_t at = from_local_ms(zone, day * civil::ms_per_day + minute_of_day * civil::ms_per_minute);
        if (at - now_ms >= min_ahead.count()) return milliseconds(at - now_ms);
    }
}

// The bath belongs to this evening: 20:00, or two hours from now if that is later but before 22:30.
std::optional<milliseconds> evening_bath(const zone_rules& zone, std::int64_t now_ms) {
    const auto at_eight = next_local(zone, now_ms, evening_minute, milliseconds(0));
    if (at_eight >= std::chrono::hours(2) && at_eight <= std::chrono::hours(16)) return at_eight;
    const milliseconds later = std::chrono::hours(2);
    const int minute = local_minute(zone, now_ms + later.count());
    if (minute >= 12 * 60 && minute <= latest_bath_minute) return later;
    return std::nullopt;
}

// A run that ended a while ago ("last night", "3 hours ago"): the 30-minute window has passed, so no eat-now
// ping; what still makes sense is drinking (within a day of the run), a roll, an early night, and the
// next-morning nudge.
std::vector<plan_step> past_steps(int ended_min_ago, const zone_rules& zone, std::int64_t now_ms) {
    std::vector<plan_step> out;
    if (ended_min_ago < 24 * 60) out.push_back({"hydrate", minutes(15)});
    if (ended_min_ago < 72 * 60) out.push_back({"roll", minutes(60)});
    const auto bedtime = next_local(zone, now_ms, bedtime_minute, minutes(90));
    if (bedtime <= std::chrono::hours(16)) out.push_back({"sleep", bedtime});
    return out;
}

std::vector<plan_step> base_steps(plan_size size) {
    switch (size) {
        case plan_size::light:
            return {{"eat", minutes(1)}, {"hydrate", minutes(20)}, {"roll", minutes(45)}};
        case plan_size::standard:
            return {{"eat", minutes(1)}, {"hydrate", minutes(15)}, {"roll", minutes(45)}, {"hydrate_2", minutes(120)}};
        case plan_size::full:
            break;
    }
    return {{"eat", minutes(1)},  {"hydrate", minutes(15)},    {"roll", minutes(40)},
            {"ice", minutes(75)}, {"hydrate_2", minutes(120)}, {"hydrate_3", minutes(240)}};
}

// Moves steps out of quiet hours. What only makes sense soon after the run is dropped rather than moved to
// the morning: cold therapy, the evening bath, and the post-run roll (the morning roll covers it). A later
// drink that lands on the same moment as an earlier one is dropped too.
void note_once(std::vector<std::string>& notes, std::string_view kind) {
    if (std::find(notes.begin(), notes.end(), kind) == notes.end()) notes.emplace_back(kind);
}

// Whether a step keeps its time inside quiet hours because the runner, who just wrote, is awake. Not for a run
// told about hours after it ended ("did 12 miles this morning" at 23:59 had a foam roll at 00:59: that runner
// is off to bed, not cooling down), beyond its first drink; and not for the optional ice bath after midnight
// (a report at 23:57 had one at 01:12).
bool kept_while_awake(const plan_step& step, bool past, const zone_rules& zone, std::int64_t now_ms) {
    if (step.offset > awake_after_message || step.kind == "morning_roll") return false;
    if (past) return step.offset <= minutes(30);
    if (base_kind(step.kind) == "ice")  // the same local day as the message (a 05:30 runner keeps it at 06:45)
        return local_minute(zone, now_ms + step.offset.count()) >= local_minute(zone, now_ms);
    return true;
}

std::vector<plan_step> apply_quiet_hours(std::vector<plan_step> steps, const chat_settings& settings,
                                         std::int64_t now_ms, const zone_rules& zone, recovery_plan& plan) {
    std::vector<plan_step> out;
    for (auto& step : steps) {
        const bool awake = kept_while_awake(step, plan.past, zone, now_ms);
        const auto shifted =
            awake ? step.offset
                  : shift_for_quiet_hours(now_ms, step.offset, zone, settings.quiet, step.kind, morning_spread(now_ms));
        const bool only_after_run =
            step.kind == "epsom" || step.kind == "ice" || step.kind == "roll" || step.kind == "sleep";
        if (shifted != step.offset && only_after_run) {
            note_once(plan.quiet_dropped, base_kind(step.kind));
            continue;
        }
        const bool duplicate = std::any_of(out.begin(), out.end(), [&](const plan_step& s) {
            return base_kind(s.kind) == base_kind(step.kind) && s.offset == shifted;
        });
        if (duplicate)
            note_once(plan.quiet_dropped, base_kind(step.kind));
        else
            out.push_back({step.kind, shifted});
        if (!duplicate && shifted != step.offset) {
            note_once(plan.quiet_moved, base_kind(step.kind));
            if (!plan.quiet_moved_to) plan.quiet_moved_to = shifted;
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const plan_step& a, const plan_step& b) { return a.offset < b.offset; });
    return out;
}

}  // namespace

distance_band band_of(double distance_km) {
    if (distance_km >= 18) return distance_band::long_run;
    if (distance_km >= 10) return distance_band::medium;
    return distance_band::short_run;
}

plan_size size_of(const run_report& run) {
    const distance_band band = band_of(run.distance_km);
    const bool draining = run.minutes() >= 90;  // glycogen runs low after about 90 minutes of running
    if (run.kind == run_kind::long_run || run.kind == run_kind::race || band == distance_band::long_run || draining) {
        return plan_size::full;
    }
    if (run.kind == run_kind::easy && band == distance_band::short_run) return plan_size::light;
    return plan_size::standard;
}

std::string_view to_string(plan_size size) {
    switch (size) {
        case plan_size::light:
            return "light";
        case plan_size::standard:
            return "standard";
        case plan_size::full:
            return "full";
    }
    return "standard";
}

fuel_targets fuel_for(double weight_kg, plan_size size) {
    weight_kg = std::min(weight_kg, fuel_weight_cap_kg);
    fuel_targets f;
    f.hourly = size == plan_size::full;
    f.carbs_g_low = static_cast<int>(round_to(weight_kg * 1.0, 5));
    f.carbs_g_high = static_cast<int>(round_to(weight_kg * (f.hourly ? 1.2 : 1.0), 5));
    f.protein_g = static_cast<int>(std::lround(weight_kg * 0.3));
    return f;
}

// Sweat rate in L/h for a 70 kg runner: the easy band, or the hard one for races, tempo and intervals.
std::pair<double, double> sweat_rate_l_per_h(const run_report& run, double weight_kg) {
    const bool fast = run.distance_given && run.duration_s && run.distance_km > 0 &&
                      *run.duration_s / 60.0 / run.distance_km <= 5.0;  // 5:00 per km or quicker
    const bool hard =
        fast || run.kind == run_kind::race || run.kind == run_kind::tempo || run.kind == run_kind::intervals;
    const double scale = std::clamp(weight_kg / 70.0, 0.6, 1.6);
    return hard ? std::pair{0.6 * scale, 1.2 * scale} : std::pair{0.4 * scale, 0.8 * scale};
}

fluid_estimate fluid_for(const run_report& run, double weight_kg) {
    fluid_estimate f;
    f.duration_given = run.duration_s.has_value() && *run.duration_s > 0;
    f.hours = std::max(run.minutes() / 60.0, 0.25);
    const auto [rate_low, rate_high] = sweat_rate_l_per_h(run, weight_kg);
    const double most_lost = 0.03 * weight_kg;  // litres: longer efforts drink on the way
    const double lost_low = std::min(f.hours * rate_low, most_lost);
    const double lost_high = std::min(f.hours * rate_high, most_lost);
    const double ceiling = max_drink_l_per_hour * drink_window_hours;
    f.capped = lost_high * 1.5 > ceiling || f.hours * rate_high > most_lost;
    f.lost_l_low = round_to(lost_low, 0.1);
    f.lost_l_high = round_to(lost_high, 0.1);
    f.drink_l_low = round_to(std::min(lost_low * 1.25, ceiling), 0.1);
    f.drink_l_high = round_to(std::min(lost_high * 1.5, ceiling), 0.1);
    return f;
}

recovery_plan make_plan(const run_report& run, const chat_settings& settings, std::int64_t now_ms,
                        const zone_rules& zone) {
    recovery_plan plan;
    plan.band = band_of(run.distance_km);
    plan.size = size_of(run);
    plan.past = run.ended_min_ago && *run.ended_min_ago >= past_after_minutes;
    std::vector<plan_step> steps = plan.past ? past_steps(*run.ended_min_ago, zone, now_ms) : base_steps(plan.size);
    if (!plan.past && (run.kind == run_kind::long_run || plan.band == distance_band::long_run)) {
        if (const auto bath = evening_bath(zone, now_ms)) steps.push_back({"epsom", *bath});
    }
    steps.push_back({"morning_roll", next_local(zone, now_ms, morning_minute, std::chrono::hours(6))});
    plan.steps = apply_quiet_hours(std::move(steps), settings, now_ms, zone, plan);
    if (settings.weight_kg && *settings.weight_kg > 0) plan.fuel = fuel_for(*settings.weight_kg, plan.size);
    plan.fluid = fluid_for(run, settings.weight_kg.value_or(70));
    return plan;
}

std::string_view base_kind(std::string_view kind) {
    const auto underscore = kind.rfind('_');
    if (underscore == std::string_view::npos || underscore + 1 == kind.size()) return kind;
    const auto tail = kind.substr(underscore + 1);
    const bool numbered = std::all_of(tail.begin(), tail.end(), [](char c) { return c >= '0' && c <= '9'; });
    return numbered ? kind.substr(0, underscore) : kind;
}

}  // namespace rb
