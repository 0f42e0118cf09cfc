// The reminder store's plan modes and delivered copies against a real redis-server: an edited report changes
// only what is pending, a re-plan moves what is pending from the report's moment and never brings back what
// was delivered, and a delivered reminder's Snooze brings it back once while Done and Skip clear it.
#include "tests/integration/store_fixture.hpp"

namespace rb::test {
namespace {

class plan_modes_test : public store_test {
protected:
    plan_modes_test() : store_test("m:") {}
    schedule_plan plan(std::vector<planned_reminder> r, plan_mode mode = plan_mode::replace,
                       std::optional<std::int64_t> anchor = std::nullopt) {
        schedule_plan p{5, 5, "m1", std::move(r), mode, anchor, mode == plan_mode::replace ? "{\"v\":1}" : ""};
        return p;
    }
    std::vector<reminder> list() { return store_test::list(5); }
    const reminder* find(const std::vector<reminder>& all, std::string_view kind) {
        for (const auto& r : all)
            if (r.kind == kind) return &r;
        return nullptr;
    }
    // Claims what is due now and acks it: the reminder was delivered.
    void deliver_due() {
        for (const auto& r : sync(store_->claim_due(100, std::chrono::seconds(30)))) sync(store_->ack(r));
    }
};

TEST_F(plan_modes_test, ReplaceKeepsTheBasisAndCancelDropsIt) {
    schedule((plan({ping("eat", 0ms), ping("roll", 1h)})));
    EXPECT_EQ(load(5).plan_basis, "{\"v\":1}");
    EXPECT_GT(cmd({"TTL", "m:plan:5"}).as_integer(), 600000);
    cancel_all(5);
    EXPECT_EQ(load(5).plan_basis, "");
}

TEST_F(plan_modes_test, AnEditChangesOnlyWhatIsPendingAndKeepsItsDueTime) {
    schedule((plan({ping("eat", -1ms), ping("roll", 1h), ping("ice", 2h)})));
    deliver_due();  // the eat-now ping went out
    const auto before = list();
    ASSERT_EQ(before.size(), 2u);
    schedule((plan({ping("eat", 0ms, "new eat"), ping("roll", 5h, "new roll"), ping("epsom", 3h)}, plan_mode::edit)));
    const auto after = list();
    ASSERT_EQ(after.size(), 2u);  // no eat again, no new epsom
    EXPECT_EQ(find(after, "roll")->text, "new roll");
    EXPECT_EQ(find(after, "roll")->due_ms, find(before, "roll")->due_ms);
    EXPECT_EQ(find(after, "ice")->text, "time to ice");
    EXPECT_FALSE(find(after, "eat"));
    EXPECT_TRUE(sync(store_->claim_due(10, std::chrono::seconds(30))).empty());
}

TEST_F(plan_modes_test, AReplanMovesWhatIsPendingFromTheAnchorAndNeverRevivesWhatWasDelivered) {
    const auto report = sync(store_->now_ms());
    schedule((plan({ping("eat", -1ms), ping("roll", 1h), ping("hydrate_3", 10h), ping("ice", 2h)})));
    deliver_due();
    schedule((plan(
        {ping("eat", 0ms), ping("roll", 1h), ping("hydrate_3", 4h), ping("epsom", 3h), ping("morning_roll", -5min)},
        plan_mode::replan, report)));
    const auto after = list();
    EXPECT_FALSE(find(after, "eat"));  // delivered: its sent copy says so
    EXPECT_FALSE(find(after, "ice"));  // pending, but the new plan leaves it out
    ASSERT_TRUE(find(after, "hydrate_3"));
    EXPECT_NEAR(static_cast<double>(find(after, "hydrate_3")->due_ms), static_cast<double>(report + 4 * 3600000), 2000);
    ASSERT_TRUE(find(after, "epsom"));          // new, never delivered, ahead: added
    EXPECT_FALSE(find(after, "morning_roll"));  // new but already in the past: not added
    EXPECT_EQ(find(after, "roll")->text, "time to roll");
    EXPECT_THROW(schedule((plan({ping("roll", 1h)}, plan_mode::replan))), std::invalid_argument);
}

TEST_F(plan_modes_test, SnoozeOnADeliveredReminderBringsItBackOnce) {
    schedule((plan({ping("hydrate", -1ms, "drink up")})));
    deliver_due();
    EXPECT_TRUE(list().empty());
    EXPECT_TRUE(has_field(5, "sent:5:m1:hydrate"));
    EXPECT_GT(cmd({"PTTL", "m:owner:5"}).as_integer(), 86000000);  // nothing pending: the copy expires in a day
    const auto now = sync(store_->now_ms());
    snooze(5, "5:m1:hydrate", std::chrono::minutes(15));
    EXPECT_EQ(cmd({"PTTL", "m:owner:5"}).as_integer(), -1);  // pending again: kept until it is delivered
    auto back = list();
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].text, "drink up");
    EXPECT_NEAR(static_cast<double>(back[0].due_ms), static_cast<double>(now + 15 * 60000), 2000);
    // A second press moves the one reminder on; it never makes two.
    snooze(5, "5:m1:hydrate", std::chrono::minutes(15));
    back = list();
    ASSERT_EQ(back.size(), 1u);
    EXPECT_NEAR(static_cast<double>(back[0].due_ms), static_cast<double>(now + 30 * 60000), 2000);
    EXPECT_FALSE(has_field(5, "sent:5:m1:hydrate"));
}

TEST_F(plan_modes_test, DoneOnADeliveredReminderClearsItsCopyAndThenNothingComesBack) {
    schedule((plan({ping("roll", -1ms)})));
    deliver_due();
    finish(5, "5:m1:roll");
    EXPECT_FALSE(has_field(5, "sent:5:m1:roll"));
    finish(5, "5:m1:roll");
    snooze(5, "5:m1:roll", std::chrono::minutes(15));  // the copy is gone: a late Snooze brings nothing back
    EXPECT_TRUE(list().empty());
}

}  // namespace
}  // namespace rb::test
