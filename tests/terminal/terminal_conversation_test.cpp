// The terminal chat's state: typed lines and button presses become Updates that the bot's own parser
// (handlers/update.hpp) accepts; getUpdates offset semantics; Telegram's checks on send and edit.
#include "bot/terminal/terminal_conversation.hpp"

#include <gtest/gtest.h>

#include "handlers/update.hpp"

namespace rb {
namespace {

using json = nlohmann::json;

json send_params(std::string text, bool buttons) {
    json p{{"chat_id", terminal_conversation::chat_id}, {"text", std::move(text)}, {"parse_mode", "HTML"}};
    if (buttons) {
        p["reply_markup"] = json::parse(R"({"inline_keyboard":[[{"text":"Done","callback_data":"r:done:7"},
            {"text":"Snooze 15 min","callback_data":"r:snooze:7"},{"text":"Skip","callback_data":"r:skip:7"}]]})");
    }
    return p;
}

update parsed(const json& u) {
    auto result = parse_update(u.dump());
    if (auto* e = std::get_if<parse_error>(&result)) ADD_FAILURE() << e->reason << " in " << u.dump();
    return std::get<update>(result);
}

TEST(TerminalConversation, TypedLineBecomesAPrivateMessageUpdate) {
    terminal_conversation c(500);
    const auto id = c.add_text("finished 15 miles");
    const json got = c.take_updates(0, 100);
    ASSERT_EQ(got.size(), 1u);
    const update u = parsed(got[0]);
    EXPECT_EQ(u.update_id, id);
    EXPECT_EQ(u.update_id, 500);
    ASSERT_TRUE(u.message);
    EXPECT_EQ(u.kind, update_kind::message);
    EXPECT_EQ(u.message->text, "finished 15 miles");
    EXPECT_EQ(u.message->chat.id, terminal_conversation::chat_id);
    EXPECT_TRUE(u.message->chat.is_private());
    ASSERT_TRUE(u.message->from);
    EXPECT_FALSE(u.message->from->is_bot);
    EXPECT_GT(u.message->date, 1'600'000'000);
}

TEST(TerminalConversation, CommandsCarryABotCommandEntity) {
    terminal_conversation c(1);
    c.add_text("/remind 10 min stretch");
    const update u = parsed(c.take_updates(0, 100)[0]);
    ASSERT_EQ(u.message->entities.size(), 1u);
    EXPECT_EQ(u.message->entities[0].type, "bot_command");
    EXPECT_EQ(u.message->entities[0].length, 7);
}

TEST(TerminalConversation, MessageIdsIncreaseAcrossBothSides) {
    terminal_conversation c(1);
    c.add_text("a");
    auto sent = std::get<terminal_bot_message>(c.send(send_params("b", false)));
    c.add_text("c");
    const json got = c.take_updates(0, 100);
    EXPECT_EQ(got[0]["message"]["message_id"], 1);
    EXPECT_EQ(sent.message["message_id"], 2);
    EXPECT_EQ(got[1]["message"]["message_id"], 3);
}

TEST(TerminalConversation, OffsetConfirmsEarlierUpdates) {
    terminal_conversation c(10);
    c.add_text("one");
    c.add_text("two");
    c.add_text("three");
    EXPECT_EQ(c.take_updates(0, 100).size(), 3u);  // unconfirmed updates come back again
    const json after = c.take_updates(12, 100);
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0]["update_id"], 12);
    EXPECT_EQ(c.pending(), 1u);
    EXPECT_TRUE(c.take_updates(13, 100).empty());
    EXPECT_EQ(c.pending(), 0u);
}

TEST(TerminalConversation, LimitAndNegativeOffsetSelectLikeTelegram) {
    terminal_conversation c(1);
    for (const char* t : {"a", "b", "c", "d"}) c.add_text(t);
    const json first_two = c.take_updates(0, 2);
    ASSERT_EQ(first_two.size(), 2u);
    EXPECT_EQ(first_two[1]["update_id"], 2);
    const json last_one = c.take_updates(-1, 100);
    ASSERT_EQ(last_one.size(), 1u);
    EXPECT_EQ(last_one[0]["update_id"], 4);
}

