// redis_connection when Redis goes away: a dead port fails fast, a stopped server fails calls at once and in-flight
// calls do not hang, the client reconnects by itself, and scripts are re-loaded after NOSCRIPT.
#include "storage/redis_script.hpp"
#include "tests/integration/redis_fixture.hpp"

namespace rb::test {
namespace {

bool fails_transiently(net::any_io_executor ex, redis_connection& redis) {
    try {
        run_sync(ex, redis.command("PING"));
        return false;
    } catch (const boost::system::system_error& e) {
        return is_transient(e.code());
    }
}

TEST(RedisRestart, DeadPortFailsFast) {
    io_runner io;
    std::uint16_t port;
    {
        redis_server gone;  // a port that was just ours and now has no listener
        port = gone.port();
    }
    redis_connection redis(io.executor(), parse_redis_url("redis://127.0.0.1:" + std::to_string(port)), test_options());
    auto start = std::chrono::steady_clock::now();
    try {
        run_sync(io.executor(), redis.command("PING"));
        FAIL() << "expected unavailable";
    } catch (const boost::system::system_error& e) {
        EXPECT_EQ(e.code(), storage_errc::unavailable);
        EXPECT_TRUE(std::string(e.what()).starts_with("redis unavailable")) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
    EXPECT_FALSE(run_sync(io.executor(), redis.wait_connected(300ms)));
    EXPECT_FALSE(redis.connected());
    EXPECT_NE(redis.last_error().find("refused"), std::string::npos) << redis.last_error();
}

TEST(RedisRestart, CallsFailWhileStoppedAndRecoverAfterRestart) {
    redis_server server;
    io_runner io;
    redis_connection redis(io.executor(), parse_redis_url(server.url()), test_options());
    ASSERT_TRUE(run_sync(io.executor(), redis.wait_connected(5s)));
    run_sync(io.executor(), redis.command("SET", "k", "v"));

    server.stop();
    EXPECT_TRUE(fails_transiently(io.executor(), redis));
    auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(fails_transiently(io.executor(), redis));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);  // fail fast, no waiting for a deadline
    EXPECT_FALSE(redis.connected());

    server.start();
    ASSERT_TRUE(run_sync(io.executor(), redis.wait_connected(5s))) << redis.last_error();
    EXPECT_EQ(run_sync(io.executor(), redis.command("PING")).as_string(), "PONG");
    EXPECT_GE(redis.reconnects(), 1u);
}

TEST(RedisRestart, InFlightCallsFailOnDisconnectInsteadOfHanging) {
    redis_server server;
    io_runner io;
    auto opts = test_options();
    opts.call_timeout = 30s;  // so only the disconnect can end the blocked call
    redis_connection redis(io.executor(), parse_redis_url(server.url()), opts);
    ASSERT_TRUE(run_sync(io.executor(), redis.wait_connected(5s)));
    auto blocked = net::co_spawn(io.executor(), redis.command("BLPOP", "never", "0"), net::use_future);
    std::this_thread::sleep_for(100ms);
    auto start = std::chrono::steady_clock::now();
    server.kill();
    ASSERT_EQ(blocked.wait_for(5s), std::future_status::ready);
    try {
        blocked.get();
        FAIL() << "expected connection_lost";
    } catch (const boost::system::system_error& e) {
        EXPECT_EQ(e.code(), storage_errc::connection_lost);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(RedisRestart, ScriptsAreReloadedAfterNoscript) {
    redis_server server;
    io_runner io;
    redis_connection redis(io.executor(), parse_redis_url(server.url()), test_options());
    ASSERT_TRUE(run_sync(io.executor(), redis.wait_connected(5s)));
    redis_script script("return tonumber(ARGV[1]) * 2");
    auto run = [&](int v) {
        return run_sync(io.executor(), script.run(redis, {}, make_argv(std::to_string(v)))).as_integer();
    };
    EXPECT_EQ(run(21), 42);  // first run: NOSCRIPT, loaded, retried
    EXPECT_EQ(run_sync(io.executor(), redis.command("SCRIPT", "EXISTS", script.sha1())).elements.at(0).integer, 1);

    server.restart();  // no persistence of scripts: the cache is empty again
    ASSERT_TRUE(run_sync(io.executor(), redis.wait_connected(5s)));
    EXPECT_EQ(run(5), 10);

    run_sync(io.executor(), redis.command("SCRIPT", "FLUSH"));
    EXPECT_EQ(run(7), 14);
}

TEST(RedisRestart, ScriptErrorsAreNotRetried) {
    redis_server server;
    io_runner io;
    redis_connection redis(io.executor(), parse_redis_url(server.url()), test_options());
    ASSERT_TRUE(run_sync(io.executor(), redis.wait_connected(5s)));
    redis_script bad("return redis.error_reply('ERR nope')");
    EXPECT_THROW(run_sync(io.executor(), bad.run(redis, {}, {})), redis_error);
}

TEST(RedisRestart, StoppedConnectionFailsEveryCall) {
    redis_server server;
    io_runner io;
    redis_connection redis(io.executor(), parse_redis_url(server.url()), test_options());
    ASSERT_TRUE(run_sync(io.executor(), redis.wait_connected(5s)));
    redis.stop();
    EXPECT_EQ(redis.state(), connection_state::stopped);
    EXPECT_TRUE(fails_transiently(io.executor(), redis));
}

}  // namespace
}  // namespace rb::test
