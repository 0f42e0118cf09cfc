// End-to-end: the real recovery-bot binary over real HTTP(S), a real redis-server and the fake Bot API.
// Statuses for every kind of bad input, keep-alive, deadlines, the connection limit, health and metrics.
#include <csignal>
#include <thread>

#include "bot_fixture.hpp"

namespace rb::test {
namespace {

using namespace std::chrono_literals;

class WebhookOverHttps : public bot_fixture {};
class WebhookOverHttp : public bot_fixture {};

TEST_F(WebhookOverHttps, AcceptsAnUpdateAndRepliesThroughTheApi) {
    start_bot(webhook_env(true));
    auto client = connect(true);
    auto reply = client.request("POST", "/telegram", text_update(1001, 501, "finished 15 miles"), secret_header());
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s)) << bot_->log();
    const auto calls = api_->calls("sendMessage");
    EXPECT_EQ(calls.front().chat_id, 501);
    EXPECT_EQ(calls.front().token, test_token);
    EXPECT_FALSE(calls.front().body.value("text", "").empty());
}

TEST_F(WebhookOverHttps, ReusesOneConnectionForManyUpdates) {
    start_bot(webhook_env(true));
    auto client = connect(true);
    for (int i = 0; i < 5; ++i) {
        auto reply = client.request("POST", "/telegram", text_update(2000 + i, 502, "hello"), secret_header());
        ASSERT_TRUE(reply) << "request " << i << " found the connection closed";
        EXPECT_EQ(reply->status, 200);
        EXPECT_TRUE(reply->keep_alive);
    }
}

TEST_F(WebhookOverHttp, AcceptsAnUpdateOverPlainHttp) {
    start_bot(webhook_env(false));
    auto client = connect(false);
    auto reply = client.request("POST", "/telegram", text_update(3001, 503, "hi"), secret_header());
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
}

TEST_F(WebhookOverHttp, RefusesAWrongOrMissingSecretWith401) {
    start_bot(webhook_env(false));
    auto wrong = connect(false).request("POST", "/telegram", text_update(1, 1, "hi"),
                                        {{"X-Telegram-Bot-Api-Secret-Token", "nope"}});
    auto missing = connect(false).request("POST", "/telegram", text_update(1, 1, "hi"));
    auto prefix_only = connect(false).request("POST", "/telegram", text_update(1, 1, "hi"),
                                              {{"X-Telegram-Bot-Api-Secret-Token", "e2e-secret"}});
    ASSERT_TRUE(wrong && missing && prefix_only);
    EXPECT_EQ(wrong->status, 401);
    EXPECT_EQ(missing->status, 401);
    EXPECT_EQ(prefix_only->status, 401);
    EXPECT_EQ(api_->count("sendMessage"), 0u);
}

TEST_F(WebhookOverHttp, AnswersUnknownPathsWith404AndWrongMethodsWith405) {
    start_bot(webhook_env(false));
    auto unknown = connect(false).request("POST", "/other", text_update(1, 1, "hi"), secret_header());
    auto get = connect(false).request("GET", "/telegram", "", secret_header());
    auto put_health = connect(false).request("PUT", "/healthz");
    ASSERT_TRUE(unknown && get && put_health);
    EXPECT_EQ(unknown->status, 404);
    EXPECT_EQ(get->status, 405);
    EXPECT_EQ(get->headers["allow"], "POST");
    EXPECT_EQ(put_health->status, 405);
}

