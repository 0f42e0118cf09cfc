// The dispatcher's loop, wake-up and per-reminder outcome handling (see dispatcher.hpp).
#include "bot/telegram/dispatcher.hpp"

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <limits>

#include "bot/process/log.hpp"
#include "bot/process/metrics.hpp"
#include "handlers/callback.hpp"
#include "storage/reminder_store.hpp"
#include "storage/settings_store.hpp"

namespace rb {

using namespace net::experimental::awaitable_operators;
using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

std::int64_t steady_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(clock::now().time_since_epoch()).count();
}

void log_failure(std::string_view event, const std::exception& e) {
    log_event(log_level::warn, event, {{"error", e.what()}});
}

}  // namespace

dispatcher::dispatcher(net::any_io_executor ex, reminder_store& store, settings_store& settings,
                       telegram_client& client, wake_subscription* wake, dispatcher_options options)
    : strand_(net::make_strand(ex)),
      store_(store),
      settings_(settings),
      client_(client),
      wake_(wake),
      options_(std::move(options)),
      sleep_timer_(strand_),
      slot_timer_(strand_),
      abort_timer_(strand_) {
    abort_timer_.expires_at(clock::time_point::max());
}

// The loop and every send run on strand_, so the state in dispatcher.hpp needs no lock.
awaitable<void> dispatcher::run() {
    if (wake_) net::co_spawn(strand_, listen_for_wakes(), net::detached);
    co_await net::co_spawn(strand_, loop(), use_awaitable);
}

void dispatcher::notify(std::int64_t due_ms) {
    net::post(strand_, [this, due_ms] {
        if (sleep_until_ms_ == 0) {
            woken_due_ms_ = std::min(woken_due_ms_, due_ms);  // awake: checked before the next sleep
        } else if (due_ms < sleep_until_ms_) {
            sleep_timer_.cancel();
        }
    });
}

void dispatcher::stop() {
    net::post(strand_, [this] {
        if (stopping_) return;
        stopping_ = true;
        sleep_timer_.cancel();
        slot_timer_.cancel();
        if (wake_) wake_->stop();
    });
}

// One pass claims at most batch_size reminders. A full batch means more may be due, so the loop claims
// again at once; otherwise it sleeps until the next due time. An error (Redis down) is logged and the loop
// sleeps one poll interval: every claimed reminder is on a lease, so nothing is lost meanwhile.
awaitable<void> dispatcher::loop() {
    log_event(log_level::info, "dispatcher_started", {{"batch", static_cast<std::uint64_t>(options_.batch_size)}});
    while (!stopping_) {
        bool failed = false;
        try {
            if (!co_await claim_and_send()) co_await sleep_until_next(false);
        } catch (const std::exception& e) {
            log_failure("dispatcher_error", e);
            failed = true;
        }
        if (failed) co_await sleep_until_next(true);
    }
    co_await drain();
    log_event(log_level::info, "dispatcher_stopped");
}

// Lateness is "sent minus due" on Redis's clock, but reading Redis's clock per send would cost a round trip.
// So once per claim we read TIME and note the offset from the local steady clock (midpoint of the round
// trip); a send's Redis time is then its steady time plus that offset.
awaitable<bool> dispatcher::claim_and_send() {
    auto before = steady_us();
    auto redis_ms = co_await store_.now_ms();
    auto after = steady_us();
    std::int64_t offset_us = redis_ms * 1000 - (before + after) / 2;
    auto batch = co_await store_.claim_due(options_.batch_size, options_.lease);
    const std::size_t claimed = batch.size();
    std::stable_sort(batch.begin(), batch.end(), [](const reminder& a, const reminder& b) { return a.due_ms < b.due_ms; });
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (chat_queues_.count(batch[i].chat_id) == 0) co_await wait_for_slot();
        if (stopping_) {  // claimed but not started: hand them back now rather than at lease expiry
            for (; i < batch.size(); ++i) co_await store_.retry_later(batch[i], milliseconds(0));
            co_return false;
        }
        queue_for_chat(std::move(batch[i]), offset_us);
    }
    co_return claimed >= options_.batch_size;
}

void dispatcher::queue_for_chat(reminder r, std::int64_t offset_us) {
    const std::int64_t chat = r.chat_id;
    auto [it, fresh] = chat_queues_.try_emplace(chat);
    auto& queue = it->second;
    const auto at = std::upper_bound(queue.begin(), queue.end(), r.due_ms,
                                     [](std::int64_t due, const reminder& q) { return due < q.due_ms; });
    queue.insert(at, std::move(r));
    if (!fresh) return;
    ++in_flight_;
    net::co_spawn(strand_, deliver_chat(chat, offset_us), net::detached);
}

awaitable<void> dispatcher::deliver_chat(std::int64_t chat_id, std::int64_t offset_us) {
    for (;;) {
        auto& queue = chat_queues_.at(chat_id);
        if (queue.empty()) break;
        reminder next = std::move(queue.front());
        queue.pop_front();
        co_await deliver(std::move(next), offset_us);
    }
    chat_queues_.erase(chat_id);
    --in_flight_;
    slot_timer_.cancel();
}

