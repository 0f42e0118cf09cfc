// reminder_store against a real server: schedule, claim by lane, tokens on ack / drop / hand_back / renew, snooze,
// finish and cancel through commits, Redis-clock due times, lease expiry, quarantine of unreadable records and the
// wake channel. Racing claimers are in claim_race_test.cpp; the commit itself in update_store_test.cpp.
#include <nlohmann/json.hpp>

#include "storage/wake_subscription.hpp"
#include "tests/integration/store_fixture.hpp"

namespace rb::test {
namespace {

schedule_plan plan_for(std::int64_t owner, std::string run, std::vector<planned_reminder> reminders) {
    return {owner, owner, std::move(run), std::move(reminders)};
}

using reminder_store_test = store_test;

TEST_F(reminder_store_test, ScheduleStoresThePlanWithRedisClockDueTimes) {
    auto before = sync(store_->now_ms());
    schedule(plan_for(7, "r1", {ping("eat", 0ms), ping("roll", 10min)}));
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
    // eat waits in the urgent lane, the rest in the later lane (delivery_policy.hpp)
    EXPECT_EQ(cmd({"ZCARD", "t:due:1"}).as_integer(), 1);
    EXPECT_EQ(cmd({"ZCARD", "t:due:2"}).as_integer(), 1);
}

// The bot's clock never enters: due = TIME + offset inside the script, and claiming compares against TIME. So an
// instance whose clock is hours off still schedules and claims on the server's timeline.
TEST_F(reminder_store_test, ClockSkewOfTheBotDoesNotMoveDueTimes) {
    auto redis_now = sync(store_->now_ms());
    schedule(plan_for(1, "r", {ping("eat", 0ms), ping("ice", 1h)}));
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
    schedule(plan);
    auto first = list(2);
    std::this_thread::sleep_for(20ms);
    schedule(plan);
    EXPECT_EQ(list(2), first);
}

TEST_F(reminder_store_test, ChangedTextReschedulesThatReminderOnly) {
    schedule(plan_for(2, "r1", {ping("eat", 0ms), ping("roll", 1h)}));
    auto first = list(2);
    std::this_thread::sleep_for(20ms);
    schedule(plan_for(2, "r1", {ping("eat", 0ms), ping("roll", 1h, "roll 10 minutes")}));
    auto second = list(2);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0], first[0]);
    EXPECT_EQ(second[1].text, "roll 10 minutes");
    EXPECT_GT(second[1].due_ms, first[1].due_ms);
}

TEST_F(reminder_store_test, NewRunReplacesTheOldPlanAndLeavesOtherOwnersAlone) {
    schedule(plan_for(3, "old", {ping("eat", 0ms), ping("ice", 1h)}));
    schedule(plan_for(4, "x", {ping("eat", 0ms)}));
    schedule(plan_for(3, "new", {ping("hydrate", 5min)}));
    auto got = list(3);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].id, "3:new:hydrate");
    EXPECT_FALSE(has_field(3, "3:old:eat"));
    EXPECT_EQ(waiting(), 2);
    EXPECT_EQ(list(4).size(), 1u);
}

TEST_F(reminder_store_test, ClaimLeasesAndAckDeletesLeavingACopyForTheButtons) {
    schedule(plan_for(5, "r", {ping("eat", 0ms), ping("hydrate", 0ms), ping("ice", 1h)}));
    auto got = claim(10, 30s);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_GT(got[0].lease_token, 0);
    EXPECT_TRUE(claim(10).empty());  // leased, not claimable again
    EXPECT_EQ(leased(), 2);
    EXPECT_EQ(list(5).size(), 3u);  // leased ones are still pending for the runner
    for (const auto& r : got) EXPECT_TRUE(sync(store_->ack(r)));
    auto left = list(5);
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].kind, "ice");
    EXPECT_EQ(leased(), 0);
    EXPECT_TRUE(has_field(5, "sent:5:r:eat"));
    EXPECT_FALSE(has_field(5, "5:r:eat"));
}

