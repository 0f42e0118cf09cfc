// Buttons: a reminder's (Done, Snooze, Skip: answer the callback, edit the ping to show the choice, change
// the reminder; only the owner may press, ids start with the owner; a day-old ping's buttons have expired),
// and the settings buttons on replies (a time zone to tap, kg or lb for a bare weight).
#include "handlers/callback.hpp"

#include <charconv>

#include "handlers/plans/plan.hpp"
#include "handlers/plans/plan_text.hpp"
#include "handlers/plans/quiet_hours.hpp"
#include "handlers/route_parts.hpp"

namespace rb {
namespace {

using nlohmann::json;

constexpr std::size_t max_callback_data = 64;

std::string_view verb(button_choice c) {
    switch (c) {
        case button_choice::done:
            return "done";
        case button_choice::snooze:
            return "snooze";
        case button_choice::skip:
            return "skip";
    }
    return "done";
}

std::string_view outcome_template(button_choice c) {
    switch (c) {
        case button_choice::done:
            return "callback/done";
        case button_choice::snooze:
            return "callback/snoozed";
        case button_choice::skip:
            return "callback/skipped";
    }
    return "callback/done";
}

bool owned_by(std::string_view reminder_id, std::int64_t owner) {
    const std::string prefix = std::to_string(owner) + ":";
    return reminder_id.size() > prefix.size() && reminder_id.substr(0, prefix.size()) == prefix;
}

// Snooze moves the ping 15 minutes on, or to the end of quiet hours when that lands in them.
std::chrono::milliseconds snooze_by(const button_press& press, const context& ctx) {
    const std::string_view id = press.reminder_id;
    const std::string_view kind = id.substr(id.rfind(':') + 1);
    return shift_for_quiet_hours(ctx.now_ms, snooze_step, zone_for(ctx), ctx.settings.quiet, base_kind(kind),
                                 morning_spread(ctx.now_ms));
}

action change_for(const button_press& press, std::int64_t owner, std::chrono::milliseconds by) {
    if (press.choice == button_choice::snooze) return snooze_reminder{owner, press.reminder_id, by};
    return finish_reminder{owner, press.reminder_id};
}

// Buttons that are not a reminder's: a time zone from the run reply ("tz:Europe/London") or the unit of a
// bare weight ("w:70:kg"). nullopt when the data is neither.
std::optional<std::vector<action>> settings_press(const callback_query& q, const context& ctx, std::int64_t owner) {
    const template_set& texts = *ctx.templates;
    const std::int64_t chat_id = q.message ? q.message->chat.id : owner;
    const std::string_view data = q.data;
    if (data.rfind("tz:", 0) == 0) {
        const auto zone = ctx.zones ? ctx.zones->canonical_name(data.substr(3)) : std::nullopt;
        if (!zone) return std::vector<action>{answer_callback{q.id, texts.render("callback/malformed")}};
        std::vector<action> out{answer_callback{q.id, *zone}};
        for (auto& a : change_zone(ctx, owner, chat_id, zone_answer{*zone, zone_reading::name}))
            out.push_back(std::move(a));
        return out;
    }
    if (data.rfind("w:", 0) == 0) {
        const std::string_view rest = data.substr(2);
        const auto colon = rest.find(':');
        double value = 0;
        const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + std::min(colon, rest.size()), value);
        const std::string_view unit = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
        const double kg = unit == "lb" ? value * kg_per_lb : value;
        if (ec != std::errc{} || (unit != "kg" && unit != "lb") || !(kg >= min_weight_kg && kg <= max_weight_kg))
            return std::vector<action>{answer_callback{q.id, texts.render("callback/malformed")}};
        std::vector<action> out{answer_callback{q.id, {}}};
        for (auto& a : change_weight(ctx, owner, chat_id, kg)) out.push_back(std::move(a));
        return out;
    }
    return std::nullopt;
}

constexpr std::int64_t button_life_ms = 24 * 3600 * 1000;

}  // namespace

button_rows reminder_buttons(const std::string& reminder_id) {
    const std::string snooze = "r:snooze:" + reminder_id;
    if (reminder_id.empty() || snooze.size() > max_callback_data) return {};
    return {{inline_button{"✅ Done", "r:done:" + reminder_id}, inline_button{"⏰ Snooze 15 min", snooze},
             inline_button{"⏭ Skip", "r:skip:" + reminder_id}}};
}

std::optional<button_press> parse_button_data(std::string_view data) {
    if (data.size() > max_callback_data || data.substr(0, 2) != "r:") return std::nullopt;
    data.remove_prefix(2);
    for (const button_choice c : {button_choice::done, button_choice::snooze, button_choice::skip}) {
        const std::string prefix = std::string(verb(c)) + ":";
        if (data.size() > prefix.size() && data.substr(0, prefix.size()) == prefix) {
            return button_press{c, std::string(data.substr(prefix.size()))};
        }
    }
    return std::nullopt;
}

// Telegram sends the pinged message back as plain text (entities apart), so it is escaped again before the
// choice is appended; the edit drops the buttons, which is what makes a second press impossible.
std::vector<action> handle_callback(const callback_query& q, const context& ctx, std::int64_t owner) {
    const template_set& texts = *ctx.templates;
    if (auto settings = settings_press(q, ctx, owner)) return std::move(*settings);
    const auto press = parse_button_data(q.data);
    if (!press) return {answer_callback{q.id, texts.render("callback/malformed")}};
    if (!owned_by(press->reminder_id, owner)) return {answer_callback{q.id, texts.render("callback/not_yours")}};
    // A ping older than a day: its plan is over (and storage no longer keeps its delivered copy).
    if (q.message && q.message->date > 0 && ctx.now_ms - q.message->date * 1000 > button_life_ms)
        return {answer_callback{q.id, texts.render("callback/expired")}};
    const auto by = snooze_by(*press, ctx);
    const bool held = by != snooze_step;
    const std::string outcome =
        texts.render(outcome_template(press->choice),
                     json{{"until", held ? clock_text(to_local_ms(zone_for(ctx), ctx.now_ms + by.count())) : ""}});
    std::vector<action> out{answer_callback{q.id, outcome}, change_for(*press, owner, by)};
    if (q.message) {
        out.push_back(edit_message{q.message->chat.id, q.message->message_id,
                                   html_escape(q.message->text) + "\n\n<i>" + outcome + "</i>"});
    }
    return out;
}

}  // namespace rb
