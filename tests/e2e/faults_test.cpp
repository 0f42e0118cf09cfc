// Faults an operator meets, against the real binary, a real redis-server and the fake Bot API (issue 12): a frozen
// Redis (SIGSTOP, not a clean kill) while updates stream in and Telegram re-sends what got 503; a Bot API outage
// under a reply; a corrupt record; malformed HTTP framing; three instances sharing the work. Every case counts what
// arrived: nothing lost, nothing doubled.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "bot_fixture.hpp"

namespace rb::test {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

// One redis-cli command against url; its trimmed output.
std::string redis_cli(const std::string& url, const std::string& args) {
    const std::string cmd = "redis-cli -u '" + url + "' " + args + " 2>&1";
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[4096];
        while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
        ::pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

class Faults : public bot_fixture {
protected:
    // Posts like Telegram: again and again until a 2xx, counting what it took.
    int post_until_ok(std::uint16_t port, const std::string& body, std::atomic<int>& refused,
                      std::chrono::seconds limit = 40s) {
        for (auto until = clock::now() + limit; clock::now() < until;) {
            http_client c(port, {}, 5s);
            auto reply = c.request("POST", "/telegram", body, secret_header());
            if (reply && reply->status == 200) return 200;
            ++refused;
            std::this_thread::sleep_for(100ms);
        }
        return 0;
    }
    // sendMessage calls answered 200, per chat.
    std::map<std::int64_t, int> replies_per_chat() const {
        std::map<std::int64_t, int> out;
        for (const auto& c : api_->calls("sendMessage"))
            if (c.answered == 200 && c.chat_id) ++out[*c.chat_id];
        return out;
    }
    bool wait_replies(std::size_t n, std::chrono::milliseconds limit) {
        for (auto until = clock::now() + limit; clock::now() < until; std::this_thread::sleep_for(50ms))
            if (replies_per_chat().size() >= n) return true;
        return replies_per_chat().size() >= n;
    }
};

TEST_F(Faults, MalformedFramingIsAnswered400BeforeTheClose) {
    start_bot(webhook_env(false));
    const std::string head =
        "POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: " + std::string(test_secret) + "\r\n";
    const std::vector<std::string> bad{
        head + "Content-Length: 5\r\nContent-Length: 7\r\n\r\n{\"a\":1}",  // two lengths that disagree
        head + "Content-Length: five\r\n\r\n{}",                           // not a number
        head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",  // bad chunk size
        head + "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n",  // both framings
    };
    for (const auto& raw : bad) {
        auto c = connect(false);
        c.send_raw(raw);
        auto reply = c.read_reply();
        ASSERT_TRUE(reply) << raw;
        EXPECT_EQ(reply->status, 400) << raw;
        EXPECT_NE(reply->body.find("malformed"), std::string::npos) << reply->body;
        EXPECT_TRUE(c.closed_by_server(5s)) << raw;
    }
}

// Redis freezes for 3 s in the middle of a stream of updates. Calls time out (503), Telegram re-sends, and a commit
// that timed out may still run when Redis resumes. Every update must be answered exactly once all the same, and
// /healthz must say Redis is down while it is frozen.
TEST_F(Faults, AFrozenRedisNeitherLosesNorDoublesUpdates) {
    redis_server own;
    auto env = webhook_env(false);
    env["REDIS_URL"] = own.url();
    env["REDIS_TIMEOUT_MS"] = "500";
    env["LEASE_MS"] = "5000";  // a claim whose answer the freeze swallowed comes back after this
    env["LOG_LEVEL"] = "info";
    start_bot(env);
    constexpr int n = 60;
    std::atomic<int> refused{0};
    std::atomic<bool> frozen_seen_unhealthy{false};
    std::thread freezer([&] {
        while (api_->count("sendMessage") < 15) std::this_thread::sleep_for(10ms);
        ::kill(own.pid(), SIGSTOP);
        std::this_thread::sleep_for(1500ms);
        auto health = connect(false).request("GET", "/healthz");
        if (health && health->status == 503 && health->body.find(R"("redis":"down")") != std::string::npos)
            frozen_seen_unhealthy = true;
        std::this_thread::sleep_for(1500ms);
        ::kill(own.pid(), SIGCONT);
    });
    std::vector<std::thread> senders;
    for (int s = 0; s < 3; ++s) {
        senders.emplace_back([&, s] {
            for (int i = s; i < n; i += 3) {
                const auto body = text_update(50000 + i, 5000 + i, "how long should I foam roll?");
                EXPECT_EQ(post_until_ok(port_, body, refused), 200) << "update " << i;
                std::this_thread::sleep_for(100ms);  // a steady stream, so the freeze lands in the middle of it
            }
        });
    }
    for (auto& t : senders) t.join();
    freezer.join();
    ASSERT_TRUE(wait_replies(n, 20s)) << "replies to " << replies_per_chat().size() << " of " << n << " chats\n"
                                      << bot_->log();
    std::this_thread::sleep_for(1500ms);  // a late second reply would show up now
    const auto per_chat = replies_per_chat();
    EXPECT_EQ(per_chat.size(), static_cast<std::size_t>(n));
    int doubled = 0;
    for (const auto& [chat, count] : per_chat) doubled += count > 1;
    EXPECT_EQ(doubled, 0);
    EXPECT_GT(refused.load(), 0) << "the freeze never refused an update: it did not happen mid-stream";
    EXPECT_TRUE(frozen_seen_unhealthy.load()) << "/healthz did not report the frozen Redis";
    std::printf("[ faults    ] %d updates, %d refused during the freeze and re-sent, %d doubled\n", n, refused.load(),
                doubled);
}

// Telegram re-sends an update it got no timely answer for. One this instance committed is answered 200 as a
// duplicate from memory, even while Redis is frozen (a 503 would only make Telegram send it yet again); a new update
// in the same freeze is still refused with 503, because it cannot be stored.
TEST_F(Faults, AReSentUpdateIsAnsweredAsADuplicateWhileRedisIsFrozen) {
    redis_server own;
    auto env = webhook_env(false);
    env["REDIS_URL"] = own.url();
    env["REDIS_TIMEOUT_MS"] = "500";
    start_bot(env);
    const std::string update = text_update(62001, 6201, "how long should I foam roll?");
    auto first = connect(false).request("POST", "/telegram", update, secret_header());
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200);
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s));
    ::kill(own.pid(), SIGSTOP);
    auto again = connect(false).request("POST", "/telegram", update, secret_header());
    auto fresh = connect(false).request("POST", "/telegram", text_update(62002, 6202, "finished 5k"), secret_header());
    ::kill(own.pid(), SIGCONT);
    ASSERT_TRUE(again && fresh);
    EXPECT_EQ(again->status, 200) << again->body;
    EXPECT_EQ(fresh->status, 503) << fresh->body;
    std::this_thread::sleep_for(1s);  // a second reply to the re-sent update would show up now
    EXPECT_EQ(api_->count("sendMessage"), 1u);
    auto metrics = connect(false).request("GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find("rb_updates_duplicate_total 1"), std::string::npos) << metrics->body;
}

