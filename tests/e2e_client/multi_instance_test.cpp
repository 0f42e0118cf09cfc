// Several real recovery-bot processes against one redis-server and the fake Bot API (issue 4, "Several
// instances" and "killed with SIGKILL in the middle of dispatching and restarted"). The test schedules the
// reminders itself through reminder_store (as the bot's handlers would), each with a unique text "r-<n>", and
// identifies every delivery by that text in the fake's recorded sendMessage bodies. Each instance gets its own
// BOT_TOKEN so deliveries can be counted per instance.
//
// The tests with a SIGKILL wait for the dead instance's lease (LEASE_MS, 30 s by default, kept at the default
// here on purpose: it is what operators run) to expire before its claims are sent again: about 35-45 s each.
#include <gtest/gtest.h>

#include <csignal>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bot/telegram/dispatcher.hpp"
#include "storage/redis_connection.hpp"
#include "storage/redis_url.hpp"
#include "storage/reminder_store.hpp"
#include "tests/e2e/bot_process.hpp"
#include "tests/e2e_client/test_io.hpp"
#include "tests/fake_telegram/fake_telegram.hpp"
#include "tests/support/redis_server.hpp"

namespace rb {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

constexpr const char* prefix = "mi:";
constexpr int per_plan = 10;  // reminders per owner (one chat per owner)

std::string token_of(int instance) {
    return std::to_string(700000 + instance) + ":INSTANCE" + std::to_string(instance);
}

double seconds_since(clock::time_point t0) { return std::chrono::duration<double>(clock::now() - t0).count(); }

// A short-lived connection of the test's own to the shared Redis.
struct store_client {
    explicit store_client(const std::string& url)
        : conn(io.executor(), parse_redis_url(url)), store(conn, redis_keys(prefix)) {
        if (!io.sync(conn.wait_connected(5s))) throw std::runtime_error("test could not connect to redis " + url);
    }
    test::io_thread io;
    redis_connection conn;
    reminder_store store;
};

// n reminders "r-0" .. "r-<n-1>", per_plan per owner, due 1-3 s after they are stored (Redis clock).
void schedule_reminders(const std::string& url, int n) {
    store_client c(url);
    std::vector<schedule_plan> plans;
    for (int first = 0; first < n; first += per_plan) {
        const std::int64_t owner = 9'000'000 + first / per_plan;
        schedule_plan p{owner, owner, "run", {}};
        for (int i = first; i < std::min(n, first + per_plan); ++i) {
            p.reminders.push_back(planned_reminder{"k" + std::to_string(i - first),
                                                   std::chrono::milliseconds(1000 + (i * 7919) % 2000),
                                                   "r-" + std::to_string(i)});
        }
        plans.push_back(std::move(p));
    }
    constexpr std::size_t window = 200;  // plans in flight at once; `plans` outlives every call (held by ref)
    for (std::size_t at = 0; at < plans.size(); at += window) {
        std::vector<std::future<void>> pending;
        for (std::size_t i = at; i < std::min(plans.size(), at + window); ++i)
            pending.push_back(c.io.spawn(c.store.schedule(plans[i])));
        for (auto& f : pending) {
            if (f.wait_for(30s) != std::future_status::ready) throw std::runtime_error("schedule did not finish");
            f.get();
        }
    }
}

// True when nothing is pending in Redis any more (every reminder acked), waiting up to `limit`.
bool redis_drained(const std::string& url, std::chrono::milliseconds limit) {
    store_client c(url);
    for (auto until = clock::now() + limit;; std::this_thread::sleep_for(100ms)) {
        if (!c.io.sync(c.store.next_due_ms()).has_value()) return true;
        if (clock::now() >= until) return false;
    }
}

struct delivery_report {
    std::map<std::string, int> per_text;   // "r-<n>" -> times delivered
    std::map<std::string, int> per_token;  // instance token -> sendMessage calls
    std::size_t total = 0;
    std::size_t duplicates = 0;  // deliveries beyond the first of a text
    std::vector<std::string> missing;

