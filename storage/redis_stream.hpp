// Internal to storage/: the socket side shared by redis_connection, wake_subscription and the sentinel client.
// open_redis_stream connects (TLS included) and logs in (AUTH, SELECT) within one deadline; reconnect_backoff is
// the capped exponential delay all of them use between attempts.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "net/asio.hpp"
#include "storage/redis_connection.hpp"
#include "storage/redis_socket.hpp"
#include "storage/resp.hpp"

namespace rb {

// Connects `socket` to the URL, then sends AUTH/SELECT and checks their replies, all before `timeout`. With
// must_be_primary, ROLE must answer "master" too (a sentinel's answer can be stale for a moment after a failover).
// Throws system_error: unavailable (with the reason) on refusal, a failed TLS handshake, a replica or timeout;
// redis_error on a failed AUTH/SELECT. The socket must be bound to the caller's strand.
awaitable<void> open_redis_stream(redis_socket& socket, resp_reader& reader, const redis_url& url,
                                  std::chrono::milliseconds timeout, bool must_be_primary = false);

// Sends commands and reads exactly one reply for each (used before pipelining starts, and for SUBSCRIBE).
awaitable<std::vector<redis_value>> exchange(redis_socket& socket, resp_reader& reader,
                                             const std::vector<std::vector<std::string>>& commands);

// Reads until the reader yields one reply.
awaitable<redis_value> read_one(redis_socket& socket, resp_reader& reader);

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
