// Telegram's Update and the parts of it the bot reads, as plain value types.
// Only the fields we use are modelled; unknown fields are ignored, known fields of the wrong type are errors.
// Nothing here performs I/O; parse_update turns a request body into these types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rb {

struct user {
    std::int64_t id = 0;
    bool is_bot = false;
    std::string first_name;
    std::string username;       // empty when the user has none
    std::string language_code;  // empty when Telegram did not send one
};

struct chat {
    std::int64_t id = 0;
    std::string type;  // "private", "group", "supergroup" or "channel"
    std::string title;
    std::string username;
    bool is_private() const { return type == "private"; }
};

// What a message carries when it is not (only) text; the bot answers non-text with a short note.
enum class content_kind {
    text,
    sticker,
    photo,
    voice,
    video,
    video_note,
    audio,
    document,
    location,
    contact,
    animation,
    poll,
    other
};

struct message_entity {
    std::string type;         // "bot_command", "mention", ...
    std::int64_t offset = 0;  // in UTF-16 code units, as Telegram counts
    std::int64_t length = 0;
};

struct message {
    std::int64_t message_id = 0;
    std::optional<user> from;
    rb::chat chat;
    std::int64_t date = 0;  // unix seconds
    content_kind content = content_kind::other;
    std::string text;  // text or caption; empty for pure media
    std::vector<message_entity> entities;
    std::optional<user> reply_to_from;  // author of the message this one replies to
};

struct callback_query {
    std::string id;
    user from;
    std::optional<rb::message> message;  // the message with the button, when Telegram still has it
    std::string data;
};

struct chat_member_updated {
    rb::chat chat;
    user from;
    std::int64_t date = 0;
    std::string old_status;  // "member", "kicked", "left", "administrator", ...
    std::string new_status;
};

enum class update_kind {
    message,
    edited_message,
    channel_post,
    edited_channel_post,
    callback_query,
    my_chat_member,
    other,  // inline_query, poll, chat_join_request, ...: answered 200 and counted
};

std::string_view to_string(update_kind kind);

struct update {
    std::int64_t update_id = 0;
    update_kind kind = update_kind::other;
    std::optional<rb::message> message;  // message, edited_message, channel_post, edited_channel_post
    std::optional<rb::callback_query> callback;
    std::optional<chat_member_updated> my_chat_member;
};

// Why a body is not an Update: a short reason fit for a 400 response ("not JSON", "update_id missing", ...).
struct parse_error {
    std::string reason;
};

// Parses one webhook body or one element of getUpdates' result. Never throws.
std::variant<update, parse_error> parse_update(std::string_view body);

}  // namespace rb
