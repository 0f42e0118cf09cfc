// What the webhook front answers, decided from a request's head before its body is read:
// 404 unknown path, 405 wrong method, 401 bad secret, 413 body too large — or "read the body and hand it on".
// No sockets here, so every refusal is testable on plain values.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "bot/effects/update_pipeline.hpp"
#include "bot/webhook/server_settings.hpp"

namespace rb {

namespace http = boost::beast::http;

enum class http_route { webhook, healthz, metrics, unknown };

std::string_view to_string(http_route route);

struct head_decision {
    http_route route = http_route::unknown;
    std::optional<http::status> refuse;  // set: answer this at once and close
    std::string reason;                  // short text for the refusal's body
};

// The request target without its query string decides the route; the method, the secret header and
// Content-Length are checked in that order, so a client learns the first thing it got wrong.
head_decision decide_head(const http::request_header<>& head, const front_settings& settings);

// Constant-time in the length of the expected secret: no early exit on the first differing byte.
bool secret_matches(std::string_view given, std::string_view expected);

// Maps the pipeline's verdict on an update to the status Telegram sees (200 / 400 / 503).
http::status status_for(pipeline_status status);

http::response<http::string_body> make_response(http::status status, std::string body, unsigned version,
                                                std::string_view content_type = "text/plain; charset=utf-8");

}  // namespace rb
