// One client connection of the webhook front, plain or TLS: a loop of read head, check, read body,
// answer, with a deadline on every read and write. Every error branch leaves the loop and closes.
#pragma once

#include <atomic>
#include <memory>

#include "bot/webhook/webhook_server.hpp"

namespace rb {

// What every session of one server shares; owned jointly so a session may outlive the server object.
struct session_shared {
    server_settings settings;
    update_handler on_update;
    health_probe health;
    metrics_registry* metrics = nullptr;
    std::shared_ptr<std::atomic<std::size_t>> connections;
    std::shared_ptr<std::atomic<std::size_t>> in_flight;
    std::shared_ptr<std::atomic<bool>> stopping;
    // rb_http_requests_total by route (4) and status (100-599), resolved on first use.
    std::shared_ptr<metric_slots<counter, 4 * 600>> request_counts = std::make_shared<metric_slots<counter, 4 * 600>>();
};

// Runs a session to its end. over_limit: answer the first request 503 and close (too many connections).
awaitable<void> run_plain_session(tcp::socket socket, std::shared_ptr<const session_shared> shared, bool over_limit);
awaitable<void> run_tls_session(tcp::socket socket, net::ssl::context& tls,
                                std::shared_ptr<const session_shared> shared, bool over_limit);

}  // namespace rb
