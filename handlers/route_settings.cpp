// Settings changes that move reminders: time zone, quiet hours, and weight (which changes the numbers in
// replies, not the times). Each saves, re-plans what is still pending from the plan's basis (the run and
// the moment it was reported), and says in one message what was understood. Pure.
#include <cmath>

#include "handlers/plans/plan.hpp"
#include "handlers/plans/plan_basis.hpp"
#include "handlers/plans/plan_text.hpp"
#include "handlers/plans/quiet_hours.hpp"
#include "handlers/route_parts.hpp"
#include "handlers/time/civil_time.hpp"

namespace rb {
namespace {

using nlohmann::json;

const zone_rules& rules_for(const context& ctx, const std::string& zone) {
    static const zone_rules utc;
    const zone_rules* found = ctx.zones ? ctx.zones->find(zone) : nullptr;
    return found ? *found : utc;
}

const meal* meal_named(const template_set& texts, const std::string& name) {
    for (const auto& m : texts.meals())
        if (m.name == name) return &m;
    return nullptr;
}

// The pending plan made again with the changed settings, from the moment it was first made: replan moves
// due times (zone, quiet hours); edit keeps them and rewrites the texts (a weight adds grams and litres).
std::optional<schedule_plan> replan_pending(const context& ctx, std::int64_t owner, const chat_settings& changed,
                                            plan_mode mode) {
    if (ctx.upcoming.empty() || ctx.plan_basis.empty() || !ctx.templates) return std::nullopt;
    const auto basis = read_plan_basis(ctx.plan_basis);
    if (!basis) return std::nullopt;
    const recovery_plan plan = make_plan(basis->run, changed, basis->reported_ms, rules_for(ctx, changed.time_zone));
    const meal* idea = meal_named(*ctx.templates, basis->meal);
    return schedule_plan{
        basis->chat_id,     owner, basis->run_id, render_reminders(plan, changed, *ctx.templates, idea), mode,
        basis->reported_ms, {}};
}

send_message message_to(std::int64_t chat_id, std::string text) {
    return send_message{chat_id, std::move(text), {}, {}};
}

std::vector<action> save_and_replan(const context& ctx, std::int64_t owner, const chat_settings& changed,
                                    plan_mode mode = plan_mode::replan) {
    std::vector<action> out{save_settings{owner, changed}};
    if (auto plan = replan_pending(ctx, owner, changed, mode)) out.push_back(std::move(*plan));
    return out;
}

}  // namespace

std::vector<action> change_zone(const context& ctx, std::int64_t owner, std::int64_t chat_id,
                                const zone_answer& answer) {
    chat_settings s = ctx.settings;
    s.time_zone = answer.zone;
    std::vector<action> out = save_and_replan(ctx, owner, s);
    const zone_rules& zone = rules_for(ctx, answer.zone);
    const bool fixed = answer.how == zone_reading::local_time || answer.how == zone_reading::offset;
    const bool moved = out.size() > 1;
    out.push_back(message_to(
        chat_id, ctx.templates->render("command/timezone_set",
                                       json{{"zone", fixed ? utc_offset_text(zone.offset_at(ctx.now_ms)) : answer.zone},
                                            {"local_time", clock_text(to_local_ms(zone, ctx.now_ms))},
                                            {"fixed", fixed},
                                            {"replanned", moved}})));
    return out;
}

std::vector<action> change_quiet(const context& ctx, std::int64_t owner, std::int64_t chat_id,
                                 std::optional<quiet_hours> quiet) {
    chat_settings s = ctx.settings;
    s.quiet = quiet;
    std::vector<action> out = save_and_replan(ctx, owner, s);
    const bool moved = out.size() > 1;
    if (!quiet) {
        out.push_back(message_to(chat_id, ctx.templates->render("command/quiet_off", json{{"replanned", moved}})));
        return out;
    }
    const std::string window = format_quiet_window(*quiet);
    // "/quiet 07:00-22:00" silences the day: saved as asked, with the night window offered in case it was swapped.
    std::string swapped;
    if (in_quiet_window(12 * 60, *quiet))
        swapped = format_quiet_window(quiet_hours{quiet->end_minute, quiet->start_minute});
    out.push_back(message_to(
        chat_id, ctx.templates->render("command/quiet_set",
                                       json{{"window", window},
                                            {"zone", zone_text(s.time_zone, rules_for(ctx, s.time_zone), ctx.now_ms)},
                                            {"end", window.substr(6)},
                                            {"swapped", swapped},
                                            {"replanned", moved}})));
    return out;
}

std::vector<action> change_weight(const context& ctx, std::int64_t owner, std::int64_t chat_id, double kg) {
    chat_settings s = ctx.settings;
    s.weight_kg = std::round(kg * 10) / 10;
    const std::string both =
        weight_text(*s.weight_kg, distance_unit::km) + " (" + weight_text(*s.weight_kg, distance_unit::mi) + ")";
    std::vector<action> out = save_and_replan(ctx, owner, s, plan_mode::edit);  // pending pings gain the grams
    out.push_back(message_to(chat_id, ctx.templates->render("command/weight_set", json{{"weight", both}})));
    return out;
}

button_rows zone_buttons(const place_index& places, std::string_view language_code) {
    button_rows rows(1);
    for (const auto& b : places.likely(language_code)) {
        if (rows.back().size() == 3) rows.emplace_back();
        const std::string data = "tz:" + b.zone;
        if (data.size() <= 64) rows.back().push_back({b.label, data});
    }
    return rows;
}

button_rows weight_buttons(double value) {
    const std::string v = short_number(value);
    return {{inline_button{v + " kg", "w:" + v + ":kg"}, inline_button{v + " lb", "w:" + v + ":lb"}}};
}

}  // namespace rb
