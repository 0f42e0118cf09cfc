// The outbox's call codec (see outbound_call.hpp). Field names are short: every byte is stored once per reply.
#include "bot/effects/outbound_call.hpp"

#include <nlohmann/json.hpp>

#include "handlers/delivery/delivery_policy.hpp"

namespace rb {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json buttons_json(const button_rows& rows) {
    json out = json::array();
    for (const auto& row : rows) {
        json r = json::array();
        for (const auto& b : row) r.push_back(json::array({b.text, b.callback_data}));
        out.push_back(std::move(r));
    }
    return out;
}

bool read_buttons(const json& j, button_rows& rows) {
    if (!j.is_array()) return false;
    for (const auto& row : j) {
        if (!row.is_array()) return false;
        auto& out = rows.emplace_back();
        for (const auto& b : row) {
            if (!b.is_array() || b.size() != 2 || !b[0].is_string() || !b[1].is_string()) return false;
            out.push_back({b[0].get<std::string>(), b[1].get<std::string>()});
        }
    }
    return true;
}

}  // namespace

std::optional<outbound_entry> outbox_entry_of(const action& a) {
    if (const auto* m = std::get_if<send_message>(&a)) {
        json j{{"m", "send"}, {"chat", m->chat_id}, {"text", m->text}};
        if (!m->buttons.empty()) j["buttons"] = buttons_json(m->buttons);
        if (m->reply_to_message_id) j["reply_to"] = *m->reply_to_message_id;
        return outbound_entry{std::string(reply_kind), m->chat_id, dump(j)};
    }
    if (const auto* e = std::get_if<edit_message>(&a)) {
        json j{{"m", "edit"}, {"chat", e->chat_id}, {"message", e->message_id}, {"text", e->text}};
        return outbound_entry{std::string(edit_kind), e->chat_id, dump(j)};
    }
    if (const auto* t = std::get_if<answer_callback>(&a)) {
        json j{{"m", "toast"}, {"query", t->callback_query_id}, {"text", t->text}};
        return outbound_entry{std::string(toast_kind), 0, dump(j)};
    }
    return std::nullopt;
}

std::optional<outbound_call> decode_outbound(const std::string& stored) {
    const json j = json::parse(stored, nullptr, false);
    if (!j.is_object() || !j.contains("m") || !j["m"].is_string()) return std::nullopt;
    const auto m = j["m"].get<std::string>();
    const auto text = j.find("text");
    if (text == j.end() || !text->is_string()) return std::nullopt;
    if (m == "send") {
        if (!j.contains("chat") || !j["chat"].is_number_integer()) return std::nullopt;
        send_message out{j["chat"].get<std::int64_t>(), text->get<std::string>(), {}, std::nullopt};
        if (j.contains("buttons") && !read_buttons(j["buttons"], out.buttons)) return std::nullopt;
        if (j.contains("reply_to")) {
            if (!j["reply_to"].is_number_integer()) return std::nullopt;
            out.reply_to_message_id = j["reply_to"].get<std::int64_t>();
        }
        return out;
    }
    if (m == "edit") {
        if (!j.contains("chat") || !j["chat"].is_number_integer() || !j.contains("message") ||
            !j["message"].is_number_integer())
            return std::nullopt;
        return edit_message{j["chat"].get<std::int64_t>(), j["message"].get<std::int64_t>(), text->get<std::string>()};
    }
    if (m == "toast") {
        if (!j.contains("query") || !j["query"].is_string()) return std::nullopt;
        return answer_callback{j["query"].get<std::string>(), text->get<std::string>()};
    }
    return std::nullopt;
}

}  // namespace rb
