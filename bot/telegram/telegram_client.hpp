// The outbound Bot API client: typed calls over keep-alive connections, Telegram's flood limits, 429 pauses,
// and retries of transient failures. Safe to call from any thread and from many coroutines at once.
// The bot token is only ever put into the request target; results and logs carry the method name instead.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/process/metrics.hpp"
#include "bot/telegram/api_result.hpp"
#include "bot/telegram/client_options.hpp"
#include "bot/telegram/rate_limiter.hpp"
#include "handlers/action.hpp"
#include "net/asio.hpp"

namespace rb {

class connection_pool;
class metrics_registry;
class counter;

// How one call is limited and bounded. Calls aimed at a chat's message stream take a rate-limiter slot.
struct call_options {
    std::optional<std::int64_t> chat_id;
    bool counts_as_message = false;  // takes a 1/s-per-chat and global slot
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    std::chrono::milliseconds extra_timeout{0};  // added to request_timeout (getUpdates' long poll)
    bool retry = true;                           // false: one attempt, outcome as is
    bool slot_taken = false;  // the caller already took the first attempt's rate-limiter slot (the dispatcher does,
                              // so it can check the claim between the wait and the request)
    send_priority priority = send_priority::high;
};

struct bot_command {
    std::string command;  // without '/'
    std::string description;
};

struct webhook_settings {
    std::string url;
    std::string secret_token;
    std::vector<std::string> allowed_updates;
    int max_connections = 40;
    bool drop_pending_updates = false;  // only when the operator asks
};

class telegram_client {
public:
    // Throws std::invalid_argument when options.api_root is not an http(s) URL.
    telegram_client(net::any_io_executor ex, client_options options);
    ~telegram_client();

    // Any method, JSON body. Retry policy in telegram_client.cpp.
    awaitable<api_result> call(std::string method, nlohmann::json body, call_options how = {});

    awaitable<api_result> get_me();
    // Text over 4096 characters goes as several messages; buttons go on the last. Returns the last part's
    // result, or the first failure (parts before it were delivered).
    awaitable<api_result> send(const send_message& m, call_options how = {});
    awaitable<api_result> edit(const edit_message& m, call_options how = {});
    awaitable<api_result> answer(const answer_callback& a);
    awaitable<api_result> set_my_commands(const std::vector<bot_command>& commands);
    awaitable<api_result> set_webhook(const webhook_settings& w);
    awaitable<api_result> delete_webhook(bool drop_pending_updates);
    awaitable<api_result> get_webhook_info();
    // One long poll: no retries (the poller owns the backoff). result is the array of updates.
    awaitable<api_result> get_updates(std::int64_t offset, std::chrono::seconds timeout,
                                      const std::vector<std::string>& allowed_updates);

    rate_limiter& limiter() { return limiter_; }
    const client_options& options() const { return options_; }

private:
    awaitable<api_result> attempt(const std::string& method, const std::string& body, const call_options& how);
    std::chrono::milliseconds backoff(int failures) const;
    void count(const std::string& method, const api_result& r);
    // telegram_calls_total for the methods the bot calls (see telegram_client.cpp), 5 outcomes each.
    std::shared_ptr<metric_slots<counter, 16 * 5>> call_counts_ = std::make_shared<metric_slots<counter, 16 * 5>>();

    client_options options_;
    std::string target_prefix_;  // "<base>/bot<token>/": secret, never logged
    std::unique_ptr<connection_pool> pool_;
    rate_limiter limiter_;
};

// reply_markup for inline buttons: {"inline_keyboard": [[{"text", "callback_data"}, ...], ...]}.
nlohmann::json inline_keyboard(const button_rows& rows);

}  // namespace rb
