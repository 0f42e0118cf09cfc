// Redis fails over under load (issue 13): a primary, a replica and three sentinels (real processes), two bot
// instances that find the primary through the sentinels with REDIS_REPLICA_ACKS=1, runners' updates arriving at both
// and reminders falling due, and the primary killed mid-stream (SIGKILL). Its supervisor brings it back a moment
// later, and the sentinels make it a replica of the new primary. Every update answered 200 is handled (its reply
// arrives), every reminder is delivered, duplicates are counted and printed; both bots log the failover and
// /healthz names the primary the sentinels settle on.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "bot_fixture.hpp"
#include "tests/support/sentinel_cluster.hpp"

namespace rb::test {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

bool wait_until(std::chrono::milliseconds limit, const std::function<bool()>& ok) {
    for (auto until = clock::now() + limit; clock::now() < until; std::this_thread::sleep_for(50ms))
        if (ok()) return true;
    return ok();
}

class Failover : public bot_fixture {
protected:
    std::map<std::string, std::string> sentinel_env() const {
        auto env = webhook_env(false);
        env.erase("REDIS_URL");
        env["REDIS_SENTINELS"] = cluster_.sentinel_list();
        env["REDIS_MASTER_NAME"] = sentinel_cluster::master_name;
        env["REDIS_REPLICA_ACKS"] = "1";
        env["REDIS_TIMEOUT_MS"] = "3000";
        env["TIME_SCALE"] = "600";  // the plan's 45 minutes pass in 4.5 s
        env["LEASE_MS"] = "3000";   // a claim lost with the old primary is taken again soon
        env["RATE_GLOBAL"] = "300";
        env["LOG_LEVEL"] = "info";
        return env;
    }

    // Posts like Telegram: again until a 200 (Telegram re-sends what got an error or no answer).
    static bool post_until_ok(std::uint16_t port, const std::string& body, std::atomic<int>& refused) {
        for (auto until = clock::now() + 60s; clock::now() < until;) {
            http_client c(port, {}, 5s);
            auto reply = c.request("POST", "/telegram", body, {{"X-Telegram-Bot-Api-Secret-Token", test_secret}});
            if (reply && reply->status == 200) return true;
            ++refused;
            std::this_thread::sleep_for(100ms);
        }
        return false;
    }

    std::string address(const redis_server& s) const { return cluster_.address(s); }

