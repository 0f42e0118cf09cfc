// bench/metrics: what one metric update and one /metrics render cost with the bot's own registry and with
// prometheus-cpp, measured in the same run against a bare relaxed atomic increment (the baseline). Two ways of
// reaching a series are measured for each library: looked up by name and labels at every update (what the bot
// did before metric_slots), and resolved once (what it does now, and what prometheus-cpp's docs recommend).
// usage: metrics-bench [MILLIONS_OF_UPDATES]   (default 5; each case runs on two threads at once, as the bot does)
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bot/process/metrics.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

// Runs `op` n times on each of two threads at once; nanoseconds per operation per thread.
double per_op(std::size_t n, const std::function<void(std::size_t)>& op) {
    std::atomic<int> ready{0};
    auto body = [&] {
        ++ready;
        while (ready < 2) {
        }
        for (std::size_t i = 0; i < n; ++i) op(i);
    };
    const auto start = clock_type::now();
    std::thread a(body), b(body);
    a.join();
    b.join();
    return std::chrono::duration<double, std::nano>(clock_type::now() - start).count() / static_cast<double>(n);
}

const char* const statuses[] = {"200", "200", "200", "200", "200", "200", "200", "503", "400", "401"};

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = static_cast<std::size_t>((argc > 1 ? std::atof(argv[1]) : 5.0) * 1e6);
    std::printf("bench/metrics: %zu updates on each of 2 threads per case; ns per update (lower is better)\n", n);

    std::atomic<std::uint64_t> bare{0};
    const double base = per_op(n, [&](std::size_t) { bare.fetch_add(1, std::memory_order_relaxed); });

    rb::metrics_registry ours;
    const double ours_lookup = per_op(n, [&](std::size_t i) {
        ours.counter_for("rb_http_requests_total", "HTTP requests",
                         {{"route", "webhook"}, {"status", statuses[i % 10]}})
            .inc();
    });
    rb::metric_slots<rb::counter, 600> slots;
    const double ours_once = per_op(n, [&](std::size_t i) {
        const char* s = statuses[i % 10];
        slots
            .at(static_cast<std::size_t>(std::atoi(s)),
                [&]() -> rb::counter& {
                    return ours.counter_for("rb_http_requests_total", "HTTP requests",
                                            {{"route", "webhook"}, {"status", s}});
                })
            .inc();
    });
    auto& our_hist = ours.histogram_for("rb_update_handling_seconds", "Handling time");
    const double ours_observe = per_op(n, [&](std::size_t i) { our_hist.observe(1e-4 * static_cast<double>(i % 50)); });

    prometheus::Registry theirs;
    auto& family = prometheus::BuildCounter().Name("rb_http_requests_total").Help("HTTP requests").Register(theirs);
    const double theirs_lookup = per_op(n, [&](std::size_t i) {
        family.Add({{"route", "webhook"}, {"status", statuses[i % 10]}}).Increment();
    });
    prometheus::Counter* resolved[600] = {};
    for (const char* s : statuses) resolved[std::atoi(s)] = &family.Add({{"route", "webhook"}, {"status", s}});
    const double theirs_once = per_op(n, [&](std::size_t i) { resolved[std::atoi(statuses[i % 10])]->Increment(); });
    auto& hist_family =
        prometheus::BuildHistogram().Name("rb_update_handling_seconds").Help("Handling time").Register(theirs);
    std::vector<double> bounds;
    for (double b : rb::latency_buckets()) bounds.push_back(b);
    auto& their_hist = hist_family.Add({}, bounds);
    const double theirs_observe =
        per_op(n, [&](std::size_t i) { their_hist.Observe(1e-4 * static_cast<double>(i % 50)); });

    // /metrics: about the bot's own number of series (some 60), rendered 2,000 times.
    for (int k = 0; k < 50; ++k) {
        const std::string kind = "kind" + std::to_string(k);
        ours.counter_for("rb_updates_total", "Updates by kind", {{"kind", kind}}).inc();
        prometheus::BuildCounter()
            .Name("rb_updates_total")
            .Help("Updates by kind")
            .Register(theirs)
            .Add({{"kind", kind}})
            .Increment();
    }
    std::size_t bytes = 0;
    auto t0 = clock_type::now();
    for (int k = 0; k < 2000; ++k) bytes += ours.render().size();
    const double ours_render = std::chrono::duration<double, std::micro>(clock_type::now() - t0).count() / 2000;
    prometheus::TextSerializer serializer;
    t0 = clock_type::now();
    for (int k = 0; k < 2000; ++k) bytes += serializer.Serialize(theirs.Collect()).size();
    const double theirs_render = std::chrono::duration<double, std::micro>(clock_type::now() - t0).count() / 2000;

    auto row = [&](const char* what, double ours_ns, double theirs_ns) {
        std::printf("%-38s ours %8.1f ns (%6.1fx bare)   prometheus-cpp %8.1f ns (%6.1fx bare)\n", what, ours_ns,
                    ours_ns / base, theirs_ns, theirs_ns / base);
    };
    std::printf("baseline: relaxed atomic increment %.1f ns\n", base);
    row("count, looked up by labels each time", ours_lookup, theirs_lookup);
    row("count, series resolved once", ours_once, theirs_once);
    row("observe a latency (histogram)", ours_observe, theirs_observe);
    std::printf("%-38s ours %8.1f us   prometheus-cpp %8.1f us   (%zu bytes rendered in all)\n",
                "render /metrics (~60 series)", ours_render, theirs_render, bytes);
    return 0;
}
