// parse_update: every Update kind we handle, read from tests/fixtures/*.json, and every bad body the
// webhook can receive (each with its short 400 reason). Never a throw, never a crash.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "handlers/update.hpp"

namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(RB_SOURCE_DIR) + "/tests/fixtures/" + name);
    EXPECT_TRUE(in) << "missing fixture " << name;
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

rb::update parsed(const std::string& body) {
    auto result = rb::parse_update(body);
    if (auto* e = std::get_if<rb::parse_error>(&result)) ADD_FAILURE() << "unexpected error: " << e->reason;
    return std::holds_alternative<rb::update>(result) ? std::get<rb::update>(result) : rb::update{};
}

std::string reason(std::string_view body) {
    auto result = rb::parse_update(body);
    if (std::holds_alternative<rb::update>(result)) return "<parsed>";
    return std::get<rb::parse_error>(result).reason;
}

TEST(UpdateParser, ReadsAPrivateTextMessage) {
    const rb::update u = parsed(fixture("message_text.json"));
    EXPECT_EQ(u.update_id, 100001);
    EXPECT_EQ(u.kind, rb::update_kind::message);
    ASSERT_TRUE(u.message);
    EXPECT_EQ(u.message->message_id, 11);
    EXPECT_EQ(u.message->chat.id, 4242);
    EXPECT_TRUE(u.message->chat.is_private());
    ASSERT_TRUE(u.message->from);
    EXPECT_EQ(u.message->from->username, "ana_runs");
    EXPECT_EQ(u.message->from->language_code, "en");
    EXPECT_EQ(u.message->content, rb::content_kind::text);
    EXPECT_EQ(u.message->text, "finished 15 miles");
    EXPECT_EQ(u.message->date, 1717000000);
    EXPECT_FALSE(u.message->reply_to_from);
}

TEST(UpdateParser, ReadsACommandWithEntitiesInASupergroup) {
    const rb::update u = parsed(fixture("message_command.json"));
    ASSERT_TRUE(u.message);
    EXPECT_EQ(u.message->chat.id, -1001234567890);
    EXPECT_EQ(u.message->chat.type, "supergroup");
    EXPECT_EQ(u.message->chat.title, "Sunday Runners");
    EXPECT_FALSE(u.message->chat.is_private());
    ASSERT_EQ(u.message->entities.size(), 1u);
    EXPECT_EQ(u.message->entities[0].type, "bot_command");
    EXPECT_EQ(u.message->entities[0].length, 21);
}

TEST(UpdateParser, TakesACaptionAndItsEntitiesAsTheTextOfAPhoto) {
    const rb::update u = parsed(fixture("message_photo_caption.json"));
    ASSERT_TRUE(u.message);
    EXPECT_EQ(u.message->content, rb::content_kind::photo);
    EXPECT_EQ(u.message->text, "medal! half marathon done @recovery_bot");
    ASSERT_EQ(u.message->entities.size(), 1u);
    EXPECT_EQ(u.message->entities[0].type, "mention");
    EXPECT_EQ(u.message->entities[0].offset, 26);
}

TEST(UpdateParser, RecognisesNonTextContent) {
    EXPECT_EQ(parsed(fixture("message_sticker.json")).message->content, rb::content_kind::sticker);
    EXPECT_EQ(parsed(fixture("message_voice.json")).message->content, rb::content_kind::voice);
    EXPECT_EQ(parsed(fixture("message_location.json")).message->content, rb::content_kind::location);
    EXPECT_TRUE(parsed(fixture("message_sticker.json")).message->text.empty());
}

TEST(UpdateParser, KeepsTheAuthorOfTheRepliedToMessage) {
    const rb::update u = parsed(fixture("message_reply.json"));
    ASSERT_TRUE(u.message && u.message->reply_to_from);
    EXPECT_EQ(u.message->reply_to_from->id, 777000111);
    EXPECT_TRUE(u.message->reply_to_from->is_bot);
    EXPECT_EQ(u.message->reply_to_from->username, "recovery_bot");
}

