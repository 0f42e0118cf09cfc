// Internal to storage/: group commit for reminder_store::ack and drop. The first settle goes out at once; those that
// arrive while it is in flight wait and go out together in the next script call (at most max_batch). So a busy
// dispatcher pays one EVALSHA per batch instead of per message, and an idle one adds no latency.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "net/asio.hpp"
#include "storage/keys.hpp"
#include "storage/redis_connection.hpp"

namespace rb {

// Shared by the store and its flush coroutine; the redis_connection must outlive every pending settle.
class settle_batcher : public std::enable_shared_from_this<settle_batcher> {
public:
    settle_batcher(redis_connection& redis, redis_keys keys) : redis_(redis), keys_(std::move(keys)) {}

    // Completes when the batch holding this settle was applied, with whether its token still held; throws what the
    // script call threw. keep_copy: leave the delivered copy (reminders, not replies).
    awaitable<bool> settle(std::string id, std::int64_t token, bool keep_copy);

    static constexpr std::size_t max_batch = 256;

private:
    struct item {
        std::string id;
        std::int64_t token = 0;
        bool keep_copy = false;
        net::any_io_executor caller;
        net::any_completion_handler<void(std::exception_ptr, bool)> handler;
    };

    // Items stay behind unique_ptr: moving an any_completion_handler inside containers recurses without end in
    // Boost 1.81, so each handler is built once and never moved.
    using item_ptr = std::unique_ptr<item>;

    void enqueue(item_ptr it);
    static awaitable<void> flush(std::shared_ptr<settle_batcher> self);
    std::vector<item_ptr> take_batch();

    redis_connection& redis_;
    redis_keys keys_;
    std::mutex mutex_;  // guards queue_ and flushing_
    std::vector<item_ptr> queue_;
    bool flushing_ = false;  // a flush coroutine is running; it drains queue_ before it stops
};

}  // namespace rb
