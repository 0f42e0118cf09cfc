// The dispatcher every instance runs: claims what is due from Redis (replies in the outbox first, then eat-now
// pings, then the rest), sends each, and has the executor settle it by the step handlers/ decides for the outcome.
// It sleeps until the next due time (a second at most) and is woken early when a commit adds something earlier.
//
// Guarantees (docs/operations.md): at-least-once delivery while a message is worth sending; a send never starts
// unless its claim still holds right before it (so nothing goes out after /stop, /cancel, a snooze or a re-plan)
// and never outlives its claim (the claim is renewed to a full lease just before the request, and the request's
// own deadline is shorter); a wait for a rate-limiter slot that would outlast the claim hands the message back
// with a new due time instead, without counting an attempt.
// All of its state lives on one strand; notify() and stop() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "bot/effects/outbound_call.hpp"
#include "bot/process/metrics.hpp"
#include "bot/telegram/dispatcher_options.hpp"
#include "bot/telegram/telegram_client.hpp"
#include "handlers/delivery/delivery_policy.hpp"
#include "handlers/plans/reminder.hpp"
#include "net/asio.hpp"

namespace rb {

class executor;
class reminder_store;
class wake_subscription;
class metrics_registry;

class dispatcher {
public:
    // wake may be null (then only notify() and the poll cap wake the loop). Everything must outlive run().
    dispatcher(net::any_io_executor ex, reminder_store& store, executor& effects, telegram_client& client,
               wake_subscription* wake, dispatcher_options options = {});

    // Runs until stop(); returns after sends in flight finished or stop_grace passed. Call once.
    awaitable<void> run();

    // Something was just committed, due at due_ms (Redis clock): wake now if that is earlier than the current
    // sleep's end. Thread-safe.
    void notify(std::int64_t due_ms);

    // Thread-safe, idempotent. Also stops the wake subscription, which has no other way to end its wait.
    void stop();

    std::size_t in_flight() const { return in_flight_; }  // approximate when read off the strand

    // Why sending is paused (the Bot API answered 401 or 404: the token or the API root is wrong), or empty while
    // sending. Thread-safe; /healthz reports it.
    std::string paused_reason() const;

private:
    struct claimed {
        reminder r;
        std::int64_t offset_us = 0;  // Redis clock minus steady clock, measured at the claim
        std::chrono::steady_clock::time_point claimed_at{};
    };

    awaitable<void> loop();
    enum class claim_pass { more, later_capped, idle };
    awaitable<claim_pass> claim_and_send();
    awaitable<void> sleep_until_next(bool after_error);
    awaitable<void> listen_for_wakes();
    awaitable<void> probe_while_paused();
    // Sends one chat's claimed messages one after another, earliest due first, including any claimed for that
    // chat while these are sending: a chat's messages arrive in order, never side by side.
    awaitable<void> deliver_chat(std::int64_t chat_id);
    awaitable<void> deliver(claimed c);
    // call: the decoded outbox call for a reply; nullopt for a reminder.
    awaitable<std::optional<delivery_result>> send(reminder& r, const claimed& c,
                                                   const std::optional<outbound_call>& call);
    void queue_for_chat(claimed c);
    awaitable<void> wait_for_slot();
    awaitable<void> wait_for_room();
    awaitable<void> wait_for_later_room();
    awaitable<void> drain();
    void pause(const std::string& reason);
    void observe(const reminder& r, std::int64_t offset_us);
    metric_slots<histogram, 2> lateness_;  // reminder lateness [0], reply latency [1]
    void count(std::string_view name, std::string_view help);

    net::strand<net::any_io_executor> strand_;
    reminder_store& store_;
    executor& effects_;
    telegram_client& client_;
    wake_subscription* wake_;
    dispatcher_options options_;

    // Guarded by strand_.
    net::steady_timer sleep_timer_;    // the wait for the next due time; cancelled by notify and stop
    net::steady_timer slot_timer_;     // the wait for a free send slot; cancelled when a send finishes
    net::steady_timer abort_timer_;    // never expires; cancelled when stop_grace ran out, abandoning sends
    std::int64_t sleep_until_ms_ = 0;  // Redis-clock end of the current sleep; 0 when awake
    std::int64_t woken_due_ms_ = 0;    // earliest notify() while awake; max when none
    std::size_t in_flight_ = 0;        // chats sending (each sends its messages one at a time)
    std::size_t waiting_ = 0;          // claimed, queued behind a chat that is sending
    std::size_t held_later_ = 0;       // claimed from the later lane and not yet done (capped at max_in_flight)
    bool wake_pending_ = false;        // a commit woke the loop since its last claim
    std::map<std::int64_t, std::deque<claimed>> chat_queues_;  // chats with a send in progress
    bool stopping_ = false;
    bool paused_ = false;
    std::chrono::steady_clock::time_point last_pause_log_{};

    mutable std::mutex reason_mutex_;
    std::string paused_reason_;  // guarded by reason_mutex_
};

}  // namespace rb