TEST(UpdateParser, ReadsEditedMessagesAndChannelPostsAsMessages) {
    const rb::update edited = parsed(fixture("edited_message.json"));
    EXPECT_EQ(edited.kind, rb::update_kind::edited_message);
    ASSERT_TRUE(edited.message);
    EXPECT_EQ(edited.message->text, "finished 16 miles");
    const rb::update post = parsed(fixture("channel_post.json"));
    EXPECT_EQ(post.kind, rb::update_kind::channel_post);
    ASSERT_TRUE(post.message);
    EXPECT_FALSE(post.message->from);
    EXPECT_EQ(post.message->chat.type, "channel");
}

TEST(UpdateParser, ReadsACallbackQueryWithItsMessage) {
    const rb::update u = parsed(fixture("callback_query.json"));
    EXPECT_EQ(u.kind, rb::update_kind::callback_query);
    ASSERT_TRUE(u.callback);
    EXPECT_EQ(u.callback->id, "4382bfdwdsb323b2d9");
    EXPECT_EQ(u.callback->from.id, 4242);
    EXPECT_EQ(u.callback->data, "done:4242:r1:eat");
    ASSERT_TRUE(u.callback->message);
    EXPECT_EQ(u.callback->message->message_id, 20);
    EXPECT_FALSE(u.message);
}

TEST(UpdateParser, ReadsTheBotBeingBlocked) {
    const rb::update u = parsed(fixture("my_chat_member_kicked.json"));
    EXPECT_EQ(u.kind, rb::update_kind::my_chat_member);
    ASSERT_TRUE(u.my_chat_member);
    EXPECT_EQ(u.my_chat_member->chat.id, 4242);
    EXPECT_EQ(u.my_chat_member->old_status, "member");
    EXPECT_EQ(u.my_chat_member->new_status, "kicked");
}

TEST(UpdateParser, KeepsTheIdOfUpdateKindsItDoesNotHandle) {
    const rb::update u = parsed(fixture("inline_query.json"));
    EXPECT_EQ(u.kind, rb::update_kind::other);
    EXPECT_EQ(u.update_id, 100011);
    EXPECT_FALSE(u.message);
    EXPECT_EQ(rb::to_string(u.kind), "other");
}

TEST(UpdateParser, NamesEveryKind) {
    EXPECT_EQ(rb::to_string(rb::update_kind::message), "message");
    EXPECT_EQ(rb::to_string(rb::update_kind::edited_message), "edited_message");
    EXPECT_EQ(rb::to_string(rb::update_kind::channel_post), "channel_post");
    EXPECT_EQ(rb::to_string(rb::update_kind::edited_channel_post), "edited_channel_post");
    EXPECT_EQ(rb::to_string(rb::update_kind::callback_query), "callback_query");
    EXPECT_EQ(rb::to_string(rb::update_kind::my_chat_member), "my_chat_member");
}

TEST(UpdateParser, IgnoresUnknownFieldsAndNulls) {
    const rb::update u = parsed(R"({"update_id": 7, "brand_new": [{"x": null}], "message": {"message_id": 1,
        "chat": {"id": 5, "type": "private", "is_forum": true}, "from": null, "date": 0, "text": "hi",
        "link_preview_options": {"is_disabled": true}}})");
    ASSERT_TRUE(u.message);
    EXPECT_FALSE(u.message->from);
    EXPECT_EQ(u.message->text, "hi");
}

TEST(UpdateParser, AcceptsTheLargestIds) {
    const rb::update u = parsed(R"({"update_id": 9223372036854775807, "message": {"message_id": 1,
        "chat": {"id": -9223372036854775808, "type": "group"}, "text": "x"}})");
    EXPECT_EQ(u.update_id, INT64_MAX);
    EXPECT_EQ(u.message->chat.id, INT64_MIN);
}

TEST(UpdateParser, RejectsAnEmptyBody) {
    EXPECT_EQ(reason(""), "empty body");
    EXPECT_EQ(reason(" \r\n\t"), "empty body");
}

TEST(UpdateParser, RejectsWhatIsNotJson) {
    EXPECT_EQ(reason("update_id=1"), "not JSON");
    EXPECT_EQ(reason(R"({"update_id": 1,)"), "not JSON");
    EXPECT_EQ(reason(R"({"update_id": 1, "message": {"message_id": 2, "chat": {"id": 3)"), "not JSON");
    EXPECT_EQ(reason("{\"update_id\": 1, \"x\": \"\xff\xfe\"}"), "not JSON");
    EXPECT_EQ(reason("{\"update_id\": 1} trailing"), "not JSON");
}

