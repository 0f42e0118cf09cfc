// The inline buttons on a reminder ping (Done, Snooze 15 min, Skip) and the callback data they carry:
// "r:done:<reminder_id>", "r:snooze:<reminder_id>", "r:skip:<reminder_id>". Pure; decide() handles presses.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "handlers/action.hpp"

namespace rb {

inline constexpr std::chrono::minutes snooze_step{15};

enum class button_choice { done, snooze, skip };

struct button_press {
    button_choice choice = button_choice::done;
    std::string reminder_id;
};

// One row of three buttons for the reminder. Empty when an id is too long for Telegram's 64-byte
// callback_data (ids are "<owner>:<run>:<kind>", far shorter in practice): a ping without buttons beats
// a sendMessage that Telegram rejects.
button_rows reminder_buttons(const std::string& reminder_id);

// Reads callback data; nullopt for anything that is not one of ours.
std::optional<button_press> parse_button_data(std::string_view data);

}  // namespace rb
