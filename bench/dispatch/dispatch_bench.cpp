// Dispatcher benchmark (not a test): spread (50,000 reminders due evenly over 10 s: lateness p50/p99/max) and
// burst (100,000 due at one moment: sendMessage/s until drained), limiter off, the fake API answering at once,
// plus this process's RSS before and after scheduling (pending reminders live in Redis, not here).
// Usage: dispatch-bench [spread_count] [burst_count]; RB_BENCH_WINDOWS=1 also lists when the spread's late sends
// happened (ms from the first late one, 10 ms windows).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

#include "bot/effects/executor.hpp"
#include "bot/effects/outbound_call.hpp"
#include "bot/telegram/dispatcher.hpp"
#include "handlers/delivery/delivery_policy.hpp"
#include "handlers/plans/plan.hpp"
#include "storage/reminder_store.hpp"
#include "storage/update_store.hpp"
#include "tests/fake_telegram/fake_telegram.hpp"
#include "tests/support/redis_server.hpp"

namespace rb {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

long rss_kb() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    return -1;
}

struct recorder {
    std::mutex mutex;  // the dispatcher calls on_sent on its strand; the bench reads from main
    std::vector<double> lateness_ms;
    std::vector<clock::time_point> sent_at;  // beside lateness_ms: when each was sent, to see whether late ones cluster
    void add(std::chrono::microseconds late) {
        std::lock_guard lock(mutex);
        lateness_ms.push_back(static_cast<double>(late.count()) / 1000.0);
        sent_at.push_back(clock::now());
    }
    clock::time_point last_sent() {
        std::lock_guard lock(mutex);
        return sent_at.empty() ? clock::time_point{} : sent_at.back();
    }
    std::size_t size() {
        std::lock_guard lock(mutex);
        return lateness_ms.size();
    }
};

template <class T>
T sync(net::io_context& ioc, awaitable<T> a) {
    return net::co_spawn(ioc, std::move(a), net::use_future).get();
}

// Schedules n reminders for owners of 6 each (a full recovery plan), due evenly over `span` from first_due_ms
// (Redis clock). One chat's messages go out one after another, so the number per owner sets how many chats a
// burst can send to side by side: 6 is what runners have.
// Each owner's plan is one script; 64 plans in flight keep the pipelined connection busy.
void schedule_all(net::io_context& ioc, reminder_store& store, std::size_t n, std::int64_t first_due_ms,
                  std::chrono::microseconds span, std::int64_t owner_base) {
    const std::size_t per_owner = 6, owners = (n + per_owner - 1) / per_owner;
    auto step_us = n > 1 ? span.count() / static_cast<std::int64_t>(n - 1) : 0;
    std::vector<std::future<void>> batch;
    std::int64_t now = sync(ioc, store.now_ms());
    for (std::size_t o = 0; o < owners; ++o) {
        auto owner = owner_base + static_cast<std::int64_t>(o);
        schedule_plan plan{owner, owner, "bench", {}};
        for (std::size_t j = 0; j < per_owner && j * owners + o < n; ++j) {
            auto i = static_cast<std::int64_t>(j * owners + o);
            auto due_ms = first_due_ms + i * step_us / 1000;
            plan.reminders.push_back({"k" + std::to_string(j), std::chrono::milliseconds(due_ms - now), "ping"});
        }
        // schedule() takes the plan by reference: the spawned coroutine must own it.
        auto owned = [](reminder_store& s, schedule_plan p) -> awaitable<void> { co_await s.schedule(p); };
        batch.push_back(net::co_spawn(ioc, owned(store, std::move(plan)), net::use_future));
        if (batch.size() == 64 || o + 1 == owners) {
            for (auto& f : batch) f.get();
            batch.clear();
            now = sync(ioc, store.now_ms());  // offsets count from the schedule call: keep them current
        }
    }
}

