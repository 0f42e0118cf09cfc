// Two-step next-slot rate limiting (see rate_limiter.hpp). Reservations are made under a mutex; the waiting is a
// timer local to the caller's coroutine, so the limiter is safe from any thread and never blocks one.
#include "bot/telegram/rate_limiter.hpp"

#include <algorithm>
#include <vector>

namespace rb {

namespace {
constexpr std::size_t global_429_chats = 3;  // this many chats throttled within a second = a global flood
constexpr std::size_t sweep_every = 4096;

std::chrono::steady_clock::duration interval_of(double per_second) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(per_second > 0 ? 1.0 / per_second : 0.0));
}

awaitable<void> sleep_until(std::chrono::steady_clock::time_point t) {
    if (t <= std::chrono::steady_clock::now()) co_return;
    net::steady_timer timer(co_await net::this_coro::executor);
    timer.expires_at(t);
    co_await timer.async_wait(as_tuple_awaitable);
}
}  // namespace

rate_limiter::rate_limiter(rate_limits limits)
    : limits_(limits),
      chat_interval_(interval_of(limits.per_chat_per_second)),
      global_interval_(interval_of(limits.global_per_second)) {}

// Step 1 takes the chat's slot (its spacing and pauses), step 2 the global one once the chat's slot has come.
// A 429 that arrives during a wait moves a pause past the slot, so after each wait the pauses are checked again
// and, if one now applies, the caller starts over.
awaitable<rate_limiter::grant> rate_limiter::acquire(std::optional<std::int64_t> chat_id, bool take_slot,
                                                     clock::time_point deadline, send_priority priority) {
    const bool spaced = limits_.enabled && take_slot;
    for (;;) {
        clock::time_point chat_slot;
        {
            std::lock_guard lock(mutex_);
            const auto now = clock::now();
            if (++reservations_ % sweep_every == 0) sweep(now);
            chat_slot = std::max(now, pause_of(chat_id));
            if (spaced && chat_id) {
                if (auto it = chat_next_.find(*chat_id); it != chat_next_.end())
                    chat_slot = std::max(chat_slot, it->second);
            }
            if (chat_slot > deadline) {
                ++refusals_;
                co_return grant{false, chat_slot};
            }
            if (spaced && chat_id) chat_next_[*chat_id] = chat_slot + chat_interval_;
        }
        co_await sleep_until(chat_slot);

        clock::time_point global_slot;
        {
            std::lock_guard lock(mutex_);
            const auto now = clock::now();
            if (pause_of(chat_id) > now) continue;  // a 429 came in meanwhile
            global_slot = spaced ? std::max(now, global_next_) : now;
            auto limit = deadline;
            if (priority == send_priority::normal) limit = std::min(limit, now + limits_.normal_horizon);
            if (global_slot > limit) {
                ++refusals_;
                co_return grant{false, global_slot - (priority == send_priority::normal ? limits_.normal_horizon
                                                                                        : clock::duration::zero())};
            }
            if (spaced) global_next_ = global_slot + global_interval_;
        }
        co_await sleep_until(global_slot);

        std::lock_guard lock(mutex_);
        if (pause_of(chat_id) <= clock::now()) co_return grant{true, {}};
    }
}

rate_limiter::clock::time_point rate_limiter::pause_of(std::optional<std::int64_t> chat_id) const {
    auto until = all_paused_;
    if (chat_id) {
        if (auto it = chat_paused_.find(*chat_id); it != chat_paused_.end()) until = std::max(until, it->second);
    }
    return until;
}

bool rate_limiter::on_retry_after(std::optional<std::int64_t> chat_id, std::chrono::seconds retry_after) {
    auto now = clock::now();
    auto until = now + retry_after;
    std::lock_guard lock(mutex_);
    while (!recent_429_.empty() && recent_429_.front().first < now - std::chrono::seconds(1)) recent_429_.pop_front();
    bool global = !chat_id;
    if (chat_id) {
        recent_429_.emplace_back(now, *chat_id);
        std::vector<std::int64_t> chats;
        for (auto& [t, c] : recent_429_)
            if (std::find(chats.begin(), chats.end(), c) == chats.end()) chats.push_back(c);
        global = chats.size() >= global_429_chats;
        auto& paused = chat_paused_[*chat_id];
        paused = std::max(paused, until);
    }
    if (global) all_paused_ = std::max(all_paused_, until);
    return global;
}

rate_limiter::clock::time_point rate_limiter::paused_until(std::optional<std::int64_t> chat_id) const {
    std::lock_guard lock(mutex_);
    return pause_of(chat_id);
}

std::uint64_t rate_limiter::refusals() const {
    std::lock_guard lock(mutex_);
    return refusals_;
}

// Entries in the past carry no information; drop them so the maps stay as small as the active chats.
void rate_limiter::sweep(clock::time_point now) {
    std::erase_if(chat_next_, [now](const auto& kv) { return kv.second <= now; });
    std::erase_if(chat_paused_, [now](const auto& kv) { return kv.second <= now; });
}

}  // namespace rb
