// reminder_store against a real server: schedule/claim/ack/retry/snooze/finish/cancel, plan replacement,
// Redis-clock due times, lease expiry and the wake channel. Racing claimers are in claim_race_test.cpp.
#include "storage/reminder_store.hpp"

#include "tests/integration/redis_fixture.hpp"

namespace rb::test {
namespace {

schedule_plan plan_for(std::int64_t owner, std::string run, std::vector<planned_reminder> reminders) {
    return {owner, owner, std::move(run), std::move(reminders)};
}

planned_reminder ping(std::string kind, std::chrono::milliseconds offset, std::string text = "") {
    return {kind, offset, text.empty() ? "time to " + kind : text};
}

class reminder_store_test : public redis_test {
protected:
    void SetUp() override {
        redis_test::SetUp();
        store_ = std::make_unique<reminder_store>(*redis_, "t:");
    }
    std::vector<reminder> list(std::int64_t owner) { return sync(store_->list_for_owner(owner)); }
    std::vector<reminder> claim(std::size_t n, std::chrono::milliseconds lease = 30s) {
        return sync(store_->claim_due(n, lease));
    }
    std::unique_ptr<reminder_store> store_;
};

TEST_F(reminder_store_test, ScheduleStoresThePlanWithRedisClockDueTimes) {
    auto before = sync(store_->now_ms());
    sync(store_->schedule(plan_for(7, "r1", {ping("eat", 0ms), ping("roll", 10min)})));
    auto after = sync(store_->now_ms());
    auto got = list(7);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].id, "7:r1:eat");
    EXPECT_EQ(got[0].text, "time to eat");
    EXPECT_EQ(got[0].chat_id, 7);
    EXPECT_EQ(got[0].run_id, "r1");
    EXPECT_EQ(got[0].attempt, 0);
    EXPECT_GE(got[0].due_ms, before);
    EXPECT_LE(got[0].due_ms, after);
    EXPECT_GE(got[1].due_ms, before + 600000);
    EXPECT_LE(got[1].due_ms, after + 600000);
    EXPECT_EQ(got[0].created_ms, got[1].created_ms);
}

// The bot's clock never enters: due = TIME + offset inside the script, and claiming compares against TIME. So an
// instance whose clock is hours off still schedules and claims on the server's timeline.
TEST_F(reminder_store_test, ClockSkewOfTheBotDoesNotMoveDueTimes) {
    auto redis_now = sync(store_->now_ms());
    sync(store_->schedule(plan_for(1, "r", {ping("eat", 0ms), ping("ice", 1h)})));
    auto got = list(1);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_LT(std::abs(got[1].due_ms - (redis_now + 3600000)), 5000);
    auto claimed = claim(10);
    ASSERT_EQ(claimed.size(), 1u);  // only the one due on Redis's clock
    EXPECT_EQ(claimed[0].kind, "eat");
    auto next = sync(store_->next_due_ms());  // the lease deadline, TIME + 30 s, comes before the ice at + 1 h
    ASSERT_TRUE(next.has_value());
    EXPECT_LT(std::abs(*next - (redis_now + 30000)), 5000);
}

TEST_F(reminder_store_test, SamePlanTwiceIsANoOp) {
    auto plan = plan_for(2, "r1", {ping("eat", 0ms), ping("roll", 1h)});
    sync(store_->schedule(plan));
    auto first = list(2);
    std::this_thread::sleep_for(20ms);
    sync(store_->schedule(plan));
    EXPECT_EQ(list(2), first);
}

TEST_F(reminder_store_test, ChangedTextReschedulesThatReminderOnly) {
    sync(store_->schedule(plan_for(2, "r1", {ping("eat", 0ms), ping("roll", 1h)})));
    auto first = list(2);
    std::this_thread::sleep_for(20ms);
    sync(store_->schedule(plan_for(2, "r1", {ping("eat", 0ms), ping("roll", 1h, "roll 10 minutes")})));
    auto second = list(2);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0], first[0]);
    EXPECT_EQ(second[1].text, "roll 10 minutes");
    EXPECT_GT(second[1].due_ms, first[1].due_ms);
}

