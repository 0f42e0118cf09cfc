// The reminder store's plan modes and delivered copies against a real redis-server: an edited report changes
// only what is pending, a re-plan moves what is pending from the report's moment and never brings back what
// was delivered, and a delivered reminder's Snooze brings it back once while Done and Skip clear it.
#include "storage/reminder_store.hpp"

#include "tests/integration/redis_fixture.hpp"

namespace rb::test {
namespace {

planned_reminder ping(std::string kind, std::chrono::milliseconds offset, std::string text = "") {
    return {kind, offset, text.empty() ? "time to " + kind : text};
}

class plan_modes_test : public redis_test {
protected:
    void SetUp() override {
        redis_test::SetUp();
        store_ = std::make_unique<reminder_store>(*redis_, "m:");
    }
    schedule_plan plan(std::vector<planned_reminder> r, plan_mode mode = plan_mode::replace,
                       std::optional<std::int64_t> anchor = std::nullopt) {
        schedule_plan p{5, 5, "m1", std::move(r), mode, anchor, mode == plan_mode::replace ? "{\"v\":1}" : ""};
        return p;
    }
    std::vector<reminder> list() { return sync(store_->list_for_owner(5)); }
    const reminder* find(const std::vector<reminder>& all, std::string_view kind) {
        for (const auto& r : all)
            if (r.kind == kind) return &r;
        return nullptr;
    }
    // Claims what is due now and acks it: the reminder was delivered.
    void deliver_due() {
        for (const auto& r : sync(store_->claim_due(100, std::chrono::seconds(30)))) sync(store_->ack(r));
    }
    std::unique_ptr<reminder_store> store_;
};

TEST_F(plan_modes_test, ReplaceKeepsTheBasisAndCancelDropsIt) {
    sync(store_->schedule(plan({ping("eat", 0ms), ping("roll", 1h)})));
    EXPECT_EQ(sync(store_->plan_basis(5)), "{\"v\":1}");
    EXPECT_GT(cmd({"TTL", "m:plan:5"}).as_integer(), 600000);
    sync(store_->cancel_all(5));
    EXPECT_EQ(sync(store_->plan_basis(5)), "");
}

TEST_F(plan_modes_test, AnEditChangesOnlyWhatIsPendingAndKeepsItsDueTime) {
    sync(store_->schedule(plan({ping("eat", -1ms), ping("roll", 1h), ping("ice", 2h)})));
    deliver_due();  // the eat-now ping went out
    const auto before = list();
    ASSERT_EQ(before.size(), 2u);
    sync(store_->schedule(plan({ping("eat", 0ms, "new eat"), ping("roll", 5h, "new roll"), ping("epsom", 3h)},
                               plan_mode::edit)));
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
    sync(store_->schedule(plan({ping("eat", -1ms), ping("roll", 1h), ping("hydrate_3", 10h), ping("ice", 2h)})));
    deliver_due();
    sync(store_->schedule(plan({ping("eat", 0ms), ping("roll", 1h), ping("hydrate_3", 4h), ping("epsom", 3h),
                                ping("morning_roll", -5min)},
                               plan_mode::replan, report)));
    const auto after = list();
    EXPECT_FALSE(find(after, "eat"));   // delivered: its sent copy says so
    EXPECT_FALSE(find(after, "ice"));   // pending, but the new plan leaves it out
    ASSERT_TRUE(find(after, "hydrate_3"));
    EXPECT_NEAR(static_cast<double>(find(after, "hydrate_3")->due_ms), static_cast<double>(report + 4 * 3600000), 2000);
    ASSERT_TRUE(find(after, "epsom"));  // new, never delivered, ahead: added
    EXPECT_FALSE(find(after, "morning_roll"));  // new but already in the past: not added
    EXPECT_EQ(find(after, "roll")->text, "time to roll");
    EXPECT_THROW(sync(store_->schedule(plan({ping("roll", 1h)}, plan_mode::replan))), std::invalid_argument);
}

TEST_F(plan_modes_test, SnoozeOnADeliveredReminderBringsItBackOnce) {
    sync(store_->schedule(plan({ping("hydrate", -1ms, "drink up")})));
    deliver_due();
    EXPECT_TRUE(list().empty());
    EXPECT_GT(cmd({"TTL", "m:sent:5:m1:hydrate"}).as_integer(), 86000);
    const auto now = sync(store_->now_ms());
    EXPECT_TRUE(sync(store_->snooze(5, "5:m1:hydrate", std::chrono::minutes(15))));
    auto back = list();
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].text, "drink up");
    EXPECT_NEAR(static_cast<double>(back[0].due_ms), static_cast<double>(now + 15 * 60000), 2000);
    // A second press moves the one reminder on; it never makes two.
    EXPECT_TRUE(sync(store_->snooze(5, "5:m1:hydrate", std::chrono::minutes(15))));
    back = list();
    ASSERT_EQ(back.size(), 1u);
    EXPECT_NEAR(static_cast<double>(back[0].due_ms), static_cast<double>(now + 30 * 60000), 2000);
    EXPECT_EQ(cmd({"EXISTS", "m:sent:5:m1:hydrate"}).as_integer(), 0);
}

TEST_F(plan_modes_test, DoneOnADeliveredReminderClearsItsCopyAndUnknownIdsAreRefused) {
    sync(store_->schedule(plan({ping("roll", -1ms)})));
    deliver_due();
    EXPECT_TRUE(sync(store_->finish(5, "5:m1:roll")));
    EXPECT_EQ(cmd({"EXISTS", "m:sent:5:m1:roll"}).as_integer(), 0);
    EXPECT_FALSE(sync(store_->finish(5, "5:m1:roll")));
    EXPECT_FALSE(sync(store_->snooze(5, "5:m1:roll", std::chrono::minutes(15))));
    EXPECT_TRUE(list().empty());
}

}  // namespace
}  // namespace rb::test
