// The outcome of one Bot API call as the bot acts on it, and the mapping from an HTTP reply to it.
// ok; retry_after (429: wait, then the same call may succeed); transient (5xx, timeout, dropped connection);
// blocked (403: the user blocked the bot or the chat is gone); failed (any other 4xx: the call is wrong).
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "handlers/delivery/delivery_policy.hpp"
#include "net/asio.hpp"

namespace rb {

enum class api_status { ok, retry_after, transient, blocked, failed };

std::string_view to_string(api_status s);

struct api_result {
    api_status status = api_status::ok;
    nlohmann::json result;     // Telegram's "result" when ok
    unsigned http_status = 0;  // 0 when no response arrived
    std::string description;   // Telegram's description or our reason; never contains the token
    std::chrono::seconds retry_after{0};
    bool global_pause = false;  // the 429 paused every chat, not just this one
    int attempts = 0;           // HTTP requests made for this call
    bool ok() const { return status == api_status::ok; }
};

// From a complete HTTP response. Telegram's JSON says ok/error_code/description/parameters.retry_after;
// a body that is not JSON falls back on the HTTP status alone.
api_result classify_reply(unsigned http_status, std::string_view body);

// From a request that got no response: timeouts, resets, refused connections, TLS failures.
// A failed certificate verification is final (failed), not retried: it will not fix itself.
api_result classify_error(const error_code& ec);

// What a send's result means for the message (handlers/delivery/delivery_policy.hpp). 401 (the token) and 404 (the
// API root or the method) are the bot's own faults, not the message's: the message is kept and sending pauses.
delivery_result delivery_of(const api_result& r);

}  // namespace rb