TEST_F(reminder_store_test, NewRunReplacesTheOldPlanAndLeavesOtherOwnersAlone) {
    sync(store_->schedule(plan_for(3, "old", {ping("eat", 0ms), ping("ice", 1h)})));
    sync(store_->schedule(plan_for(4, "x", {ping("eat", 0ms)})));
    sync(store_->schedule(plan_for(3, "new", {ping("hydrate", 5min)})));
    auto got = list(3);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].id, "3:new:hydrate");
    EXPECT_FALSE(cmd({"EXISTS", "t:reminder:3:old:eat"}).as_integer());
    EXPECT_EQ(cmd({"ZCARD", "t:due"}).as_integer(), 2);
    EXPECT_EQ(list(4).size(), 1u);
}

TEST_F(reminder_store_test, ClaimLeasesAndAckDeletes) {
    sync(store_->schedule(plan_for(5, "r", {ping("eat", 0ms), ping("hydrate", 0ms), ping("ice", 1h)})));
    auto got = claim(10, 30s);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_TRUE(claim(10).empty());  // leased, not claimable again
    EXPECT_EQ(cmd({"ZCARD", "t:lease"}).as_integer(), 2);
    EXPECT_EQ(list(5).size(), 3u);  // leased ones are still pending for the runner
    for (const auto& r : got) sync(store_->ack(r));
    auto left = list(5);
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].kind, "ice");
    EXPECT_EQ(cmd({"ZCARD", "t:lease"}).as_integer(), 0);
    EXPECT_EQ(cmd({"SCARD", "t:owner:5"}).as_integer(), 1);
}

TEST_F(reminder_store_test, ClaimRespectsTheLimitEarliestFirst) {
    sync(store_->schedule(plan_for(6, "r", {ping("a", -3s), ping("b", -2s), ping("c", -1s)})));
    auto got = claim(2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].kind, "a");
    EXPECT_EQ(got[1].kind, "b");
    EXPECT_EQ(claim(5).size(), 1u);
}

TEST_F(reminder_store_test, RetryLaterPutsItBackWithAttemptPlusOne) {
    sync(store_->schedule(plan_for(8, "r", {ping("eat", 0ms)})));
    auto got = claim(1);
    ASSERT_EQ(got.size(), 1u);
    auto now = sync(store_->now_ms());
    sync(store_->retry_later(got[0], 50ms));
    EXPECT_EQ(cmd({"ZCARD", "t:lease"}).as_integer(), 0);
    auto next = sync(store_->next_due_ms());
    ASSERT_TRUE(next.has_value());
    EXPECT_GE(*next, now + 50);
    std::this_thread::sleep_for(80ms);
    auto again = claim(1);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempt, 1);
    EXPECT_EQ(again[0].id, got[0].id);
}

TEST_F(reminder_store_test, ExpiredLeaseIsClaimedAgain) {
    sync(store_->schedule(plan_for(9, "r", {ping("eat", 0ms)})));
    auto got = claim(1, 50ms);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(claim(1, 50ms).empty());
    auto next = sync(store_->next_due_ms());
    ASSERT_TRUE(next.has_value());  // the lease deadline counts as the next thing to look at
    std::this_thread::sleep_for(80ms);
    auto again = claim(1, 50ms);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].id, got[0].id);
    EXPECT_EQ(again[0].attempt, 1);
    EXPECT_EQ(again[0].due_ms, got[0].due_ms);
}

TEST_F(reminder_store_test, NextDueIsTheEarliestAndEmptyWhenNothingPending) {
    EXPECT_FALSE(sync(store_->next_due_ms()).has_value());
    sync(store_->schedule(plan_for(10, "r", {ping("ice", 2h), ping("roll", 1h)})));
    auto got = list(10);
    EXPECT_EQ(sync(store_->next_due_ms()), got[0].due_ms);
}

TEST_F(reminder_store_test, SnoozeMovesFromMaxOfDueAndNow) {
    sync(store_->schedule(plan_for(11, "r", {ping("eat", -10min), ping("ice", 1h)})));
    auto before = list(11);
    auto now = sync(store_->now_ms());
    EXPECT_TRUE(sync(store_->snooze(11, "11:r:eat", 5min)));    // overdue: from now
    EXPECT_TRUE(sync(store_->snooze(11, "11:r:ice", 10min)));  // future: from its due time
    auto after = list(11);
    EXPECT_GE(after[0].due_ms, now + 300000);
    EXPECT_LT(after[0].due_ms, now + 305000);
    EXPECT_EQ(after[1].due_ms, before[1].due_ms + 600000);
    EXPECT_FALSE(sync(store_->snooze(12, "11:r:eat", 5min)));  // not the owner
    EXPECT_FALSE(sync(store_->snooze(11, "11:r:nope", 5min)));
}

