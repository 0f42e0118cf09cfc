// Long polling: the alternative to the webhook when the bot has no public HTTPS address. getUpdates with a
// long timeout hands each update's JSON to the same pipeline the webhook uses; the offset moves past an
// update only once the pipeline has handled and stored it, so a Redis outage loses nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bot/effects/update_pipeline.hpp"
#include "bot/telegram/telegram_client.hpp"
#include "net/asio.hpp"

namespace rb {

struct poller_options {
    std::chrono::seconds timeout{25};  // Telegram holds the request this long when there is nothing new
    std::vector<std::string> allowed_updates{"message", "callback_query", "my_chat_member"};
    std::chrono::milliseconds backoff_initial{1'000};
    std::chrono::milliseconds backoff_cap{30'000};
};

class poller {
public:
    // The client and handler must outlive run().
    poller(net::any_io_executor ex, telegram_client& client, update_handler handler, poller_options options = {});

    // Polls until stop(). Errors are logged and retried with capped exponential backoff; never throws.
    awaitable<void> run();
    void stop();  // thread-safe; an open long poll is abandoned

    std::int64_t offset() const { return offset_; }  // next update_id wanted; approximate off the strand

private:
    awaitable<void> loop();
    awaitable<bool> handle_batch(const nlohmann::json& updates);
    awaitable<void> back_off();

    net::strand<net::any_io_executor> strand_;
    telegram_client& client_;
    update_handler handler_;
    poller_options options_;
    // Guarded by strand_.
    net::steady_timer stop_timer_;  // never expires; cancelled by stop() to end a wait or a long poll
    std::int64_t offset_ = 0;
    int failures_ = 0;
    bool stopping_ = false;
};

}  // namespace rb
