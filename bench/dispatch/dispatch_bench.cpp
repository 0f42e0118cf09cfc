// Dispatcher benchmark (not a test): spread (50,000 reminders due evenly over 10 s: lateness p50/p99/max) and
// burst (100,000 due at one moment: sendMessage/s until drained), limiter off, the fake API answering at once,
// plus this process's RSS before and after scheduling (pending reminders live in Redis, not here).
// Usage: dispatch-bench [spread_count] [burst_count]
#include <algorithm>
#include <charconv>
#include <cstring>
#include <future>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "bot/telegram/dispatcher.hpp"
#include "storage/reminder_store.hpp"
#include "storage/update_store.hpp"
#include "bot/effects/executor.hpp"
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
    clock::time_point last_sent{};
    void add(std::chrono::microseconds late) {
        std::lock_guard lock(mutex);
        lateness_ms.push_back(static_cast<double>(late.count()) / 1000.0);
        last_sent = clock::now();
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

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

void wait_drained(recorder& rec, std::size_t n, std::chrono::seconds limit) {
    for (auto until = clock::now() + limit; rec.size() < n && clock::now() < until;) std::this_thread::sleep_for(5ms);
}

std::size_t arg(int argc, char** argv, int i, std::size_t fallback) {
    std::size_t v = fallback;
    if (argc > i) std::from_chars(argv[i], argv[i] + std::strlen(argv[i]), v);
    return v;
}

int run(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows up when piped
    const std::size_t spread_n = arg(argc, argv, 1, 50'000), burst_n = arg(argc, argv, 2, 100'000);
    test::redis_server redis;
    test::fake_telegram fake(test::fake_options{false});
    net::io_context ioc;
    auto guard = net::make_work_guard(ioc);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) threads.emplace_back([&] { ioc.run(); });
    redis_connection conn(ioc.get_executor(), parse_redis_url(redis.url()));
    sync(ioc, conn.wait_connected(5s));
    const redis_keys keys("bench:");
    reminder_store store(conn, keys);
    update_store updates(conn, keys);
    executor effects(updates, store);
    client_options co;
    co.api_root = fake.root();
    co.token = "123:TEST";
    co.limits.enabled = false;
    telegram_client client(ioc.get_executor(), co);
    recorder rec;
    dispatcher_options dopt;
    dopt.on_sent = [&](const reminder&, std::chrono::microseconds late) { rec.add(late); };
    dispatcher d(ioc.get_executor(), store, effects, client, nullptr, dopt);
    auto running = net::co_spawn(ioc, d.run(), net::use_future);
    std::this_thread::sleep_for(200ms);

    long rss_before = rss_kb();
    auto start_ms = sync(ioc, store.now_ms()) + 20'000;  // scheduling finishes well before the first is due
    auto sched_begin = clock::now();
    schedule_all(ioc, store, spread_n, start_ms, 10s, 1'000'000);
    double sched_s = std::chrono::duration<double>(clock::now() - sched_begin).count();
    long rss_after = rss_kb();
    std::printf("rss_kb before=%ld after_scheduling=%ld (%zu pending in Redis; scheduled in %.1f s)\n", rss_before,
                rss_after, spread_n, sched_s);
    wait_drained(rec, spread_n, 60s);
    {
        std::lock_guard lock(rec.mutex);
        const double p99 = percentile(rec.lateness_ms, 0.99);
        const double max =
            rec.lateness_ms.empty() ? 0.0 : *std::max_element(rec.lateness_ms.begin(), rec.lateness_ms.end());
        std::printf("spread: n=%zu over 10 s  lateness p50=%.2f ms p99=%.2f ms max=%.2f ms  (target p99<10 max<50: %s)\n",
                    rec.lateness_ms.size(), percentile(rec.lateness_ms, 0.5), p99, max,
                    p99 < 10 && max < 50 ? "met" : "missed");
        rec.lateness_ms.clear();
    }
    std::size_t sends_before = fake.count("sendMessage");
    auto burst_ms = sync(ioc, store.now_ms()) + 25'000;
    schedule_all(ioc, store, burst_n, burst_ms, 0us, 2'000'000);
    std::printf("rss_kb after_scheduling_burst=%ld (%zu pending)\n", rss_kb(), burst_n);
    auto redis_now = sync(ioc, store.now_ms());
    auto due_at = clock::now() + std::chrono::milliseconds(burst_ms - redis_now);
    wait_drained(rec, burst_n, 120s);
    double drain_s = std::chrono::duration<double>(rec.last_sent - due_at).count();
    std::size_t sent = fake.count("sendMessage") - sends_before;
    const double burst_rate = static_cast<double>(sent) / drain_s;
    std::printf("burst: n=%zu drained in %.2f s: %.0f sendMessage/s reached the fake API (target >= 15000: %s); "
                "lateness max=%.0f ms\n",
                sent, drain_s, burst_rate, burst_rate >= 15000 ? "met" : "missed", percentile(rec.lateness_ms, 1.0));
    d.stop();
    running.get();
    guard.reset();
    ioc.stop();
    for (auto& t : threads) t.join();
    return 0;
}

}  // namespace
}  // namespace rb

int main(int argc, char** argv) { return rb::run(argc, argv); }
