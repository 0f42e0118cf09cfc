// Listener of the webhook front: binds, builds the TLS context, accepts and spawns one session per
// connection on its own strand. Accept errors other than cancellation are logged and the loop goes on.
#include "bot/webhook/webhook_server.hpp"

#include <boost/asio/ssl.hpp>

#include "bot/process/log.hpp"
#include "bot/webhook/webhook_session.hpp"

namespace rb {
namespace {

// TLS 1.2 and newer only, certificate chain and key from files.
std::unique_ptr<net::ssl::context> make_tls_context(const server_settings& s) {
    auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                     net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1 |
                     net::ssl::context::single_dh_use);
    error_code ec;
    ctx->use_certificate_chain_file(s.tls_cert, ec);
    if (ec) throw std::runtime_error("TLS_CERT " + s.tls_cert + ": " + ec.message());
    ctx->use_private_key_file(s.tls_key, net::ssl::context::pem, ec);
    if (ec) throw std::runtime_error("TLS_KEY " + s.tls_key + ": " + ec.message());
    return ctx;
}

}  // namespace

webhook_server::webhook_server(net::io_context& ioc, server_settings settings, update_handler on_update,
                               health_probe health, metrics_registry& metrics)
    : ioc_(ioc),
      settings_(std::move(settings)),
      on_update_(std::move(on_update)),
      health_(std::move(health)),
      metrics_(metrics),
      acceptor_(net::make_strand(ioc)) {}

webhook_server::~webhook_server() = default;

void webhook_server::start() {
    if (!settings_.tls_cert.empty()) tls_ = make_tls_context(settings_);
    error_code ec;
    const auto address = net::ip::make_address(settings_.host, ec);
    if (ec) throw std::runtime_error("LISTEN " + settings_.host + ": not an IP address");
    const tcp::endpoint endpoint{address, settings_.port};
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint, ec);
    if (ec) {
        throw std::runtime_error("LISTEN " + settings_.host + ":" + std::to_string(settings_.port) + ": " +
                                 ec.message());
    }
    acceptor_.listen(net::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
    net::co_spawn(acceptor_.get_executor(), accept_loop(), [](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log_event(log_level::error, "accept_loop_failed", {{"error", ex.what()}});
        }
    });
    log_event(log_level::info, "listening",
              {{"address", settings_.host},
               {"port", static_cast<int>(port_)},
               {"tls", tls_ != nullptr},
               {"path", settings_.front.webhook_path}});
}

void webhook_server::stop_accepting() {
    stopping_->store(true);
    net::post(acceptor_.get_executor(), [this] {
        error_code ignored;
        acceptor_.close(ignored);
    });
}

awaitable<void> webhook_server::accept_loop() {
    auto shared = std::make_shared<session_shared>(
        session_shared{settings_, on_update_, health_, &metrics_, connections_, in_flight_, stopping_});
    for (;;) {
        auto [ec, socket] = co_await acceptor_.async_accept(net::make_strand(ioc_), as_tuple_awaitable);
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
        if (ec) {
            // Out of file descriptors and the like: say so once per failure, pause, keep listening.
            log_event(log_level::warn, "accept_failed", {{"error", ec.message()}});
            steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
            co_await pause.async_wait();
            continue;
        }
        // Responses go out as several TLS records; without NODELAY, Nagle holds the last one for an ACK.
        error_code nodelay_ec;
        socket.set_option(tcp::no_delay(true), nodelay_ec);
        const bool over_limit = connections_->fetch_add(1) >= settings_.max_connections;
        if (over_limit) metrics_.counter_for("rb_connections_refused_total", "Connections over the limit").inc();
        auto executor = socket.get_executor();
        auto on_done = [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                log_event(log_level::warn, "session_failed", {{"error", ex.what()}});
            }
        };
        if (tls_) {
            net::co_spawn(executor, run_tls_session(std::move(socket), *tls_, shared, over_limit), on_done);
        } else {
            net::co_spawn(executor, run_plain_session(std::move(socket), shared, over_limit), on_done);
        }
    }
}

}  // namespace rb
