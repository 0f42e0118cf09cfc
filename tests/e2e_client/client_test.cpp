// The Telegram client against the fake Bot API over real loopback HTTP: request bodies, splitting, and the
// retry policy (429 honoured, 5xx and dropped connections retried, 403 blocked, 4xx final, hangs isolated).
#include <gtest/gtest.h>

#include "bot/telegram/telegram_client.hpp"
#include "tests/e2e_client/test_io.hpp"
#include "tests/fake_telegram/fake_telegram.hpp"

namespace rb {
namespace {

using namespace std::chrono_literals;
using test::fault;
using test::fault_kind;

fault on(fault_kind kind, std::string method, std::optional<std::int64_t> chat = std::nullopt, int times = -1,
         int retry_after_s = 1) {
    return fault{kind, std::move(method), chat, times, retry_after_s};
}

class ClientTest : public ::testing::Test {
protected:
    client_options options() {
        client_options o;
        o.api_root = fake.root();
        o.token = "123:TEST";
        o.limits.enabled = false;
        o.backoff_initial = 10ms;
        o.backoff_cap = 40ms;
        o.request_timeout = 3s;
        return o;
    }
    api_result send(std::int64_t chat, std::string text, button_rows buttons = {}) {
        return io.sync(client->send(send_message{chat, std::move(text), std::move(buttons), std::nullopt}));
    }
    void SetUp() override { client = std::make_unique<telegram_client>(io.executor(), options()); }

    test::io_thread io;
    test::fake_telegram fake;
    std::unique_ptr<telegram_client> client;
};

TEST_F(ClientTest, SendMessagePostsHtmlTextAndInlineKeyboard) {
    button_rows rows{{{"Done", "r:done:7:a:eat"}, {"Skip", "r:skip:7:a:eat"}}};
    auto r = send(42, "<b>Eat</b> now", rows);
    ASSERT_TRUE(r.ok()) << r.description;
    EXPECT_EQ(r.result.value("message_id", 0), 1);
    auto calls = fake.calls("sendMessage");
    ASSERT_EQ(calls.size(), 1u);
    const auto& body = calls[0].body;
    EXPECT_EQ(calls[0].token, "123:TEST");
    EXPECT_EQ(body["chat_id"], 42);
    EXPECT_EQ(body["text"], "<b>Eat</b> now");
    EXPECT_EQ(body["parse_mode"], "HTML");
    EXPECT_EQ(body["reply_markup"]["inline_keyboard"][0][1]["text"], "Skip");
    EXPECT_EQ(body["reply_markup"]["inline_keyboard"][0][1]["callback_data"], "r:skip:7:a:eat");
}

TEST_F(ClientTest, LongTextIsSplitAtLineBreaksWithButtonsOnTheLastPart) {
    std::string line(2000, 'x');
    auto r = send(5, line + "\n" + line + "\n" + line, {{{"Done", "r:done:1"}}});
    ASSERT_TRUE(r.ok());
    auto calls = fake.calls("sendMessage");
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].body["text"], line + "\n" + line);
    EXPECT_EQ(calls[1].body["text"], line);
    EXPECT_FALSE(calls[0].body.contains("reply_markup"));
    EXPECT_TRUE(calls[1].body.contains("reply_markup"));
}

TEST_F(ClientTest, RetryAfterIsHonouredBeforeTheNextCallToThatChat) {
    fake.add_fault(on(fault_kind::retry_after, "sendMessage", 9, 1, 1));
    auto r = send(9, "hydrate");
    ASSERT_TRUE(r.ok()) << r.description;
    EXPECT_EQ(r.attempts, 2);
    auto calls = fake.calls("sendMessage");
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].answered, 429u);
    EXPECT_GE(calls[1].received - calls[0].received, 1s);
}

TEST_F(ClientTest, RetryAfterPausesOnlyThatChat) {
    fake.add_fault(on(fault_kind::retry_after, "sendMessage", 9, 1, 2));
    auto paused = io.spawn(client->send(send_message{9, "a", {}, std::nullopt}));
    ASSERT_TRUE(fake.wait_for("sendMessage", 1, 5s));
    auto other = send(10, "b");  // not held behind chat 9's two-second pause
    EXPECT_TRUE(other.ok());
    EXPECT_EQ(fake.calls("sendMessage").size(), 2u);
    EXPECT_TRUE(paused.get().ok());
    auto calls = fake.calls("sendMessage");
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[2].chat_id, 9);
    EXPECT_GE(calls[2].received - calls[0].received, 2s);
}

TEST_F(ClientTest, ServerErrorsAreRetriedWithBackoff) {
    fake.add_fault(on(fault_kind::server_error, "sendMessage", std::nullopt, 2));
    auto r = send(3, "ice");
    ASSERT_TRUE(r.ok()) << r.description;
    EXPECT_EQ(r.attempts, 3);
    EXPECT_EQ(fake.count("sendMessage"), 3u);
}

