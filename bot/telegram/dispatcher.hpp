// The reminder dispatcher every instance runs: claims due reminders from Redis in batches, sends each with
// its Done / Snooze / Skip buttons, and acks, retries or drops it by the send's outcome. It sleeps until the
// next reminder is due (or a second at most) and is woken early when an earlier one is scheduled.
// All of its state lives on one strand; notify() and stop() may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <functional>
#include <optional>
#include <string>

#include "bot/telegram/telegram_client.hpp"
#include "handlers/plans/reminder.hpp"
#include "net/asio.hpp"

namespace rb {

class reminder_store;
class settings_store;
class wake_subscription;
class metrics_registry;

struct dispatcher_options {
    std::size_t batch_size = 256;                 // reminders per claim
    std::chrono::milliseconds lease{30'000};      // a claimed reminder is ours this long; a send gets half
    std::chrono::milliseconds poll_cap{1'000};    // the longest sleep: covers lost wakes and other instances
    std::size_t max_in_flight = 64;               // concurrent sends; a hanging chat holds one of them
    int max_attempts = 6;                         // sends of one reminder before it is dropped (logged)
    std::chrono::milliseconds retry_initial{5'000};
    std::chrono::milliseconds retry_cap{300'000};
    std::chrono::milliseconds stop_grace{5'000};  // how long stop waits for sends in flight
    metrics_registry* metrics = nullptr;
    // Called on the dispatcher's strand after each delivered reminder (tests and the benchmark).
    std::function<void(const reminder&, std::chrono::microseconds lateness)> on_sent;
};

class dispatcher {
public:
    // wake may be null (then only notify() and the poll cap wake the loop). Everything must outlive run().
    dispatcher(net::any_io_executor ex, reminder_store& store, settings_store& settings, telegram_client& client,
               wake_subscription* wake, dispatcher_options options = {});

    // Runs until stop(); returns after sends in flight finished or stop_grace passed. Call once.
    awaitable<void> run();

    // This instance just scheduled a reminder due at due_ms (Redis clock): wake now if that is earlier than
    // the current sleep's end. Thread-safe.
    void notify(std::int64_t due_ms);

    // Thread-safe, idempotent. Also stops the wake subscription, which has no other way to end its wait.
    void stop();

    std::size_t in_flight() const { return in_flight_; }  // approximate when read off the strand

private:
    awaitable<void> loop();
    awaitable<bool> claim_and_send();
    awaitable<void> sleep_until_next(bool after_error);
    awaitable<void> listen_for_wakes();
    awaitable<void> deliver(reminder r, std::int64_t offset_us);
    // Sends one chat's claimed reminders one after another, earliest due first, including any claimed for that
    // chat while these are sending: a chat's reminders arrive in due order, never side by side.
    awaitable<void> deliver_chat(std::int64_t chat_id, std::int64_t offset_us);
    void queue_for_chat(reminder r, std::int64_t offset_us);
    awaitable<void> settle(const reminder& r, const api_result& res, std::int64_t offset_us);
    awaitable<void> wait_for_slot();
    awaitable<void> drain();
    std::chrono::milliseconds retry_delay(int attempt) const;
    void observe(const reminder& r, std::int64_t offset_us);

    net::strand<net::any_io_executor> strand_;
    reminder_store& store_;
    settings_store& settings_;
    telegram_client& client_;
    wake_subscription* wake_;
    dispatcher_options options_;

    // Guarded by strand_.
    net::steady_timer sleep_timer_;   // the wait for the next due time; cancelled by notify and stop
    net::steady_timer slot_timer_;    // the wait for a free send slot; cancelled when a send finishes
    net::steady_timer abort_timer_;   // never expires; cancelled when stop_grace ran out, abandoning sends
    std::int64_t sleep_until_ms_ = 0;  // Redis-clock end of the current sleep; 0 when awake
    std::int64_t woken_due_ms_ = 0;    // earliest notify() while awake; max when none
    std::size_t in_flight_ = 0;  // chats sending (each sends its reminders one at a time)
    std::map<std::int64_t, std::deque<reminder>> chat_queues_;  // chats with a send in progress; on strand_
    bool stopping_ = false;
};

}  // namespace rb