    std::string summary() const {
        std::ostringstream out;
        out << "sendMessage total=" << total << " distinct=" << per_text.size() << " duplicates=" << duplicates
            << " missing=" << missing.size();
        for (const auto& [token, count] : per_token) out << " [" << token.substr(0, token.find(':')) << "]=" << count;
        if (!missing.empty()) {
            out << " first missing:";
            for (std::size_t i = 0; i < missing.size() && i < 10; ++i) out << ' ' << missing[i];
        }
        return out.str();
    }
};

delivery_report collect(const test::fake_telegram& fake, int n) {
    delivery_report r;
    for (const auto& call : fake.calls("sendMessage")) {
        ++r.total;
        ++r.per_token[call.token];
        if (call.answered != 200) continue;
        const auto text = call.body.is_object() ? call.body.value("text", std::string()) : std::string();
        if (++r.per_text[text] > 1) ++r.duplicates;
    }
    for (int i = 0; i < n; ++i)
        if (!r.per_text.count("r-" + std::to_string(i))) r.missing.push_back("r-" + std::to_string(i));
    return r;
}

// Waits until every one of the n texts was delivered at least once, or the limit passes.
delivery_report wait_all_delivered(const test::fake_telegram& fake, int n, std::chrono::milliseconds limit) {
    const auto until = clock::now() + limit;
    for (;;) {
        if (fake.count("sendMessage") >= static_cast<std::size_t>(n)) {
            auto r = collect(fake, n);
            if (r.missing.empty() || clock::now() >= until) return r;
        } else if (clock::now() >= until) {
            return collect(fake, n);
        }
        std::this_thread::sleep_for(100ms);
    }
}

std::string log_tail(const test::bot_process& bot, std::size_t chars = 3000) {
    const std::string log = bot.log();
    return log.size() > chars ? "..." + log.substr(log.size() - chars) : log;
}

class MultiInstance : public ::testing::Test {
protected:
    std::unique_ptr<test::bot_process> start_bot(int instance, bool rate_limited) {
        std::map<std::string, std::string> env{
            {"BOT_TOKEN", token_of(instance)},
            {"MODE", "polling"},
            {"REDIS_URL", redis->url()},
            {"REDIS_PREFIX", prefix},
            {"TELEGRAM_API_ROOT", fake.root()},
            {"LOG_LEVEL", "info"},
            {"THREADS", "2"},
        };
        if (rate_limited) {
            // Spreads the run over a few seconds so a SIGKILL lands in the middle of it.
            env["RATE_LIMIT"] = "on";
            env["RATE_GLOBAL"] = std::to_string(rate_global);
            env["RATE_PER_CHAT"] = "1000";
        } else {
            env["RATE_LIMIT"] = "off";
        }
        auto bot = std::make_unique<test::bot_process>(std::move(env));
        EXPECT_TRUE(bot->wait_log("dispatcher_started", 20s))
            << "instance " << instance << " did not start its dispatcher; log:\n"
            << log_tail(*bot);
        return bot;
    }
    void start_redis(bool appendonly) {
        test::redis_server_options o;
        o.appendonly = appendonly;
        redis = std::make_unique<test::redis_server>(o);
    }