TEST_F(ClientTest, PersistentServerErrorsGiveUpAsTransient) {
    fake.add_fault(on(fault_kind::server_error, "sendMessage"));
    auto r = send(3, "ice");
    EXPECT_EQ(r.status, api_status::transient);
    EXPECT_EQ(r.http_status, 500u);
    EXPECT_EQ(fake.count("sendMessage"), 4u);  // max_attempts
}

TEST_F(ClientTest, ForbiddenIsReportedAsBlockedWithoutRetry) {
    fake.add_fault(on(fault_kind::forbidden, "sendMessage", 77));
    auto r = send(77, "roll");
    EXPECT_EQ(r.status, api_status::blocked);
    EXPECT_EQ(fake.count("sendMessage"), 1u);
}

TEST_F(ClientTest, OtherClientErrorsAreFinalWithTheirDescription) {
    fake.add_fault(on(fault_kind::bad_request, "sendMessage"));
    auto r = send(8, "roll");
    EXPECT_EQ(r.status, api_status::failed);
    EXPECT_EQ(r.description, "Bad Request: chat not found");
    EXPECT_EQ(fake.count("sendMessage"), 1u);
}

TEST_F(ClientTest, DroppedConnectionIsRetried) {
    fake.add_fault(on(fault_kind::drop, "sendMessage", std::nullopt, 1));
    auto r = send(4, "eat");
    ASSERT_TRUE(r.ok()) << r.description;
    EXPECT_EQ(fake.count("sendMessage"), 2u);
}

TEST_F(ClientTest, HangingChatDoesNotStallOtherChats) {
    fake.add_fault(on(fault_kind::hang, "sendMessage", 1));
    call_options once;
    once.retry = false;
    auto hung = io.spawn(client->send(send_message{1, "stuck", {}, std::nullopt}, once));
    ASSERT_TRUE(fake.wait_for("sendMessage", 1, 5s));
    for (std::int64_t chat = 2; chat <= 6; ++chat) EXPECT_TRUE(send(chat, "fine").ok());
    EXPECT_NE(hung.wait_for(0s), std::future_status::ready);  // still waiting on its own connection
    auto r = hung.get();                                      // ends at its deadline
    EXPECT_EQ(r.status, api_status::transient);
    EXPECT_EQ(r.description, "timeout");
}

TEST_F(ClientTest, KeepAliveConnectionsAreReused) {
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(send(11, "x").ok());
    EXPECT_EQ(fake.count("sendMessage"), 5u);
}

TEST_F(ClientTest, PerChatLimitSpacesMessagesToOneChat) {
    auto o = options();
    o.limits.enabled = true;
    o.limits.per_chat_per_second = 1.0 / 0.3;  // one per 300 ms
    client = std::make_unique<telegram_client>(io.executor(), o);
    ASSERT_TRUE(send(12, "one").ok());
    ASSERT_TRUE(send(12, "two").ok());
    auto calls = fake.calls("sendMessage");
    ASSERT_EQ(calls.size(), 2u);
    // The limiter spaces the starts of requests; arrivals also differ by connect time (the first opens the
    // connection), hence the allowance.
    EXPECT_GE(calls[1].received - calls[0].received, 250ms);
}

TEST_F(ClientTest, TokenNeverAppearsInResults) {
    auto o = options();
    o.api_root = "http://127.0.0.1:1";  // nothing listens: connection refused
    o.max_attempts = 1;
    client = std::make_unique<telegram_client>(io.executor(), o);
    auto r = send(1, "x");
    EXPECT_EQ(r.status, api_status::transient);
    EXPECT_EQ(r.description.find("123:TEST"), std::string::npos);
}

TEST_F(ClientTest, EditAndAnswerCallbackBodies) {
    ASSERT_TRUE(io.sync(client->edit(edit_message{5, 17, "Done ✓"})).ok());
    ASSERT_TRUE(io.sync(client->answer(answer_callback{"cq1", "Snoozed"})).ok());
    auto edit = fake.calls("editMessageText");
    ASSERT_EQ(edit.size(), 1u);
    EXPECT_EQ(edit[0].body["message_id"], 17);
    EXPECT_EQ(edit[0].body["text"], "Done ✓");
    auto answer = fake.calls("answerCallbackQuery");
    ASSERT_EQ(answer.size(), 1u);
    EXPECT_EQ(answer[0].body["callback_query_id"], "cq1");
}

TEST_F(ClientTest, GetMeReturnsTheBot) {
    auto r = io.sync(client->get_me());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.result["username"], "recovery_test_bot");
}

}  // namespace
}  // namespace rb
