// A private Redis Sentinel for tests: one redis-sentinel process (from PATH; else redis-server --sentinel) in a
// fresh temp dir, on 127.0.0.1:<random port>, monitoring one primary on loopback. Start three with quorum 2 for a
// failover. Like redis_server: only the PID it started is signalled, it gets SIGTERM if the test process dies
// (PR_SET_PDEATHSIG: create it on the main thread), and every call blocks; use it outside coroutines.
//
// Sentinels find each other and the primary's replicas through the primary (hello messages every 2 s, INFO every
// 10 s), so start the replicas, let them sync, start the sentinels, and wait until known_sentinels() and
// known_replicas() are what the test expects before killing the primary: otherwise there is no quorum or no
// replica to promote, and no failover.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "tests/support/redis_server.hpp"

namespace rb::test {

struct redis_sentinel_options {
    std::string master_name = "rbprimary";
    std::uint16_t primary_port = 0;  // required: the primary is 127.0.0.1:<primary_port> (plain TCP)
    int quorum = 2;
    std::chrono::milliseconds down_after{1000};
    std::chrono::milliseconds failover_timeout{5000};
    std::chrono::milliseconds ready_timeout{10000};
    std::string auth_pass;  // sentinel auth-pass, when the primary and replicas have a password
    std::string password;   // the sentinel's own requirepass (clients give it as REDIS_SENTINEL_PASSWORD)
    // Set: the sentinel also listens with TLS on tls_port() and reaches the primary and replicas over TLS
    // (tls-replication yes; the primary's port is then its TLS port). The plain port stays for readiness checks.
    std::optional<redis_server_options::tls_files> tls;
};

class redis_sentinel {
public:
    explicit redis_sentinel(redis_sentinel_options options);  // starts; throws std::runtime_error with the log
    ~redis_sentinel();                                        // stop(), then removes the temp dir
    redis_sentinel(const redis_sentinel&) = delete;
    redis_sentinel& operator=(const redis_sentinel&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    std::uint16_t tls_port() const noexcept { return options_.tls ? static_cast<std::uint16_t>(port_ + 1) : 0; }
    std::string address() const;  // "127.0.0.1:<port>"
    pid_t pid() const noexcept { return pid_; }
    bool running() const noexcept { return pid_ > 0; }

    void stop();  // SIGTERM, wait
    void kill();  // SIGKILL, wait

    // SENTINEL get-master-addr-by-name: "host:port", or "" when unknown or the sentinel does not answer (1 s).
    std::string primary() const;
    // From SENTINEL master: num-other-sentinels and num-slaves; -1 when the sentinel does not answer.
    int known_sentinels() const;
    int known_replicas() const;
    std::string log() const;  // the sentinel's log file

private:
    bool spawn(std::uint16_t port);  // false when the port was taken
    void signal_and_wait(int sig);
    int master_field(const std::string& field) const;

    redis_sentinel_options options_;
    std::string dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace rb::test
