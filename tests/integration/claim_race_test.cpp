// Two dispatchers, each on its own connection, claim and ack the same thousands of due reminders concurrently.
// The claim script is atomic, so every reminder is delivered exactly once while nothing crashes.
#include <mutex>
#include <set>

#include "tests/integration/store_fixture.hpp"

namespace rb::test {
namespace {

class claim_race_test : public store_test {
protected:
    claim_race_test() : store_test("race:") {}
};

// Claims and acks until a claim comes back empty twice in a row; records every id it got.
awaitable<void> claimer(reminder_store& store, std::vector<std::string>& got) {
    int empty = 0;
    while (empty < 2) {
        auto batch = co_await store.claim_due(25, std::chrono::seconds(60));
        empty = batch.empty() ? empty + 1 : 0;
        for (const auto& r : batch) {
            got.push_back(r.id);
            if (!co_await store.ack(r)) got.push_back("lost claim on " + r.id);
        }
    }
}

TEST_F(claim_race_test, TwoClaimersNeverGetTheSameReminder) {
    constexpr int owners = 1000, per_owner = 4;  // 4000 reminders
    for (int o = 0; o < owners; ++o) {
        schedule_plan plan{o, o, "run", {}};
        for (int k = 0; k < per_owner; ++k) plan.reminders.push_back({"k" + std::to_string(k), -1ms * k, "x"});
        schedule(plan);
    }
    redis_connection second(io_.executor(), shared_redis_url(), test_options());
    ASSERT_TRUE(sync(second.wait_connected(5s)));
    reminder_store a(*redis_, keys_), b(second, keys_);
    std::vector<std::string> got_a, got_b;
    auto fa = net::co_spawn(io_.executor(), claimer(a, got_a), net::use_future);
    auto fb = net::co_spawn(io_.executor(), claimer(b, got_b), net::use_future);
    fa.get();
    fb.get();

    EXPECT_GT(got_a.size(), 0u);  // both really took part
    EXPECT_GT(got_b.size(), 0u);
    std::set<std::string> all(got_a.begin(), got_a.end());
    all.insert(got_b.begin(), got_b.end());
    EXPECT_EQ(got_a.size() + got_b.size(), static_cast<std::size_t>(owners * per_owner));
    EXPECT_EQ(all.size(), static_cast<std::size_t>(owners * per_owner));
    EXPECT_EQ(waiting(), 0);
    EXPECT_EQ(leased(), 0);
    // Nothing is left but the owners' hashes of delivered copies, which expire after a day.
    EXPECT_EQ(cmd({"KEYS", "race:*"}).as_array().size(), cmd({"KEYS", "race:owner:*"}).as_array().size());
    EXPECT_GT(cmd({"PTTL", "race:owner:1"}).as_integer(), 0);
}

}  // namespace
}  // namespace rb::test
