// The PING loop (see redis_health.hpp). Each PING is spawned on its own and reports into the shared state with its
// round's number, so a PING stuck behind a frozen server never holds up the loop: the loop only waits the deadline.
#include "bot/process/redis_health.hpp"

#include "bot/process/log.hpp"

namespace rb {

struct redis_health::state {
    net::any_io_executor ex;
    redis_connection& redis;
    std::chrono::milliseconds every, deadline;
    net::steady_timer timer;
    std::atomic<bool> stopped{false};
    std::atomic<std::uint64_t> round{0};
    std::atomic<std::uint64_t> answered{0};  // the last round whose PING came back PONG
    mutable std::mutex mutex;
    status current;       // guarded by mutex
    std::string failure;  // guarded by mutex: why the last PING failed, if it did
    std::chrono::steady_clock::time_point last_log{};
    std::string primary;  // the server last seen connected to (loop only)

    state(net::any_io_executor e, redis_connection& r, std::chrono::milliseconds ev, std::chrono::milliseconds d)
        : ex(e), redis(r), every(ev), deadline(d), timer(e) {}
};

namespace {

awaitable<void> ping_once(std::shared_ptr<redis_health::state> st, std::uint64_t round) {
    std::string failure;
    try {
        auto reply = co_await st->redis.command("PING");
        if (reply.as_string() == "PONG") {
            st->answered = round;
            co_return;
        }
        failure = "unexpected reply to PING";
    } catch (const std::exception& e) {
        failure = e.what();
    }
    std::lock_guard lock(st->mutex);
    st->failure = failure;
}

std::string cause_of(const redis_health::state& st, bool connected, const std::string& failure,
                     std::chrono::milliseconds deadline) {
    if (!connected) {
        auto why = st.redis.last_error();
        return why.empty() ? "not connected" : "not connected: " + why;
    }
    if (!failure.empty()) return failure;
    return "no answer to PING within " + std::to_string(deadline.count()) + " ms (frozen, stalled or overloaded)";
}

awaitable<void> loop(std::shared_ptr<redis_health::state> st) {
    while (!st->stopped) {
        const auto round = ++st->round;
        {
            std::lock_guard lock(st->mutex);
            st->failure.clear();
        }
        if (st->redis.connected()) net::co_spawn(st->ex, ping_once(st, round), net::detached);
        st->timer.expires_after(st->deadline);
        co_await st->timer.async_wait(as_tuple_awaitable);
        if (st->stopped) break;
        const bool up = st->answered == round;
        if (auto now_primary = st->redis.primary(); now_primary != st->primary) {
            // A failover the sentinels led, or the first connect: operators look for this line after an incident.
            if (!st->primary.empty())
                log_event(log_level::warn, "redis_primary_changed", {{"from", st->primary}, {"to", now_primary}});
            st->primary = std::move(now_primary);
        }
        std::lock_guard lock(st->mutex);
        redis_health::status now{up,
                                 up ? std::string() : cause_of(*st, st->redis.connected(), st->failure, st->deadline)};
        const bool changed = now.up != st->current.up || (!now.up && now.cause != st->current.cause && st->current.up);
        const auto t = std::chrono::steady_clock::now();
        if (changed || (!now.up && t - st->last_log >= std::chrono::minutes(1))) {
            st->last_log = t;
            if (now.up)
                log_event(log_level::info, "redis_healthy");
            else
                log_event(log_level::error, "redis_unhealthy", {{"cause", now.cause}});
        }
        st->current = std::move(now);
        st->timer.expires_after(st->every - st->deadline);
        co_await st->timer.async_wait(as_tuple_awaitable);
    }
}

}  // namespace

redis_health::redis_health(net::any_io_executor ex, redis_connection& redis, std::chrono::milliseconds every,
                           std::chrono::milliseconds deadline)
    : state_(std::make_shared<state>(net::make_strand(ex), redis, every, std::min(deadline, every))) {
    state_->current.up = true;  // until the first round says otherwise; start() runs one at once
}

redis_health::~redis_health() { stop(); }

void redis_health::start() { net::co_spawn(state_->ex, loop(state_), net::detached); }

void redis_health::stop() {
    if (state_->stopped.exchange(true)) return;
    net::post(state_->ex, [st = state_] { st->timer.cancel(); });
}

redis_health::status redis_health::current() const {
    std::lock_guard lock(state_->mutex);
    return state_->current;
}

}  // namespace rb