// Whether the late sends are a steady tail or a few stalls: how many were over `over_ms`, and in how many distinct
// 10 ms windows of send time they fell. A few windows holding many means the dispatcher (or the machine) stopped
// for a moment; as many windows as sends means every cycle is slow.
void print_late_clusters(const recorder& rec, double over_ms) {
    std::set<long> windows;
    std::size_t late = 0;
    for (std::size_t i = 0; i < rec.lateness_ms.size(); ++i) {
        if (rec.lateness_ms[i] <= over_ms) continue;
        ++late;
        windows.insert(
            std::chrono::duration_cast<std::chrono::milliseconds>(rec.sent_at[i].time_since_epoch()).count() / 10);
    }
    std::printf("spread: %zu sends later than %.0f ms, in %zu distinct 10 ms windows of send time\n", late, over_ms,
                windows.size());
    if (std::getenv("RB_BENCH_WINDOWS")) {
        long first = windows.empty() ? 0 : *windows.begin();
        for (long w : windows) std::printf(" %ld", (w - first) * 10);
        std::printf("\n");
    }
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Redis's own count of the commands run since the last CONFIG RESETSTAT (a script's calls inside it included),
// printed per message sent: where the dispatcher's round trips and Redis's work go.
void print_redis_calls(net::io_context& ioc, redis_connection& conn, const char* phase, std::size_t sent) {
    const std::string stats = sync(ioc, conn.command("INFO", "commandstats")).as_string();
    std::string line;
    std::size_t pos = 0;
    std::printf("%s: Redis commands per message sent:", phase);
    while (pos < stats.size()) {
        const std::size_t end = std::min(stats.find('\n', pos), stats.size());
        line = stats.substr(pos, end - pos);
        pos = end + 1;
        if (!line.starts_with("cmdstat_")) continue;
        const auto colon = line.find(':'), calls = line.find("calls=");
        if (colon == std::string::npos || calls == std::string::npos) continue;
        const double n = std::strtod(line.c_str() + calls + 6, nullptr);
        std::printf(" %s %.2f", line.substr(8, colon - 8).c_str(), sent ? n / static_cast<double>(sent) : 0.0);
    }
    std::printf("\n");
}

void wait_drained(recorder& rec, std::size_t n, std::chrono::seconds limit) {
    for (auto until = clock::now() + limit; rec.size() < n && clock::now() < until;) std::this_thread::sleep_for(5ms);
}

std::size_t arg(int argc, char** argv, int i, std::size_t fallback) {
    std::size_t v = fallback;
    if (argc > i) std::from_chars(argv[i], argv[i] + std::strlen(argv[i]), v);
    return v;
}

// The dispatcher with its own redis-server, fake Bot API (bodies not kept), stores and client, on two threads.
struct rig {
    explicit rig(rate_limits limits, dispatcher_options dopt) {
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { ioc.run(); });
        sync(ioc, conn.wait_connected(5s));
        client_options co;
        co.api_root = fake.root();
        co.token = "123:TEST";
        co.limits = limits;
        client = std::make_unique<telegram_client>(ioc.get_executor(), co);
        d = std::make_unique<dispatcher>(ioc.get_executor(), store, effects, *client, nullptr, dopt);
        running = net::co_spawn(ioc, d->run(), net::use_future);
        std::this_thread::sleep_for(200ms);
    }
    void stop() {
        if (stopped) return;
        stopped = true;
        d->stop();
        running.get();
    }
    ~rig() {
        stop();
        guard.reset();
        ioc.stop();
        for (auto& t : threads) t.join();
    }

    test::redis_server redis;
    test::fake_telegram fake{test::fake_options{false}};
    net::io_context ioc;
    net::executor_work_guard<net::io_context::executor_type> guard = net::make_work_guard(ioc);
    std::vector<std::thread> threads;
    redis_connection conn{ioc.get_executor(), parse_redis_url(redis.url())};
    redis_keys keys{"bench:"};
    reminder_store store{conn, keys};
    update_store updates{conn, keys};
    executor effects{updates, store};
    std::unique_ptr<telegram_client> client;
    std::unique_ptr<dispatcher> d;
    std::future<void> running;
    bool stopped = false;
};