TEST(TerminalConversation, NumberPressesAButtonOfTheLatestMessageWithButtons) {
    terminal_conversation c(1);
    auto ping = std::get<terminal_bot_message>(c.send(send_params("<b>Eat now</b>", true)));
    c.send(send_params("no buttons here", false));
    const terminal_press p = c.press(2);
    ASSERT_TRUE(p.update_id) << p.problem;
    const update u = parsed(c.take_updates(0, 100)[0]);
    ASSERT_EQ(u.kind, update_kind::callback_query);
    ASSERT_TRUE(u.callback);
    EXPECT_EQ(u.callback->data, "r:snooze:7");
    EXPECT_FALSE(u.callback->id.empty());
    ASSERT_TRUE(u.callback->message);
    EXPECT_EQ(u.callback->message->message_id, ping.message["message_id"].get<std::int64_t>());
    EXPECT_EQ(u.callback->message->text, "Eat now");
    EXPECT_EQ(u.callback->from.id, terminal_conversation::chat_id);
}

TEST(TerminalConversation, PressWithoutButtonsOrOutOfRangeIsRefused) {
    terminal_conversation c(1);
    const terminal_press none = c.press(1);
    EXPECT_FALSE(none.update_id);
    EXPECT_TRUE(none.no_buttons_at_all);
    c.send(send_params("ping", true));
    const terminal_press p = c.press(4);
    EXPECT_FALSE(p.update_id);
    EXPECT_NE(p.problem.find("[1] to [3]"), std::string::npos);
    EXPECT_FALSE(p.no_buttons_at_all);
    EXPECT_FALSE(c.press(0).update_id);
    EXPECT_EQ(c.pending(), 0u);
}

TEST(TerminalConversation, EditWithoutMarkupRemovesTheButtons) {
    terminal_conversation c(1);
    auto first = std::get<terminal_bot_message>(c.send(send_params("first ping", true)));
    auto second = std::get<terminal_bot_message>(c.send(send_params("second ping", true)));
    json edit{{"chat_id", terminal_conversation::chat_id},
              {"message_id", second.message["message_id"]},
              {"text", "second ping - <i>done</i>"}};
    auto edited = std::get<terminal_bot_message>(c.edit(edit));
    EXPECT_EQ(edited.message["text"], "second ping - done");
    EXPECT_TRUE(edited.message.contains("edit_date"));
    EXPECT_FALSE(edited.message.contains("reply_markup"));
    ASSERT_TRUE(c.press(1).update_id);  // now lands on the first ping
    EXPECT_EQ(c.take_updates(0, 1)[0]["callback_query"]["message"]["message_id"], first.message["message_id"]);
}

TEST(TerminalConversation, SendAndEditApplyTelegramsChecks) {
    terminal_conversation c(1);
    auto wrong_chat = c.send({{"chat_id", 42}, {"text", "hi"}});
    ASSERT_TRUE(std::holds_alternative<terminal_api_error>(wrong_chat));
    EXPECT_EQ(std::get<terminal_api_error>(wrong_chat).description, "Bad Request: chat not found");
    auto empty = c.send({{"chat_id", terminal_conversation::chat_id}, {"text", ""}});
    EXPECT_EQ(std::get<terminal_api_error>(empty).description, "Bad Request: message text is empty");
    auto missing = c.edit({{"chat_id", terminal_conversation::chat_id}, {"message_id", 99}, {"text", "x"}});
    EXPECT_EQ(std::get<terminal_api_error>(missing).description, "Bad Request: message to edit not found");
    auto as_string = c.send({{"chat_id", std::to_string(terminal_conversation::chat_id)}, {"text", "ok"}});
    EXPECT_TRUE(std::holds_alternative<terminal_bot_message>(as_string));
}

TEST(TerminalConversation, UpdateHookRunsAfterEachQueuedUpdate) {
    terminal_conversation c(1);
    int calls = 0;
    c.set_on_update([&] { ++calls; });
    c.add_text("a");
    c.send(send_params("ping", true));
    c.press(1);
    c.press(9);  // refused: no update, no call
    EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace rb