TEST(UpdateParser, RejectsJsonThatIsNotAnObject) {
    EXPECT_EQ(reason("[1, 2, 3]"), "not an object");
    EXPECT_EQ(reason("42"), "not an object");
    EXPECT_EQ(reason("\"update\""), "not an object");
    EXPECT_EQ(reason("null"), "not an object");
}

TEST(UpdateParser, RejectsAMissingOrMistypedUpdateId) {
    EXPECT_EQ(reason(R"({"message": {}})"), "update_id missing");
    EXPECT_EQ(reason(R"({"update_id": "1"})"), "update_id is not an integer");
    EXPECT_EQ(reason(R"({"update_id": 1.5})"), "update_id is not an integer");
    EXPECT_EQ(reason(R"({"update_id": true})"), "update_id is not an integer");
    EXPECT_EQ(reason(R"({"update_id": 18446744073709551615})"), "update_id is out of range");
}

TEST(UpdateParser, RejectsAMessageWithoutItsChat) {
    EXPECT_EQ(reason(R"({"update_id": 1, "message": {"message_id": 2, "text": "hi"}})"), "message.chat missing");
    EXPECT_EQ(reason(R"({"update_id": 1, "message": {"chat": {"id": 3}}})"), "message.message_id missing");
    EXPECT_EQ(reason(R"({"update_id": 1, "message": "hello"})"), "message is not an object");
}

TEST(UpdateParser, RejectsMistypedFieldsItUses) {
    EXPECT_EQ(reason(R"({"update_id": 1, "message": {"message_id": 2, "chat": {"id": "3"}}})"),
              "message.chat.id is not an integer");
    EXPECT_EQ(reason(R"({"update_id": 1, "message": {"message_id": 2, "chat": {"id": 3}, "text": 5}})"),
              "message.text is not a string");
    EXPECT_EQ(reason(R"({"update_id": 1, "message": {"message_id": 2, "chat": {"id": 3}, "text": "/a",
                         "entities": {}}})"),
              "message.entities is not an array");
    EXPECT_EQ(reason(R"({"update_id": 1, "message": {"message_id": 2, "chat": {"id": 3},
                         "from": {"id": 1, "is_bot": "no"}}})"),
              "message.from.is_bot is not a boolean");
    EXPECT_EQ(reason(R"({"update_id": 1, "callback_query": {"id": 5, "from": {"id": 1}}})"),
              "callback_query.id is not a string");
    EXPECT_EQ(reason(R"({"update_id": 1, "my_chat_member": {"chat": {"id": 1}, "from": {"id": 1}}})"),
              "my_chat_member.old_chat_member missing");
}

TEST(UpdateParser, RejectsDeepNestingWithoutRecursingIntoIt) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    EXPECT_EQ(reason(deep), "nesting too deep");
    const std::string deep_field = R"({"update_id": 1, "x": )" + std::string(65, '{') + std::string(65, '}') + "}";
    EXPECT_EQ(reason(deep_field), "nesting too deep");  // checked before parsing, even if malformed
    const std::string brackets_in_strings = R"({"update_id": 1, "s": ")" + std::string(500, '[') + "\"}";
    EXPECT_EQ(reason(brackets_in_strings), "<parsed>");
}

TEST(UpdateParser, AcceptsModerateNesting) {
    std::string body = R"({"update_id": 1, "x": )";
    for (int i = 0; i < 40; ++i) body += R"({"a": )";
    body += "[1]" + std::string(40, '}') + "}";
    EXPECT_EQ(reason(body), "<parsed>");
}

TEST(UpdateParser, RejectsNestingJustPastTheLimit) {
    std::string body = R"({"update_id": 1, "x": )";
    for (int i = 0; i < 70; ++i) body += R"({"a": )";
    body += "1" + std::string(70, '}') + "}";
    EXPECT_EQ(reason(body), "nesting too deep");
}

}  // namespace
