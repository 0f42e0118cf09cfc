// Internal to storage/: the two things a connection asks of Redis Sentinel. primary_locator names the server to
// connect to (the target's own URL without sentinels); switch_listener follows +switch-master so a failover is
// acted on when the sentinels announce it, not when a call first fails on the old primary.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/asio.hpp"
#include "storage/redis_connection.hpp"
#include "storage/redis_socket.hpp"
#include "storage/redis_target.hpp"
#include "storage/resp.hpp"

namespace rb {

// One per connection, used from its strand.
class primary_locator {
public:
    explicit primary_locator(const redis_target& target);

    // Without sentinels: the target's URL. With them: asks every sentinel, within `timeout` each, and returns the
    // URL with the host and port that more than half of those that answered name. Throws system_error
    // storage_errc::unavailable naming what the sentinels said when none or no majority names a primary.
    awaitable<redis_url> locate(net::any_io_executor ex, std::chrono::milliseconds timeout);

private:
    const redis_target& target_;
};

// SUBSCRIBE +switch-master on one sentinel at a time, the next one when it breaks, with the connection's backoff.
// on_switch("ip:port") runs on the strand for each switch of our master. The connection polls nothing meanwhile:
// when the listener is down, a failover is still found by the first failed call or the broken socket.
class switch_listener {
public:
    switch_listener(net::strand<net::any_io_executor> strand, const redis_target& target, const redis_options& options);
    void start(std::function<void(const std::string&)> on_switch);
    void stop();  // from the strand

private:
    struct state;
    std::shared_ptr<state> state_;
};

}  // namespace rb