TEST_F(WebhookOverHttp, RefusesAnOversizedBodyWith413) {
    auto env = webhook_env(false);
    env["MAX_BODY_BYTES"] = "4096";
    start_bot(env);
    const std::string big = text_update(7, 7, std::string(8000, 'a'));
    auto declared = connect(false).request("POST", "/telegram", big, secret_header());
    ASSERT_TRUE(declared);
    EXPECT_EQ(declared->status, 413);
    // Chunked: no Content-Length to refuse up front; the body limit trips while reading.
    auto client = connect(false);
    client.send_raw(
        "POST /telegram HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        "X-Telegram-Bot-Api-Secret-Token: " +
        std::string(test_secret) +
        "\r\n\r\n"
        "2000\r\n" +
        std::string(0x2000, 'a') + "\r\n0\r\n\r\n");
    EXPECT_TRUE(client.closed_by_server(5s));
    auto metrics = connect(false).request("GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find(R"(rb_http_requests_total{route="webhook",status="413"} 2)"), std::string::npos)
        << metrics->body;
}

TEST_F(WebhookOverHttp, AnswersBodiesThatAreNotUpdatesWith400AndAReason) {
    start_bot(webhook_env(false));
    auto not_json = connect(false).request("POST", "/telegram", "this is not json", secret_header());
    auto no_id = connect(false).request("POST", "/telegram", R"({"message":{}})", secret_header());
    auto array = connect(false).request("POST", "/telegram", "[1,2,3]", secret_header());
    ASSERT_TRUE(not_json && no_id && array);
    EXPECT_EQ(not_json->status, 400);
    EXPECT_NE(not_json->body.find("JSON"), std::string::npos) << not_json->body;
    EXPECT_EQ(no_id->status, 400);
    EXPECT_NE(no_id->body.find("update_id"), std::string::npos) << no_id->body;
    EXPECT_EQ(array->status, 400);
}

TEST_F(WebhookOverHttp, KeepsAnUpdateThatCanNeverSucceedAsADeadLetterAndAnswers200) {
    start_bot(webhook_env(false));
    // A real update_id but a chat id of the wrong type: Telegram would re-send a 400 for ever.
    const std::string poison =
        R"({"update_id":4242,"message":{"message_id":1,"date":1,"chat":{"id":"not-a-number","type":"private"},"text":"x"}})";
    auto reply = connect(false).request("POST", "/telegram", poison, secret_header());
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    auto metrics = connect(false).request("GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find("rb_updates_dead_letter_total 1"), std::string::npos) << metrics->body;
}

TEST_F(WebhookOverHttp, AnswersUpdateKindsItDoesNotHandleWith200AndCountsThem) {
    start_bot(webhook_env(false));
    auto channel = connect(false).request(
        "POST", "/telegram",
        R"({"update_id":51,"channel_post":{"message_id":1,"date":1,"chat":{"id":-100,"type":"channel"},"text":"x"}})",
        secret_header());
    auto inline_query = connect(false).request(
        "POST", "/telegram",
        R"({"update_id":52,"inline_query":{"id":"1","from":{"id":1,"is_bot":false,"first_name":"a"},"query":"","offset":""}})",
        secret_header());
    ASSERT_TRUE(channel && inline_query);
    EXPECT_EQ(channel->status, 200);
    EXPECT_EQ(inline_query->status, 200);
    auto metrics = connect(false).request("GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find(R"(rb_updates_total{kind="channel_post"} 1)"), std::string::npos) << metrics->body;
    EXPECT_NE(metrics->body.find(R"(rb_updates_total{kind="other"} 1)"), std::string::npos) << metrics->body;
}

TEST_F(WebhookOverHttp, CutsOffAClientThatStallsInItsHeadersOrBody) {
    auto env = webhook_env(false);
    env["HEADER_TIMEOUT_MS"] = "300";
    env["BODY_TIMEOUT_MS"] = "300";
    start_bot(env);
    auto headers = connect(false);
    headers.send_raw("POST /telegram HTTP/1.1\r\nHost: x\r\n");
    EXPECT_TRUE(headers.closed_by_server(5s));
    auto body = connect(false);
    body.send_raw("POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nX-Telegram-Bot-Api-Secret-Token: " +
                  std::string(test_secret) + "\r\n\r\n{\"upd");
    EXPECT_TRUE(body.closed_by_server(5s));
    // The server is still fine afterwards.
    auto ok = connect(false).request("GET", "/healthz");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
}

TEST_F(WebhookOverHttp, RefusesConnectionsOverTheLimitWith503) {
    auto env = webhook_env(false);
    env["MAX_CONNECTIONS"] = "2";
    start_bot(env);
    auto first = connect(false);
    auto second = connect(false);
    ASSERT_TRUE(first.request("GET", "/healthz"));
    ASSERT_TRUE(second.request("GET", "/healthz"));
    auto third = connect(false).request("GET", "/healthz");
    ASSERT_TRUE(third);
    EXPECT_EQ(third->status, 503);
    EXPECT_FALSE(third->keep_alive);
}

TEST_F(WebhookOverHttp, ReportsHealthAsJsonAndMetricsAsPrometheusText) {
    start_bot(webhook_env(false));
    auto health = connect(false).request("GET", "/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(health->headers["content-type"], "application/json");
    EXPECT_NE(health->body.find(R"("redis":"up")"), std::string::npos) << health->body;
    auto metrics = connect(false).request("GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find("# TYPE rb_http_requests_total counter"), std::string::npos) << metrics->body;
    EXPECT_NE(metrics->body.find(R"(rb_http_requests_total{route="healthz",status="200"} 1)"), std::string::npos);
    EXPECT_NE(metrics->body.find("rb_update_handling_seconds_bucket"), std::string::npos);
}

TEST_F(WebhookOverHttp, HandlesARedeliveredUpdateOnce) {
    start_bot(webhook_env(false));
    const std::string update = text_update(6001, 601, "finished 10k");
    auto first = connect(false).request("POST", "/telegram", update, secret_header());
    auto again = connect(false).request("POST", "/telegram", update, secret_header());
    ASSERT_TRUE(first && again);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(again->status, 200);
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s));
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(api_->count("sendMessage"), 1u);
    auto metrics = connect(false).request("GET", "/metrics");
    EXPECT_NE(metrics->body.find("rb_updates_duplicate_total 1"), std::string::npos) << metrics->body;
}

// REPLY_IN_RESPONSE=on: the update's one reply is the webhook's answer (Telegram makes that call), not an outbox
// entry, while the plan's reminders are stored and sent as ever. Replies leave the outbox before reminders, so had
// the reply been stored, it would be the first sendMessage the Bot API sees: the first one must be a reminder.
TEST_F(WebhookOverHttp, AnswersWithTheReplyWhenRepliesGoInTheResponse) {
    auto env = webhook_env(false);
    env["REPLY_IN_RESPONSE"] = "on";
    env["TIME_SCALE"] = "600";  // the plan's first reminder comes within seconds
    start_bot(env);
    auto quiet = connect(false).request("POST", "/telegram", text_update(6100, 611, "/quiet off"), secret_header());
    ASSERT_TRUE(quiet);  // so the reminders are not held for the night, whatever time the test runs
    const auto quiet_reply = nlohmann::json::parse(quiet->body, nullptr, false);
    ASSERT_TRUE(quiet_reply.is_object()) << quiet->body;
    const std::string update = text_update(6101, 611, "finished 15 miles");
    auto reply = connect(false).request("POST", "/telegram", update, secret_header());
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->headers["content-type"], "application/json");
    const auto call = nlohmann::json::parse(reply->body, nullptr, false);
    ASSERT_TRUE(call.is_object()) << reply->body;
    EXPECT_EQ(call.value("method", ""), "sendMessage");
    EXPECT_EQ(call.value("chat_id", 0), 611);
    EXPECT_EQ(call.value("parse_mode", ""), "HTML");
    const std::string text = call.value("text", "");
    EXPECT_NE(text.find("15"), std::string::npos) << text;

    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 20s)) << bot_->log();
    const std::string first_sent = api_->calls("sendMessage").front().body.value("text", "");
    EXPECT_NE(first_sent, text) << "the reply went out twice";
    EXPECT_NE(first_sent, quiet_reply.value("text", "")) << "the reply went out twice";

    // Telegram re-sends an update whose answer it lost: handled once, and no second reply.
    auto again = connect(false).request("POST", "/telegram", update, secret_header());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
    EXPECT_EQ(again->body, "ok");
    auto metrics = connect(false).request("GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find("rb_replies_in_response_total 2"), std::string::npos) << metrics->body;
}

TEST_F(WebhookOverHttp, Answers503WhileRedisIsDownAndHandlesTheResendOnceItIsBack) {
    redis_server own_redis;
    auto env = webhook_env(false);
    env["REDIS_URL"] = own_redis.url();
    start_bot(env);
    own_redis.stop();
    const std::string update = text_update(7001, 701, "finished 5k");
    auto down = connect(false).request("POST", "/telegram", update, secret_header());
    ASSERT_TRUE(down);
    EXPECT_EQ(down->status, 503);
    auto health = connect(false).request("GET", "/healthz");
    EXPECT_EQ(health->status, 503);
    own_redis.start();
    int status = 0;
    for (int i = 0; i < 100 && status != 200; ++i) {  // Telegram re-sends until it gets a 2xx
        std::this_thread::sleep_for(100ms);
        auto resend = connect(false).request("POST", "/telegram", update, secret_header());
        status = resend ? resend->status : 0;
    }
    EXPECT_EQ(status, 200);
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s));
    EXPECT_EQ(api_->calls("sendMessage").front().chat_id, 701);
}

