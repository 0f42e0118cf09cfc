// The one private chat of the terminal mode, kept as Telegram would keep it: the runner's typed lines and
// button presses become Update JSON queued for getUpdates, and the bot's messages are stored with their
// buttons so a typed number can press one. No I/O; terminal_api serves it over HTTP.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rb {

// A Bot API error as Telegram reports it: {"ok":false,"error_code":400,"description":"Bad Request: ..."}.
struct terminal_api_error {
    int code = 400;
    std::string description;
};

// The bot's message as stored (and as the terminal shows it).
struct terminal_bot_message {
    nlohmann::json message;           // the Message JSON returned to the bot
    std::string html;                 // the text as the bot sent it (parse_mode HTML)
    std::vector<std::string> labels;  // button labels in numbering order
    std::vector<std::string> data;    // their callback_data
};

// A typed number: the update it became, or why it did not become one.
struct terminal_press {
    std::optional<std::int64_t> update_id;
    std::string problem;             // shown to the runner when update_id is empty
    bool no_buttons_at_all = false;  // no message shows buttons: the number is better sent as text
};

class terminal_conversation {
public:
    static constexpr std::int64_t chat_id = 1'000'001;  // the runner's private chat == the runner's user id
    static constexpr std::int64_t bot_id = 1'000'000;
    static constexpr std::size_t max_stored_messages = 1'000;

    // first_update_id should differ between runs: the bot de-duplicates update ids in Redis for a day, and
    // REDIS_URL may point at a Redis that outlives this process.
    explicit terminal_conversation(std::int64_t first_update_id);

    static nlohmann::json bot_user();   // getMe's result
    static nlohmann::json runner();     // the User the updates come from
    static nlohmann::json chat_json();  // the private Chat

    // A typed line as a `message` update (with a bot_command entity for "/..."). Returns its update_id.
    std::int64_t add_text(std::string_view text);

    // Button `number` (1-based) of the latest bot message that still has buttons, as a callback_query.
    terminal_press press(int number);

    // getUpdates: offset > 0 confirms (drops) every update below it; offset < 0 asks for the last -offset
    // updates; 0 for all unconfirmed. At most `limit` (1-100) updates, oldest first. Never blocks.
    nlohmann::json take_updates(std::int64_t offset, int limit);

    // sendMessage / editMessageText with Telegram's checks (chat, text, message to edit). On success the
    // stored message (with the Message JSON the bot gets back).
    std::variant<terminal_bot_message, terminal_api_error> send(const nlohmann::json& params);
    std::variant<terminal_bot_message, terminal_api_error> edit(const nlohmann::json& params);

    // Updates queued and not yet confirmed by a getUpdates offset past them.
    std::size_t pending() const;

    // Called after an update is queued, outside the lock, from the thread that queued it.
    void set_on_update(std::function<void()> on_update);

private:
    nlohmann::json message_json(std::int64_t message_id, std::int64_t date, bool from_bot) const;
    std::int64_t queue(nlohmann::json update);  // assigns update_id; mutex_ held
    void notify();
    std::optional<terminal_api_error> check_target(const nlohmann::json& params) const;

    mutable std::mutex mutex_;  // guards everything below
    std::int64_t next_update_id_;
    std::int64_t next_message_id_ = 1;  // shared by both sides, as in a Telegram chat
    std::deque<nlohmann::json> pending_;
    std::map<std::int64_t, terminal_bot_message> bot_messages_;  // by message_id; the newest kept
    std::function<void()> on_update_;
};

}  // namespace rb
