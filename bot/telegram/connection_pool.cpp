// connection_pool: idle connections are a LIFO so the warmest is reused; extras beyond max_idle close.
#include "bot/telegram/connection_pool.hpp"

namespace rb {

connection_pool::connection_pool(net::any_io_executor ex, api_root root, std::size_t max_idle)
    : ex_(std::move(ex)), root_(std::move(root)), max_idle_(max_idle) {
    if (root_.tls) tls_ = make_verifying_tls_context();
}

connection_pool::~connection_pool() = default;

std::unique_ptr<http_connection> connection_pool::take_idle() {
    std::lock_guard lock(mutex_);
    if (idle_.empty()) return std::make_unique<http_connection>(ex_, root_, tls_.get());
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return c;
}

void connection_pool::give_back(std::unique_ptr<http_connection> c) {
    if (!c->open()) return;
    std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle_) idle_.push_back(std::move(c));
}

awaitable<http_reply> connection_pool::post(const std::string& target, const std::string& body, time_point deadline) {
    auto conn = take_idle();
    auto reply = co_await conn->post(target, body, deadline);
    if (reply.stale) {
        conn = std::make_unique<http_connection>(ex_, root_, tls_.get());
        reply = co_await conn->post(target, body, deadline);
    }
    give_back(std::move(conn));
    co_return reply;
}

}  // namespace rb
