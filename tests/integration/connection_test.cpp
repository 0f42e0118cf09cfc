// redis_connection against a real server: pipelining, reply types, error replies, deadlines, unix sockets,
// AUTH/SELECT and calls from several threads. Failure and restart cases are in restart_test.cpp.
#include <set>

#include "tests/integration/redis_fixture.hpp"

namespace rb::test {
namespace {

using connection_test = redis_test;
using type = redis_value::type;

TEST_F(connection_test, PipelinesThousandsOfConcurrentCalls) {
    constexpr int n = 5000;
    std::vector<std::future<redis_value>> futures;
    for (int i = 0; i < n; ++i)  // all n are in flight at once on the one connection
        futures.push_back(net::co_spawn(io_.executor(), redis_->command("INCR", "counter"), net::use_future));
    std::set<std::int64_t> unique;
    for (auto& f : futures) unique.insert(f.get().as_integer());
    EXPECT_EQ(unique.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(*unique.rbegin(), n);
    EXPECT_EQ(cmd({"GET", "counter"}).as_integer(), n);
}

TEST_F(connection_test, MatchesRepliesInOrderWithinABatch) {
    std::vector<std::vector<std::string>> batch;
    for (int i = 0; i < 1000; ++i) batch.push_back(make_argv("RPUSH", "list", std::to_string(i)));
    auto replies = sync(redis_->call_batch(std::move(batch)));
    ASSERT_EQ(replies.size(), 1000u);
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(replies[i].as_integer(), i + 1);
}

TEST_F(connection_test, ConvertsEveryReplyType) {
    EXPECT_EQ(cmd({"SET", "k", std::string("a\0b", 3)}).kind, type::status);
    auto s = cmd({"GET", "k"});
    EXPECT_EQ(s.kind, type::string);
    EXPECT_EQ(s.as_string(), std::string("a\0b", 3));
    EXPECT_TRUE(cmd({"GET", "missing"}).is_nil());
    EXPECT_EQ(cmd({"INCRBY", "n", "-42"}).integer, -42);
    cmd({"RPUSH", "l", "x", "y"});
    auto arr = cmd({"LRANGE", "l", "0", "-1"});
    ASSERT_EQ(arr.as_array().size(), 2u);
    EXPECT_EQ(arr.elements[1].as_string(), "y");
    auto nested = cmd({"EVAL", "return {1, 'two', {3}, redis.error_reply('ERR inner')}", "0"});
    ASSERT_EQ(nested.as_array().size(), 4u);
    EXPECT_EQ(nested.elements[0].integer, 1);
    EXPECT_EQ(nested.elements[2].elements[0].integer, 3);
    EXPECT_TRUE(nested.elements[3].is_error());
    EXPECT_TRUE(cmd({"LRANGE", "nothing", "0", "-1"}).as_array().empty());
}

TEST_F(connection_test, ErrorRepliesThrowAndTheConnectionCarriesOn) {
    cmd({"SET", "str", "v"});
    try {
        cmd({"LPUSH", "str", "x"});
        FAIL() << "expected redis_error";
    } catch (const redis_error& e) {
        EXPECT_EQ(e.code(), storage_errc::error_reply);
        EXPECT_TRUE(e.reply().starts_with("WRONGTYPE")) << e.reply();
    }
    EXPECT_THROW(cmd({"NOSUCHCOMMAND"}), redis_error);
    EXPECT_EQ(cmd({"PING"}).as_string(), "PONG");
}

TEST_F(connection_test, BatchKeepsErrorRepliesAsValues) {
    std::vector<std::vector<std::string>> batch;
    batch.push_back(make_argv("SET", "a", "1"));
    batch.push_back(make_argv("HGET", "a", "f"));
    batch.push_back(make_argv("GET", "a"));
    auto replies = sync(redis_->call_batch(std::move(batch)));
    EXPECT_TRUE(replies[1].is_error());
    EXPECT_THROW(replies[1].check(), redis_error);
    EXPECT_THROW(replies[1].as_string(), redis_error);
    EXPECT_EQ(replies[2].as_string(), "1");
}

TEST_F(connection_test, WrongTypeAccessThrowsUnexpectedReply) {
    try {
        cmd({"PING"}).as_integer();
        FAIL();
    } catch (const boost::system::system_error& e) {
        EXPECT_EQ(e.code(), storage_errc::unexpected_reply);
    }
}

TEST_F(connection_test, UserTextNeverGoesThroughAFormatString) {
    std::string tricky = "%s %d %b\r\n*3\r\n$3\r\nDEL\r\n";
    cmd({"SET", tricky, tricky});
    EXPECT_EQ(cmd({"GET", tricky}).as_string(), tricky);
}

TEST_F(connection_test, CallsFromManyThreadsAllComplete) {
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            net::io_context own;  // each thread awaits on its own executor; the connection hops to its strand
            for (int i = 0; i < 200; ++i) {
                auto key = "t" + std::to_string(t);
                auto fut = net::co_spawn(own, redis_->command("INCR", key), net::use_future);
                own.run();
                own.restart();
                if (fut.get().as_integer() == i + 1) ++ok;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok.load(), 800);
}

TEST_F(connection_test, SlowReplyHitsTheDeadlineAndTheConnectionRecovers) {
    auto opts = test_options();
    opts.call_timeout = 200ms;
    redis_connection fast(io_.executor(), shared_redis_url(), opts);
    ASSERT_TRUE(sync(fast.wait_connected(5s)));
    cmd({"CLIENT", "PAUSE", "700", "ALL"});  // the server holds every client's commands for 0.7 s
    auto start = std::chrono::steady_clock::now();
    try {
        sync(fast.command("PING"));
        FAIL() << "expected a timeout";
    } catch (const boost::system::system_error& e) {
        EXPECT_EQ(e.code(), storage_errc::timeout) << e.what();
        EXPECT_TRUE(is_transient(e.code()));
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 600ms);
    ASSERT_TRUE(sync(fast.wait_connected(5s)));
    EXPECT_EQ(sync(fast.command("PING")).as_string(), "PONG");
    EXPECT_GE(fast.reconnects(), 1u);
}

TEST_F(connection_test, SelectsTheDatabaseFromTheUrl) {
    cmd({"SET", "where", "here"});
    auto url = shared_redis_url();
    url.db = 0;
    redis_connection db0(io_.executor(), url, test_options());
    ASSERT_TRUE(sync(db0.wait_connected(5s)));
    EXPECT_TRUE(sync(db0.command("GET", "where")).is_nil());
}

TEST(RedisConnection, ConnectsOverAUnixSocketWithAPassword) {
    redis_server_options options;
    options.tcp = false;
    options.password = "pa ss:w@rd";
    redis_server server(options);
    io_runner io;
    auto url = parse_redis_url(server.unix_url());
    EXPECT_EQ(url.password, "pa ss:w@rd");
    redis_connection redis(io.executor(), url, test_options());
    ASSERT_TRUE(run_sync(io.executor(), redis.wait_connected(5s))) << redis.last_error();
    EXPECT_EQ(run_sync(io.executor(), redis.command("PING")).as_string(), "PONG");
}

TEST(RedisConnection, WrongPasswordNeverConnectsAndSaysWhy) {
    redis_server_options options;
    options.password = "right";
    redis_server server(options);
    io_runner io;
    auto url = parse_redis_url(server.tcp_url());
    url.password = "wrong";
    redis_connection redis(io.executor(), url, test_options());
    EXPECT_FALSE(run_sync(io.executor(), redis.wait_connected(500ms)));
    auto why = redis.last_error();
    EXPECT_NE(why.find("WRONGPASS"), std::string::npos) << why;
    EXPECT_EQ(why.find("wrong"), std::string::npos) << why;
}

}  // namespace
}  // namespace rb::test
