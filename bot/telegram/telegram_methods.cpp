// The typed Bot API calls: each builds its JSON body and picks its limits; telegram_client::call sends it.
#include <string>

#include "bot/telegram/telegram_client.hpp"
#include "bot/telegram/text_split.hpp"
#include "bot/telegram/webhook_reply.hpp"

namespace rb {

using json = nlohmann::json;

json inline_keyboard(const button_rows& rows) {
    json keyboard = json::array();
    for (const auto& row : rows) {
        json r = json::array();
        for (const auto& b : row) r.push_back({{"text", b.text}, {"callback_data", b.callback_data}});
        keyboard.push_back(std::move(r));
    }
    return {{"inline_keyboard", std::move(keyboard)}};
}

namespace {

// One sendMessage of a reply split into parts: the first part answers the runner's message, the last carries the
// buttons.
json message_part(const send_message& m, std::string text, bool first, bool last) {
    json body{{"chat_id", m.chat_id}, {"text", std::move(text)}, {"parse_mode", "HTML"}};
    if (first && m.reply_to_message_id)
        body["reply_parameters"] = {{"message_id", *m.reply_to_message_id}, {"allow_sending_without_reply", true}};
    if (last && !m.buttons.empty()) body["reply_markup"] = inline_keyboard(m.buttons);
    return body;
}

json answer_json(const answer_callback& a) {
    json body{{"callback_query_id", a.callback_query_id}};
    if (!a.text.empty()) body["text"] = a.text;
    return body;
}

}  // namespace

std::string webhook_answer_body(const answer_callback& a) {
    json body = answer_json(a);
    body["method"] = "answerCallbackQuery";
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::string> webhook_reply_body(const send_message& m) {
    if (telegram_length(m.text) > telegram_text_limit) return std::nullopt;  // the answer carries one call
    json body = message_part(m, m.text, true, true);
    body["method"] = "sendMessage";
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

awaitable<api_result> telegram_client::get_me() {
    json body = json::object();
    co_return co_await call("getMe", std::move(body));
}

awaitable<api_result> telegram_client::send(const send_message& m, call_options how) {
    how.chat_id = m.chat_id;
    how.counts_as_message = true;
    auto parts = split_message(m.text);
    api_result last;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        last = co_await call("sendMessage", message_part(m, std::move(parts[i]), i == 0, i + 1 == parts.size()), how);
        if (!last.ok()) co_return last;
    }
    co_return last;
}

awaitable<api_result> telegram_client::edit(const edit_message& m, call_options how) {
    how.chat_id = m.chat_id;
    how.counts_as_message = true;
    json body{{"chat_id", m.chat_id}, {"message_id", m.message_id}, {"text", m.text}, {"parse_mode", "HTML"}};
    co_return co_await call("editMessageText", std::move(body), how);
}

awaitable<api_result> telegram_client::answer(const answer_callback& a) {
    co_return co_await call("answerCallbackQuery", answer_json(a));
}

awaitable<api_result> telegram_client::set_my_commands(const std::vector<bot_command>& commands) {
    json list = json::array();
    for (const auto& c : commands) list.push_back({{"command", c.command}, {"description", c.description}});
    json body{{"commands", std::move(list)}};
    co_return co_await call("setMyCommands", std::move(body));
}

awaitable<api_result> telegram_client::set_webhook(const webhook_settings& w) {
    json body{{"url", w.url}, {"max_connections", w.max_connections}, {"allowed_updates", w.allowed_updates}};
    if (!w.secret_token.empty()) body["secret_token"] = w.secret_token;
    if (w.drop_pending_updates) body["drop_pending_updates"] = true;
    co_return co_await call("setWebhook", std::move(body));
}

awaitable<api_result> telegram_client::delete_webhook(bool drop_pending_updates) {
    json body = json::object();
    if (drop_pending_updates) body["drop_pending_updates"] = true;
    co_return co_await call("deleteWebhook", std::move(body));
}

awaitable<api_result> telegram_client::get_webhook_info() {
    json body = json::object();
    co_return co_await call("getWebhookInfo", std::move(body));
}

awaitable<api_result> telegram_client::get_updates(std::int64_t offset, std::chrono::seconds timeout,
                                                   const std::vector<std::string>& allowed_updates) {
    json body{{"offset", offset}, {"timeout", timeout.count()}, {"allowed_updates", allowed_updates}};
    call_options how;
    how.extra_timeout = timeout;
    how.retry = false;
    co_return co_await call("getUpdates", std::move(body), how);
}

}  // namespace rb
