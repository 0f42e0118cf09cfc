// The terminal chat's local Bot API server (its HTTP side is bot_api_server): plain HTTP/1.1 on 127.0.0.1 (port 0),
// serving the methods the bot calls (getMe, getUpdates with long polling, sendMessage, editMessageText,
// answerCallbackQuery; anything else answers ok) in Telegram's JSON shapes. The bot's own telegram_client and poller
// talk to it as they would to Telegram. What the bot sends is handed to a callback; printing it is terminal_chat's job.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bot/terminal/terminal_conversation.hpp"
#include "net/asio.hpp"

namespace rb {

// Something the bot did that the runner should see.
struct terminal_event {
    enum class kind { message, edit, toast };
    kind what = kind::message;
    terminal_bot_message message;  // message, edit
    std::string toast;             // toast: answerCallbackQuery's text (never empty)
};

// Called on the server's strand, one event at a time, never after ~terminal_api returns.
using terminal_output = std::function<void(const terminal_event&)>;

class terminal_api {
public:
    static constexpr std::chrono::seconds max_poll_timeout{50};  // Telegram's own cap for getUpdates

    // Binds 127.0.0.1:0 and starts accepting at once on ioc. Only requests to /bot<token>/... are served.
    terminal_api(net::io_context& ioc, terminal_output output, std::string token = "terminal");
    // Stops accepting, wakes held long polls and detaches the output; connections still open end when the
    // io_context stops or their client closes them.
    ~terminal_api();
    terminal_api(const terminal_api&) = delete;
    terminal_api& operator=(const terminal_api&) = delete;

    std::uint16_t port() const;
    std::string root() const;  // "http://127.0.0.1:<port>"
    terminal_conversation& conversation();

    struct state;  // held by each request in flight (a long poll), so none outlives what it touches

private:
    std::shared_ptr<state> state_;
};

}  // namespace rb
