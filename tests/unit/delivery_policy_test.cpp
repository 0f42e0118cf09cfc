// What follows a send, decided in handlers/: lanes, staleness bounds per kind, retries with capped backoff that stop
// at staleness, hand-backs that count nothing, a block in a group that never deactivates the runner, and a pause for
// the bot's own faults.
#include "handlers/delivery/delivery_policy.hpp"

#include <gtest/gtest.h>

namespace rb {
namespace {

using namespace std::chrono_literals;

reminder at(std::string kind, std::int64_t due_ms, int attempt = 0, std::int64_t chat = 5, std::int64_t owner = 5) {
    reminder r;
    r.id = std::to_string(owner) + ":m1:" + kind;
    r.kind = std::move(kind);
    r.due_ms = due_ms;
    r.attempt = attempt;
    r.chat_id = chat;
    r.owner_id = owner;
    return r;
}

constexpr std::int64_t now = 1'800'000'000'000;

TEST(DeliveryPolicy, LanesPutRepliesThenEatNowFirst) {
    EXPECT_EQ(lane_of("reply"), delivery_lane::reply);
    EXPECT_EQ(lane_of("toast"), delivery_lane::reply);
    EXPECT_EQ(lane_of("eat"), delivery_lane::urgent);
    EXPECT_EQ(lane_of("hydrate_2"), delivery_lane::later);
    EXPECT_EQ(lane_of("morning_roll"), delivery_lane::later);
}

TEST(DeliveryPolicy, StalenessIsBoundedPerKind) {
    EXPECT_EQ(staleness_limit("eat"), 2h);
    EXPECT_EQ(staleness_limit("hydrate_3"), 6h);
    EXPECT_EQ(staleness_limit("toast"), 15s);
    EXPECT_EQ(staleness_limit("morning_roll"), 18h);
    EXPECT_FALSE(stale_reason(at("eat", now - 90 * 60'000), now));
    auto late = stale_reason(at("eat", now - 6 * 3'600'000), now);
    ASSERT_TRUE(late);
    EXPECT_EQ(*late, "stale: eat 360 min late");
    EXPECT_FALSE(stale_reason(at("morning_roll", now - 6 * 3'600'000), now));  // tomorrow's roll still makes sense
}

TEST(DeliveryPolicy, TransientFailuresBackOffUpToTheCapThenStopAtStaleness) {
    const delivery_result failed{send_outcome::transient, {}, "502"};
    auto first = after_delivery(at("roll", now), failed, now);
    EXPECT_EQ(first.verdict, delivery_verdict::retry);
    EXPECT_EQ(first.delay, 5s);
    EXPECT_EQ(after_delivery(at("roll", now, 3), failed, now).delay, 40s);
    EXPECT_EQ(after_delivery(at("roll", now, 12), failed, now).delay, 5min);  // capped
    // An outage of hours: retried as long as the eat ping makes sense, then dropped with a reason.
    auto gone = after_delivery(at("eat", now - 2 * 3'600'000 + 60'000, 9), failed, now);
    EXPECT_EQ(gone.verdict, delivery_verdict::drop);
    EXPECT_EQ(gone.reason, "stale_after_retries");
}

TEST(DeliveryPolicy, ThrottlingHandsBackWithoutCountingAnAttempt) {
    auto step = after_delivery(at("eat", now), delivery_result{send_outcome::throttled, 40s, "429"}, now);
    EXPECT_EQ(step.verdict, delivery_verdict::hand_back);
    EXPECT_EQ(step.delay, 40s);
}

TEST(DeliveryPolicy, ABlockDeactivatesOnlyInTheRunnersOwnPrivateChat) {
    const delivery_result blocked{send_outcome::blocked, {}, "403"};
    EXPECT_EQ(after_delivery(at("eat", now, 0, 5, 5), blocked, now).verdict, delivery_verdict::drop_and_deactivate);
    auto group = after_delivery(at("eat", now, 0, -100123, 5), blocked, now);
    EXPECT_EQ(group.verdict, delivery_verdict::drop);
    EXPECT_EQ(group.reason, "blocked_in_group");
}

TEST(DeliveryPolicy, TheBotsOwnFaultsPauseAndKeepTheMessage) {
    auto step = after_delivery(at("eat", now), delivery_result{send_outcome::bot_fault, {}, "401"}, now);
    EXPECT_EQ(step.verdict, delivery_verdict::pause_sending);
    EXPECT_GT(step.delay, 0ms);
    EXPECT_EQ(after_delivery(at("eat", now), delivery_result{send_outcome::rejected, {}, "400"}, now).verdict,
              delivery_verdict::drop);
    EXPECT_EQ(after_delivery(at("eat", now), delivery_result{}, now).verdict, delivery_verdict::delivered);
}

}  // namespace
}  // namespace rb
