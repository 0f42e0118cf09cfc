// Blocking Beast client for the end-to-end tests; see http_client.hpp.
#include "http_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace rb::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct http_client::impl {
    net::io_context ioc;
    net::ssl::context ssl_ctx{net::ssl::context::tls_client};
    tcp::socket socket{ioc};
    std::unique_ptr<net::ssl::stream<tcp::socket&>> tls;
    beast::flat_buffer buffer;

    void set_timeout(std::chrono::milliseconds t) {
        timeval tv{};
        tv.tv_sec = t.count() / 1000;
        tv.tv_usec = (t.count() % 1000) * 1000;
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    template <typename F>
    auto with_stream(F&& f) {
        if (tls) return f(*tls);
        return f(socket);
    }
};

http_client::http_client(std::uint16_t port, std::string tls_ca, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<impl>()) {
    impl_->socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    impl_->set_timeout(timeout);
    if (!tls_ca.empty()) {
        impl_->ssl_ctx.load_verify_file(tls_ca);
        impl_->ssl_ctx.set_verify_mode(net::ssl::verify_peer);
        impl_->tls = std::make_unique<net::ssl::stream<tcp::socket&>>(impl_->socket, impl_->ssl_ctx);
        impl_->tls->handshake(net::ssl::stream_base::client);
    }
}

http_client::~http_client() = default;
http_client::http_client(http_client&&) noexcept = default;
http_client& http_client::operator=(http_client&&) noexcept = default;

std::optional<http_reply> http_client::request(const std::string& method, const std::string& target,
                                               const std::string& body,
                                               const std::map<std::string, std::string>& headers) {
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    req.keep_alive(true);
    beast::error_code ec;
    impl_->with_stream([&](auto& s) { http::write(s, req, ec); });
    if (ec) return std::nullopt;
    http::response<http::string_body> res;
    impl_->with_stream([&](auto& s) { http::read(s, impl_->buffer, res, ec); });
    if (ec) return std::nullopt;
    http_reply reply{static_cast<int>(res.result_int()), res.body(), {}, res.keep_alive()};
    for (const auto& field : res) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[name] = std::string(field.value());
    }
    return reply;
}

void http_client::send_raw(const std::string& bytes) {
    beast::error_code ec;
    impl_->with_stream([&](auto& s) { net::write(s, net::buffer(bytes), ec); });
}

std::optional<http_reply> http_client::read_reply() {
    beast::error_code ec;
    http::response<http::string_body> res;
    impl_->with_stream([&](auto& s) { http::read(s, impl_->buffer, res, ec); });
    if (ec) return std::nullopt;
    return http_reply{static_cast<int>(res.result_int()), res.body(), {}, res.keep_alive()};
}

bool http_client::closed_by_server(std::chrono::milliseconds within) {
    impl_->set_timeout(within);
    char buf[512];
    for (;;) {
        beast::error_code ec;
        impl_->with_stream([&](auto& s) { s.read_some(net::buffer(buf), ec); });
        if (!ec) continue;  // a late response (e.g. 408/503) before the close is fine; keep reading
        return ec != net::error::would_block && ec != net::error::try_again && ec != net::error::timed_out;
    }
}

std::string text_update(std::int64_t update_id, std::int64_t chat_id, const std::string& text) {
    const nlohmann::json update = {{"update_id", update_id},
                                   {"message",
                                    {{"message_id", update_id},
                                     {"date", 1764400000},
                                     {"from", {{"id", chat_id}, {"is_bot", false}, {"first_name", "Runner"}}},
                                     {"chat", {{"id", chat_id}, {"type", "private"}, {"first_name", "Runner"}}},
                                     {"text", text}}}};
    return update.dump();
}

std::pair<std::string, std::string> make_test_certificate(const std::string& dir) {
    const std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
    const std::string cmd =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" +
        key + "' -out '" + cert + "' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl could not make a test certificate");
    return {cert, key};
}

}  // namespace rb::test
