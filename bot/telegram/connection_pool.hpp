// Keep-alive connections to the API root, shared by every caller. A caller takes an idle connection or
// opens a new one, so a request that hangs holds only its own connection until its deadline; at most
// max_idle connections are kept open between requests. Thread-safe: mutex_ guards the idle list.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bot/telegram/http_connection.hpp"

namespace rb {

class connection_pool {
public:
    using time_point = std::chrono::steady_clock::time_point;

    connection_pool(net::any_io_executor ex, api_root root, std::size_t max_idle);
    ~connection_pool();

    // One POST. A reused connection that turns out stale (closed by the server while idle) is replaced and
    // the request resent at once: it failed before any response byte, so the server never acted on it.
    awaitable<http_reply> post(const std::string& target, const std::string& body, time_point deadline);

private:
    std::unique_ptr<http_connection> take_idle();
    void give_back(std::unique_ptr<http_connection> c);

    net::any_io_executor ex_;
    api_root root_;
    std::size_t max_idle_;
    std::shared_ptr<net::ssl::context> tls_;
    std::mutex mutex_;  // guards idle_
    std::vector<std::unique_ptr<http_connection>> idle_;
};

}  // namespace rb
