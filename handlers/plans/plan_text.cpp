// Rendering a recovery plan into the summary and the reminder texts (see plan_text.hpp).
// All wording is in templates/; this file only prepares the values (escaped later by template_set).
#include "handlers/plans/plan_text.hpp"

#include <cmath>
#include <cstdio>

#include "handlers/plans/quiet_hours.hpp"
#include "handlers/time/civil_time.hpp"

namespace rb {
namespace {

using nlohmann::json;

std::string range_text(double low, double high) {
    return low == high ? short_number(low) : short_number(low) + "-" + short_number(high);
}

// "1.2-1.8 L", or "41-61 fl oz" for a runner who counts in miles.
std::string volume_text(double low_l, double high_l, distance_unit units) {
    if (units == distance_unit::mi) {
        constexpr double fl_oz_per_l = 33.814;
        return range_text(std::round(low_l * fl_oz_per_l), std::round(high_l * fl_oz_per_l)) + " fl oz";
    }
    return range_text(low_l, high_l) + " L";
}

json fuel_values(const recovery_plan& plan, const chat_settings& settings) {
    json v = {{"has_weight", plan.fuel.has_value()}};
    if (plan.fuel) {
        v["carbs_g"] = range_text(plan.fuel->carbs_g_low, plan.fuel->carbs_g_high);
        v["protein_g"] = std::to_string(plan.fuel->protein_g);
        v["hourly"] = plan.fuel->hourly;
        v["weight"] = weight_text(*settings.weight_kg, settings.units);
        v["hours"] = short_number(plan.fluid.hours);
        v["assumed_pace"] = !plan.fluid.duration_given;
        v["lost"] = volume_text(plan.fluid.lost_l_low, plan.fluid.lost_l_high, settings.units);
        v["drink"] = volume_text(plan.fluid.drink_l_low, plan.fluid.drink_l_high, settings.units);
        v["capped"] = plan.fluid.capped;
        v["per_hour"] = volume_text(max_drink_l_per_hour, max_drink_l_per_hour, settings.units);
    }
    return v;
}

// "the drink reminder and the foam roll": how a summary names steps, from templates/plan_step.mustache.
std::string step_names(const std::vector<std::string>& kinds, const template_set& templates) {
    std::string out;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (i > 0) out += i + 1 == kinds.size() ? " and " : ", ";
        out += templates.render("plan_step", json{{kinds[i], true}});
    }
    return out;
}

}  // namespace

std::string short_number(double value) {
    char buf[32];
    const double rounded = std::round(value * 10) / 10;
    std::snprintf(buf, sizeof buf, rounded == std::floor(rounded) ? "%.0f" : "%.1f", rounded);
    return buf;
}

std::string distance_text(const run_report& run) {
    const double d = run.distance_in_unit();
    if (run.unit == distance_unit::km) return short_number(d) + " km";
    return short_number(d) + (short_number(d) == "1" ? " mile" : " miles");
}

std::string distance_adjective(const run_report& run) {
    if (run.unit == distance_unit::km) return distance_text(run);
    return short_number(run.distance_in_unit()) + "-mile";
}

std::string run_name(const run_report& run) {
    const std::string kind = run_kind_label(run.kind);
    if (run.distance_given) return distance_adjective(run) + " " + kind;
    if (!run.duration_s) return kind;
    const double minutes = *run.duration_s / 60.0;
    if (minutes < 120) return short_number(std::round(minutes)) + "-minute " + kind;
    return short_number(minutes / 60) + "-hour " + kind;
}

std::string ago_text(int minutes) {
    if (minutes < 90) return "about an hour ago";
    if (minutes < 20 * 60) return "about " + short_number(std::round(minutes / 60.0)) + " hours ago";
    if (minutes < 36 * 60) return "yesterday";
    return "a few days ago";
}

std::string run_kind_label(run_kind kind) {
    switch (kind) {
        case run_kind::easy:
            return "run";
        case run_kind::long_run:
            return "long run";
        case run_kind::tempo:
            return "tempo run";
        case run_kind::intervals:
            return "interval session";
        case run_kind::race:
            return "race";
    }
    return "run";
}

std::string weight_text(double weight_kg, distance_unit units) {
    if (units == distance_unit::mi) return short_number(std::round(weight_kg / kg_per_lb)) + " lb";
    return short_number(weight_kg) + " kg";
}

