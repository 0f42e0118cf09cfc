// A private redis-server for tests: started from PATH in a fresh temp dir, on a unix socket and optionally a
// TCP port on 127.0.0.1. Only the PID it started is ever signalled, and that server also gets SIGTERM if the test
// process dies (PR_SET_PDEATHSIG: create it on the main thread). Blocking calls; use it outside coroutines.
// The TCP port can speak TLS instead (options.tls), and the server can start as a replica (options.replicaof).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace rb::test {

struct redis_server_options {
    bool tcp = true;          // also listen on 127.0.0.1:<random port in 20000-60000>
    bool appendonly = false;  // AOF on (appendfsync always), for survival tests
    std::string password;     // requirepass when not empty
    std::chrono::milliseconds ready_timeout{10000};

    struct tls_files {
        std::string cert, key, ca;  // PEM paths (test_pki makes a set)
        bool auth_clients = false;  // tls-auth-clients: clients must present a certificate signed by ca
    };
    // Set: the TCP port speaks TLS only (needs tcp); the unix socket stays plain, so readiness checks and unix_url()
    // work as before. A TLS replica replicates over TLS with its own cert as client cert, so its primary must be TLS.
    std::optional<tls_files> tls;
    // "127.0.0.1 <port>": start as a replica of that server (--replicaof host port). It logs in to the primary with
    // its own password (masterauth), so give both the same one. Readiness does not wait for the initial sync; poll
    // INFO replication (master_link_status:up) when a test needs it.
    std::string replicaof;
};

class redis_server {
public:
    explicit redis_server(redis_server_options options = {});  // starts; throws std::runtime_error on failure
    ~redis_server();                                           // stop(), then removes the temp dir
    redis_server(const redis_server&) = delete;
    redis_server& operator=(const redis_server&) = delete;

    std::string url() const;       // tcp_url() when TCP is on, else unix_url()
    std::string tcp_url() const;   // redis[s]://[:password@]127.0.0.1:<port>/0 (s with tls); throws when TCP is off
    std::string unix_url() const;  // unix://[:password@]<dir>/redis.sock
    std::uint16_t port() const noexcept { return port_; }  // the TLS port with tls; 0 when TCP is off
    const std::string& dir() const noexcept { return dir_; }
    pid_t pid() const noexcept { return pid_; }
    bool running() const noexcept { return pid_ > 0; }
    std::string log() const;  // the server's log file, every start of it (as redis_sentinel::log)

    void stop();     // SIGTERM, wait for exit (Redis writes its AOF/RDB on the way out)
    void kill();     // SIGKILL, wait
    void restart();  // stop() if running, then start again with the same dir, port and socket
    void start();    // start again after stop()/kill(); waits until PING answers
    // Start again as a replica of `primary` (as a supervisor does that asks the sentinels who the primary is
    // before restarting a server that has no persistence): it comes back holding the primary's data, not empty.
    void start_as_replica_of(const redis_server& primary);
    void freeze();  // SIGSTOP: the server hangs (connections stay open, nothing is answered) until thaw()
    void thaw();    // SIGCONT

private:
    bool spawn(std::uint16_t port);  // false when the port was taken
    void signal_and_wait(int sig);

    redis_server_options options_;
    std::string dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace rb::test
