// The dispatcher's loop, wake-up, sends and pause (see dispatcher.hpp). What to do after a send is decided by
// handlers/delivery/delivery_policy.hpp and carried out by the executor; this file only moves messages.
#include "bot/telegram/dispatcher.hpp"

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <limits>

#include "bot/effects/executor.hpp"
#include "bot/effects/outbound_call.hpp"
#include "bot/process/log.hpp"
#include "bot/process/metrics.hpp"
#include "handlers/callback.hpp"
#include "storage/reminder_store.hpp"
#include "storage/storage_error.hpp"
#include "storage/wake_subscription.hpp"

namespace rb {

using namespace net::experimental::awaitable_operators;
using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

std::int64_t steady_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(clock::now().time_since_epoch()).count();
}

clock::time_point steady_at_us(std::int64_t us) { return clock::time_point(std::chrono::microseconds(us)); }

void log_failure(std::string_view event, const std::exception& e) {
    log_event(log_level::warn, event, {{"error", e.what()}});
}

constexpr auto renew_margin = std::chrono::seconds(1);  // a slot must come this long before the claim ends
constexpr auto storage_retry = std::chrono::milliseconds(200);
// A claim this young is its own check: it was made (and the message read) this long ago at most, with a full lease.
// Older, and the claim is renewed (and so re-checked) right before the send.
constexpr auto fresh_claim = std::chrono::milliseconds(250);

// Runs a storage step again while it fails transiently (Redis stalled or reconnecting) and the claim still has time.
// Renew and settle are safe to repeat: a repeat whose first try did run finds the token changed and does nothing.
template <typename Step>
auto until_claim_ends(Step step, clock::time_point claim_end) -> decltype(step()) {
    for (;;) {
        bool transient = false;
        try {
            co_return co_await step();
        } catch (const std::exception& e) {
            if (!is_transient_failure(e) || clock::now() + storage_retry >= claim_end) throw;
            transient = true;
        }
        if (transient) {
            net::steady_timer wait(co_await net::this_coro::executor, storage_retry);
            co_await wait.async_wait(as_tuple_awaitable);
        }
    }
}
constexpr auto pause_log_every = std::chrono::minutes(1);

}  // namespace

dispatcher::dispatcher(net::any_io_executor ex, reminder_store& store, executor& effects, telegram_client& client,
                       wake_subscription* wake, dispatcher_options options)
    : strand_(net::make_strand(ex)),
      store_(store),
      effects_(effects),
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
            wake_pending_ = true;                             // and ends a wait for room (wait_for_room)
            slot_timer_.cancel();
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

std::string dispatcher::paused_reason() const {
    std::lock_guard lock(reason_mutex_);
    return paused_reason_;
}

// One pass claims what there is room for. A full claim means more may be due, so the loop claims again at once;
// a claim held back only by the cap on reminders that can wait waits for one of those to finish or for a commit's
// wake; otherwise it sleeps until the next due time. An error (Redis down) is logged and the loop sleeps one poll
// interval: every claimed message is on a lease, so nothing is lost meanwhile.
awaitable<void> dispatcher::loop() {
    log_event(log_level::info, "dispatcher_started", {{"batch", static_cast<std::uint64_t>(options_.batch_size)}});
    while (!stopping_) {
        if (paused_) {
            co_await probe_while_paused();
            continue;
        }
        bool failed = false;
        try {
            switch (co_await claim_and_send()) {
                case claim_pass::more:
                    break;
                case claim_pass::later_capped:
                    co_await wait_for_later_room();
                    break;
                case claim_pass::idle:
                    co_await sleep_until_next(false);
                    break;
            }
        } catch (const std::exception& e) {
            log_failure("dispatcher_error", e);
            failed = true;
        }
        if (failed) co_await sleep_until_next(true);
    }
    co_await drain();
    log_event(log_level::info, "dispatcher_stopped");
}

