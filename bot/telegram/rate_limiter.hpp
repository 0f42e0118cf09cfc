// Telegram's flood limits on the sending side: about 1 message/s per chat and 30/s in all, plus the pauses a 429
// imposes. A next-slot scheduler in two steps: a caller first takes its chat's slot and sleeps until it, then,
// ready to go, takes the next global slot. So one chat's spacing or one chat's 429 delays only that chat, and the
// global slots go to callers that can use them at once. Each caller sleeps on its own timer; no thread is held.
//
// A slot is never reserved past the caller's deadline: acquire() refuses and says when a slot would be free, so
// a send that would outlive its lease is handed back instead of sent late. Normal-priority callers may reserve
// global slots only a short horizon ahead, which bounds how far ahead slots are promised and lets high-priority
// callers (replies, eat-now pings) in near the front.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "bot/telegram/rate_limits.hpp"
#include "net/asio.hpp"

namespace rb {

enum class send_priority { high, normal };

class rate_limiter {
public:
    using clock = std::chrono::steady_clock;

    struct grant {
        bool granted = false;
        clock::time_point retry_at{};  // refused: when a slot could be free (a pause's end, or the next free slot)
    };

    explicit rate_limiter(rate_limits limits);

    // Waits until one message to chat_id may go and takes its slots. With take_slot false (calls that are not
    // messages: answerCallbackQuery, getUpdates, ...) only the 429 pauses of that chat and of all apply.
    // Refuses, without reserving anything it would not use, when the wait would end after deadline.
    awaitable<grant> acquire(std::optional<std::int64_t> chat_id, bool take_slot = true,
                             clock::time_point deadline = clock::time_point::max(),
                             send_priority priority = send_priority::high);

    // A 429 with retry_after: pause this chat, or everything when chat_id is nullopt or when several chats
    // hit 429 within a second (Telegram's global flood answer looks the same as a per-chat one).
    // Returns true when the pause is global.
    bool on_retry_after(std::optional<std::int64_t> chat_id, std::chrono::seconds retry_after);

    // When the next call for chat_id could go, ignoring other reservations (tests and logs).
    clock::time_point paused_until(std::optional<std::int64_t> chat_id) const;

    std::uint64_t refusals() const;  // acquire() calls refused so far

private:
    clock::time_point pause_of(std::optional<std::int64_t> chat_id) const;  // mutex_ held
    void sweep(clock::time_point now);                                      // mutex_ held

    rate_limits limits_;
    clock::duration chat_interval_;
    clock::duration global_interval_;
    mutable std::mutex mutex_;  // guards everything below; held only for map updates, never across a wait
    clock::time_point global_next_{};
    clock::time_point all_paused_{};
    std::unordered_map<std::int64_t, clock::time_point> chat_next_;
    std::unordered_map<std::int64_t, clock::time_point> chat_paused_;
    std::deque<std::pair<clock::time_point, std::int64_t>> recent_429_;
    std::size_t reservations_ = 0;
    std::uint64_t refusals_ = 0;
};

}  // namespace rb
