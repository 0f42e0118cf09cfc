// The dispatcher against a private redis-server and the fake Bot API: reminders arrive no earlier than due,
// with their buttons, once each; a 403 deactivates the owner and cancels their reminders; 5xx is retried
// later from Redis; a hanging chat does not hold back other chats; notify() wakes a long sleep.
#include "bot/telegram/dispatcher.hpp"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "bot/effects/executor.hpp"
#include "bot/effects/outbound_call.hpp"
#include "storage/reminder_store.hpp"
#include "storage/update_store.hpp"
#include "tests/e2e_client/test_io.hpp"
#include "tests/fake_telegram/fake_telegram.hpp"
#include "tests/support/redis_server.hpp"

namespace rb {
namespace {

using namespace std::chrono_literals;
using test::fault;
using test::fault_kind;
using clock = std::chrono::steady_clock;

planned_reminder ping(std::string kind, std::chrono::milliseconds offset) {
    return planned_reminder{kind, offset, "<b>" + kind + "</b> now"};
}

class DispatcherTest : public ::testing::Test {
protected:
    DispatcherTest()
        : redis_conn(io.executor(), parse_redis_url(redis.url())),
          store(redis_conn, redis_keys("t:")),
          updates(redis_conn, redis_keys("t:")),
          effects(updates, store) {
        client_options co;
        co.api_root = fake.root();
        co.token = "123:TEST";
        co.limits.enabled = false;
        co.backoff_initial = 10ms;
        co.backoff_cap = 20ms;
        co.request_timeout = 2s;
        client = std::make_unique<telegram_client>(io.executor(), co);
        options.retries.initial = 100ms;
        options.stop_grace = 1s;
        options.on_sent = [this](const reminder& r, std::chrono::microseconds late) {
            std::lock_guard lock(mutex);
            sent.emplace_back(r.id, late);
        };
    }
    void SetUp() override { ASSERT_TRUE(io.sync(redis_conn.wait_connected(5s))); }
    void TearDown() override {
        if (!d) return;
        d->stop();
        running.get();
    }
    void start() {
        d = std::make_unique<dispatcher>(io.executor(), store, effects, *client, nullptr, options);
        running = io.spawn(d->run());
    }
    void schedule(std::int64_t owner, std::vector<planned_reminder> reminders) {
        io.sync(store.schedule(schedule_plan{owner, owner, "run1", std::move(reminders)}));
    }
    std::size_t pending(std::int64_t owner) { return io.sync(store.list_for_owner(owner)).size(); }
    bool wait_until(auto done, std::chrono::milliseconds limit = 10s) {
        for (auto until = clock::now() + limit; clock::now() < until; std::this_thread::sleep_for(10ms))
            if (done()) return true;
        return done();
    }

    test::io_thread io;
    test::redis_server redis;
    test::fake_telegram fake;
    redis_connection redis_conn;
    reminder_store store;
    update_store updates;
    executor effects;
    std::unique_ptr<telegram_client> client;
    dispatcher_options options;
    std::unique_ptr<dispatcher> d;
    std::future<void> running;
    std::mutex mutex;
    std::vector<std::pair<std::string, std::chrono::microseconds>> sent;
};

TEST_F(DispatcherTest, RemindersArriveAtTheirDueTimesWithButtonsOnce) {
    start();
    auto t0 = clock::now();
    schedule(42, {ping("eat", 300ms), ping("hydrate", 700ms)});
    ASSERT_TRUE(fake.wait_for("sendMessage", 2, 10s));
    auto calls = fake.calls("sendMessage");
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].body["text"], "<b>eat</b> now");
    EXPECT_GE(calls[0].received - t0, 300ms);  // never before due
    EXPECT_GE(calls[1].received - t0, 700ms);
    auto keyboard = calls[0].body["reply_markup"]["inline_keyboard"];
    ASSERT_FALSE(keyboard.empty());
    std::string all = keyboard.dump();
    EXPECT_NE(all.find("r:done:42:run1:eat"), std::string::npos) << all;
    EXPECT_TRUE(wait_until([&] { return pending(42) == 0; }));
    std::this_thread::sleep_for(1500ms);  // more than a poll: nothing is sent twice
    EXPECT_EQ(fake.count("sendMessage"), 2u);
    std::lock_guard lock(mutex);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_GE(sent[0].second.count(), -2000);  // measured on Redis's clock (ms precision)
}

