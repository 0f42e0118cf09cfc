// The one entry point from bot/ into the domain: (update, context) in, decisions out. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "handlers/action.hpp"
#include "handlers/plans/reminder.hpp"
#include "handlers/settings.hpp"
#include "handlers/update.hpp"

namespace rb {

class template_set;  // templates.hpp: the loaded and checked texts
class zone_catalog;  // time_zone.hpp: IANA zones, loaded by bot/ from the system's tzdata

struct context {
    std::int64_t now_ms = 0;         // epoch ms, read by bot/ once per update
    chat_settings settings;          // the owner's settings (defaults when none stored)
    std::vector<reminder> upcoming;  // the owner's pending reminders, earliest first
    std::string plan_basis;          // what the pending plan was made from (plan_basis.hpp), or empty
    std::string bot_username;        // without '@'; used to notice mentions in groups
    const template_set* templates = nullptr;
    const zone_catalog* zones = nullptr;
};

// Whose settings and plan an update concerns: the chat in private chats, the sender in groups;
// nullopt when no one's state is involved (a channel post, an update kind we ignore).
std::optional<std::int64_t> owner_of(const update& u);

std::vector<action> decide(const update& u, const context& ctx);

}  // namespace rb
