// The `storage` error category: every failure storage/ reports is a boost::system::system_error with one of
// these codes, so callers (the webhook pipeline: 503 vs 200) can branch on the code, not on message text.
// Messages never carry credentials; an error reply's text from Redis is kept in system_error::what().
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <string>
#include <type_traits>

namespace rb {

enum class storage_errc {
    unavailable = 1,   // not connected (connecting, backing off, or stopped): fail fast, retry later
    timeout,           // the call's deadline passed; the connection is dropped and re-established
    connection_lost,   // the call was written but the connection broke before its reply arrived
    error_reply,       // Redis answered with an error (-ERR, -WRONGTYPE, -NOSCRIPT...)
    unexpected_reply,  // a reply of another type than the caller expected
    protocol,          // the reply stream could not be parsed
    not_replicated,    // a write reached fewer replicas than asked for (REDIS_REPLICA_ACKS) in time
};

const boost::system::error_category& storage_category() noexcept;

inline boost::system::error_code make_error_code(storage_errc e) noexcept {
    return {static_cast<int>(e), storage_category()};
}

// True for the failures a retry later could fix (the webhook answers 503 for these).
bool is_transient(const boost::system::error_code& ec) noexcept;

// True for a failure a retry later could fix: the codes above, and the error replies of a Redis that is loading
// its data, read-only (a replica, or a primary mid-failover), busy with a script, or without a primary
// (LOADING, READONLY, BUSY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN), out of memory until an operator makes room (OOM),
// or short of replicas to accept writes (NOREPLICAS). Anything else is permanent: a script error, a
// key of the wrong type, a reply the bot cannot read. Retrying those gets the same answer.
bool is_transient_failure(const std::exception& e) noexcept;

// Thrown for error replies; what() is "redis: <the reply text>".
class redis_error : public boost::system::system_error {
public:
    explicit redis_error(const std::string& reply_text)
        : boost::system::system_error(make_error_code(storage_errc::error_reply), "redis: " + reply_text),
          reply_(reply_text) {}
    const std::string& reply() const noexcept { return reply_; }

private:
    std::string reply_;
};

}  // namespace rb

template <>
struct boost::system::is_error_code_enum<rb::storage_errc> : std::true_type {};
