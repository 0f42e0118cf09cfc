// REPLY_IN_RESPONSE's answer: the sendMessage Telegram makes for the bot, with the same body the client sends; and
// CALLBACK_ANSWER_IN_RESPONSE's: a button press's answerCallbackQuery.
#include "bot/telegram/webhook_reply.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace rb {
namespace {

TEST(WebhookReply, IsTheSendMessageTheClientWouldMake) {
    send_message m;
    m.chat_id = -1001234567890123;  // beyond 2^53 in magnitude is fine: JSON integers, not doubles
    m.text = "Nice run! <b>Eat now</b>";
    m.reply_to_message_id = 77;
    m.buttons = {{{"Done", "r:done:1"}, {"Snooze 15 min", "r:snooze:1"}}};
    const auto body = webhook_reply_body(m);
    ASSERT_TRUE(body);
    const auto j = nlohmann::json::parse(*body);
    EXPECT_EQ(j["method"], "sendMessage");
    EXPECT_EQ(j["chat_id"], -1001234567890123);
    EXPECT_EQ(j["text"], m.text);
    EXPECT_EQ(j["parse_mode"], "HTML");
    EXPECT_EQ(j["reply_parameters"]["message_id"], 77);
    EXPECT_EQ(j["reply_markup"]["inline_keyboard"][0][1]["callback_data"], "r:snooze:1");
}

TEST(WebhookReply, ATextTooLongForOneMessageStaysInTheOutbox) {
    send_message m;
    m.chat_id = 5;
    m.text = std::string(4096, 'a');
    EXPECT_TRUE(webhook_reply_body(m));
    m.text += "a";  // Telegram would refuse it; the outbox sends it in parts
    EXPECT_FALSE(webhook_reply_body(m));
}

TEST(WebhookReply, AButtonAnswerIsTheAnswerCallbackQueryTheClientWouldMake) {
    const auto j = nlohmann::json::parse(webhook_answer_body(answer_callback{"cq42", "Done \xe2\x9c\x85"}));
    EXPECT_EQ(j["method"], "answerCallbackQuery");
    EXPECT_EQ(j["callback_query_id"], "cq42");
    EXPECT_EQ(j["text"], "Done \xe2\x9c\x85");
    const auto silent = nlohmann::json::parse(webhook_answer_body(answer_callback{"cq43", ""}));
    EXPECT_EQ(silent["callback_query_id"], "cq43");
    EXPECT_FALSE(silent.contains("text"));  // no toast: the button only stops spinning
    EXPECT_TRUE(nlohmann::json::accept(webhook_answer_body(answer_callback{"cq44", "bad \xff byte"})));
}

TEST(WebhookReply, InvalidUtf8IsReplacedNotThrown) {
    send_message m;
    m.chat_id = 5;
    m.text = "bad \xff byte";
    const auto body = webhook_reply_body(m);
    ASSERT_TRUE(body);
    EXPECT_TRUE(nlohmann::json::accept(*body));
}

}  // namespace
}  // namespace rb
