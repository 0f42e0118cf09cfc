// A private redis-server for tests: started from PATH in a fresh temp dir, on a unix socket and optionally a
// TCP port on 127.0.0.1. Only the PID it started is ever signalled, and that server also gets SIGTERM if the test
// process dies (PR_SET_PDEATHSIG: create it on the main thread). Blocking calls; use it outside coroutines.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace rb::test {

struct redis_server_options {
    bool tcp = true;          // also listen on 127.0.0.1:<random port in 20000-60000>
    bool appendonly = false;  // AOF on (appendfsync always), for survival tests
    std::string password;     // requirepass when not empty
    std::chrono::milliseconds ready_timeout{10000};
};

class redis_server {
public:
    explicit redis_server(redis_server_options options = {});  // starts; throws std::runtime_error on failure
    ~redis_server();                                           // stop(), then removes the temp dir
    redis_server(const redis_server&) = delete;
    redis_server& operator=(const redis_server&) = delete;

    std::string url() const;       // tcp_url() when TCP is on, else unix_url()
    std::string tcp_url() const;   // redis://[:password@]127.0.0.1:<port>/0; throws when TCP is off
    std::string unix_url() const;  // unix://[:password@]<dir>/redis.sock
    std::uint16_t port() const noexcept { return port_; }  // 0 when TCP is off
    const std::string& dir() const noexcept { return dir_; }
    pid_t pid() const noexcept { return pid_; }
    bool running() const noexcept { return pid_ > 0; }

    void stop();     // SIGTERM, wait for exit (Redis writes its AOF/RDB on the way out)
    void kill();     // SIGKILL, wait
    void restart();  // stop() if running, then start again with the same dir, port and socket
    void start();    // start again after stop()/kill(); waits until PING answers

private:
    bool spawn(std::uint16_t port);  // false when the port was taken
    void signal_and_wait(int sig);

    redis_server_options options_;
    std::string dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace rb::test
