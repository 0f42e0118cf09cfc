// Request-head checks for the webhook front; see http_routes.hpp.
#include "bot/webhook/http_routes.hpp"

#include <charconv>

namespace rb {

std::string_view to_string(http_route route) {
    switch (route) {
        case http_route::webhook:
            return "webhook";
        case http_route::healthz:
            return "healthz";
        case http_route::metrics:
            return "metrics";
        case http_route::unknown:
            return "unknown";
    }
    return "unknown";
}

bool secret_matches(std::string_view given, std::string_view expected) {
    unsigned char diff = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
        diff |= static_cast<unsigned char>(g ^ static_cast<unsigned char>(expected[i]));
    }
    return diff == 0 && !expected.empty();
}

namespace {

http_route route_of(std::string_view target, const front_settings& settings) {
    target = target.substr(0, target.find('?'));
    if (target == settings.webhook_path) return http_route::webhook;
    if (target == "/healthz") return http_route::healthz;
    if (target == "/metrics") return http_route::metrics;
    return http_route::unknown;
}

head_decision refuse(http_route route, http::status status, std::string reason) {
    return head_decision{route, status, std::move(reason)};
}

}  // namespace

head_decision decide_head(const http::request_header<>& head, const front_settings& settings) {
    const http_route route = route_of(head.target(), settings);
    if (route == http_route::unknown) return refuse(route, http::status::not_found, "not found");
    if (route != http_route::webhook) {
        if (head.method() != http::verb::get && head.method() != http::verb::head) {
            return refuse(route, http::status::method_not_allowed, "use GET");
        }
        return head_decision{route, std::nullopt, {}};
    }
    if (head.method() != http::verb::post) return refuse(route, http::status::method_not_allowed, "use POST");
    const auto secret = head["X-Telegram-Bot-Api-Secret-Token"];
    if (!secret_matches(std::string_view(secret.data(), secret.size()), settings.webhook_secret)) {
        return refuse(route, http::status::unauthorized, "bad secret token");
    }
    const auto length = head[http::field::content_length];
    if (!length.empty()) {
        std::uint64_t n = 0;
        auto [ptr, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
        if (ec != std::errc{} || ptr != length.data() + length.size()) {
            return refuse(route, http::status::bad_request, "bad Content-Length");
        }
        if (n > settings.max_body_bytes) return refuse(route, http::status::payload_too_large, "body too large");
    }
    return head_decision{route, std::nullopt, {}};
}

http::status status_for(pipeline_status status) {
    switch (status) {
        case pipeline_status::handled:
        case pipeline_status::duplicate:
        case pipeline_status::ignored:
        case pipeline_status::dead_letter:
            return http::status::ok;
        case pipeline_status::bad_request:
            return http::status::bad_request;
        case pipeline_status::unavailable:
            return http::status::service_unavailable;
    }
    return http::status::internal_server_error;
}

http::response<http::string_body> make_response(http::status status, std::string body, unsigned version,
                                                std::string_view content_type) {
    http::response<http::string_body> res{status, version};
    res.set(http::field::server, "recovery-bot");
    res.set(http::field::content_type, content_type);
    if (status == http::status::service_unavailable) res.set(http::field::retry_after, "1");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

}  // namespace rb