// One chat's reminders due at (nearly) the same moment are sent one after another in due order: the next
// starts only after Telegram answered the previous one. Several chats still go side by side.
TEST_F(DispatcherTest, OneChatsRemindersArriveInDueOrderOneAtATime) {
    std::vector<planned_reminder> many;
    for (int k = 0; k < 8; ++k) many.push_back(ping("k" + std::to_string(k), -1ms * (8 - k)));  // k0 due first
    schedule(61, many);
    schedule(62, {ping("a", -1ms), ping("b", 0ms)});
    fault slow{fault_kind::slow, "sendMessage", 61};
    slow.delay = 150ms;  // each answer to chat 61 takes 150 ms
    fake.add_fault(slow);
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 10, 10s));
    std::vector<test::recorded_call> chat61;
    for (const auto& c : fake.calls("sendMessage"))
        if (c.chat_id == 61) chat61.push_back(c);
    ASSERT_EQ(chat61.size(), 8u);
    for (int k = 0; k < 8; ++k) EXPECT_EQ(chat61[k].body["text"], "<b>k" + std::to_string(k) + "</b> now") << k;
    // Each was answered (150 ms later) before the next was sent: sent side by side they would all arrive at once.
    for (int k = 0; k + 1 < 8; ++k) EXPECT_GE(chat61[k + 1].received - chat61[k].received, 150ms) << k;
}

// More messages due at once for one chat than the dispatcher may hold (twice max_in_flight): the claim loop waits
// for the chat's queue to shrink instead of spinning on the strand, so every one is sent, in order. Before, the
// loop found no room, returned at once, and starved the sends it was waiting for: nothing more was ever sent.
TEST_F(DispatcherTest, ABacklogOfOneChatLargerThanTheClaimRoomIsSentInFull) {
    options.max_in_flight = 2;
    options.batch_size = 3;
    std::vector<planned_reminder> many;
    for (int k = 0; k < 12; ++k) many.push_back(ping("k" + std::to_string(100 + k), 0ms));
    schedule(90, many);
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 12, 10s)) << fake.count("sendMessage");
    EXPECT_TRUE(wait_until([&] { return pending(90) == 0; }));
    std::lock_guard lock(mutex);
    ASSERT_EQ(sent.size(), 12u);
    for (int k = 0; k < 12; ++k) EXPECT_EQ(sent[k].first, "90:run1:k" + std::to_string(100 + k)) << k;
}

// Mornings: a backlog of reminders that can wait, under the global limit, fills the send slots; a reply committed
// meanwhile is claimed at once (the commit's wake ends the wait for room, and the later lane may hold only half the
// places) and sent near the front, not behind the backlog. The limit is 10/s here, so the old behaviour (the reply
// claimed only once 64 of the held backlog had gone) would send it after about 70 of them.
TEST_F(DispatcherTest, AReplyCommittedDuringABacklogIsSentAheadOfIt) {
    client_options co;
    co.api_root = fake.root();
    co.token = "123:TEST";
    co.limits.global_per_second = 10;
    co.request_timeout = 2s;
    client = std::make_unique<telegram_client>(io.executor(), co);
    for (std::int64_t owner = 3000; owner < 3300; ++owner)
        io.sync(store.schedule(schedule_plan{owner, owner, "run1", {ping("hydrate", 0ms)}}));
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 5, 10s));
    auto reply = outbox_entry_of(send_message{77, "Great run!", {}, std::nullopt});
    std::vector<action> none;
    auto done = io.sync(updates.commit(7701, 77, none, {*reply}));
    ASSERT_TRUE(done.earliest_due_ms.has_value());
    d->notify(*done.earliest_due_ms);  // as the app does after every commit
    ASSERT_TRUE(wait_until(
        [&] {
            std::lock_guard lock(mutex);
            return std::any_of(sent.begin(), sent.end(), [](const auto& s) { return s.first.starts_with("77:"); });
        },
        20s));
    std::lock_guard lock(mutex);
    const auto at = std::find_if(sent.begin(), sent.end(), [](const auto& s) { return s.first.starts_with("77:"); });
    const auto backlog_before = static_cast<std::size_t>(at - sent.begin());
    EXPECT_LE(backlog_before, 40u) << "the reply waited behind " << backlog_before << " backlog messages";
}