TEST_F(reminder_store_test, ClaimTakesLanesInOrderThenEarliestFirst) {
    schedule(plan_for(6, "r", {ping("a", -3s), ping("b", -2s), ping("eat", -1s)}));
    auto got = claim(2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].kind, "eat");  // the urgent lane first, though it fell due last
    EXPECT_EQ(got[1].kind, "a");
    EXPECT_EQ(claim(5).size(), 1u);
}

// The cap on the later lane: a claimer full of reminders that can wait still takes every urgent one.
TEST_F(reminder_store_test, LaterLimitCapsOnlyTheLastLane) {
    schedule(plan_for(41, "r", {ping("roll", 0ms), ping("ice", 0ms), ping("hydrate", 0ms), ping("eat", 0ms)}));
    schedule(plan_for(42, "r", {ping("eat", 0ms), ping("roll", 0ms)}));
    auto got = sync(store_->claim_due(10, 30s, 1));
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].kind, "eat");
    EXPECT_EQ(got[1].kind, "eat");
    EXPECT_NE(got[2].kind, "eat");
    EXPECT_EQ(sync(store_->claim_due(10, 30s, 0)).size(), 0u);  // only later ones left, and none may be taken
    EXPECT_EQ(sync(store_->claim_due(10, 30s)).size(), 3u);
}

TEST_F(reminder_store_test, HandBackCountsAnAttemptOnlyForAFailedSend) {
    schedule(plan_for(8, "r", {ping("eat", 0ms)}));
    auto got = claim(1);
    ASSERT_EQ(got.size(), 1u);
    auto now = sync(store_->now_ms());
    EXPECT_TRUE(sync(store_->hand_back(got[0], 50ms, true)));
    EXPECT_EQ(leased(), 0);
    auto next = sync(store_->next_due_ms());
    ASSERT_TRUE(next.has_value());
    EXPECT_GE(*next, now + 50);
    std::this_thread::sleep_for(80ms);
    auto again = claim(1);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempt, 1);
    EXPECT_EQ(again[0].id, got[0].id);
    EXPECT_TRUE(sync(store_->hand_back(again[0], 0ms, false)));  // throttled or shutting down: not its fault
    auto third = claim(1);
    ASSERT_EQ(third.size(), 1u);
    EXPECT_EQ(third[0].attempt, 1);
}

// A re-claim after a lease ran out is not a failed send: the attempt count stays, the token changes, and the old
// holder's ack no longer does anything.
TEST_F(reminder_store_test, ExpiredLeaseIsClaimedAgainWithANewTokenAndTheOldAckIsIgnored) {
    schedule(plan_for(9, "r", {ping("eat", 0ms)}));
    auto got = claim(1, 50ms);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(claim(1, 50ms).empty());
    std::this_thread::sleep_for(80ms);
    auto again = claim(1, 30s);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].id, got[0].id);
    EXPECT_EQ(again[0].attempt, 0);
    EXPECT_NE(again[0].lease_token, got[0].lease_token);
    EXPECT_FALSE(sync(store_->ack(got[0])));
    EXPECT_FALSE(sync(store_->hand_back(got[0], 0ms, true)));
    EXPECT_EQ(leased(), 1);
    EXPECT_TRUE(sync(store_->ack(again[0])));
}

TEST_F(reminder_store_test, RenewExtendsAHeldClaimAndRefusesALostOne) {
    schedule(plan_for(20, "r", {ping("eat", 0ms), ping("roll", 0ms)}));
    auto got = claim(2, 1s);
    ASSERT_EQ(got.size(), 2u);
    const auto old_token = got[0].lease_token;
    EXPECT_TRUE(sync(store_->renew(got[0], 60s)));
    EXPECT_GT(got[0].lease_token, old_token + 50000);
    // The runner snoozed the other one after the claim: the claim no longer holds, nothing may be sent.
    snooze(20, got[1].id, 10min);
    EXPECT_FALSE(sync(store_->renew(got[1], 60s)));
    EXPECT_FALSE(sync(store_->ack(got[1])));
    EXPECT_EQ(list(20).size(), 2u);
    EXPECT_TRUE(sync(store_->ack(got[0])));
}

TEST_F(reminder_store_test, NextDueIsTheEarliestAndEmptyWhenNothingPending) {
    EXPECT_FALSE(sync(store_->next_due_ms()).has_value());
    schedule(plan_for(10, "r", {ping("ice", 2h), ping("roll", 1h)}));
    auto got = list(10);
    EXPECT_EQ(sync(store_->next_due_ms()), got[0].due_ms);
}