    sentinel_cluster cluster_;
    std::unique_ptr<redis_server>& primary_ = cluster_.primary;
    std::unique_ptr<redis_server>& replica_ = cluster_.replica;
    std::vector<std::unique_ptr<redis_sentinel>>& sentinels_ = cluster_.sentinels;
};

// What one chat received: run replies (the plan) and deliveries per reminder id (from its Done button).
struct received {
    int plan_replies = 0;
    std::map<std::string, int> reminders;
};

std::map<std::int64_t, received> received_per_chat(const fake_telegram& api) {
    std::map<std::int64_t, received> out;
    for (const auto& c : api.calls("sendMessage")) {
        if (c.answered != 200 || !c.chat_id) continue;
        auto& r = out[*c.chat_id];
        const std::string text = c.body.value("text", "");
        if (text.find("recovery plan") != std::string::npos) ++r.plan_replies;
        if (c.body.contains("reply_markup")) {
            const auto& keyboard = c.body["reply_markup"]["inline_keyboard"];
            for (const auto& row : keyboard)
                for (const auto& button : row) {
                    const std::string data = button.value("callback_data", "");
                    if (data.starts_with("r:done:")) ++r.reminders[data.substr(7)];
                }
        }
    }
    return out;
}

TEST_F(Failover, APrimaryKilledMidStreamLosesNoAnsweredUpdateAndNoReminder) {
    bot_process a(sentinel_env()), b(sentinel_env());
    const std::uint16_t ports[2] = {a.wait_listening(), b.wait_listening()};
    ASSERT_NE(ports[0], 0) << a.log();
    ASSERT_NE(ports[1], 0) << b.log();

    constexpr int chats = 40;
    const std::set<std::string> kinds{"eat", "hydrate", "roll"};  // due within 45 plan minutes of "finished 5k"
    std::atomic<int> refused{0}, answered{0}, sent{0};
    std::vector<std::thread> runners;
    for (int i = 0; i < chats; ++i) {
        runners.emplace_back([&, i] {
            const std::int64_t chat = 13000 + i;
            const std::uint16_t port = ports[i % 2];
            if (post_until_ok(port, text_update(1300000 + 2 * i, chat, "/quiet off"), refused)) ++answered;
            if (post_until_ok(port, text_update(1300001 + 2 * i, chat, "finished 5k"), refused)) ++answered;
            ++sent;
        });
        std::this_thread::sleep_for(60ms);     // a steady stream: 40 runners over about 2.4 s
        if (i == chats / 3) primary_->kill();  // mid-stream, with updates and reminders in flight
    }
    // The old primary's supervisor restarts it once the failover is over everywhere (all_name_primary says why),
    // as a replica of the new primary (never empty and calling itself master: a second failover could promote it
    // and wipe the new primary; sentinel_test says how that was seen), so commits can reach a replica again
    // (REDIS_REPLICA_ACKS=1).
    ASSERT_TRUE(wait_until(20s, [&] { return cluster_.all_name_primary(*replica_); }));
    primary_->start_as_replica_of(*replica_);
    for (auto& t : runners) t.join();
    EXPECT_EQ(answered.load(), 2 * chats);

    // Every reminder of every chat arrives.
    auto complete = [&] {
        const auto got = received_per_chat(*api_);
        if (got.size() < static_cast<std::size_t>(chats)) return false;
        for (const auto& [chat, r] : got)
            if (r.plan_replies < 1 || r.reminders.size() < kinds.size()) return false;
        return true;
    };
    EXPECT_TRUE(wait_until(60s, complete)) << a.log() << b.log();
    std::this_thread::sleep_for(4s);  // a lease (3 s) more, so a doubled send would have shown up

    int missing_replies = 0, missing_reminders = 0, doubled_replies = 0, doubled_reminders = 0;
    const auto got = received_per_chat(*api_);
    for (int i = 0; i < chats; ++i) {
        const std::int64_t chat = 13000 + i;
        auto it = got.find(chat);
        if (it == got.end()) {
            ++missing_replies;
            missing_reminders += static_cast<int>(kinds.size());
            continue;
        }
        missing_replies += it->second.plan_replies == 0;
        doubled_replies += std::max(0, it->second.plan_replies - 1);
        for (const auto& kind : kinds) {
            const auto id = std::to_string(chat) + ":m" + std::to_string(1300001 + 2 * i) + ":" + kind;
            const auto r = it->second.reminders.find(id);
            if (r == it->second.reminders.end())
                ++missing_reminders;
            else
                doubled_reminders += r->second - 1;
        }
    }
    std::printf(
        "[ failover  ] %d updates answered 200 (%d refused and re-sent), %d chats: replies missing %d, doubled %d; "
        "reminders missing %d, doubled %d\n",
        answered.load(), refused.load(), chats, missing_replies, doubled_replies, missing_reminders, doubled_reminders);
    EXPECT_EQ(missing_replies, 0);
    EXPECT_EQ(missing_reminders, 0);

    // The bots say what happened, and /healthz names the primary the sentinels agree on now. That is the replica
    // promoted at the kill, or, when a sentinel missed its PINGs under load and failed over a second time (seen in
    // CI with the machine busy), the restarted old primary: the bots must follow either, so the test asks the
    // sentinels instead of assuming one failover.
    EXPECT_TRUE(a.wait_log("redis_primary_changed", 5s)) << a.log();
    EXPECT_TRUE(b.wait_log("redis_primary_changed", 5s)) << b.log();
    std::string settled;
    auto names_settled = [&](std::uint16_t port) {
        http_client c(port, {}, 5s);
        auto health = c.request("GET", "/healthz");
        return health && health->body.find("\"redis_primary\":\"" + settled + "\"") != std::string::npos;
    };
    auto bots_follow = [&] {
        settled = cluster_.agreed_primary();
        return (settled == address(*replica_) || settled == address(*primary_)) && names_settled(ports[0]) &&
               names_settled(ports[1]);
    };
    std::string sentinel_logs;
    for (const auto& s : sentinels_) sentinel_logs += "--- sentinel " + s->address() + "\n" + s->log();
    EXPECT_TRUE(wait_until(20s, bots_follow)) << "sentinels agree on '" << settled << "'\n"
                                              << sentinel_logs << a.log() << b.log();
    std::printf("[ failover  ] the bots follow %s (%s)\n", settled.c_str(),
                settled == address(*replica_) ? "the promoted replica" : "the old primary, after a second failover");
}

}  // namespace
}  // namespace rb::test