    int rate_global = 1000;
    test::fake_telegram fake;
    std::unique_ptr<test::redis_server> redis;
    std::vector<std::unique_ptr<test::bot_process>> bots;  // declared last: killed before redis and the fake go
};

TEST_F(MultiInstance, ThreeInstancesDeliverEveryReminderExactlyOnce) {
    constexpr int n = 10'000;
    start_redis(false);
    for (int i = 0; i < 3; ++i) bots.push_back(start_bot(i, false));
    ASSERT_FALSE(HasFailure());

    const auto t0 = clock::now();
    schedule_reminders(redis->url(), n);
    std::cout << "[ multi     ] scheduled " << n << " reminders in " << seconds_since(t0) << " s\n";

    auto report = wait_all_delivered(fake, n, 60s);
    const double delivered_s = seconds_since(t0);
    ASSERT_TRUE(report.missing.empty()) << report.summary() << "\ninstance 0 log:\n" << log_tail(*bots[0]);
    // Let every dispatcher poll at least once more (poll cap 1 s): a late second send would show up now.
    EXPECT_TRUE(redis_drained(redis->url(), 10s)) << "reminders still pending in Redis after delivery";
    std::this_thread::sleep_for(1500ms);
    report = collect(fake, n);
    std::cout << "[ multi     ] all delivered " << delivered_s << " s after scheduling; " << report.summary() << "\n";

    EXPECT_EQ(report.per_text.size(), static_cast<std::size_t>(n)) << report.summary();
    EXPECT_EQ(report.duplicates, 0u) << report.summary();
    EXPECT_EQ(report.total, static_cast<std::size_t>(n)) << report.summary();
    for (const auto& [text, times] : report.per_text) {
        if (times != 1) {
            ADD_FAILURE() << text << " delivered " << times << " times";
            break;
        }
    }
    // Every instance took part (not a correctness requirement, but a run where one did all the work
    // would not have tested the claim race).
    EXPECT_EQ(report.per_token.size(), 3u) << report.summary();
}

TEST_F(MultiInstance, OneInstanceKilledMidRunStillDeliversEveryReminderAtLeastOnce) {
    constexpr int n = 10'000;
    rate_global = 1000;  // per instance: ~3.3 s for all three, so a third arrives around 1 s into the run
    start_redis(false);
    for (int i = 0; i < 3; ++i) bots.push_back(start_bot(i, true));
    ASSERT_FALSE(HasFailure());

    const auto t0 = clock::now();
    schedule_reminders(redis->url(), n);
    ASSERT_TRUE(fake.wait_for("sendMessage", n / 3, 30s)) << "only " << fake.count("sendMessage") << " arrived";
    const std::size_t before_kill = fake.count("sendMessage");
    bots[0]->signal(SIGKILL);
    ASSERT_EQ(bots[0]->wait_exit(10s), 128 + SIGKILL);
    const std::size_t killed_sent = collect(fake, 0).per_token[token_of(0)];
    std::cout << "[ multi     ] killed instance 0 at " << seconds_since(t0) << " s, " << before_kill
              << " delivered so far, " << killed_sent << " of them by instance 0\n";

    // The dead instance's claims come back when their 30 s lease expires.
    auto report = wait_all_delivered(fake, n, 75s);
    const double delivered_s = seconds_since(t0);
    ASSERT_TRUE(report.missing.empty()) << report.summary() << "\ninstance 1 log:\n" << log_tail(*bots[1]);
    EXPECT_TRUE(redis_drained(redis->url(), 10s)) << "reminders still pending in Redis after delivery";
    std::this_thread::sleep_for(1500ms);
    report = collect(fake, n);
    std::cout << "[ multi     ] all delivered " << delivered_s << " s after scheduling; " << report.summary() << "\n";

    // A duplicate is a reminder the killed instance had sent but not yet acked: one of its sends in flight
    // (dispatcher_options::max_in_flight = 64). Its claimed-but-unsent reminders (up to batch_size 256 more)
    // are sent late, once, by a survivor.
    const dispatcher_options defaults;
    EXPECT_LE(report.duplicates, defaults.max_in_flight) << report.summary();
    EXPECT_EQ(report.total, static_cast<std::size_t>(n) + report.duplicates) << report.summary();
    std::cout << "[ multi     ] duplicates after SIGKILL: " << report.duplicates << " (bound " << defaults.max_in_flight
              << " sends in flight; " << defaults.batch_size + defaults.max_in_flight << " reminders leased)\n";
}

TEST_F(MultiInstance, KilledWithSigkillMidDispatchAndRestartedDeliversEverything) {
    constexpr int n = 3'000;
    rate_global = 500;  // ~6 s for the run alone
    start_redis(true);
    bots.push_back(start_bot(0, true));
    ASSERT_FALSE(HasFailure());

    const auto t0 = clock::now();
    schedule_reminders(redis->url(), n);
    ASSERT_TRUE(fake.wait_for("sendMessage", n / 3, 30s)) << "only " << fake.count("sendMessage") << " arrived";
    bots[0]->signal(SIGKILL);
    ASSERT_EQ(bots[0]->wait_exit(10s), 128 + SIGKILL);
    const std::size_t before_restart = fake.count("sendMessage");
    // Redis goes down hard too and comes back from its append-only file: leases and due reminders survive.
    redis->kill();
    redis->start();
    std::cout << "[ multi     ] killed the bot (and redis) at " << seconds_since(t0) << " s with " << before_restart
              << " of " << n << " delivered; restarting\n";
    bots.push_back(start_bot(1, true));
    ASSERT_FALSE(HasFailure());

    auto report = wait_all_delivered(fake, n, 75s);
    const double delivered_s = seconds_since(t0);
    ASSERT_TRUE(report.missing.empty()) << report.summary() << "\nrestarted log:\n" << log_tail(*bots[1]);
    EXPECT_TRUE(redis_drained(redis->url(), 10s)) << "reminders still pending in Redis after delivery";
    report = collect(fake, n);
    std::cout << "[ multi     ] all delivered " << delivered_s << " s after scheduling; " << report.summary() << "\n";
    const dispatcher_options defaults;
    EXPECT_LE(report.duplicates, defaults.max_in_flight) << report.summary();
    EXPECT_EQ(report.total, static_cast<std::size_t>(n) + report.duplicates) << report.summary();
}

}  // namespace
}  // namespace rb
