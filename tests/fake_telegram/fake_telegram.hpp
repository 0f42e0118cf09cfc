// A fake Telegram Bot API for tests and benchmarks: real HTTP/1.1 on 127.0.0.1 (port 0, reported), its own
// io_context and thread. It records every call and can be told to answer 429/500/403/400, hang or drop the
// connection, or answer slowly, per method and/or chat, for the next N calls or until cleared. getUpdates
// long-polls a queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rb::test {

struct recorded_call {
    std::string method;
    nlohmann::json body;  // null when record_bodies is off
    std::optional<std::int64_t> chat_id;
    std::chrono::steady_clock::time_point received;  // when the request was read in full
    unsigned answered = 0;                           // HTTP status sent (0: hung or dropped)
    std::string token;                               // from /bot<token>/
};

enum class fault_kind {
    retry_after,   // 429 with parameters.retry_after
    server_error,  // 500
    forbidden,     // 403 "bot was blocked by the user"
    bad_request,   // 400 "chat not found"
    hang,          // reads the request, never answers (until the fake stops)
    slow,          // answers as usual, but only after `delay`
    drop,          // reads the request, closes the connection without a response
    unauthorized,  // 401 "Unauthorized": what Telegram answers a wrong or revoked token
    not_found,     // 404 "Not Found": a wrong API root or method
};

struct fault {
    fault_kind kind = fault_kind::server_error;
    std::string method;                   // empty: any method
    std::optional<std::int64_t> chat_id;  // nullopt: any chat (and calls without one)
    int times = -1;                       // how many matching calls it answers; -1 until clear_faults()
    int retry_after_s = 1;
    std::chrono::milliseconds delay{0};  // slow: how long before the answer
};

struct fake_options {
    bool record_bodies = true;  // off for benchmarks: only method, chat and time are kept
    // Non-empty: every call is also appended to this file as one JSON line {"method","path","params"} (params:
    // the JSON body), flushed at once, for shell tests that run fake-telegram-api as a process.
    std::string record_file;
};

class fake_telegram {
public:
    explicit fake_telegram(fake_options options = {});  // listening when constructed
    ~fake_telegram();                                   // stop()
    fake_telegram(const fake_telegram&) = delete;
    fake_telegram& operator=(const fake_telegram&) = delete;

    std::uint16_t port() const;
    std::string root() const;  // "http://127.0.0.1:<port>", for TELEGRAM_API_ROOT
    void stop();

    // Faults are matched in the order added; the first that matches answers the call.
    void add_fault(fault f);
    void clear_faults();

    // Queued for getUpdates; update_id is assigned (increasing) when missing. Returns the update_id.
    std::int64_t push_update(nlohmann::json update);
    // What getWebhookInfo reports besides the url set by setWebhook.
    void set_webhook_status(std::int64_t pending_update_count, std::string last_error_message);

    std::vector<recorded_call> calls(std::string_view method = {}) const;  // all when method is empty
    std::size_t count(std::string_view method = {}) const;
    // Blocks until at least n calls of `method` were recorded (any when empty) or the timeout passes.
    bool wait_for(std::string_view method, std::size_t n, std::chrono::milliseconds timeout) const;
    void clear_calls();

    struct state;

private:
    std::unique_ptr<state> state_;
};

}  // namespace rb::test
