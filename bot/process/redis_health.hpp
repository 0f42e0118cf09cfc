// Whether Redis really answers, for /healthz and the log. A connected socket proves little: a frozen Redis (SIGSTOP,
// an fsync stall, a paused VM) keeps it open. So a PING goes out every second and must be answered within a short
// deadline. Down or up, the cause is named (no answer in time, NOAUTH/WRONGPASS, refused, DNS, ...), logged when it
// changes and once a minute while it lasts.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "net/asio.hpp"
#include "storage/redis_connection.hpp"

namespace rb {

class redis_health {
public:
    struct status {
        bool up = false;
        std::string cause;  // why it is down; empty when up
    };

    redis_health(net::any_io_executor ex, redis_connection& redis,
                 std::chrono::milliseconds every = std::chrono::seconds(1),
                 std::chrono::milliseconds deadline = std::chrono::milliseconds(500));
    ~redis_health();

    void start();
    void stop();  // idempotent; returns at once (the loop ends at its next wake)
    status current() const;

    struct state;

private:
    std::shared_ptr<state> state_;
};

}  // namespace rb
