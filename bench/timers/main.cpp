// bench_timers: how fast reminder_store schedules whole plans and claims+acks due reminders, in reminders per
// second, with a fixed number of operations in flight. run.sh measures the redis-benchmark ZADD baseline in the
// same run and passes it in with --baseline, so the ratios printed here compare like with like.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "storage/reminder_store.hpp"

namespace rb {
namespace {

using steady = std::chrono::steady_clock;

struct bench_config {
    std::string url = "redis://127.0.0.1:6379/0";
    int concurrency = 16;  // schedulers and claimers running at once (redis-benchmark: -P 16)
    int plans = 20000;     // plans scheduled in the schedule phase
    int plan_size = 6;     // reminders per plan: eat, hydrate, roll, ice, morning roll, epsom
    int claim_batch = 64;  // limit per claim_due
    double baseline = 0;   // redis-benchmark ZADD ops/s, from run.sh; 0: no ratios
};

int parse_int_arg(const char* s) {
    int v = 0;
    auto [end, ec] = std::from_chars(s, s + std::strlen(s), v);
    if (ec != std::errc{} || *end != '\0' || v <= 0) throw std::invalid_argument(std::string("bad number: ") + s);
    return v;
}

bench_config parse_args(int argc, char** argv) {
    bench_config c;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        const char* v = argv[i + 1];
        if (k == "--url")
            c.url = v;
        else if (k == "--concurrency")
            c.concurrency = parse_int_arg(v);
        else if (k == "--plans")
            c.plans = parse_int_arg(v);
        else if (k == "--plan-size")
            c.plan_size = parse_int_arg(v);
        else if (k == "--claim-batch")
            c.claim_batch = parse_int_arg(v);
        else if (k == "--baseline")
            c.baseline = std::stod(v);
        else
            throw std::invalid_argument("unknown option " + k);
    }
    return c;
}

schedule_plan make_plan(int owner, int size) {
    static const char* kinds[] = {"eat", "hydrate", "roll", "ice", "morning_roll", "epsom", "stretch", "sleep"};
    schedule_plan p{owner, owner, "run-" + std::to_string(owner), {}};
    for (int k = 0; k < size; ++k) {
        std::string kind = k < 8 ? kinds[k] : "extra" + std::to_string(k);
        // offset 0: every reminder is due at once, so the claim phase has the whole set to work on
        p.reminders.push_back({kind, std::chrono::milliseconds(0),
                               "Time for " + kind + ": a 3:1 carb to protein snack, water, 10 minutes of rolling."});
    }
    return p;
}

// Worker w schedules plans w, w + concurrency, ...: `concurrency` schedules in flight at any time.
awaitable<void> schedule_worker(reminder_store& store, bench_config c, int w) {
    for (int owner = w; owner < c.plans; owner += c.concurrency) co_await store.schedule(make_plan(owner, c.plan_size));
}

// Acks a claimed batch pipelined, as a dispatcher acks each of a batch it sends concurrently. One io thread
// runs everything, so the counter and timer need no lock.
awaitable<void> ack_all(reminder_store& store, const std::vector<reminder>& batch) {
    auto ex = co_await net::this_coro::executor;
    std::size_t left = batch.size();
    std::exception_ptr failed;
    net::steady_timer all_done(ex, net::steady_timer::time_point::max());
    for (const auto& r : batch)
        net::co_spawn(ex, store.ack(r), [&](std::exception_ptr e, bool) {
            if (e) failed = e;
            if (--left == 0) all_done.cancel();
        });
    co_await all_done.async_wait(as_tuple_awaitable);
    if (failed) std::rethrow_exception(failed);
}

// Claims a batch, then acks it; stops when nothing is due.
awaitable<void> claim_worker(reminder_store& store, bench_config c, std::atomic<long>& done) {
    for (;;) {
        auto batch = co_await store.claim_due(static_cast<std::size_t>(c.claim_batch), std::chrono::seconds(60));
        if (batch.empty()) co_return;
        co_await ack_all(store, batch);
        done += static_cast<long>(batch.size());
    }
}

template <typename MakeWorker>
double timed(net::io_context& io, int workers, MakeWorker make) {
    std::vector<std::future<void>> futures;
    auto start = steady::now();
    for (int w = 0; w < workers; ++w) futures.push_back(net::co_spawn(io, make(w), net::use_future));
    for (auto& f : futures) f.get();
    return std::chrono::duration<double>(steady::now() - start).count();
}

void report(const char* what, double per_s, double baseline) {
    std::printf("%-28s %12.0f reminders/s", what, per_s);
    if (baseline > 0)
        std::printf("   %5.1f%% of ZADD baseline (target >= 25%%: %s)", 100.0 * per_s / baseline,
                    per_s / baseline >= 0.25 ? "met" : "missed");
    std::printf("\n");
}

int run(const bench_config& c) {
    net::io_context io;
    auto guard = net::make_work_guard(io);
    std::thread runner([&] { io.run(); });
    redis_connection redis(io.get_executor(), parse_redis_url(c.url));
    auto up = net::co_spawn(io, redis.wait_connected(std::chrono::seconds(5)), net::use_future).get();
    if (!up) throw std::runtime_error("cannot connect: " + redis.last_error());
    reminder_store store(redis, redis_keys("bench:"));

    double s_secs = timed(io, c.concurrency, [&](int w) { return schedule_worker(store, c, w); });
    long total = static_cast<long>(c.plans) * c.plan_size;
    std::atomic<long> claimed{0};
    double c_secs = timed(io, c.concurrency, [&](int) { return claim_worker(store, c, claimed); });

    if (c.baseline > 0)
        std::printf("%-28s %12.0f ops/s (redis-benchmark -P 16 -t zadd)\n", "baseline ZADD", c.baseline);
    std::printf("%-28s %12.0f plans/s of %d reminders\n", "schedule", c.plans / s_secs, c.plan_size);
    report("schedule", static_cast<double>(total) / s_secs, c.baseline);
    report("claim+ack", static_cast<double>(claimed) / c_secs, c.baseline);
    std::printf("%-28s %12ld of %ld claimed and acked; %d schedulers, %d claimers, claim batch %d acked pipelined\n",
                "check", claimed.load(), total, c.concurrency, c.concurrency, c.claim_batch);
    redis.stop();
    guard.reset();
    io.stop();
    runner.join();
    return claimed == total ? 0 : 1;
}

}  // namespace
}  // namespace rb

int main(int argc, char** argv) {
    try {
        return rb::run(rb::parse_args(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_timers: %s\n", e.what());
        return 2;
    }
}
