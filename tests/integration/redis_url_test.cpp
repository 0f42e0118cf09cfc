// URL parsing: every accepted form, the refusals, and that no error message or redacted form shows the password.
// Pure parsing, no server; it lives here because unit_tests links only bot_handlers.
#include "storage/redis_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rb {
namespace {

std::string error_of(std::string_view text) {
    try {
        parse_redis_url(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}

TEST(RedisUrl, ParsesHostPortAndDb) {
    auto u = parse_redis_url("redis://cache.local:6380/3");
    EXPECT_EQ(u.kind, redis_url::transport::tcp);
    EXPECT_EQ(u.host, "cache.local");
    EXPECT_EQ(u.port, 6380);
    EXPECT_EQ(u.db, 3);
    EXPECT_TRUE(u.password.empty());
}

TEST(RedisUrl, DefaultsPortAndDb) {
    auto u = parse_redis_url("redis://localhost");
    EXPECT_EQ(u.port, 6379);
    EXPECT_EQ(u.db, 0);
}

TEST(RedisUrl, ParsesPasswordOnly) {
    auto u = parse_redis_url("redis://:s3cret@127.0.0.1:6379/0");
    EXPECT_TRUE(u.username.empty());
    EXPECT_EQ(u.password, "s3cret");
}

TEST(RedisUrl, ParsesUserAndPercentEncodedPassword) {
    auto u = parse_redis_url("redis://bot:p%40ss%3Aw@10.0.0.2:7000/1");
    EXPECT_EQ(u.username, "bot");
    EXPECT_EQ(u.password, "p@ss:w");
    EXPECT_EQ(u.host, "10.0.0.2");
    EXPECT_EQ(u.port, 7000);
}

TEST(RedisUrl, ParsesBracketedIpv6) {
    auto u = parse_redis_url("redis://[::1]:6390");
    EXPECT_EQ(u.host, "::1");
    EXPECT_EQ(u.port, 6390);
}

TEST(RedisUrl, ParsesUnixSocketWithDb) {
    auto u = parse_redis_url("unix:///var/run/redis/redis.sock?db=4");
    EXPECT_EQ(u.kind, redis_url::transport::unix_socket);
    EXPECT_EQ(u.path, "/var/run/redis/redis.sock");
    EXPECT_EQ(u.db, 4);
}

TEST(RedisUrl, ParsesUnixSocketWithPassword) {
    auto u = parse_redis_url("unix://:pw@/tmp/r.sock");
    EXPECT_EQ(u.password, "pw");
    EXPECT_EQ(u.path, "/tmp/r.sock");
}

TEST(RedisUrl, ParsesTlsAndShowsItInTheRedactedForm) {
    auto u = parse_redis_url("rediss://:topsecret@cache.example.com:6380/2");
    EXPECT_TRUE(u.tls);
    EXPECT_EQ(u.host, "cache.example.com");
    EXPECT_EQ(u.port, 6380);
    EXPECT_EQ(u.db, 2);
    EXPECT_EQ(u.redacted(), "rediss://:***@cache.example.com:6380/2");
    EXPECT_FALSE(parse_redis_url("redis://h:1").tls);
}

TEST(RedisUrl, RefusesTlsErrorsWithoutThePassword) {
    auto msg = error_of("rediss://:topsecret@host:notaport/0");
    EXPECT_FALSE(msg.empty());
    EXPECT_EQ(msg.find("topsecret"), std::string::npos) << msg;
}

TEST(RedisUrl, RefusesUnknownScheme) { EXPECT_FALSE(error_of("http://host").empty()); }
TEST(RedisUrl, RefusesMissingScheme) { EXPECT_FALSE(error_of("localhost:6379").empty()); }
TEST(RedisUrl, RefusesRelativeUnixPath) { EXPECT_FALSE(error_of("unix://redis.sock").empty()); }
TEST(RedisUrl, RefusesBadDb) { EXPECT_FALSE(error_of("redis://h:1/x").empty()); }
TEST(RedisUrl, RefusesUnknownQueryParameter) { EXPECT_FALSE(error_of("unix:///s?timeout=3").empty()); }

TEST(RedisUrl, NeverEchoesThePasswordInErrors) {
    for (auto text : {"redis://:hunter2@host:notaport/0", "redis://hunter2:xx@host:99999", "redis://hunter2:x",
                      "redis://:hunter2%zz@host", "redis://:hunter2@host/zz", "ftp://:hunter2@host"}) {
        auto msg = error_of(text);
        EXPECT_FALSE(msg.empty()) << text;
        EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
    }
}

// A password written without its '@' would otherwise be looked up as a host name (and leak into DNS queries).
TEST(RedisUrl, RefusesAPasswordWithoutItsAtSign) {
    for (auto text : {"redis://:hunter2localhost:6379/0", "redis://:hunter2/0", "redis://hunter2!x:6379"}) {
        auto msg = error_of(text);
        EXPECT_FALSE(msg.empty()) << text;
        EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
    }
    EXPECT_NE(error_of("redis://:hunter2localhost:6379/0").find("needs '@'"), std::string::npos);
    EXPECT_EQ(parse_redis_url("redis://redis-primary_1.internal:6379").host, "redis-primary_1.internal");
}

TEST(RedisUrl, RedactedFormHidesThePassword) {
    auto u = parse_redis_url("redis://bot:hunter2@h:1/2");
    EXPECT_EQ(u.redacted(), "redis://bot:***@h:1/2");
    EXPECT_EQ(parse_redis_url("unix:///s?db=1").redacted(), "unix:///s?db=1");
}

// RFC 3986 (Boost.URL): an '@' inside a password must be written %40. Unescaped, it is refused with a message
// that says how to write it, and without the password.
TEST(RedisUrl, AnUnescapedAtInThePasswordIsRefusedWithTheFix) {
    const auto msg = error_of("redis://:hunt@er2@host:6379/0");
    EXPECT_NE(msg.find("%40"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("hunt"), std::string::npos) << msg;
    EXPECT_EQ(parse_redis_url("redis://:hunt%40er2@host:6379/0").password, "hunt@er2");
}

TEST(RedisUrl, DbComesFromThePathOrTheQuery) {
    EXPECT_EQ(parse_redis_url("redis://h:1/").db, 0);
    EXPECT_EQ(parse_redis_url("redis://h:1?db=5").db, 5);
    EXPECT_EQ(parse_redis_url("rediss://h/7").db, 7);
    EXPECT_FALSE(error_of("redis://h:1/0#frag").empty());
    EXPECT_FALSE(error_of("unix://host/s.sock").empty());  // a host before the path is not a socket path
}

}  // namespace
}  // namespace rb