int run_spread_and_burst(std::size_t spread_n, std::size_t burst_n) {
    recorder rec;
    dispatcher_options dopt;
    dopt.on_sent = [&](const reminder&, std::chrono::microseconds late) { rec.add(late); };
    rate_limits off;
    off.enabled = false;
    rig r(off, dopt);
    auto& store = r.store;
    auto& ioc = r.ioc;

    long rss_before = rss_kb();
    auto start_ms = sync(ioc, store.now_ms()) + 20'000;  // scheduling finishes well before the first is due
    auto sched_begin = clock::now();
    schedule_all(ioc, store, spread_n, start_ms, 10s, 1'000'000);
    double sched_s = std::chrono::duration<double>(clock::now() - sched_begin).count();
    long rss_after = rss_kb();
    std::printf("rss_kb before=%ld after_scheduling=%ld (%zu pending in Redis; scheduled in %.1f s)\n", rss_before,
                rss_after, spread_n, sched_s);
    sync(ioc, r.conn.command("CONFIG", "RESETSTAT"));
    wait_drained(rec, spread_n, 60s);
    print_redis_calls(ioc, r.conn, "spread", spread_n);
    {
        std::lock_guard lock(rec.mutex);
        const double p99 = percentile(rec.lateness_ms, 0.99);
        const double max =
            rec.lateness_ms.empty() ? 0.0 : *std::max_element(rec.lateness_ms.begin(), rec.lateness_ms.end());
        std::printf(
            "spread: n=%zu over 10 s  lateness p50=%.2f ms p99=%.2f ms max=%.2f ms  (target p99<10 max<50: %s)\n",
            rec.lateness_ms.size(), percentile(rec.lateness_ms, 0.5), p99, max,
            p99 < 10 && max < 50 ? "met" : "missed");
        print_late_clusters(rec, 10);
        rec.lateness_ms.clear();
        rec.sent_at.clear();
    }
    std::size_t sends_before = r.fake.count("sendMessage");
    auto burst_ms = sync(ioc, store.now_ms()) + 25'000;
    schedule_all(ioc, store, burst_n, burst_ms, 0us, 2'000'000);
    std::printf("rss_kb after_scheduling_burst=%ld (%zu pending)\n", rss_kb(), burst_n);
    auto redis_now = sync(ioc, store.now_ms());
    auto due_at = clock::now() + std::chrono::milliseconds(burst_ms - redis_now);
    sync(ioc, r.conn.command("CONFIG", "RESETSTAT"));
    wait_drained(rec, burst_n, 120s);
    double drain_s = std::chrono::duration<double>(rec.last_sent() - due_at).count();
    std::size_t sent = r.fake.count("sendMessage") - sends_before;
    const double burst_rate = static_cast<double>(sent) / drain_s;
    std::printf(
        "burst: n=%zu drained in %.2f s: %.0f sendMessage/s reached the fake API (target >= 15000: %s); "
        "lateness max=%.0f ms\n",
        sent, drain_s, burst_rate, burst_rate >= 15000 ? "met" : "missed", percentile(rec.lateness_ms, 1.0));
    print_redis_calls(ioc, r.conn, "burst", sent);
    return 0;
}

