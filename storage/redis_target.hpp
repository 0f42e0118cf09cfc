// Which Redis to use and how to reach it: the URL (login, database, TLS), the TLS context for rediss://, and,
// with Sentinel, the sentinels that name the current primary. Without sentinels the URL's host:port is the server;
// with them its host:port is ignored and the primary is asked for at every connect.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/redis_url.hpp"

namespace rb {

struct sentinel_address {
    std::string host;
    std::uint16_t port = 26379;
    friend bool operator==(const sentinel_address&, const sentinel_address&) = default;
};

struct sentinel_config {
    std::vector<sentinel_address> addresses;  // all asked at each connect; the majority's answer is used
    std::string master_name;                  // the name in `sentinel monitor <name> ...`
    std::string password;                     // the sentinels' requirepass; empty: none
    bool enabled() const noexcept { return !addresses.empty(); }
};

struct redis_target {
    redis_url url;
    std::shared_ptr<boost::asio::ssl::context> tls;  // for rediss:// (the primary's and the sentinels')
    sentinel_config sentinels;

    // A plain URL is a target of its own; rediss:// then trusts the system's CAs.
    redis_target(redis_url u);  // NOLINT(google-explicit-constructor)
    redis_target(redis_url u, std::shared_ptr<boost::asio::ssl::context> tls, sentinel_config sentinels);

    // For logs and /healthz: the redacted URL, or the sentinels and the master's name.
    std::string describe() const;
    // How to reach one sentinel: its address, the sentinels' password, TLS when the URL uses it.
    redis_url sentinel_url(const sentinel_address& s) const;
};

// "host:port,host:port,[::1]:26379" (port 26379 when left out). Throws std::invalid_argument.
std::vector<sentinel_address> parse_sentinel_list(std::string_view text);

// A +switch-master message is "<name> <old-ip> <old-port> <new-ip> <new-port>": for our master, "new-ip:new-port".
std::optional<std::string> switched_primary(std::string_view message, std::string_view master_name);

}  // namespace rb
