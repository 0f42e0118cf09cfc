// One pipelined connection to Redis: Asio owns the socket (TCP or unix), hiredis only formats commands and
// parses replies (in redis_connection.cpp, the only file that sees redisReply*). Safe to call from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "net/asio.hpp"
#include "storage/redis_options.hpp"
#include "storage/redis_target.hpp"
#include "storage/redis_url.hpp"
#include "storage/redis_value.hpp"
#include "storage/storage_error.hpp"

namespace rb {

// make_argv("SET", key, value): an argv without a braced list (see command() below for why).
template <typename... Args>
std::vector<std::string> make_argv(Args&&... args) {
    std::vector<std::string> argv;
    argv.reserve(sizeof...(args));
    (argv.emplace_back(std::forward<Args>(args)), ...);
    return argv;
}

enum class connection_state { connecting, connected, backing_off, stopped };
const char* to_string(connection_state s) noexcept;

// Calls:
//  - call(argv) sends one command and returns its reply. Error replies throw redis_error (storage_errc::
//    error_reply), so they cannot be ignored by accident; nil comes back as a value (absence is not an error).
//  - call_batch(cmds) writes the commands back to back (nothing of other callers in between, so MULTI...EXEC
//    in one batch is a transaction) and returns all replies; error replies stay values (use check()/as_*()).
//  - Many calls may be in flight; replies are matched first in, first out. A single writer coalesces queued
//    commands into one write.
//  - Every call has a deadline (options.call_timeout). A missed deadline fails that call with timeout and drops
//    the connection: on a stream protocol a missing reply means a dead peer or a stuck server.
// Reconnect policy: the connection starts connecting in the constructor. On any failure, every in-flight and
// queued call fails (connection_lost / unavailable), the state becomes backing_off and a reconnect runs after a
// delay doubling from backoff_min to backoff_max; a successful connect (AUTH and SELECT included) resets it.
// While not connected, calls fail at once with storage_errc::unavailable ("redis unavailable") instead of
// queueing: the webhook answers 503 and Telegram re-sends, which is better than piling up work.
// Sentinel (target.sentinels): every connect asks the sentinels for the primary and checks its ROLE. The connection
// also listens to the sentinels' +switch-master; on that message, or when the server answers READONLY or
// MASTERDOWN, the session ends (in-flight calls fail at once) and the next connect asks again. A call that failed
// because the connection was lost or not up is sent once more when a primary is back within its deadline, so a
// failover costs the caller latency, not an error, unless no primary is known for the whole deadline. Every write
// that carries state is safe to repeat (scripts guarded by the update's mark or the claim's token); the dead-letter
// and quarantine lists may get an entry twice.
// Threads: all connection state lives on one strand; call() hops onto it and back to the caller's executor.
class redis_connection {
public:
    redis_connection(net::any_io_executor ex, redis_target target, redis_options options = {});
    ~redis_connection();  // stops; pending calls fail with unavailable
    redis_connection(const redis_connection&) = delete;
    redis_connection& operator=(const redis_connection&) = delete;

    awaitable<redis_value> call(std::vector<std::string> argv);

    // command("SET", key, value): call() without a braced list. GCC 12 rejects a braced initializer list inside a
    // co_await expression ("array used as initializer"), so prefer this, or build the vector in its own statement.
    template <typename... Args>
    awaitable<redis_value> command(Args&&... args) {
        return call(make_argv(std::forward<Args>(args)...));
    }
    awaitable<std::vector<redis_value>> call_batch(std::vector<std::vector<std::string>> commands);

    // With options.replica_acks > 0: waits (WAIT) until that many replicas hold every write this connection made
    // so far, and throws storage_errc::not_replicated when they do not within replica_ack_timeout, or when the
    // session changed since `since_session` (read session() before the write: a WAIT on another session would
    // vouch for nothing). One WAIT is in flight at a time and callers share it, because Redis serves nothing else
    // on the connection while a WAIT blocks it. A no-op when replica_acks is 0.
    awaitable<void> wait_replicated(std::uint64_t since_session);
    std::uint64_t session() const noexcept;  // changes at every (re)connect

    // Waits until connected or the timeout passes; true if connected. For start-up and tests.
    awaitable<bool> wait_connected(std::chrono::milliseconds timeout);

    bool connected() const noexcept;
    connection_state state() const noexcept;    // for /healthz
    std::uint64_t reconnects() const noexcept;  // successful connects after the first one
    std::string last_error() const;             // why the last connect or connection failed (no secrets); for logs
    std::string primary() const;                // "host:port" (or the socket path) last connected to; for /healthz
    std::string describe() const;               // where it looks for Redis (redacted URL or sentinels); for logs
    void stop();                                // idempotent; afterwards every call fails with unavailable

    struct impl;

private:
    std::shared_ptr<impl> impl_;  // shared with the connection's own coroutines, which may outlive a stop()
};

}  // namespace rb
