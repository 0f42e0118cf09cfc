// The fake Bot API's shared state and its decisions (which status and body a call gets), apart from the
// HTTP side (bot_api_server, driven from fake_telegram.cpp). mutex guards every container; cv signals each newly
// recorded call.
#pragma once

#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "bot/terminal/bot_api_server.hpp"
#include "net/asio.hpp"
#include "tests/fake_telegram/fake_telegram.hpp"

namespace rb::test {

// What the fake does with one request.
struct fake_reply {
    enum class what { answer, hang, drop, long_poll } action = what::answer;
    unsigned status = 200;
    std::string body;
    std::int64_t offset = 0;          // long_poll: first update_id wanted
    std::chrono::seconds timeout{0};  // long_poll: how long to wait for one
    std::size_t limit = 100;
    std::chrono::milliseconds delay{0};  // answer only after this long (a slow Bot API)
};

struct fake_telegram::state {
    fake_options options;
    net::io_context ioc{1};
    std::optional<bot_api_server> server;  // the HTTP side, shared with the terminal chat
    std::thread thread;

    mutable std::mutex mutex;  // guards everything below
    mutable std::condition_variable cv;
    std::vector<recorded_call> calls;
    std::vector<fault> faults;
    std::deque<nlohmann::json> updates;
    std::int64_t next_update_id = 1;
    std::int64_t next_message_id = 1;
    std::string webhook_url;
    std::int64_t pending_update_count = 0;
    std::string last_error_message;
    bool stopped = false;
    std::ofstream record_out;  // open when options.record_file is set

    // Records the call and decides its answer (mutex taken inside).
    fake_reply decide(const bot_api_request& request);
    // Updates with update_id >= offset, at most limit, after dropping the confirmed ones (< offset).
    std::optional<std::string> take_updates(std::int64_t offset, std::size_t limit);

private:
    std::optional<fault> match_fault(const std::string& method, std::optional<std::int64_t> chat);
    std::string answer_ok(const std::string& method, const nlohmann::json& body);
};

}  // namespace rb::test
