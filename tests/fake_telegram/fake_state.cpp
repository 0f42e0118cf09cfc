// fake_telegram::state: recording, fault matching and canned Bot API answers. No sockets here.
#include "tests/fake_telegram/fake_state.hpp"

namespace rb::test {

using json = nlohmann::json;

namespace {

std::optional<std::int64_t> chat_of(const json& body) {
    if (!body.is_object()) return std::nullopt;
    auto it = body.find("chat_id");
    if (it == body.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

fake_reply error_reply(unsigned status, std::string_view description, int retry_after_s = 0) {
    return fake_reply{fake_reply::what::answer, status, bot_api_error(status, description, retry_after_s).body};
}

fake_reply fault_reply(const fault& f) {
    switch (f.kind) {
        case fault_kind::retry_after:
            return error_reply(429, "Too Many Requests: retry after " + std::to_string(f.retry_after_s),
                               f.retry_after_s);
        case fault_kind::server_error:
            return error_reply(500, "Internal Server Error");
        case fault_kind::forbidden:
            return error_reply(403, "Forbidden: bot was blocked by the user");
        case fault_kind::bad_request:
            return error_reply(400, "Bad Request: chat not found");
        case fault_kind::hang:
            return fake_reply{fake_reply::what::hang, 0, {}};
        case fault_kind::slow:
            break;  // answered as usual, later: see decide()
        case fault_kind::drop:
            return fake_reply{fake_reply::what::drop, 0, {}};
        case fault_kind::unauthorized:
            return error_reply(401, "Unauthorized");
        case fault_kind::not_found:
            return error_reply(404, "Not Found");
    }
    return error_reply(500, "unknown fault");
}

}  // namespace

std::optional<fault> fake_telegram::state::match_fault(const std::string& method, std::optional<std::int64_t> chat) {
    for (auto& f : faults) {
        if (f.times == 0) continue;
        if (!f.method.empty() && f.method != method) continue;
        if (f.chat_id && f.chat_id != chat) continue;
        if (f.times > 0) --f.times;
        return f;
    }
    return std::nullopt;
}

fake_reply fake_telegram::state::decide(const bot_api_request& request) {
    const std::string& method = request.method;
    const json& body = request.params;
    std::lock_guard lock(mutex);
    recorded_call call{method,
                       options.record_bodies ? body : json(),
                       chat_of(body),
                       std::chrono::steady_clock::now(),
                       0,
                       options.record_bodies ? request.token : std::string()};
    fake_reply reply;
    if (auto f = match_fault(method, call.chat_id); f && f->kind != fault_kind::slow) {
        reply = fault_reply(*f);
    } else if (method == "getUpdates") {
        reply.action = fake_reply::what::long_poll;
        reply.offset = body.value("offset", std::int64_t{0});
        reply.timeout = std::chrono::seconds(body.value("timeout", 0));
        reply.limit = std::clamp<std::size_t>(body.value("limit", std::size_t{100}), 1, 100);
    } else {
        reply.body = json{{"ok", true}, {"result", json::parse(answer_ok(method, body))}}.dump();
        if (f) reply.delay = f->delay;  // a slow fault: the usual answer, late
    }
    call.answered = reply.action == fake_reply::what::answer ? reply.status : 0;
    if (reply.action == fake_reply::what::long_poll) call.answered = 200;
    if (record_out.is_open()) {
        record_out << json{{"method", method}, {"path", request.target}, {"params", body}} << '\n' << std::flush;
    }
    calls.push_back(std::move(call));
    cv.notify_all();
    return reply;
}

// The result object of a successful call, as JSON text; mutex held.
std::string fake_telegram::state::answer_ok(const std::string& method, const json& body) {
    auto now_s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    if (method == "getMe") return R"({"id":123,"is_bot":true,"first_name":"Recovery","username":"recovery_test_bot"})";
    if (method == "sendMessage" || method == "editMessageText") {
        std::int64_t id = method == "sendMessage" ? next_message_id++ : body.value("message_id", std::int64_t{0});
        json chat{{"id", body.value("chat_id", std::int64_t{0})}, {"type", "private"}};
        return json{{"message_id", id}, {"date", now_s.count()}, {"chat", chat}, {"text", body.value("text", "")}}
            .dump();
    }
    if (method == "setWebhook") webhook_url = body.value("url", "");
    if (method == "deleteWebhook") webhook_url.clear();
    if (method == "getWebhookInfo") {
        json info{
            {"url", webhook_url}, {"has_custom_certificate", false}, {"pending_update_count", pending_update_count}};
        if (!last_error_message.empty()) info["last_error_message"] = last_error_message;
        return info.dump();
    }
    return "true";
}

std::optional<std::string> fake_telegram::state::take_updates(std::int64_t offset, std::size_t limit) {
    std::lock_guard lock(mutex);
    while (!updates.empty() && updates.front().value("update_id", std::int64_t{0}) < offset) updates.pop_front();
    if (updates.empty()) return std::nullopt;
    json result = json::array();
    for (std::size_t i = 0; i < updates.size() && i < limit; ++i) result.push_back(updates[i]);
    return json{{"ok", true}, {"result", std::move(result)}}.dump();
}

}  // namespace rb::test
