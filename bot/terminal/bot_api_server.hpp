// bot_api_server: the HTTP side of a local Bot API, shared by the terminal chat's (terminal_api) and the tests'
// fake (tests/fake_telegram). HTTP/1.1 on 127.0.0.1 (port 0), one coroutine per keep-alive connection; each
// request to /bot<token>/<method> is read as Telegram reads it (parameters from the query string, a JSON body or
// a form body) and handed to the owner's handler, which decides the answer. What the methods do, and any fault a
// test injects, is the handler's business; this file only carries requests and answers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "net/asio.hpp"

namespace rb {

struct bot_api_request {
    std::string token;
    std::string method;     // as sent; Telegram's method names are case-insensitive
    nlohmann::json params;  // always an object
    std::string target;     // "/bot<token>/<method>[?query]": holds the token, never log it
};

struct bot_api_answer {
    unsigned status = 200;
    std::string body;                   // JSON text
    bool close_without_answer = false;  // close the connection instead (the tests' fake drops calls so)
};

// Runs on the server's executor; may suspend (a long poll, a slow answer) for as long as it likes.
using bot_api_handler = std::function<awaitable<bot_api_answer>(bot_api_request)>;

// The answers the core gives itself, in the Bot API's error shape.
bot_api_answer bot_api_error(unsigned status, std::string_view description, int retry_after_s = 0);
bot_api_answer bot_api_ok(nlohmann::json result);

class bot_api_server {
public:
    static constexpr std::size_t max_body_bytes = 1 << 20;

    // Binds 127.0.0.1:0 and starts accepting on ex at once. Requests whose target is not /bot<token>/<method>
    // get 404 without reaching the handler.
    bot_api_server(net::any_io_executor ex, bot_api_handler handler);
    // Does not close: the owner calls close() while the executor runs. Destroying the server only lets go of it;
    // the accept loop and sessions keep what they use alive until the executor's io_context stops.
    ~bot_api_server() = default;
    bot_api_server(const bot_api_server&) = delete;
    bot_api_server& operator=(const bot_api_server&) = delete;

    std::uint16_t port() const;
    std::string root() const;  // "http://127.0.0.1:<port>", for TELEGRAM_API_ROOT
    // Stops accepting (posted onto the executor). Open connections end when their client closes them or the
    // executor's io_context stops.
    void close();

    struct state;

private:
    std::shared_ptr<state> state_;
};

}  // namespace rb
