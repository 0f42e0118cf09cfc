// A redis-server of the bot's own, for running without REDIS_URL (the local terminal chat, a quick try):
// a throw-away directory, a unix socket only (no TCP port), AOF on, stopped by PID when the bot exits.
#pragma once

#include <sys/types.h>

#include <string>

namespace rb {

class private_redis {
public:
    // Starts redis-server (the binary named, from PATH) and waits until it answers PING.
    // Throws std::runtime_error saying what went wrong (binary missing, did not come up).
    explicit private_redis(const std::string& binary);
    ~private_redis();
    private_redis(const private_redis&) = delete;
    private_redis& operator=(const private_redis&) = delete;

    std::string url() const { return "unix://" + dir_ + "/redis.sock"; }
    void stop();

private:
    std::string dir_;
    pid_t pid_ = -1;
};

}  // namespace rb