// The Bot API fails every sendMessage for 6 s. The reply to what the runner sent is in the outbox and arrives, once,
// after the outage.
TEST_F(Faults, AReplySurvivesABotApiOutage) {
    start_bot(webhook_env(false));
    api_->add_fault(fault{fault_kind::server_error, "sendMessage", std::nullopt, -1});
    std::atomic<int> refused{0};
    ASSERT_EQ(post_until_ok(port_, text_update(61001, 6101, "how long should I foam roll?"), refused), 200);
    std::this_thread::sleep_for(6s);
    EXPECT_TRUE(replies_per_chat().empty());
    api_->clear_faults();
    ASSERT_TRUE(wait_replies(1, 30s)) << bot_->log();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(replies_per_chat()[6101], 1);
}

// A key of the wrong type where the runner's state lives is a permanent fault: the update is kept as a dead letter
// and answered 200 (never 503 for ever). An unreadable reminder record is set aside and the chat goes on.
TEST_F(Faults, ACorruptRecordNeverBlocksAChat) {
    start_bot(webhook_env(false));
    const std::string p = prefix();
    redis_cli(redis_->url(), "SET '" + p + "owner:6201' 'not a hash'");
    std::atomic<int> refused{0};
    auto c = connect(false).request("POST", "/telegram", text_update(62001, 6201, "finished 5k"), secret_header());
    ASSERT_TRUE(c);
    EXPECT_EQ(c->status, 200);
    EXPECT_NE(redis_cli(redis_->url(), "LINDEX '" + p + "dead' 0").find("62001"), std::string::npos);
    auto metrics = connect(false).request("GET", "/metrics");
    EXPECT_NE(metrics->body.find("rb_storage_permanent_errors_total 1"), std::string::npos) << metrics->body;

    redis_cli(redis_->url(), "HSET '" + p + "owner:6202' '6202:m1:roll' 'garbage'");
    ASSERT_EQ(post_until_ok(port_, text_update(62002, 6202, "how long should I foam roll?"), refused), 200);
    ASSERT_TRUE(wait_replies(1, 10s)) << bot_->log();
    EXPECT_EQ(redis_cli(redis_->url(), "HEXISTS '" + p + "owner:6202' '6202:m1:roll'"), "0");
    EXPECT_NE(redis_cli(redis_->url(), "LINDEX '" + p + "quarantine' 0").find("garbage"), std::string::npos);
    EXPECT_EQ(refused.load(), 0);
}

// Three instances behind one webhook URL; Telegram sends each update to one of them and re-sends a third of them to
// another at the same moment (as after a timeout). Every update is answered exactly once.
TEST_F(Faults, ThreeInstancesHandleEveryUpdateExactlyOnce) {
    std::vector<std::unique_ptr<bot_process>> bots;
    std::vector<std::uint16_t> ports;
    for (int i = 0; i < 3; ++i) {
        auto env = webhook_env(false);
        env["LOG_LEVEL"] = "info";
        bots.push_back(std::make_unique<bot_process>(env));
        ports.push_back(bots.back()->wait_listening());
        ASSERT_NE(ports.back(), 0) << bots.back()->log();
    }
    constexpr int n = 150;
    std::atomic<int> refused{0};
    std::vector<std::thread> senders;
    for (int i = 0; i < n; ++i) {
        const auto body = text_update(63000 + i, 6300 + i, "how long should I foam roll?");
        senders.emplace_back([&, body, i] { EXPECT_EQ(post_until_ok(ports[i % 3], body, refused), 200); });
        if (i % 3 == 0)
            senders.emplace_back([&, body, i] { EXPECT_EQ(post_until_ok(ports[(i + 1) % 3], body, refused), 200); });
        if (senders.size() >= 24) {
            for (auto& t : senders) t.join();
            senders.clear();
        }
    }
    for (auto& t : senders) t.join();
    ASSERT_TRUE(wait_replies(n, 20s));
    std::this_thread::sleep_for(1500ms);
    const auto per_chat = replies_per_chat();
    EXPECT_EQ(per_chat.size(), static_cast<std::size_t>(n));
    int doubled = 0;
    for (const auto& [chat, count] : per_chat) doubled += count > 1;
    EXPECT_EQ(doubled, 0);
    std::printf("[ faults    ] 3 instances: %d updates (%d sent twice at once), %d answered twice\n", n, n / 3,
                doubled);
}

}  // namespace
}  // namespace rb::test
