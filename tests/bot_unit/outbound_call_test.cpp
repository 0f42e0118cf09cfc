// The outbox's call codec: every outbound action survives the round trip, and what cannot be read back is refused
// (nullopt), never thrown, so one bad entry is dropped with a reason instead of stalling the dispatcher.
#include "bot/effects/outbound_call.hpp"

#include <gtest/gtest.h>

#include "bot/telegram/api_result.hpp"

namespace rb {
namespace {

TEST(OutboundCall, ASendWithButtonsAndAReplyRoundTrips) {
    send_message m{
        -1001234567890123, "<b>Plan</b> | 3:1 carbs", {{{"Done", "r:done:1"}, {"Snooze", "r:snooze:1"}}}, 42};
    auto entry = outbox_entry_of(m);
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->kind, "reply");
    EXPECT_EQ(entry->chat_id, m.chat_id);
    auto back = decode_outbound(entry->call);
    ASSERT_TRUE(back);
    const auto& got = std::get<send_message>(*back);
    EXPECT_EQ(got.chat_id, m.chat_id);
    EXPECT_EQ(got.text, m.text);
    EXPECT_EQ(got.buttons, m.buttons);
    EXPECT_EQ(got.reply_to_message_id, 42);
}

TEST(OutboundCall, EditsAndToastsRoundTrip) {
    auto edit = outbox_entry_of(edit_message{7, 99, "edited"});
    ASSERT_TRUE(edit);
    EXPECT_EQ(edit->kind, "edit");
    auto e = std::get<edit_message>(*decode_outbound(edit->call));
    EXPECT_EQ(e.message_id, 99);
    auto toast = outbox_entry_of(answer_callback{"cb-1", ""});
    ASSERT_TRUE(toast);
    EXPECT_EQ(toast->kind, "toast");
    EXPECT_EQ(std::get<answer_callback>(*decode_outbound(toast->call)).callback_query_id, "cb-1");
}

TEST(OutboundCall, StorageActionsAreNotOutboundCalls) {
    EXPECT_FALSE(outbox_entry_of(cancel_all_reminders{1}));
    EXPECT_FALSE(outbox_entry_of(forget_owner{1}));
}

TEST(OutboundCall, WhatCannotBeReadBackIsRefused) {
    for (const char* bad : {"", "not json", "[]", R"({"m":"send"})", R"({"m":"send","chat":"x","text":"t"})",
                            R"({"m":"send","chat":1,"text":"t","buttons":[["x"]]})", R"({"m":"fly","text":"t"})",
                            R"({"m":"edit","chat":1,"text":"t"})", R"({"m":"toast","text":"t"})"}) {
        EXPECT_FALSE(decode_outbound(bad)) << bad;
    }
}

TEST(DeliveryOf, BotApiAnswersMapOntoDeliveryOutcomes) {
    EXPECT_EQ(delivery_of(classify_reply(200, R"({"ok":true,"result":{}})")).outcome, send_outcome::sent);
    EXPECT_EQ(delivery_of(classify_reply(403, R"({"ok":false,"error_code":403})")).outcome, send_outcome::blocked);
    EXPECT_EQ(delivery_of(classify_reply(400, R"({"ok":false,"error_code":400})")).outcome, send_outcome::rejected);
    EXPECT_EQ(delivery_of(classify_reply(401, R"({"ok":false,"error_code":401})")).outcome, send_outcome::bot_fault);
    EXPECT_EQ(delivery_of(classify_reply(404, R"({"ok":false,"error_code":404})")).outcome, send_outcome::bot_fault);
    EXPECT_EQ(delivery_of(classify_reply(502, "Bad Gateway")).outcome, send_outcome::transient);
    auto throttled =
        delivery_of(classify_reply(429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":40}})"));
    EXPECT_EQ(throttled.outcome, send_outcome::throttled);
    EXPECT_EQ(throttled.retry_after, std::chrono::seconds(40));
}

}  // namespace
}  // namespace rb