// The dispatcher reads Redis's clock from its claims and its outlook rather than with a TIME of its own: each must
// carry the server's time, whether the claim took something or found nothing ready.
TEST_F(reminder_store_test, AClaimAndTheOutlookCarryRedisClock) {
    auto before = sync(store_->now_ms());
    auto empty = sync(store_->claim_due_batch(10, 30s));
    EXPECT_TRUE(empty.reminders.empty());
    EXPECT_GE(empty.now_ms, before);

    schedule(plan_for(11, "r", {ping("eat", 0ms), ping("ice", 1h)}));
    auto claimed = sync(store_->claim_due_batch(10, 30s));
    auto after = sync(store_->now_ms());
    ASSERT_EQ(claimed.reminders.size(), 1u);
    EXPECT_GE(claimed.now_ms, empty.now_ms);
    EXPECT_LE(claimed.now_ms, after);
    EXPECT_EQ(claimed.reminders[0].lease_token, claimed.now_ms + 30000);  // leased from the TIME it reports

    auto outlook = sync(store_->outlook());
    EXPECT_GE(outlook.now_ms, after);
    EXPECT_EQ(outlook.next_due_ms, claimed.reminders[0].lease_token);  // the lease ends before the ice is due
    EXPECT_EQ(outlook.next_due_ms, sync(store_->next_due_ms()));
}

TEST_F(reminder_store_test, SnoozeMovesFromMaxOfDueAndNow) {
    schedule(plan_for(11, "r", {ping("eat", -10min), ping("ice", 1h)}));
    auto before = list(11);
    auto now = sync(store_->now_ms());
    snooze(11, "11:r:eat", 5min);   // overdue: from now
    snooze(11, "11:r:ice", 10min);  // future: from its due time
    auto after = list(11);
    EXPECT_GE(after[0].due_ms, now + 300000);
    EXPECT_LT(after[0].due_ms, now + 305000);
    EXPECT_EQ(after[1].due_ms, before[1].due_ms + 600000);
    EXPECT_THROW(snooze(12, "11:r:eat", 5min), redis_error);  // not the owner's: refused, nothing written
    snooze(11, "11:r:nope", 5min);                            // unknown: nothing happens
    EXPECT_EQ(list(11), after);
}

TEST_F(reminder_store_test, SnoozingALeasedReminderPutsItBackOnDue) {
    schedule(plan_for(13, "r", {ping("eat", 0ms)}));
    ASSERT_EQ(claim(1).size(), 1u);
    snooze(13, "13:r:eat", 1min);
    EXPECT_EQ(leased(), 0);
    EXPECT_EQ(waiting(), 1);
}

TEST_F(reminder_store_test, FinishDeletesOnlyTheOwnersReminder) {
    schedule(plan_for(14, "r", {ping("eat", 0ms), ping("ice", 1h)}));
    EXPECT_THROW(finish(15, "14:r:eat"), redis_error);
    finish(14, "14:r:eat");
    ASSERT_EQ(list(14).size(), 1u);
    EXPECT_TRUE(claim(10).empty());
}

TEST_F(reminder_store_test, CancelAllRemovesEveryReminderOfTheOwnerLeasedOnesToo) {
    schedule(plan_for(16, "r", {ping("eat", 0ms), ping("ice", 1h), ping("roll", 2h)}));
    schedule(plan_for(17, "r", {ping("eat", 0ms)}));
    auto got = claim(1);
    ASSERT_EQ(got.size(), 1u);
    cancel_all(got[0].owner_id);
    EXPECT_TRUE(list(got[0].owner_id).empty());
    EXPECT_EQ(leased(), 0);
    EXPECT_FALSE(sync(store_->ack(got[0])));  // the send finished after the cancel: nothing to ack
    EXPECT_EQ(list(got[0].owner_id == 16 ? 17 : 16).size(), got[0].owner_id == 16 ? 1u : 3u);
}