TEST_F(DispatcherTest, ForbiddenDeactivatesTheOwnerAndCancelsTheirReminders) {
    fake.add_fault(fault{fault_kind::forbidden, "sendMessage", 50, -1, 1});
    schedule(50, {ping("eat", 100ms), ping("roll", 5s), ping("ice", 6s)});
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 1, 10s));
    EXPECT_TRUE(wait_until([&] { return pending(50) == 0; }));
    EXPECT_FALSE(io.sync(updates.load(std::nullopt, 50)).settings.active);
    EXPECT_EQ(fake.count("sendMessage"), 1u);
}

// A reply in the outbox is not one of the owner's reminders: when its chat blocked the bot (403 in a private chat)
// the reply itself is dropped too, once, and the owner deactivated. Before, the reply stayed and was re-sent for ever.
TEST_F(DispatcherTest, AReplyToAChatThatBlockedTheBotIsDroppedOnceAndTheOwnerDeactivated) {
    fake.add_fault(fault{fault_kind::forbidden, "sendMessage", 52, -1});
    auto reply = outbox_entry_of(send_message{52, "Great run!", {}, std::nullopt});
    ASSERT_TRUE(reply.has_value());
    std::vector<action> none;
    io.sync(updates.commit(7001, 52, none, {*reply}));
    schedule(52, {ping("roll", 5s)});
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 1, 5s));
    EXPECT_TRUE(wait_until([&] { return !io.sync(updates.load(std::nullopt, 52)).settings.active; }));
    EXPECT_TRUE(wait_until([&] { return pending(52) == 0 && !io.sync(store.next_due_ms()).has_value(); }));
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(fake.count("sendMessage"), 1u);  // the blocked reply was tried once, never again
}

TEST_F(DispatcherTest, ServerErrorsAreRetriedFromRedisUntilDelivered) {
    fake.add_fault(fault{fault_kind::server_error, "sendMessage", 60, 5, 1});  // client tries 4, then 1 more
    schedule(60, {ping("eat", 50ms)});
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 6, 15s));
    EXPECT_TRUE(wait_until([&] { return pending(60) == 0; }));
    auto calls = fake.calls("sendMessage");
    EXPECT_EQ(calls.back().answered, 200u);
    EXPECT_EQ(calls.size(), 6u);
}

// A message keeps being retried (capped backoff) while it is still worth sending; once a retry would land past
// its staleness limit (eat: 2 h) it is dropped with a reason, never silently and never sent late.
TEST_F(DispatcherTest, ATransientOutageIsRetriedUntilTheMessageGoesStaleThenDropped) {
    fake.add_fault(fault{fault_kind::server_error, "sendMessage", 61, -1, 1});
    schedule(61, {ping("eat", -2h + 1500ms)});  // 1.5 s of its two hours left
    start();
    EXPECT_TRUE(wait_until([&] { return pending(61) == 0; }, 15s));
    const auto tries = fake.count("sendMessage");
    EXPECT_GE(tries, 8u);  // at least two rounds of the client's 4 requests
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(fake.count("sendMessage"), tries);
}

TEST_F(DispatcherTest, AMessageAlreadyStaleWhenClaimedIsDroppedUnsent) {
    schedule(63, {ping("eat", -3h), ping("roll", -1h)});
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 1, 10s));
    EXPECT_TRUE(wait_until([&] { return pending(63) == 0; }));
    auto calls = fake.calls("sendMessage");
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].body["text"], "<b>roll</b> now");  // an hour late is fine for a roll; eat 3 h late is not
}

TEST_F(DispatcherTest, AHangingChatDoesNotHoldBackOtherChats) {
    fake.add_fault(fault{fault_kind::hang, "sendMessage", 70, -1, 1});
    schedule(70, {ping("eat", 50ms)});
    schedule(71, {ping("eat", 150ms)});
    schedule(72, {ping("eat", 150ms)});
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 3, 10s));
    EXPECT_TRUE(wait_until([&] { return pending(71) == 0 && pending(72) == 0; }));
    EXPECT_EQ(pending(70), 1u);  // still leased or rescheduled, not lost
}

TEST_F(DispatcherTest, NotifyWakesALongSleep) {
    options.poll_cap = 60s;
    start();
    std::this_thread::sleep_for(300ms);  // the dispatcher is asleep for up to a minute
    schedule(80, {ping("eat", 100ms)});
    d->notify(io.sync(store.now_ms()) + 100);
    EXPECT_TRUE(fake.wait_for("sendMessage", 1, 20s));
}

