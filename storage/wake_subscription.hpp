// A subscription to <p>wake on a connection of its own (a subscribed connection cannot run other commands).
// next() returns the earliest due ms a commit just added, on Redis's clock. After every (re)subscribe it returns
// 0 once: wakes may have been missed while disconnected, so the caller should look at what is due again.
// It reconnects by itself with the same backoff as redis_connection (asking the sentinels again, if any); it never
// throws for a lost connection.
// The dispatcher polls anyway (about every second), so a lost wake costs at most one poll interval.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "net/asio.hpp"
#include "storage/redis_connection.hpp"

namespace rb {

class wake_subscription {
public:
    wake_subscription(net::any_io_executor ex, redis_target target, std::string channel, redis_options options = {});
    ~wake_subscription();  // stops
    wake_subscription(const wake_subscription&) = delete;
    wake_subscription& operator=(const wake_subscription&) = delete;

    // Waits for the next wake. Throws storage_errc::unavailable once stop() was called.
    // One waiter at a time; call it from one coroutine.
    awaitable<std::int64_t> next();
    bool subscribed() const noexcept;
    void stop();

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace rb