TEST_F(reminder_store_test, EmptyPlanCancelsAndBadKindIsRefusedBeforeAnyWrite) {
    schedule(plan_for(18, "r", {ping("eat", 1h)}));
    EXPECT_THROW(schedule(plan_for(18, "r2", {ping("ok", 0ms), ping("a:b", 0ms)})), std::invalid_argument);
    EXPECT_EQ(list(18).size(), 1u);
    schedule(plan_for(18, "r3", {}));
    EXPECT_TRUE(list(18).empty());
}

TEST_F(reminder_store_test, ConcurrentAcksAreGroupCommittedCompletely) {
    for (int o = 100; o < 400; ++o) schedule(plan_for(o, "r", {ping("eat", 0ms)}));
    auto got = claim(1000);
    ASSERT_EQ(got.size(), 300u);
    std::vector<std::future<bool>> acks;
    for (const auto& r : got) acks.push_back(net::co_spawn(io_.executor(), store_->ack(r), net::use_future));
    for (auto& f : acks) EXPECT_TRUE(f.get());
    // Only the fixture's marker and the owners' hashes holding the delivered copies (a day) are left.
    EXPECT_EQ(cmd({"DBSIZE"}).as_integer(), 301);
    EXPECT_TRUE(has_field(got.front().owner_id, "sent:" + got.front().id));
    const auto ttl = cmd({"PTTL", keys_.owner(got.front().owner_id)}).as_integer();
    EXPECT_GT(ttl, 86000000);
    EXPECT_LE(ttl, 86400000);
}

// One record C++ or Lua cannot read must not stall anyone: the claim sets it aside and takes the rest.
TEST_F(reminder_store_test, AnUnreadableRecordIsQuarantinedAndTheRestAreClaimed) {
    schedule(plan_for(21, "r", {ping("eat", 0ms)}));
    schedule(plan_for(22, "r", {ping("eat", 0ms)}));
    cmd({"HSET", "t:owner:21", "21:r:eat", "garbage"});
    cmd({"ZADD", "t:due:1", "0", "not-an-id"});
    auto got = claim(10);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].owner_id, 22);
    EXPECT_EQ(cmd({"LLEN", "t:quarantine"}).as_integer(), 2);
    EXPECT_FALSE(has_field(21, "21:r:eat"));
    EXPECT_EQ(waiting(), 0);
    EXPECT_TRUE(claim(10).empty());
}

// A due id whose owner key holds something other than a hash (a stray SET by hand, an old layout) is set aside
// with the reason and removed from its lane; the claim goes on with the others and never throws WRONGTYPE.
TEST_F(reminder_store_test, ADueIdWhoseOwnerKeyIsNotAHashIsSetAsideWithoutStallingTheClaim) {
    schedule(plan_for(23, "r", {ping("eat", 0ms)}));
    schedule(plan_for(24, "r", {ping("eat", 0ms)}));
    cmd({"DEL", "t:owner:23"});
    cmd({"SET", "t:owner:23", "not a hash"});
    auto got = claim(10);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].owner_id, 24);
    ASSERT_EQ(cmd({"LLEN", "t:quarantine"}).as_integer(), 1);
    auto aside = nlohmann::json::parse(cmd({"LINDEX", "t:quarantine", "0"}).as_string());
    EXPECT_EQ(aside["id"], "23:r:eat");
    EXPECT_EQ(aside["reason"], "the owner key is not a hash");
    EXPECT_EQ(waiting(), 0);
    EXPECT_EQ(cmd({"GET", "t:owner:23"}).as_string(), "not a hash");  // someone else's data is not ours to delete
}

TEST_F(reminder_store_test, WakeSubscriptionHearsAnEarlierSchedule) {
    wake_subscription wakes(io_.executor(), shared_redis_url(), keys_.wake(), test_options());
    EXPECT_EQ(sync(wakes.next()), 0);  // the first value after subscribing: re-read next_due_ms()
    schedule(plan_for(19, "r", {ping("eat", 2min), ping("ice", 1min)}));
    auto due = sync(wakes.next());
    EXPECT_EQ(due, list(19).at(0).due_ms);
    EXPECT_TRUE(wakes.subscribed());
    wakes.stop();
    EXPECT_THROW(sync(wakes.next()), boost::system::system_error);
}

}  // namespace
}  // namespace rb::test
