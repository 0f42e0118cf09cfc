// Internal to storage/: the byte stream to one Redis server or sentinel. A generic stream socket carries TCP or a
// unix socket; for rediss:// the same socket is wrapped in an Asio SSL stream, made anew for every connect (an SSL
// session cannot be reused after its socket closed). Both kinds read and write through the same two calls, so the
// pipelined connection and the subscriptions never ask which one they hold. One read and one write may be in
// flight at once, from the strand the socket was made on.
#pragma once

#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <optional>

#include "net/asio.hpp"
#include "storage/redis_url.hpp"

namespace rb {

using stream_socket = net::generic::stream_protocol::socket;

class redis_socket {
public:
    using executor_type = net::any_io_executor;

    // tls: the context for rediss:// URLs (may be null when no URL this socket meets uses TLS).
    redis_socket(net::any_io_executor ex, std::shared_ptr<net::ssl::context> tls);

    // Connects to the URL's server and, for rediss://, runs the TLS handshake with SNI and host-name
    // verification. Throws system_error; a failed handshake says so ("TLS handshake: certificate verify failed").
    awaitable<void> connect(const redis_url& url);

    // Asio's AsyncReadStream / AsyncWriteStream, so net::async_write and friends work on either kind.
    template <typename Buffers, typename Token>
    auto async_read_some(const Buffers& buffers, Token&& token) {
        if (tls_) return tls_->async_read_some(buffers, std::forward<Token>(token));
        return plain_.async_read_some(buffers, std::forward<Token>(token));
    }
    template <typename Buffers, typename Token>
    auto async_write_some(const Buffers& buffers, Token&& token) {
        if (tls_) return tls_->async_write_some(buffers, std::forward<Token>(token));
        return plain_.async_write_some(buffers, std::forward<Token>(token));
    }

    executor_type get_executor() noexcept { return plain_.get_executor(); }
    void close() noexcept;  // ends a read or write in flight with operation_aborted
    bool is_open() const noexcept;

private:
    std::shared_ptr<net::ssl::context> tls_context_;
    stream_socket plain_;                                 // unused while tls_ holds the socket
    std::optional<net::ssl::stream<stream_socket>> tls_;  // rediss:// only
};

}  // namespace rb
