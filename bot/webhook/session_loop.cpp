// The request loop's parts that are not templates: framing errors, answers and the request counter.
#include "bot/webhook/session_loop.hpp"

#include "bot/process/log.hpp"

namespace rb::session_loop {

// A request the parser could not frame (a bad or duplicated Content-Length, a bad chunk size, chunked together with
// Content-Length, a broken request line or header) gets a 400 saying so before the connection closes; a bare close
// leaves the sender guessing. Running out of input (the client left) is not a framing error.
bool is_framing_error(const error_code& ec) {
    if (!ec || ec.category() != make_error_code(http::error::bad_target).category()) return false;
    return ec != http::error::end_of_stream && ec != http::error::partial_message && ec != http::error::need_more &&
           ec != http::error::header_limit && ec != http::error::body_limit && ec != http::error::buffer_overflow;
}

namespace {

awaitable<response> answer_update(const session_shared& shared, request& req) {
    pipeline_result result;
    try {
        result = co_await shared.on_update(std::move(req.body()));
    } catch (const std::exception& e) {
        log_event(log_level::error, "update_handler_failed", {{"error", e.what()}});
        result = {pipeline_status::unavailable, "internal error"};
    }
    const http::status status = status_for(result.status);
    if (!result.reply.empty())
        co_return make_response(status, std::move(result.reply), req.version(), "application/json");
    std::string body = status == http::status::ok ? "ok" : result.reason;
    co_return make_response(status, std::move(body), req.version());
}

}  // namespace

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
    const auto code = static_cast<unsigned>(status);
    auto resolve = [&]() -> counter& {
        return shared.metrics->counter_for(
            "rb_http_requests_total", "HTTP requests by route and status",
            {{"route", std::string(to_string(route))}, {"status", std::to_string(code)}});
    };
    if (code >= 600) {
        resolve().inc();  // not a status Beast sends; no slot for it
        return;
    }
    shared.request_counts->at(static_cast<std::size_t>(route) * 600 + code, resolve).inc();
}

}  // namespace rb::session_loop