// Wake-up: sleep until min(next due - Redis now, poll_cap). next_due_ms also counts lease deadlines, so a
// dead instance's claims are retried on time. notify() and the wake subscription cut the sleep short when
// an earlier reminder is scheduled; the poll cap bounds what a lost wake or a skewed estimate can cost.
// A notify() that arrives while awake (after next_due_ms was read) is kept in woken_due_ms_ and checked
// before sleeping, so it is not lost between the read and the wait.
awaitable<void> dispatcher::sleep_until_next(bool after_error) {
    woken_due_ms_ = std::numeric_limits<std::int64_t>::max();
    milliseconds wait = options_.poll_cap;
    std::int64_t now_ms = 0;
    if (!after_error) {
        auto before = steady_us();
        now_ms = co_await store_.now_ms();
        now_ms += (steady_us() - before) / 2000;
        if (auto next = co_await store_.next_due_ms())
            wait = std::clamp(milliseconds(*next - now_ms), milliseconds(1), options_.poll_cap);
    }
    sleep_until_ms_ = now_ms != 0 ? now_ms + wait.count() : std::numeric_limits<std::int64_t>::max();
    if (stopping_ || woken_due_ms_ < sleep_until_ms_) {
        sleep_until_ms_ = 0;
        co_return;
    }
    sleep_timer_.expires_after(wait);
    co_await sleep_timer_.async_wait(as_tuple_awaitable);
    sleep_until_ms_ = 0;
}

awaitable<void> dispatcher::listen_for_wakes() {
    try {
        for (;;) notify(co_await wake_->next());
    } catch (const std::exception& e) {
        if (!stopping_) log_failure("dispatcher_wake_lost", e);
    }
}

awaitable<void> dispatcher::wait_for_slot() {
    while (in_flight_ >= options_.max_in_flight && !stopping_) {
        slot_timer_.expires_at(clock::time_point::max());
        co_await slot_timer_.async_wait(as_tuple_awaitable);
    }
}

// One reminder: send it (the client retries transient failures within half the lease, so the lease cannot
// expire under a send that is still trying), then settle it in Redis by the outcome. The send races
// abort_timer_, which only a stop whose grace ran out cancels: the reminder then keeps its lease and is
// claimed again after it expires, so it is delayed, never lost.
awaitable<void> dispatcher::deliver(reminder r, std::int64_t offset_us) {
    try {
        call_options how;
        how.deadline = clock::now() + options_.lease / 2;
        send_message m{r.chat_id, r.text, reminder_buttons(r.id), std::nullopt};
        auto outcome = co_await (client_.send(m, how) || abort_timer_.async_wait(as_tuple_awaitable));
        if (outcome.index() == 0) {
            co_await settle(r, std::get<0>(outcome), offset_us);
        } else {
            log_event(log_level::info, "reminder_send_abandoned", {{"reminder_id", r.id}});
        }
    } catch (const std::exception& e) {
        // Redis failed under the ack: the lease expires and the reminder is claimed again (at-least-once).
        log_event(log_level::warn, "reminder_settle_failed", {{"reminder_id", r.id}, {"error", e.what()}});
    }
}

// Outcomes: ok -> ack. blocked (403) -> the owner is deactivated and all their reminders cancelled.
// failed (other 4xx) -> dropped: resending the same request gets the same answer. transient or a 429 the
// client gave back -> back onto the due set after a capped exponential delay, until max_attempts; then
// dropped with an error line, so a chat Telegram cannot reach does not keep a reminder forever.
awaitable<void> dispatcher::settle(const reminder& r, const api_result& res, std::int64_t offset_us) {
    switch (res.status) {
        case api_status::ok:
            observe(r, offset_us);
            co_await store_.ack(r);
            co_return;
        case api_status::blocked:
            log_event(log_level::info, "reminder_owner_blocked", {{"chat_id", r.chat_id}, {"owner_id", r.owner_id}});
            co_await settings_.deactivate(r.owner_id);
            co_await store_.cancel_all(r.owner_id);
            co_await store_.ack(r);
            co_return;
        case api_status::failed:
            log_event(log_level::warn, "reminder_dropped",
                      {{"reminder_id", r.id}, {"chat_id", r.chat_id}, {"description", res.description}});
            co_await store_.ack(r);
            co_return;
        default: break;
    }
    if (r.attempt + 1 >= options_.max_attempts) {
        log_event(log_level::error, "reminder_gave_up",
                  {{"reminder_id", r.id}, {"chat_id", r.chat_id}, {"attempts", r.attempt + 1},
                   {"outcome", to_string(res.status)}, {"description", res.description}});
        co_await store_.ack(r);
        co_return;
    }
    co_await store_.retry_later(r, retry_delay(r.attempt));
}

milliseconds dispatcher::retry_delay(int attempt) const {
    auto d = options_.retry_initial.count() << std::clamp(attempt, 0, 20);
    return milliseconds(std::min<std::int64_t>(d, options_.retry_cap.count()));
}

void dispatcher::observe(const reminder& r, std::int64_t offset_us) {
    auto lateness = std::chrono::microseconds(steady_us() + offset_us - r.due_ms * 1000);
    if (options_.metrics) {
        options_.metrics
            ->histogram_for("reminder_lateness_seconds", "Reminder sent time minus due time (Redis clock)")
            .observe(std::chrono::duration<double>(lateness).count());
    }
    if (options_.on_sent) options_.on_sent(r, lateness);
}

// Stop: no new claims; sends in flight get stop_grace to finish, then are abandoned (see deliver). run()
// returns only when none is left, so nothing runs on the dispatcher after it.
awaitable<void> dispatcher::drain() {
    auto until = clock::now() + options_.stop_grace;
    while (in_flight_ > 0) {
        if (clock::now() >= until) abort_timer_.cancel();
        slot_timer_.expires_at(until);
        co_await slot_timer_.async_wait(as_tuple_awaitable);
    }
}

}  // namespace rb