// Telegram throttles one chat for longer than a claim lasts. The send must not outlive its claim: the reminder is
// handed back for when the chat may go (no attempt counted) and sent once then, and the other chats are not held up.
TEST_F(DispatcherTest, AThrottleLongerThanTheLeaseHandsBackAndNeverDoubles) {
    options.lease = 3s;
    fault throttle{fault_kind::retry_after, "sendMessage", 100, 1};
    throttle.retry_after_s = 5;  // longer than the 3 s lease
    fake.add_fault(throttle);
    for (int chat = 100; chat <= 110; ++chat) schedule(chat, {ping("eat", 0ms)});
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 11, 10s));
    const auto first_round = clock::now();
    EXPECT_TRUE(wait_until([&] { return pending(100) == 0; }, 15s));
    std::this_thread::sleep_for(1s);
    std::map<std::int64_t, int> delivered;
    int throttled = 0;
    clock::time_point chat100_sent{};
    for (const auto& c : fake.calls("sendMessage")) {
        if (c.answered == 429) ++throttled;
        if (c.answered == 200) {
            ++delivered[*c.chat_id];
            if (*c.chat_id == 100) chat100_sent = c.received;
        }
    }
    EXPECT_EQ(throttled, 1);
    for (int chat = 100; chat <= 110; ++chat) EXPECT_EQ(delivered[chat], 1) << "chat " << chat;
    EXPECT_GE(chat100_sent - first_round, 3s);  // waited out the 5 s pause, not re-sent under it
}

// 401: the token is wrong. No reminder is deleted; sending pauses, the reason is reported, and it resumes by itself
// once getMe answers again.
TEST_F(DispatcherTest, UnauthorizedPausesSendingKeepsEveryReminderAndResumes) {
    options.retries.probe = 300ms;
    fake.add_fault(fault{fault_kind::unauthorized, "", std::nullopt, -1});
    schedule(130, {ping("eat", 0ms), ping("roll", 50ms), ping("ice", 100ms)});
    start();
    ASSERT_TRUE(wait_until([&] { return !d->paused_reason().empty(); }));
    EXPECT_NE(d->paused_reason().find("Unauthorized"), std::string::npos) << d->paused_reason();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(pending(130), 3u);
    EXPECT_LE(fake.count("sendMessage"), 1u);  // one send found the fault; the rest were not tried
    EXPECT_GE(fake.count("getMe"), 2u);        // probing
    fake.clear_faults();
    ASSERT_TRUE(fake.wait_for("sendMessage", 4, 10s));
    EXPECT_TRUE(wait_until([&] { return pending(130) == 0; }));
    EXPECT_TRUE(d->paused_reason().empty());
}

// The runner sends /stop while the first of two claimed pings is on its way: the second is never sent, because the
// claim is checked right before each send.
TEST_F(DispatcherTest, NothingIsSentAfterTheClaimChanges) {
    fault slow{fault_kind::slow, "sendMessage", 120, 1};
    slow.delay = 800ms;
    fake.add_fault(slow);
    schedule(120, {ping("eat", 0ms), ping("roll", 1ms)});
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 1, 5s));
    std::vector<action> stop{forget_owner{120}};
    io.sync(updates.commit(std::nullopt, 120, stop));
    std::this_thread::sleep_for(2s);
    EXPECT_EQ(fake.count("sendMessage"), 1u);
    EXPECT_EQ(pending(120), 0u);
}

// A 403 in a group says the bot left that group, not that the runner blocked it: their settings stay active.
TEST_F(DispatcherTest, ABlockInAGroupDoesNotDeactivateTheRunner) {
    fake.add_fault(fault{fault_kind::forbidden, "sendMessage", -500, -1});
    io.sync(store.schedule(schedule_plan{-500, 501, "g1", {ping("eat", 0ms)}}));
    start();
    ASSERT_TRUE(fake.wait_for("sendMessage", 1, 5s));
    EXPECT_TRUE(wait_until([&] { return pending(501) == 0; }));
    EXPECT_TRUE(io.sync(updates.load(std::nullopt, 501)).settings.active);
}

}  // namespace
}  // namespace rb