std::string zone_text(const std::string& zone_name, const zone_rules& rules, std::int64_t now_ms) {
    if (zone_name.empty()) return "UTC";
    if (!zone_name.starts_with("Etc/")) return zone_name;
    const auto offset = rules.offset_at(now_ms);
    return offset.count() == 0 ? std::string("UTC") : utc_offset_text(offset);
}

std::string utc_offset_text(std::chrono::seconds offset) {
    const auto minutes = offset.count() / 60;
    char buf[32];
    std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", minutes < 0 ? '-' : '+', static_cast<int>(std::abs(minutes) / 60),
                  static_cast<int>(std::abs(minutes) % 60));
    return buf;
}

std::string clock_text(std::int64_t local_ms) {
    const std::int64_t minute = civil::floor_mod(local_ms, civil::ms_per_day) / civil::ms_per_minute;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(minute / 60), static_cast<int>(minute % 60));
    return buf;
}

std::string when_text(std::chrono::milliseconds offset, std::int64_t now_ms, const zone_rules& zone) {
    if (offset < std::chrono::minutes(2)) return "now";
    if (offset < std::chrono::hours(1)) {
        return "in " + std::to_string(std::chrono::duration_cast<std::chrono::minutes>(offset).count()) + " min";
    }
    const std::int64_t local_now = to_local_ms(zone, now_ms);
    const std::int64_t local_at = to_local_ms(zone, now_ms + offset.count());
    const std::int64_t days =
        civil::floor_div(local_at, civil::ms_per_day) - civil::floor_div(local_now, civil::ms_per_day);
    if (days == 0) return "at " + clock_text(local_at);
    if (days == 1) return "tomorrow " + clock_text(local_at);
    static constexpr const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    return std::string(names[civil::weekday_from_days(civil::floor_div(local_at, civil::ms_per_day))]) + " " +
           clock_text(local_at);
}

std::vector<planned_reminder> render_reminders(const recovery_plan& plan, const chat_settings& settings,
                                               const template_set& templates, const meal* idea) {
    std::vector<planned_reminder> out;
    const json fuel = fuel_values(plan, settings);
    for (const auto& step : plan.steps) {
        const std::string_view base = base_kind(step.kind);
        json values = fuel;
        values["first"] = base == step.kind;
        if (base == "eat" && idea) values["meal"] = idea->name;
        out.push_back({step.kind, step.offset, templates.render("reminder/" + std::string(base), values)});
    }
    return out;
}

std::string render_plan_summary(const recovery_plan& plan, const run_report& run, const chat_settings& settings,
                                std::int64_t now_ms, const zone_rules& zone, const template_set& templates,
                                const summary_notes& notes) {
    json values = fuel_values(plan, settings);
    values["run_name"] = run_name(run);
    values["stopped_early"] = run.stopped_early;
    values["past"] = plan.past;
    if (plan.past) values["ago"] = ago_text(*run.ended_min_ago);
    values["ask_distance"] = !run.distance_given;
    values["unit_guessed"] = notes.unit_guessed;
    values["weight_saved"] = notes.weight_saved;
    values["size"] = std::string(to_string(plan.size));
    values["replaced"] = notes.replaces_previous;
    if (settings.quiet && (!plan.quiet_moved.empty() || !plan.quiet_dropped.empty())) {
        values["quiet_changed"] = true;
        values["quiet_window"] = format_quiet_window(*settings.quiet);
        values["quiet_moved"] = step_names(plan.quiet_moved, templates);
        values["quiet_dropped"] = step_names(plan.quiet_dropped, templates);
        if (plan.quiet_moved_to)
            values["quiet_end"] = clock_text(to_local_ms(zone, now_ms + plan.quiet_moved_to->count()));
        values["quiet_both"] = !plan.quiet_moved.empty() && !plan.quiet_dropped.empty();
    }
    json steps = json::array();
    for (const auto& step : plan.steps) {
        const std::string base(base_kind(step.kind));
        steps.push_back({{"when", when_text(step.offset, now_ms, zone)}, {base, true}, {"first", base == step.kind}});
    }
    values["steps"] = steps;
    return templates.render("plan_summary", values);
}

}  // namespace rb
