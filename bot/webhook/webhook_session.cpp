// A webhook connection, plain or TLS: the stream set-up and tear-down around the request loop (session_loop.hpp).
#include "bot/webhook/webhook_session.hpp"

#include <array>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "bot/process/log.hpp"
#include "bot/webhook/session_loop.hpp"

namespace rb {
namespace {

using session_loop::serve;

// Decrements the connection count however the session ends.
struct connection_guard {
    explicit connection_guard(std::atomic<std::size_t>& n) : count(n) {}
    ~connection_guard() { --count; }
    std::atomic<std::size_t>& count;
};

}  // namespace

awaitable<void> run_plain_session(tcp::socket socket, std::shared_ptr<const session_shared> shared, bool over_limit) {
    connection_guard guard(*shared->connections);
    beast::tcp_stream stream(std::move(socket));
    co_await serve(stream, *shared, over_limit);
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    // A refused request's body may still be arriving. Closing with unread bytes makes the kernel send RST,
    // which can destroy our 413/401 before the client reads it, so read and drop a bounded amount first.
    stream.expires_after(std::chrono::milliseconds(500));
    std::array<char, 8192> sink;
    for (std::size_t drained = 0; drained < 4 * 1024 * 1024;) {
        auto [ec, n] = co_await stream.async_read_some(net::buffer(sink), as_tuple_awaitable);
        if (ec) break;
        drained += n;
    }
}

awaitable<void> run_tls_session(tcp::socket socket, net::ssl::context& tls,
                                std::shared_ptr<const session_shared> shared, bool over_limit) {
    connection_guard guard(*shared->connections);
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), tls);
    beast::get_lowest_layer(stream).expires_after(shared->settings.header_timeout);
    auto [ec] = co_await stream.async_handshake(net::ssl::stream_base::server, as_tuple_awaitable);
    if (ec) {
        log_event(log_level::debug, "tls_handshake_failed", {{"error", ec.message()}});
        co_return;
    }
    co_await serve(stream, *shared, over_limit);
    // A peer that vanishes without close_notify gives stream_truncated; it's the common case, not an error.
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(as_tuple_awaitable);
}

}  // namespace rb