TEST_F(reminder_store_test, SnoozingALeasedReminderPutsItBackOnDue) {
    sync(store_->schedule(plan_for(13, "r", {ping("eat", 0ms)})));
    ASSERT_EQ(claim(1).size(), 1u);
    EXPECT_TRUE(sync(store_->snooze(13, "13:r:eat", 1min)));
    EXPECT_EQ(cmd({"ZCARD", "t:lease"}).as_integer(), 0);
    EXPECT_EQ(cmd({"ZCARD", "t:due"}).as_integer(), 1);
}

TEST_F(reminder_store_test, FinishDeletesOnlyTheOwnersReminder) {
    sync(store_->schedule(plan_for(14, "r", {ping("eat", 0ms), ping("ice", 1h)})));
    EXPECT_FALSE(sync(store_->finish(15, "14:r:eat")));
    EXPECT_TRUE(sync(store_->finish(14, "14:r:eat")));
    EXPECT_FALSE(sync(store_->finish(14, "14:r:eat")));
    ASSERT_EQ(list(14).size(), 1u);
    EXPECT_TRUE(claim(10).empty());
}

TEST_F(reminder_store_test, CancelAllRemovesEverythingOfTheOwner) {
    sync(store_->schedule(plan_for(16, "r", {ping("eat", 0ms), ping("ice", 1h), ping("roll", 2h)})));
    sync(store_->schedule(plan_for(17, "r", {ping("eat", 0ms)})));
    ASSERT_EQ(claim(1).size(), 1u);  // one of them leased: cancel covers leased ones too
    EXPECT_EQ(sync(store_->cancel_all(16)), 3u);
    EXPECT_TRUE(list(16).empty());
    EXPECT_EQ(sync(store_->cancel_all(16)), 0u);
    EXPECT_EQ(cmd({"EXISTS", "t:owner:16"}).as_integer(), 0);
    EXPECT_EQ(list(17).size(), 1u);
}

TEST_F(reminder_store_test, EmptyPlanCancelsAndBadKindIsRefusedBeforeAnyWrite) {
    sync(store_->schedule(plan_for(18, "r", {ping("eat", 1h)})));
    EXPECT_THROW(sync(store_->schedule(plan_for(18, "r2", {ping("ok", 0ms), ping("a:b", 0ms)}))),
                 std::invalid_argument);
    EXPECT_EQ(list(18).size(), 1u);
    sync(store_->schedule(plan_for(18, "r3", {})));
    EXPECT_TRUE(list(18).empty());
}

TEST_F(reminder_store_test, ConcurrentAcksAreGroupCommittedCompletely) {
    for (int o = 100; o < 400; ++o) sync(store_->schedule(plan_for(o, "r", {ping("eat", 0ms)})));
    auto got = claim(1000);
    ASSERT_EQ(got.size(), 300u);
    std::vector<std::future<void>> acks;
    for (const auto& r : got) acks.push_back(net::co_spawn(io_.executor(), store_->ack(r), net::use_future));
    for (auto& f : acks) f.get();
    // Only the fixture's marker and the delivered copies (a day each, so the pings' buttons still work) are left.
    EXPECT_EQ(cmd({"DBSIZE"}).as_integer(), 301);
    EXPECT_EQ(cmd({"KEYS", "t:sent:*"}).as_array().size(), 300u);
    EXPECT_GT(cmd({"TTL", "t:sent:" + got.front().id}).as_integer(), 86000);
}

TEST_F(reminder_store_test, WakeSubscriptionHearsAnEarlierSchedule) {
    wake_subscription wakes(io_.executor(), shared_redis_url(), "t:", test_options());
    EXPECT_EQ(sync(wakes.next()), 0);  // the first value after subscribing: re-read next_due_ms()
    sync(store_->schedule(plan_for(19, "r", {ping("eat", 2min), ping("ice", 1min)})));
    auto due = sync(wakes.next());
    EXPECT_EQ(due, list(19).at(0).due_ms);
    EXPECT_TRUE(wakes.subscribed());
    wakes.stop();
    EXPECT_THROW(sync(wakes.next()), boost::system::system_error);
}

}  // namespace
}  // namespace rb::test
