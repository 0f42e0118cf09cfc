// Where and how the webhook server listens: address, TLS files, the webhook route, size and time limits.
// Plain values, so the settings (bot/process/config.hpp) take their defaults from here.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace rb {

struct front_settings {
    std::string webhook_path = "/telegram";
    std::string webhook_secret;  // empty: the webhook route is closed (polling/terminal modes)
    std::size_t max_body_bytes = 1024 * 1024;
};

struct server_settings {
    std::string host = "0.0.0.0";
    std::uint16_t port = 8443;  // 0: any free port; port() tells which
    std::string tls_cert;       // both set: HTTPS only, TLS 1.2 and newer
    std::string tls_key;
    front_settings front;
    unsigned max_connections = 4096;
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::milliseconds body_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
};

}  // namespace rb
