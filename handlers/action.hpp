// The decisions handlers/ returns and bot/ carries out. A handler never acts; it says what to do.
// bot/ applies the storage actions first (atomically per update), answers the webhook, then sends.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "handlers/plans/reminder.hpp"
#include "handlers/settings.hpp"

namespace rb {

struct inline_button {
    std::string text;
    std::string callback_data;  // at most 64 bytes, as Telegram allows
    friend bool operator==(const inline_button&, const inline_button&) = default;
};
using button_rows = std::vector<std::vector<inline_button>>;

// Outbound Telegram calls.
struct send_message {
    std::int64_t chat_id = 0;
    std::string text;  // HTML parse mode, values already escaped
    button_rows buttons;
    std::optional<std::int64_t> reply_to_message_id;
};
struct answer_callback {
    std::string callback_query_id;
    std::string text;  // short toast; may be empty
};
struct edit_message {
    std::int64_t chat_id = 0;
    std::int64_t message_id = 0;
    std::string text;
};

// Storage changes. owner_id keys the plan and the settings (see reminder.hpp).
//   replace: a new plan. The owner's pending reminders become exactly this plan: reminders of older plans go;
//            a reminder whose id already exists with the same text keeps its due time, so storing the same
//            plan twice changes nothing. basis (the run, as JSON) is kept to re-plan from.
//   edit:    the runner edited the report: only reminders still pending change (their text), and they keep
//            their due times; nothing already delivered comes again, nothing new is added.
//   replan:  the time zone or quiet hours changed: reminders still pending move to anchor_ms + offset (the
//            plan made again from the moment of the report); pending ones the new plan leaves out go; a step
//            the new plan adds is created only if it was never delivered and is still ahead.
enum class plan_mode { replace, edit, replan };
struct schedule_plan {
    std::int64_t chat_id = 0;
    std::int64_t owner_id = 0;
    std::string run_id;
    std::vector<planned_reminder> reminders;
    plan_mode mode = plan_mode::replace;
    std::optional<std::int64_t> anchor_ms;  // replan: offsets count from here (the report), not from now
    std::string basis;                      // replace: the plan's basis to keep (JSON), empty to keep none
};
struct cancel_all_reminders {
    std::int64_t owner_id = 0;
};
struct snooze_reminder {
    std::int64_t owner_id = 0;
    std::string reminder_id;
    std::chrono::milliseconds by{0};
};
// Done or Skip: the reminder is removed and not sent.
struct finish_reminder {
    std::int64_t owner_id = 0;
    std::string reminder_id;
};
struct save_settings {
    std::int64_t owner_id = 0;
    chat_settings settings;
};
// /stop: delete everything kept about the owner (settings and reminders).
struct forget_owner {
    std::int64_t owner_id = 0;
};
// The bot was blocked or kicked: mark inactive and cancel reminders, keep nothing else pending.
struct deactivate_owner {
    std::int64_t owner_id = 0;
};

using action = std::variant<send_message, answer_callback, edit_message, schedule_plan, cancel_all_reminders,
                            snooze_reminder, finish_reminder, save_settings, forget_owner, deactivate_owner>;

}  // namespace rb
