// Connecting a redis_socket: resolve, try each address, then (rediss://) the TLS handshake. The host name is both
// the SNI name and the name the certificate must carry; an IP literal is matched against the certificate's IP
// addresses and sent without SNI, as RFC 6066 asks.
#include "storage/redis_socket.hpp"

#include <openssl/ssl.h>

#include <boost/asio/ssl.hpp>

namespace rb {
namespace {

bool is_ip_literal(const std::string& host) {
    error_code ec;
    net::ip::make_address(host, ec);
    return !ec;
}

awaitable<void> connect_plain(stream_socket& socket, const redis_url& url) {
    if (url.kind == redis_url::transport::unix_socket) {
        co_await socket.async_connect(net::local::stream_protocol::endpoint(url.path), use_awaitable);
        co_return;
    }
    tcp::resolver resolver(socket.get_executor());
    auto results = co_await resolver.async_resolve(url.host, std::to_string(url.port), use_awaitable);
    error_code last = net::error::host_not_found;
    for (const auto& entry : results) {
        if (socket.is_open()) socket.close();
        auto [ec] = co_await socket.async_connect(entry.endpoint(), as_tuple_awaitable);
        if (!ec) {
            socket.set_option(tcp::no_delay(true));
            co_return;
        }
        last = ec;
        if (ec == net::error::operation_aborted) break;  // closed by a stop or a deadline: no next address
    }
    throw boost::system::system_error(last);
}

}  // namespace

redis_socket::redis_socket(net::any_io_executor ex, std::shared_ptr<net::ssl::context> tls)
    : tls_context_(std::move(tls)), plain_(ex) {}

awaitable<void> redis_socket::connect(const redis_url& url) {
    close();
    tls_.reset();
    if (!url.tls) {
        co_await connect_plain(plain_, url);
        co_return;
    }
    if (!tls_context_)
        throw boost::system::system_error(net::error::no_protocol_option, "rediss:// without a TLS context");
    tls_.emplace(plain_.get_executor(), *tls_context_);
    co_await connect_plain(tls_->next_layer(), url);
    if (!is_ip_literal(url.host) && !SSL_set_tlsext_host_name(tls_->native_handle(), url.host.c_str()))
        throw boost::system::system_error(net::error::invalid_argument, "TLS: host name not usable for SNI");
    tls_->set_verify_callback(net::ssl::host_name_verification(url.host));
    auto [ec] = co_await tls_->async_handshake(net::ssl::stream_base::client, as_tuple_awaitable);
    if (ec) throw boost::system::system_error(ec, "TLS handshake");
}

void redis_socket::close() noexcept {
    error_code ignored;
    if (tls_)
        tls_->next_layer().close(ignored);
    else
        plain_.close(ignored);
}

bool redis_socket::is_open() const noexcept { return tls_ ? tls_->next_layer().is_open() : plain_.is_open(); }

}  // namespace rb
