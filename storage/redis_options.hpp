// How a redis_connection connects, waits and backs off. Its own header so the settings (bot/process/config.hpp)
// take their defaults from here without the connection's Asio machinery.
#pragma once

#include <chrono>

namespace rb {

struct redis_options {
    std::chrono::milliseconds connect_timeout{1000};  // TCP/unix connect plus AUTH and SELECT
    std::chrono::milliseconds call_timeout{2000};     // from call() to its reply
    std::chrono::milliseconds backoff_min{50};        // reconnect delay after the first failure...
    std::chrono::milliseconds backoff_max{2000};      // ...doubling up to this
    // wait_replicated(): how many replicas must hold a write before it counts (0: off), and how long to wait.
    int replica_acks = 0;
    std::chrono::milliseconds replica_ack_timeout{200};
};

}  // namespace rb
