// The request loop of one webhook connection, for any stream: read head, check, read body, answer, with a deadline
// on every read and write. Written once for plain TCP and TLS (webhook_session.cpp), and tested on an in-memory
// stream (tests/bot_unit/session_loop_test.cpp) for slow, partial, oversized and malformed input. A stream's lowest
// layer must have expires_after(duration), as beast::tcp_stream does; missing a deadline ends the session.
// Deadlines: the first request's head within HEADER_TIMEOUT, later ones within IDLE_TIMEOUT (keep-alive), each body
// within BODY_TIMEOUT, each response write within BODY_TIMEOUT.
#pragma once

#include <atomic>
#include <boost/beast/http.hpp>
#include <string>

#include "bot/webhook/webhook_session.hpp"

namespace rb::session_loop {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// A request the parser could not frame (a bad or duplicated Content-Length, a bad chunk size, chunked together with
// Content-Length, a broken request line or header) gets a 400 saying so before the connection closes; a bare close
// leaves the sender guessing. Running out of input (the client left) is not a framing error.
bool is_framing_error(const error_code& ec);

// Keeps the in-flight count right on every exit path, so shutdown knows when requests are done.
struct in_flight_guard {
    explicit in_flight_guard(std::atomic<std::size_t>& n) : count(n) { ++count; }
    ~in_flight_guard() { --count; }
    std::atomic<std::size_t>& count;
};

// The answer to a request whose head passed decide_head: the pipeline's for an update, /healthz, /metrics.
awaitable<response> answer(const session_shared& shared, http_route route, request& req);
void count_request(const session_shared& shared, http_route route, http::status status);

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

}  // namespace rb::session_loop
