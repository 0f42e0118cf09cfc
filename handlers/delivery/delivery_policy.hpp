// How the bot delivers what it stores: which lane a message waits in, how long it stays worth sending, and what
// happens after each send. Pure: the dispatcher (bot/) passes the outcome and Redis's "now", and carries out the
// step it gets back through the one executor (bot/effects/executor.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "handlers/plans/reminder.hpp"

namespace rb {

// Telegram lets a bot send about 30 messages a second in all. When more are due than that, lanes decide what goes
// first: replies to what a runner just sent, then the pings that lose their point when late ("eat now"), then the
// rest. The dispatcher claims lane 0 before lane 1 before lane 2; within a lane, earliest due first.
enum class delivery_lane : int { reply = 0, urgent = 1, later = 2 };
inline constexpr int lane_count = 3;

// Outbound replies are stored beside reminders (the outbox) under these kinds.
inline constexpr std::string_view reply_kind = "reply";  // sendMessage
inline constexpr std::string_view edit_kind = "edit";    // editMessageText
inline constexpr std::string_view toast_kind = "toast";  // answerCallbackQuery
bool is_reply_kind(std::string_view kind) noexcept;

delivery_lane lane_of(std::string_view kind) noexcept;

// How late a message may still go out. Past it the message is dropped with a reason and counted, never sent:
// "eat within 30 minutes" six hours late is wrong advice, while tomorrow morning's roll is still worth it hours
// late. Bounds in delivery_policy.cpp.
std::chrono::milliseconds staleness_limit(std::string_view kind) noexcept;

// Why a message is no longer worth sending at now_ms, or nullopt while it is.
std::optional<std::string> stale_reason(const reminder& r, std::int64_t now_ms);

// What a send came to, as the dispatcher saw it (bot/ maps Bot API answers onto these).
enum class send_outcome {
    sent,       // Telegram accepted it
    throttled,  // 429, or the rate limiter could not give a slot before the claim's lease ran out
    transient,  // 5xx, timeout, dropped connection: the same call may work later
    blocked,    // 403: the runner blocked the bot, or the bot left the chat
    rejected,   // another 4xx: chat not found, message too old to edit, bad request; the same call fails again
    bot_fault,  // 401 or 404: the token or the API root is wrong; no message is at fault
};
struct delivery_result {
    send_outcome outcome = send_outcome::sent;
    std::chrono::milliseconds retry_after{0};  // throttled: when to try again
    std::string description;                   // Telegram's words, for the log
};

enum class delivery_verdict {
    delivered,  // ack: done (a reminder keeps a copy for a day so its buttons still work)
    drop,       // never send it; reason says why; counted by reason
    retry,      // a failed send: due again after delay, one more attempt counted
    hand_back,  // not sent, not its fault (throttled, shutting down): due again after delay, no attempt counted
    drop_and_deactivate,  // blocked in the runner's private chat: drop it and stop everything for the owner
    pause_sending,        // the bot's own fault: keep it (handed back after delay), stop sending, probe the API
};

std::string_view to_string(delivery_verdict v) noexcept;

struct delivery_step {
    delivery_verdict verdict = delivery_verdict::delivered;
    std::chrono::milliseconds delay{0};
    std::string reason;  // drop and pause: short, safe to log and to use as a metric label
};

struct retry_policy {
    std::chrono::milliseconds initial{5'000};  // after the first failed send; doubles per attempt
    std::chrono::milliseconds cap{300'000};    // never longer between tries
    std::chrono::milliseconds probe{15'000};   // pause_sending: how soon to look again
};

// The step after one send of r at now_ms (Redis clock). A retry that would land past the staleness limit is a drop.
delivery_step after_delivery(const reminder& r, const delivery_result& result, std::int64_t now_ms,
                             const retry_policy& policy = {});

}  // namespace rb
