// The per-connection request loop of the webhook front, written once for plain and TLS streams.
// Deadlines: the first request's head within HEADER_TIMEOUT, later ones within IDLE_TIMEOUT (keep-alive),
// each body within BODY_TIMEOUT, each response write within BODY_TIMEOUT. A client that misses one is cut off.
#include "bot/webhook/webhook_session.hpp"

#include <array>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "bot/process/log.hpp"

namespace rb {
namespace {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// Keeps the in-flight count right on every exit path, so shutdown knows when requests are done.
// A request the parser could not frame (a bad or duplicated Content-Length, a bad chunk size, chunked together with
// Content-Length, a broken request line or header) gets a 400 saying so before the connection closes; a bare close
// leaves the sender guessing. Running out of input (the client left) is not a framing error.
bool is_framing_error(const error_code& ec) {
    if (!ec || ec.category() != make_error_code(http::error::bad_target).category()) return false;
    return ec != http::error::end_of_stream && ec != http::error::partial_message && ec != http::error::need_more &&
           ec != http::error::header_limit && ec != http::error::body_limit && ec != http::error::buffer_overflow;
}

struct in_flight_guard {
    explicit in_flight_guard(std::atomic<std::size_t>& n) : count(n) { ++count; }
    ~in_flight_guard() { --count; }
    std::atomic<std::size_t>& count;
};

awaitable<response> answer_update(const session_shared& shared, request& req) {
    pipeline_result result;
    try {
        result = co_await shared.on_update(std::move(req.body()));
    } catch (const std::exception& e) {
        log_event(log_level::error, "update_handler_failed", {{"error", e.what()}});
        result = {pipeline_status::unavailable, "internal error"};
    }
    const http::status status = status_for(result.status);
    std::string body = status == http::status::ok ? "ok" : result.reason;
    co_return make_response(status, std::move(body), req.version());
}

awaitable<response> answer(const session_shared& shared, http_route route, request& req) {
    switch (route) {
        case http_route::webhook:
            co_return co_await answer_update(shared, req);
        case http_route::healthz: {
            const health_report report = shared.health();
            co_return make_response(report.healthy ? http::status::ok : http::status::service_unavailable, report.json,
                                    req.version(), "application/json");
        }
        case http_route::metrics:
            co_return make_response(http::status::ok, shared.metrics->render(), req.version(),
                                    "text/plain; version=0.0.4");
        case http_route::unknown:
            break;
    }
    co_return make_response(http::status::not_found, "not found", req.version());
}

void count_request(const session_shared& shared, http_route route, http::status status) {
    shared.metrics
        ->counter_for("rb_http_requests_total", "HTTP requests by route and status",
                      {{"route", std::string(to_string(route))}, {"status", std::to_string(static_cast<int>(status))}})
        .inc();
}

template <typename Stream>
awaitable<bool> write_response(Stream& stream, const session_shared& shared, response& res) {
    beast::get_lowest_layer(stream).expires_after(shared.settings.body_timeout);
    auto [ec, n] = co_await http::async_write(stream, res, as_tuple_awaitable);
    co_return !ec;
}

// Answers a refusal decided before the body was read. The unread body makes the connection unusable,
// so every refusal closes it.
template <typename Stream>
awaitable<void> refuse(Stream& stream, const session_shared& shared, http_route route, http::status status,
                       const std::string& reason, unsigned version) {
    response res = make_response(status, reason, version);
    if (status == http::status::method_not_allowed) {
        res.set(http::field::allow, route == http_route::webhook ? "POST" : "GET");
    }
    res.keep_alive(false);
    count_request(shared, route, status);
    co_await write_response(stream, shared, res);
}

template <typename Stream>
awaitable<void> serve(Stream& stream, const session_shared& shared, bool over_limit) {
    beast::flat_buffer buffer;
    for (bool first = true;; first = false) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(16 * 1024);
        parser.body_limit(shared.settings.front.max_body_bytes);
        beast::get_lowest_layer(stream).expires_after(first ? shared.settings.header_timeout
                                                            : shared.settings.idle_timeout);
        auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, as_tuple_awaitable);
        if (ec == http::error::header_limit) {
            co_await refuse(stream, shared, http_route::unknown, http::status::request_header_fields_too_large,
                            "headers too large", 11);
        }
        if (ec == http::error::body_limit) {
            // Beast checks Content-Length against the body limit as soon as the head is parsed.
            const http_route route = decide_head(parser.get(), shared.settings.front).route;
            co_return co_await refuse(stream, shared, route, http::status::payload_too_large, "body too large",
                                      parser.get().version());
        }
        if (is_framing_error(ec)) {
            std::string why = "malformed request: " + ec.message();
            co_return co_await refuse(stream, shared, http_route::unknown, http::status::bad_request, std::move(why),
                                      11);
        }
        if (ec) co_return;  // end_of_stream, timeout, reset: the client is gone or too slow
        in_flight_guard guard(*shared.in_flight);
        const auto& head = parser.get();
        if (over_limit) {
            co_return co_await refuse(stream, shared, http_route::unknown, http::status::service_unavailable,
                                      "too many connections", head.version());
        }
        const head_decision decision = decide_head(head, shared.settings.front);
        if (decision.refuse) {
            co_return co_await refuse(stream, shared, decision.route, *decision.refuse, decision.reason,
                                      head.version());
        }
        beast::get_lowest_layer(stream).expires_after(shared.settings.body_timeout);
        auto [body_ec, body_n] = co_await http::async_read(stream, buffer, parser, as_tuple_awaitable);
        if (body_ec == http::error::body_limit) {
            co_return co_await refuse(stream, shared, decision.route, http::status::payload_too_large, "body too large",
                                      head.version());
        }
        if (is_framing_error(body_ec)) {
            std::string why = "malformed body: " + body_ec.message();
            co_return co_await refuse(stream, shared, decision.route, http::status::bad_request, std::move(why),
                                      head.version());
        }
        if (body_ec) co_return;
        request req = parser.release();
        response res = co_await answer(shared, decision.route, req);
        res.keep_alive(req.keep_alive() && !shared.stopping->load());
        count_request(shared, decision.route, res.result());
        if (!co_await write_response(stream, shared, res) || !res.keep_alive()) co_return;
    }
}

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
