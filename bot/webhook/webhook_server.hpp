// The HTTP(S) front Telegram's webhook calls: accepts connections, reads requests with header and body
// deadlines and size limits, routes them (http_routes.hpp) and hands update bodies to the pipeline.
// It owns no domain logic and no Redis; main() gives it the pipeline and a health probe.
#pragma once

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bot/effects/update_pipeline.hpp"
#include "bot/process/metrics.hpp"
#include "bot/webhook/http_routes.hpp"
#include "bot/webhook/server_settings.hpp"
#include "net/asio.hpp"

namespace rb {

struct health_report {
    bool healthy = false;
    std::string json;  // {"status":"ok","redis":"up",...}
};

using health_probe = std::function<health_report()>;

class webhook_server {
public:
    webhook_server(net::io_context& ioc, server_settings settings, update_handler on_update, health_probe health,
                   metrics_registry& metrics);
    ~webhook_server();

    // Binds and starts accepting. Throws std::runtime_error naming the address or the TLS file on failure.
    void start();
    std::uint16_t port() const { return port_; }

    // Graceful stop: closes the listener; connections finish the request they are on and close.
    void stop_accepting();
    std::size_t requests_in_flight() const { return in_flight_->load(); }

private:
    awaitable<void> accept_loop();

    net::io_context& ioc_;
    server_settings settings_;
    update_handler on_update_;
    health_probe health_;
    metrics_registry& metrics_;
    std::unique_ptr<net::ssl::context> tls_;
    tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    // Shared with sessions, which may outlive a stop; atomics because sessions run on many strands.
    std::shared_ptr<std::atomic<std::size_t>> connections_ = std::make_shared<std::atomic<std::size_t>>(0);
    std::shared_ptr<std::atomic<std::size_t>> in_flight_ = std::make_shared<std::atomic<std::size_t>>(0);
    std::shared_ptr<std::atomic<bool>> stopping_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace rb