// Claims only what can start soon: at most twice max_in_flight held at once. A message claimed long before its
// send would hold a lease it cannot use, and a reply committed meanwhile would wait behind it.
// Lateness is "sent minus due" on Redis's clock; reading Redis's clock per send would cost a round trip, so each
// claim brings the TIME its script ran at and the offset from the steady clock is noted at the midpoint of the
// claim's round trips (two; three when strays are set aside). The TIME comes from the last of them, so the estimate
// of Redis's clock runs slightly ahead: lease ends look earlier than they are (the safe side) and lateness a little
// larger, by at most half the claim's time, which the renew margin of a second covers many times over.
//
// Messages that can wait (the later lane) may fill at most max_in_flight of the held places. Under Telegram's global
// limit a backlog of them (every reminder held by quiet hours falling due at 07:00) queues for send slots while its
// claims last; the places left are for replies and eat-now pings, claimed at once when a commit wakes the loop.
awaitable<dispatcher::claim_pass> dispatcher::claim_and_send() {
    wake_pending_ = false;  // this claim sees every commit so far
    const std::size_t held = in_flight_ + waiting_;
    const std::size_t room = 2 * options_.max_in_flight > held ? 2 * options_.max_in_flight - held : 0;
    const std::size_t limit = std::min(options_.batch_size, room);
    if (limit == 0) {
        co_await wait_for_room();
        co_return claim_pass::more;
    }
    const std::size_t later_room = options_.max_in_flight > held_later_ ? options_.max_in_flight - held_later_ : 0;
    const auto before = steady_us();
    auto claim = co_await store_.claim_due_batch(limit, options_.lease, std::min(limit, later_room));
    const auto after = steady_us();
    const std::int64_t redis_ms = claim.now_ms;
    const std::int64_t offset_us = redis_ms * 1000 - (before + after) / 2;
    auto& batch = claim.reminders;
    std::size_t later_claimed = 0;
    const auto claimed_at = clock::now();
    const std::size_t claimed_count = batch.size();
    for (std::size_t i = 0; i < batch.size(); ++i) {
        reminder& r = batch[i];
        if (auto stale = stale_reason(r, redis_ms)) {
            const delivery_step drop{delivery_verdict::drop, {}, *stale};  // named: see send() on GCC 12
            co_await effects_.settle(r, drop);
            continue;
        }
        if (chat_queues_.count(r.chat_id) == 0) co_await wait_for_slot();
        if (stopping_ || paused_) {  // claimed but not started: hand them back now rather than at lease expiry
            for (; i < batch.size(); ++i) co_await store_.hand_back(batch[i], milliseconds(0), false);
            co_return claim_pass::idle;
        }
        if (lane_of(r.kind) == delivery_lane::later) {
            ++held_later_;
            ++later_claimed;
        }
        queue_for_chat(claimed{std::move(r), offset_us, claimed_at});
    }
    if (claimed_count >= limit) co_return claim_pass::more;
    co_return later_room < limit&& later_claimed >= later_room ? claim_pass::later_capped : claim_pass::idle;
}

void dispatcher::queue_for_chat(claimed c) {
    const std::int64_t chat = c.r.chat_id;
    auto [it, fresh] = chat_queues_.try_emplace(chat);
    auto& queue = it->second;
    const auto at = std::upper_bound(queue.begin(), queue.end(), c.r.due_ms,
                                     [](std::int64_t due, const claimed& q) { return due < q.r.due_ms; });
    queue.insert(at, std::move(c));
    ++waiting_;
    if (!fresh) return;
    ++in_flight_;
    net::co_spawn(strand_, deliver_chat(chat), net::detached);
}

awaitable<void> dispatcher::deliver_chat(std::int64_t chat_id) {
    for (;;) {
        auto& queue = chat_queues_.at(chat_id);
        if (queue.empty()) break;
        claimed next = std::move(queue.front());
        queue.pop_front();
        --waiting_;
        slot_timer_.cancel();  // one fewer held: the claim loop may have room again (wait_for_room)
        const bool later = lane_of(next.r.kind) == delivery_lane::later;
        co_await deliver(std::move(next));
        if (later) {
            --held_later_;
            slot_timer_.cancel();  // wait_for_later_room
        }
    }
    chat_queues_.erase(chat_id);
    --in_flight_;
    slot_timer_.cancel();
}

