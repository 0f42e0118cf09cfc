// classify_reply / classify_error: the single place that decides what a Bot API answer means.
#include "bot/telegram/api_result.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>

namespace rb {

std::string_view to_string(api_status s) {
    switch (s) {
        case api_status::ok:
            return "ok";
        case api_status::retry_after:
            return "retry_after";
        case api_status::transient:
            return "transient";
        case api_status::blocked:
            return "blocked";
        case api_status::failed:
            return "failed";
    }
    return "unknown";
}

namespace {

api_status status_for(unsigned http_status) {
    if (http_status >= 200 && http_status < 300) return api_status::ok;
    if (http_status == 429) return api_status::retry_after;
    if (http_status == 403) return api_status::blocked;
    if (http_status >= 500 || http_status == 408) return api_status::transient;
    return api_status::failed;
}

}  // namespace

api_result classify_reply(unsigned http_status, std::string_view body) {
    api_result r;
    r.http_status = http_status;
    r.status = status_for(http_status);
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        if (r.status == api_status::ok) r.status = api_status::transient;  // 200 with garbage: a broken proxy
        r.description = "HTTP " + std::to_string(http_status) + " without a Bot API body";
        return r;
    }
    if (auto d = j.find("description"); d != j.end() && d->is_string()) r.description = d->get<std::string>();
    if (r.status == api_status::ok) {
        if (j.value("ok", false)) {
            r.result = j.contains("result") ? std::move(j["result"]) : nlohmann::json();
        } else {
            r.status = api_status::failed;
        }
    }
    if (r.status == api_status::retry_after) {
        auto p = j.find("parameters");
        std::int64_t s = 1;
        if (p != j.end() && p->is_object() && p->contains("retry_after") && (*p)["retry_after"].is_number_integer())
            s = (*p)["retry_after"].get<std::int64_t>();
        r.retry_after = std::chrono::seconds(std::clamp<std::int64_t>(s, 1, 3600));
    }
    return r;
}

api_result classify_error(const error_code& ec) {
    api_result r;
    r.status = api_status::transient;
    r.description = ec == beast::error::timeout ? std::string("timeout") : ec.message();
    if (ec.category() == net::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
        r.status = api_status::failed;
        r.description = "TLS certificate verification failed";
    }
    return r;
}

delivery_result delivery_of(const api_result& r) {
    delivery_result d;
    d.description = r.description;
    switch (r.status) {
        case api_status::ok:
            d.outcome = send_outcome::sent;
            break;
        case api_status::retry_after:
            d.outcome = send_outcome::throttled;
            d.retry_after = std::chrono::duration_cast<std::chrono::milliseconds>(r.retry_after);
            break;
        case api_status::transient:
            d.outcome = send_outcome::transient;
            break;
        case api_status::blocked:
            d.outcome = send_outcome::blocked;
            break;
        case api_status::failed:
            d.outcome = r.http_status == 401 || r.http_status == 404 ? send_outcome::bot_fault : send_outcome::rejected;
            break;
    }
    return d;
}

}  // namespace rb
