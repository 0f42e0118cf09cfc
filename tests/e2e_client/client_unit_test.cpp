// The client's pure parts, no sockets: API root parsing, token redaction, message splitting, the mapping
// from HTTP replies to outcomes, and the rate limiter's pauses.
#include <gtest/gtest.h>

#include "bot/telegram/api_result.hpp"
#include "bot/telegram/api_root.hpp"
#include "bot/telegram/rate_limiter.hpp"
#include "bot/telegram/text_split.hpp"

namespace rb {
namespace {

using namespace std::chrono_literals;

TEST(ApiRoot, ParsesHttpsWithDefaultPort) {
    auto r = parse_api_root("https://api.telegram.org");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->tls);
    EXPECT_EQ(r->host, "api.telegram.org");
    EXPECT_EQ(r->port, "443");
    EXPECT_EQ(r->base_path, "");
}

TEST(ApiRoot, ParsesHttpWithPortAndPath) {
    auto r = parse_api_root("http://127.0.0.1:8081/tg/");
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->tls);
    EXPECT_EQ(r->port, "8081");
    EXPECT_EQ(r->base_path, "/tg");
}

TEST(ApiRoot, RejectsOtherSchemesBadPortsAndCredentials) {
    std::string reason;
    EXPECT_FALSE(parse_api_root("ftp://x", &reason));
    EXPECT_FALSE(reason.empty());
    EXPECT_FALSE(parse_api_root("http://host:0"));
    EXPECT_FALSE(parse_api_root("http://host:99999"));
    EXPECT_FALSE(parse_api_root("https://user:pw@host"));
    EXPECT_FALSE(parse_api_root("https://"));
    EXPECT_FALSE(parse_api_root("https://api.telegram.org/?x=1"));
    EXPECT_FALSE(parse_api_root("https://api.telegram.org/#x"));
    EXPECT_FALSE(parse_api_root("https://api telegram.org"));
}

TEST(ApiRoot, ParsesBracketedIpv6) {
    auto r = parse_api_root("http://[::1]:8081");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->host, "::1");
    EXPECT_EQ(r->port, "8081");
    EXPECT_EQ(r->base_path, "");
}

TEST(RedactToken, RemovesOurTokenAndAnyBotSegment) {
    auto s = redact_token("POST /bot123:TEST/sendMessage and /bot987:abc-DEF_1/getMe", "123:TEST");
    EXPECT_EQ(s.find("123:TEST"), std::string::npos);
    EXPECT_EQ(s.find("987:abc"), std::string::npos);
    EXPECT_NE(s.find("/sendMessage"), std::string::npos);
}

TEST(SplitMessage, ShortTextIsOnePart) {
    EXPECT_EQ(split_message("hello"), std::vector<std::string>{"hello"});
    EXPECT_EQ(split_message(""), std::vector<std::string>{""});
}

TEST(SplitMessage, SplitsAtTheLastLineBreakWithinTheLimit) {
    auto parts = split_message("aaaa\nbbbb\ncccc", 10);
    EXPECT_EQ(parts, (std::vector<std::string>{"aaaa\nbbbb", "cccc"}));
}

TEST(SplitMessage, FallsBackToSpacesThenCodePoints) {
    EXPECT_EQ(split_message("aaa bbb ccc", 8), (std::vector<std::string>{"aaa bbb", "ccc"}));
    auto parts = split_message("ééééé", 2);  // two-byte code points are never cut in half
    EXPECT_EQ(parts, (std::vector<std::string>{"éé", "éé", "é"}));
}

TEST(SplitMessage, CountsAstralCharactersAsTwoUnits) {
    EXPECT_EQ(telegram_length("a🏃"), 3u);
    auto parts = split_message("🏃🏃🏃", 4);
    EXPECT_EQ(parts.size(), 2u);
}

TEST(ClassifyReply, MapsStatusesToOutcomes) {
    EXPECT_EQ(classify_reply(200, R"({"ok":true,"result":{"message_id":3}})").status, api_status::ok);
    EXPECT_EQ(classify_reply(403, R"({"ok":false,"error_code":403,"description":"Forbidden"})").status,
              api_status::blocked);
    EXPECT_EQ(classify_reply(502, "<html>bad gateway</html>").status, api_status::transient);
    EXPECT_EQ(classify_reply(400, R"({"ok":false,"description":"Bad Request: x"})").status, api_status::failed);
    EXPECT_EQ(classify_reply(200, "not json").status, api_status::transient);
}

TEST(ClassifyReply, ReadsRetryAfterFromParameters) {
    auto r = classify_reply(429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":7}})");
    EXPECT_EQ(r.status, api_status::retry_after);
    EXPECT_EQ(r.retry_after, 7s);
    EXPECT_EQ(classify_reply(429, "{}").retry_after, 1s);  // missing: wait at least a second
}

TEST(RateLimiter, RetryAfterPausesTheChatOnly) {
    rate_limiter limiter(rate_limits{});
    EXPECT_FALSE(limiter.on_retry_after(1, 5s));
    EXPECT_GT(limiter.paused_until(1), std::chrono::steady_clock::now() + 4s);
    EXPECT_LT(limiter.paused_until(2), std::chrono::steady_clock::now());
}

TEST(RateLimiter, ManyChatsThrottledAtOnceMeansAGlobalPause) {
    rate_limiter limiter(rate_limits{});
    limiter.on_retry_after(1, 3s);
    limiter.on_retry_after(2, 3s);
    EXPECT_TRUE(limiter.on_retry_after(3, 3s));
    EXPECT_GT(limiter.paused_until(99), std::chrono::steady_clock::now() + 2s);
}

TEST(RateLimiter, RetryAfterWithoutAChatPausesEverything) {
    rate_limiter limiter(rate_limits{});
    EXPECT_TRUE(limiter.on_retry_after(std::nullopt, 2s));
    EXPECT_GT(limiter.paused_until(5), std::chrono::steady_clock::now() + 1s);
}

}  // namespace
}  // namespace rb
