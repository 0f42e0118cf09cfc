// Internal to storage/: the socket side shared by redis_connection and wake_subscription. A generic stream
// socket carries either TCP or a unix socket; open_redis_stream connects and logs in (AUTH, SELECT) within one
// deadline; reconnect_backoff is the capped exponential delay both use between attempts.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "net/asio.hpp"
#include "storage/redis_connection.hpp"
#include "storage/resp.hpp"

namespace rb {

using stream_socket = net::generic::stream_protocol::socket;

// Connects `socket` (closed on entry) to the URL, then sends AUTH/SELECT and checks their replies, all before
// `timeout`. Throws system_error: unavailable (with the reason) on refusal or timeout, redis_error on a failed
// AUTH/SELECT. The socket must be bound to the caller's strand.
awaitable<void> open_redis_stream(stream_socket& socket, resp_reader& reader, const redis_url& url,
                                  std::chrono::milliseconds timeout);

// Sends commands and reads exactly one reply for each (used before pipelining starts, and for SUBSCRIBE).
awaitable<std::vector<redis_value>> exchange(stream_socket& socket, resp_reader& reader,
                                             const std::vector<std::vector<std::string>>& commands);

// Reads until the reader yields one reply.
awaitable<redis_value> read_one(stream_socket& socket, resp_reader& reader);

// Delay before the next connect attempt: backoff_min after a working connection broke, doubling on each failed
// attempt, never above backoff_max. A connection that fails to come up keeps the bot from hammering Redis while
// it restarts, and the cap bounds how long recovery takes once it is back.
class reconnect_backoff {
public:
    explicit reconnect_backoff(const redis_options& o) : min_(o.backoff_min), max_(o.backoff_max), next_(min_) {}
    std::chrono::milliseconds next() {
        auto d = next_;
        next_ = std::min(next_ * 2, max_);
        return d;
    }
    void reset() { next_ = min_; }

private:
    std::chrono::milliseconds min_, max_, next_;
};

}  // namespace rb
