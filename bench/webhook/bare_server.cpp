// The baseline of bench/webhook: the same stack as recovery-bot's front (Beast, Asio coroutines, TLS 1.2+,
// keep-alive, THREADS threads) that reads each POST and answers 200 with no work at all.
// usage: bare-https-server CERT KEY THREADS   (prints "port=<n>" once listening on 127.0.0.1)
#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "net/asio.hpp"

namespace rb {
namespace http = beast::http;

awaitable<void> session(tcp::socket socket, net::ssl::context& tls) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), tls);
    auto [hs] = co_await stream.async_handshake(net::ssl::stream_base::server, as_tuple_awaitable);
    if (hs) co_return;
    beast::flat_buffer buffer;
    for (;;) {
        http::request<http::string_body> req;
        auto [ec, n] = co_await http::async_read(stream, buffer, req, as_tuple_awaitable);
        if (ec) co_return;
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.body() = "ok";
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        auto [wec, wn] = co_await http::async_write(stream, res, as_tuple_awaitable);
        if (wec || !res.keep_alive()) co_return;
    }
}

awaitable<void> listen(tcp::acceptor& acceptor, net::io_context& ioc, net::ssl::context& tls) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(ioc), as_tuple_awaitable);
        if (ec) co_return;
        auto ex = socket.get_executor();
        net::co_spawn(ex, session(std::move(socket), tls), net::detached);
    }
}

}  // namespace rb

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: bare-https-server CERT KEY THREADS\n");
        return 2;
    }
    const int threads = std::atoi(argv[3]);
    rb::net::io_context ioc(threads);
    rb::net::ssl::context tls(rb::net::ssl::context::tls_server);
    tls.set_options(rb::net::ssl::context::default_workarounds | rb::net::ssl::context::no_sslv2 |
                    rb::net::ssl::context::no_sslv3 | rb::net::ssl::context::no_tlsv1 |
                    rb::net::ssl::context::no_tlsv1_1);
    tls.use_certificate_chain_file(argv[1]);
    tls.use_private_key_file(argv[2], rb::net::ssl::context::pem);
    rb::tcp::acceptor acceptor(ioc, {rb::net::ip::make_address("127.0.0.1"), 0});
    std::printf("port=%u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
    std::fflush(stdout);
    rb::net::co_spawn(ioc, rb::listen(acceptor, ioc, tls), rb::net::detached);
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
}