// Wake-up: sleep until min(next due - Redis now, poll_cap). next_due_ms also counts lease deadlines, so a
// dead instance's claims are retried on time. notify() and the wake subscription cut the sleep short when
// something earlier is committed; the poll cap bounds what a lost wake or a skewed estimate can cost.
// A notify() that arrives while awake (after next_due_ms was read) is kept in woken_due_ms_ and checked
// before sleeping, so it is not lost between the read and the wait.
awaitable<void> dispatcher::sleep_until_next(bool after_error) {
    woken_due_ms_ = std::numeric_limits<std::int64_t>::max();
    milliseconds wait = options_.poll_cap;
    std::int64_t now_ms = 0;
    if (!after_error) {
        auto before = steady_us();
        const due_outlook next = co_await store_.outlook();
        now_ms = next.now_ms + (steady_us() - before) / 2000;
        if (next.next_due_ms)
            wait = std::clamp(milliseconds(*next.next_due_ms - now_ms), milliseconds(1), options_.poll_cap);
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

// Waits until at most max_in_flight are held (claimed, queued or sending), so the next claim has room for a
// useful batch rather than one message at a time. It must suspend: returning at once would let the claim loop
// spin on the strand and starve the very sends it waits for (a burst of many messages per chat did that).
// A commit's wake ends the wait too: the claim then takes what room there is, replies and urgent lanes first.
awaitable<void> dispatcher::wait_for_room() {
    while (in_flight_ + waiting_ > options_.max_in_flight && !stopping_ && !wake_pending_) {
        slot_timer_.expires_at(clock::time_point::max());
        co_await slot_timer_.async_wait(as_tuple_awaitable);
    }
}

// After a claim held back by the later lane's cap: wait until half the cap is free (not one at a time: each claim
// costs two round trips), a commit wakes the loop, or one second passes (a reminder falling due meanwhile in an
// urgent lane commits nothing, so no wake announces it; the second bounds how late it can be).
awaitable<void> dispatcher::wait_for_later_room() {
    const auto until = clock::now() + std::chrono::seconds(1);
    while (held_later_ > options_.max_in_flight / 2 && !stopping_ && !wake_pending_ && clock::now() < until) {
        slot_timer_.expires_at(until);
        co_await slot_timer_.async_wait(as_tuple_awaitable);
    }
}

awaitable<void> dispatcher::wait_for_slot() {
    while (in_flight_ >= options_.max_in_flight && !stopping_) {
        slot_timer_.expires_at(clock::time_point::max());
        co_await slot_timer_.async_wait(as_tuple_awaitable);
    }
}

// One message: send it, then settle it by the step after_delivery() decides. A send that never reached Telegram
// because the claim no longer held, or that a stop abandoned, is not settled: the newer state stands, or the lease
// expires and the message is claimed again (delayed, never lost).
awaitable<void> dispatcher::deliver(claimed c) {
    reminder& r = c.r;
    try {
        if (stopping_ || paused_) {
            co_await store_.hand_back(r, paused_ ? options_.retries.probe : milliseconds(0), false);
            co_return;
        }
        std::optional<outbound_call> call;
        if (is_reply_kind(r.kind) && !(call = decode_outbound(r.text))) {
            const delivery_step drop{delivery_verdict::drop, {}, "malformed_outbox_call"};
            co_await effects_.settle(r, drop);
            co_return;
        }
        auto result = co_await send(r, c, call);
        if (!result) co_return;
        const std::int64_t now_ms = (steady_us() + c.offset_us) / 1000;
        const delivery_step step = after_delivery(r, *result, now_ms, options_.retries);
        if (step.verdict == delivery_verdict::delivered) observe(r, c.offset_us);
        if (step.verdict == delivery_verdict::pause_sending) pause(result->description);
        // An ack lost to a Redis stall would let the claim expire and the message go out twice: retry it while the
        // (just renewed) claim lasts.
        const auto claim_end = steady_at_us(r.lease_token * 1000 - c.offset_us);
        co_await until_claim_ends([&] { return effects_.settle(r, step); }, claim_end);
    } catch (const std::exception& e) {
        // Redis failed under the settle: the lease expires and the message is claimed again (at-least-once).
        log_event(log_level::warn, "delivery_settle_failed", {{"id", r.id}, {"error", e.what()}});
    }
}

// The wait for a rate-limiter slot is bounded by the claim: a slot that would come after the lease ends (less a
// margin for the renew) is refused, and the message handed back for when the slot would be free. Normal-priority
// messages are refused slots beyond the limiter's short horizon; they wait here and ask again while the claim
// allows. Then the claim is renewed to a full lease in one call, which is also the last check that it still holds
// (unless the claim itself is younger than fresh_claim: then it is that check, and its lease is still nearly full).
awaitable<std::optional<delivery_result>> dispatcher::send(reminder& r, const claimed& c,
                                                           const std::optional<outbound_call>& call) {
    const std::int64_t offset_us = c.offset_us;
    const bool is_reminder = !call;
    const bool message = is_reminder || !std::holds_alternative<answer_callback>(*call);
    const auto priority = lane_of(r.kind) == delivery_lane::later ? send_priority::normal : send_priority::high;
    const std::optional<std::int64_t> chat = message ? std::optional<std::int64_t>(r.chat_id) : std::nullopt;
    const auto lease_end = steady_at_us(r.lease_token * 1000 - offset_us) - renew_margin;
    for (;;) {
        const auto grant = co_await client_.limiter().acquire(chat, message, lease_end, priority);
        if (grant.granted) break;
        if (priority == send_priority::normal && grant.retry_at < lease_end && !stopping_) {
            net::steady_timer wait(strand_, grant.retry_at);
            co_await wait.async_wait(as_tuple_awaitable);
            continue;
        }
        count("rb_sends_handed_back_total", "Messages handed back because no send slot came within their claim");
        const auto until = std::chrono::ceil<milliseconds>(grant.retry_at - clock::now());
        co_return delivery_result{send_outcome::throttled, std::max(until, milliseconds(0)),
                                  "no slot within the claim"};
    }
    const bool fresh = clock::now() - c.claimed_at < fresh_claim;
    if (!fresh && !co_await until_claim_ends([&] { return store_.renew(r, options_.lease); }, lease_end)) {
        count("rb_sends_superseded_total", "Claimed messages not sent because their claim changed before the send");
        log_event(log_level::info, "send_superseded", {{"id", r.id}});
        co_return std::nullopt;
    }
    call_options how;
    how.chat_id = chat;
    how.counts_as_message = message;
    how.slot_taken = true;
    how.priority = priority;
    how.deadline = clock::now() + options_.lease / 2;  // well inside the claim just renewed
    // A named message, not a temporary in the co_await: GCC 12 destroys aggregate temporaries in a co_await
    // expression twice.
    send_message ping;
    if (is_reminder) ping = send_message{r.chat_id, r.text, reminder_buttons(r.id), std::nullopt};
    auto request = [&]() -> awaitable<api_result> {
        if (is_reminder) co_return co_await client_.send(ping, how);
        if (auto* m = std::get_if<send_message>(&*call)) co_return co_await client_.send(*m, how);
        if (auto* e = std::get_if<edit_message>(&*call)) co_return co_await client_.edit(*e, how);
        co_return co_await client_.answer(std::get<answer_callback>(*call));
    };
    auto outcome = co_await (request() || abort_timer_.async_wait(as_tuple_awaitable));
    if (outcome.index() != 0) {
        log_event(log_level::info, "send_abandoned", {{"id", r.id}});
        co_return std::nullopt;
    }
    co_return delivery_of(std::get<0>(outcome));
}

// 401 or 404: the token or the API root is wrong, and every send would fail alike. Sending stops (messages stay
// stored), /healthz says why, an error is logged at most once a minute, and probe_while_paused() resumes sending
// by itself once getMe answers again.
void dispatcher::pause(const std::string& reason) {
    if (!paused_) {
        paused_ = true;
        count("rb_sending_paused_total", "Times sending paused because the Bot API refused the bot itself");
    }
    {
        std::lock_guard lock(reason_mutex_);
        paused_reason_ = "bot api refused the bot: " + reason;
    }
    if (clock::now() - last_pause_log_ >= pause_log_every) {
        last_pause_log_ = clock::now();
        log_event(log_level::error, "sending_paused",
                  {{"reason", reason}, {"hint", "check BOT_TOKEN and TELEGRAM_API_ROOT"}});
    }
}

awaitable<void> dispatcher::probe_while_paused() {
    sleep_timer_.expires_after(options_.retries.probe);
    co_await sleep_timer_.async_wait(as_tuple_awaitable);
    if (stopping_) co_return;
    const api_result me = co_await client_.get_me();
    if (me.ok()) {
        paused_ = false;
        {
            std::lock_guard lock(reason_mutex_);
            paused_reason_.clear();
        }
        log_event(log_level::info, "sending_resumed");
        co_return;
    }
    if (delivery_of(me).outcome == send_outcome::bot_fault) pause(me.description);
}

void dispatcher::observe(const reminder& r, std::int64_t offset_us) {
    auto lateness = std::chrono::microseconds(steady_us() + offset_us - r.due_ms * 1000);
    if (options_.metrics) {
        const bool reply = is_reply_kind(r.kind);
        lateness_
            .at(reply ? 1 : 0,
                [&]() -> histogram& {
                    return options_.metrics->histogram_for(
                        reply ? "rb_reply_latency_seconds" : "reminder_lateness_seconds",
                        reply ? "Reply sent time minus commit time (Redis clock)"
                              : "Reminder sent time minus due time (Redis clock)");
                })
            .observe(std::chrono::duration<double>(lateness).count());
    }
    if (options_.on_sent) options_.on_sent(r, lateness);
}

void dispatcher::count(std::string_view name, std::string_view help) {
    if (options_.metrics) options_.metrics->counter_for(name, help).inc();
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
