// http_connection: connect (TCP, then TLS with verification), write one request, read one response.
// Deadlines come from beast::tcp_stream's expiry, which covers resolve-free connect, handshake, write, read.
#include "bot/telegram/http_connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

namespace rb {

namespace http = beast::http;
namespace ssl = net::ssl;

namespace {
constexpr std::size_t max_response_body = 32 * 1024 * 1024;  // getUpdates with 100 large updates fits

bool before_response_error(const error_code& ec) {
    return ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
           ec == net::error::broken_pipe || ec == ssl::error::stream_truncated;
}
}  // namespace

std::shared_ptr<ssl::context> make_verifying_tls_context() {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_default_verify_paths();
    ctx->set_verify_mode(ssl::verify_peer);
    return ctx;
}

struct http_connection::impl {
    net::any_io_executor ex;
    api_root root;
    ssl::context* tls;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;
    bool used = false;  // has carried a request: a failure before any response byte may mean it went stale

    beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
    void close();
    awaitable<error_code> connect(time_point deadline);
    awaitable<error_code> handshake();
    template <class Stream>
    awaitable<http_reply> exchange(Stream& s, http::request<http::string_body>& req, time_point deadline);
};

void http_connection::impl::close() {
    error_code ignored;
    if (plain || secure) lowest().socket().close(ignored);
    plain.reset();
    secure.reset();
    buffer.clear();
    used = false;
}

awaitable<error_code> http_connection::impl::connect(time_point deadline) {
    tcp::resolver resolver(ex);
    auto [rec, endpoints] = co_await resolver.async_resolve(root.host, root.port, as_tuple_awaitable);
    if (rec) co_return rec;
    if (tls) {
        secure.emplace(ex, *tls);
    } else {
        plain.emplace(ex);
    }
    lowest().expires_at(deadline);
    auto [cec, ep] = co_await lowest().async_connect(endpoints, as_tuple_awaitable);
    if (cec) co_return cec;
    lowest().socket().set_option(tcp::no_delay(true));
    if (!tls) co_return error_code{};
    co_return co_await handshake();  // not in a ?: — GCC 12 evaluates co_await in both arms
}

// SNI so virtual hosts present the right certificate; host_name_verification so that certificate must name
// the host we asked for; verify_peer (set on the context) so an untrusted chain fails the handshake.
awaitable<error_code> http_connection::impl::handshake() {
    if (!SSL_set_tlsext_host_name(secure->native_handle(), root.host.c_str()))
        co_return error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category());
    secure->set_verify_mode(ssl::verify_peer);
    secure->set_verify_callback(ssl::host_name_verification(root.host));
    auto [ec] = co_await secure->async_handshake(ssl::stream_base::client, as_tuple_awaitable);
    co_return ec;
}

template <class Stream>
awaitable<http_reply> http_connection::impl::exchange(Stream& s, http::request<http::string_body>& req,
                                                      time_point deadline) {
    http_reply reply;
    lowest().expires_at(deadline);
    auto [wec, wn] = co_await http::async_write(s, req, as_tuple_awaitable);
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_response_body);
    error_code ec = wec;
    std::size_t read = 0;
    if (!ec) std::tie(ec, read) = co_await http::async_read(s, buffer, parser, as_tuple_awaitable);
    if (ec == net::error::operation_aborted && std::chrono::steady_clock::now() >= deadline)
        ec = beast::error::timeout;  // the expiry closed the socket under the read
    if (ec) {
        reply.ec = ec;
        reply.stale = used && read == 0 && before_response_error(ec);
        co_return reply;
    }
    auto& res = parser.get();
    reply.status = res.result_int();
    reply.keep_alive = res.keep_alive();
    reply.body = std::move(res.body());
    co_return reply;
}

http_connection::http_connection(net::any_io_executor ex, const api_root& root, ssl::context* tls)
    : impl_(std::make_unique<impl>(impl{std::move(ex), root, tls, {}, {}, {}, false})) {}

http_connection::~http_connection() = default;

bool http_connection::open() const { return impl_->plain || impl_->secure; }

awaitable<http_reply> http_connection::post(const std::string& target, const std::string& body, time_point deadline) {
    auto& d = *impl_;
    if (!open()) {
        if (auto ec = co_await d.connect(deadline)) {
            d.close();
            http_reply failed;
            failed.ec = ec;
            co_return failed;
        }
    }
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, d.root.host);
    req.set(http::field::user_agent, "recovery-bot");
    req.set(http::field::content_type, "application/json");
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();
    http_reply reply;
    if (d.secure) {
        reply = co_await d.exchange(*d.secure, req, deadline);
    } else {
        reply = co_await d.exchange(*d.plain, req, deadline);
    }
    if (reply.ec || !reply.keep_alive) {
        d.close();
    } else {
        d.used = true;
    }
    co_return reply;
}

}  // namespace rb