TEST_F(WebhookOverHttp, FinishesAndExitsCleanlyOnSigterm) {
    start_bot(webhook_env(false));
    auto client = connect(false);
    ASSERT_TRUE(client.request("GET", "/healthz"));
    bot_->signal(SIGTERM);
    EXPECT_EQ(bot_->wait_exit(15s), 0) << bot_->log();
    EXPECT_NE(bot_->log().find("event=stopped"), std::string::npos);
}

TEST_F(WebhookOverHttp, RefusesToStartInWebhookModeWithoutASecret) {
    auto env = webhook_env(false);
    env.erase("WEBHOOK_SECRET");
    bot_process bot(env);
    EXPECT_EQ(bot.wait_listening(5s), 0);
    EXPECT_NE(bot.wait_exit(5s), 0);
    EXPECT_NE(bot.log().find("WEBHOOK_SECRET"), std::string::npos) << bot.log();
}

TEST_F(WebhookOverHttps, NeverLogsTheTokenOrTheSecret) {
    start_bot(webhook_env(true));
    auto client = connect(true);
    client.request("POST", "/telegram", text_update(8001, 801, "finished 15 miles"), secret_header());
    client.request("POST", "/telegram", "garbage", secret_header());
    api_->wait_for("sendMessage", 1, 10s);
    bot_->signal(SIGTERM);
    bot_->wait_exit(15s);
    const std::string log = bot_->log();
    EXPECT_FALSE(log.empty());
    EXPECT_EQ(log.find(test_token), std::string::npos);
    EXPECT_EQ(log.find("TEST-token"), std::string::npos);
    EXPECT_EQ(log.find(test_secret), std::string::npos);
}

}  // namespace
}  // namespace rb::test
