// Reminders survive a Redis restart with appendonly yes: a clean stop (SIGTERM) and a crash (SIGKILL, with
// appendfsync always) both keep what schedule() had acknowledged, and the client reconnects to find it.
#include "storage/reminder_store.hpp"
#include "tests/integration/redis_fixture.hpp"

namespace rb::test {
namespace {

void schedule_then_restart(bool crash) {
    redis_server_options options;
    options.appendonly = true;
    redis_server server(options);
    io_runner io;
    redis_connection redis(io.executor(), parse_redis_url(server.url()), test_options());
    ASSERT_TRUE(run_sync(io.executor(), redis.wait_connected(5s)));
    reminder_store store(redis, redis_keys("d:"));
    schedule_plan plan{42, 42, "run", {{"eat", 0ms, "eat now"}, {"ice", 1h, "ice bath"}}};
    run_sync(io.executor(), store.schedule(plan));
    auto before = run_sync(io.executor(), store.list_for_owner(42));

    if (crash)
        server.kill();
    else
        server.stop();
    server.start();
    ASSERT_TRUE(run_sync(io.executor(), redis.wait_connected(5s))) << redis.last_error();

    EXPECT_EQ(run_sync(io.executor(), store.list_for_owner(42)), before);
    auto claimed = run_sync(io.executor(), store.claim_due(10, 30s));  // scripts reload after the restart
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].text, "eat now");
}

TEST(ReminderDurability, SurviveACleanRestartWithAppendOnly) { schedule_then_restart(false); }
TEST(ReminderDurability, SurviveACrashWithAppendOnly) { schedule_then_restart(true); }

}  // namespace
}  // namespace rb::test
