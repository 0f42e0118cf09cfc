// Internal to route*.cpp and callback.cpp: one update's turn (who, where, with what settings and texts) and
// the handlers decide() hands each kind of update to. Not part of the handlers' public contract.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "handlers/action.hpp"
#include "handlers/route.hpp"
#include "handlers/texts/templates.hpp"
#include "handlers/time/time_zone.hpp"
#include "handlers/understanding/message_parser.hpp"

namespace rb {

struct turn {
    const message& msg;
    const context& ctx;
    std::int64_t owner = 0;
    bool group = false;
    std::uint64_t seed = 0;  // for deterministic meal picks
    const template_set& texts;
    const zone_rules& zone;  // the owner's zone, UTC when unknown

    // A reply in the chat the message came from; in groups it quotes the runner's message.
    send_message reply(std::string text) const;
    send_message reply_template(std::string_view name, const nlohmann::json& values = nlohmann::json::object()) const;
    // The owner's settings with one change, saved.
    save_settings save(const chat_settings& changed) const { return save_settings{owner, changed}; }
};

const zone_rules& zone_for(const context& ctx);
std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b);

std::vector<action> handle_text(const turn& t, std::string_view text, bool edited);
std::vector<action> handle_non_text(const turn& t);
std::vector<action> handle_command(const turn& t, const command& cmd, bool addressed);
std::vector<action> handle_callback(const callback_query& q, const context& ctx, std::int64_t owner);

// Settings that move reminder times (route_settings.cpp): the save, and the re-plan of the reminders still
// pending, made again from the plan's basis; a reply saying what was understood goes to chat_id.
std::vector<action> change_zone(const context& ctx, std::int64_t owner, std::int64_t chat_id,
                                const zone_answer& answer);
std::vector<action> change_quiet(const context& ctx, std::int64_t owner, std::int64_t chat_id,
                                 std::optional<quiet_hours> quiet);
std::vector<action> change_weight(const context& ctx, std::int64_t owner, std::int64_t chat_id, double kg);
// One or two rows of one-tap time zones for the runner's language ("tz:<zone>").
button_rows zone_buttons(const place_index& places, std::string_view language_code);
// "70 kg or 70 lb?" for a bare number in a chat that counts in miles ("w:70:kg", "w:70:lb").
button_rows weight_buttons(double value);

// A meal reply: up to `count` meals for the filters ("meal" template), or "meal_none" when none match; with a
// window, meals whose carbohydrate suits a plan's target first (pick_meals).
std::string render_meal_reply(const template_set& texts, const meal_filters& filters, std::uint64_t seed,
                              std::size_t count, bool after_run, std::optional<carb_window> window = std::nullopt);

}  // namespace rb
