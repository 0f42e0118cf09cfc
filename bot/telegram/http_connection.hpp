// One keep-alive HTTP/1.1 connection to the Bot API root, plain or TLS, used by one request at a time.
// Beast and OpenSSL stay inside http_connection.cpp; callers see bodies and status codes only.
// TLS verifies the peer against the system store with SNI and host-name checks; a failure is an error.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bot/telegram/api_root.hpp"
#include "net/asio.hpp"

namespace boost::asio::ssl {
class context;
}

namespace rb {

struct http_reply {
    error_code ec;        // set when no complete response arrived (timeout, reset, TLS failure, ...)
    unsigned status = 0;  // HTTP status when !ec
    std::string body;
    bool keep_alive = false;  // the connection may carry another request
    bool stale = false;       // a reused connection failed before any response byte: safe to resend at once
};

// A client-side TLS context that verifies peers against the system's certificate store.
std::shared_ptr<net::ssl::context> make_verifying_tls_context();

class http_connection {
public:
    using time_point = std::chrono::steady_clock::time_point;

    // tls must outlive the connection; it is null for http:// roots.
    http_connection(net::any_io_executor ex, const api_root& root, net::ssl::context* tls);
    ~http_connection();
    http_connection(const http_connection&) = delete;
    http_connection& operator=(const http_connection&) = delete;

    // POSTs `body` as JSON to `target`; connects first when not connected. Every step shares one deadline.
    awaitable<http_reply> post(const std::string& target, const std::string& body, time_point deadline);

    bool open() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace rb