// Mornings: quiet hours end and `held` reminders (6 per runner, the "later" lane) fall due at one instant, with
// Telegram's real limits on (30 messages/s in all, 1/s per chat). Meanwhile runners keep reporting runs: every
// 500 ms one update commits a reply (outbox) and an eat-now ping. Replies and eat-now pings must not wait behind
// the backlog (lateness p99 under 5 s); every message sent is sent once, and sent + still pending = scheduled.
int run_mornings(std::size_t held, std::size_t seconds) {
    std::mutex mutex;
    std::vector<double> reply_ms, eat_ms;
    std::unordered_map<std::string, int> times_sent;
    std::size_t later_sent = 0;
    dispatcher_options dopt;
    dopt.on_sent = [&](const reminder& r, std::chrono::microseconds late) {
        std::lock_guard lock(mutex);
        ++times_sent[r.id];
        const double ms = static_cast<double>(late.count()) / 1000.0;
        if (is_reply_kind(r.kind))
            reply_ms.push_back(ms);
        else if (base_kind(r.kind) == "eat")
            eat_ms.push_back(ms);
        else
            ++later_sent;
    };
    rig r(rate_limits{}, dopt);  // Telegram's limits, as configured by default
    auto due_ms = sync(r.ioc, r.store.now_ms()) + 3'000;
    schedule_all(r.ioc, r.store, held, due_ms, 0us, 3'000'000);
    std::printf(
        "mornings: %zu reminders held until one instant; 30 messages/s in all, 1/s per chat; a run "
        "report every 500 ms for %zu s\n",
        held, seconds);
    while (sync(r.ioc, r.store.now_ms()) < due_ms) std::this_thread::sleep_for(50ms);
    const auto until = clock::now() + std::chrono::seconds(seconds);
    std::int64_t runner = 5'000'000, update_id = 1;
    for (auto next = clock::now(); next < until; next += 500ms) {
        std::this_thread::sleep_until(next);
        const auto reply = outbox_entry_of(send_message{runner, "Great run! Your plan:", {}, std::nullopt});
        std::vector<action> plan{schedule_plan{runner, runner, "run", {{"eat", 0ms, "eat now"}}}};
        const auto done = sync(r.ioc, r.updates.commit(update_id++, runner, plan, {*reply}));
        if (done.earliest_due_ms) r.d->notify(*done.earliest_due_ms);  // as the app does after every commit
        ++runner;
    }
    std::this_thread::sleep_for(6s);  // the last report's reply and eat-now ping
    r.stop();                         // nothing in flight while counting (a stop hands back what it claimed)
    std::size_t pending = 0;
    for (int lane = 0; lane < 3; ++lane) pending += sync(r.ioc, r.conn.call({"ZCARD", r.keys.due(lane)})).as_integer();
    pending += sync(r.ioc, r.conn.call({"ZCARD", r.keys.lease()})).as_integer();
    std::lock_guard lock(mutex);
    std::size_t twice = 0;
    for (const auto& [id, n] : times_sent) twice += n > 1 ? 1 : 0;
    const std::size_t reports = static_cast<std::size_t>(update_id - 1);
    const double reply_p99 = percentile(reply_ms, 0.99), eat_p99 = percentile(eat_ms, 0.99);
    std::printf("mornings: replies %zu of %zu sent, lateness p50=%.0f ms p99=%.0f ms max=%.0f ms\n", reply_ms.size(),
                reports, percentile(reply_ms, 0.5), reply_p99, percentile(reply_ms, 1.0));
    std::printf("mornings: eat-now %zu of %zu sent, lateness p50=%.0f ms p99=%.0f ms max=%.0f ms\n", eat_ms.size(),
                reports, percentile(eat_ms, 0.5), eat_p99, percentile(eat_ms, 1.0));
    const std::size_t scheduled = held + 2 * reports, sent = later_sent + reply_ms.size() + eat_ms.size();
    std::printf(
        "mornings: backlog %zu sent (%.1f/s), still pending %zu; sent + pending = %zu of %zu scheduled; "
        "sent twice: %zu\n",
        later_sent, static_cast<double>(later_sent) / static_cast<double>(seconds + 6), pending, sent + pending,
        scheduled, twice);
    const bool fast = reply_ms.size() == reports && eat_ms.size() == reports && reply_p99 < 5000 && eat_p99 < 5000;
    std::printf("mornings: target replies and eat-now p99 < 5 s, nothing lost or doubled: %s\n",
                fast && twice == 0 && sent + pending == scheduled ? "met" : "missed");
    return 0;
}

int run(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows up when piped
    if (argc > 1 && std::string_view(argv[1]) == "mornings")
        return run_mornings(arg(argc, argv, 2, 100'000), arg(argc, argv, 3, 60));
    return run_spread_and_burst(arg(argc, argv, 1, 50'000), arg(argc, argv, 2, 100'000));
}

}  // namespace
}  // namespace rb

int main(int argc, char** argv) { return rb::run(argc, argv); }
