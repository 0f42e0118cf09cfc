// The terminal chat's state (see terminal_conversation.hpp). The JSON shapes follow the Bot API's
// Update, Message, User, Chat and CallbackQuery objects closely enough for handlers/update.cpp's parser,
// which is the point: the bot cannot tell this chat from Telegram.
#include "bot/terminal/terminal_conversation.hpp"

#include <algorithm>
#include <chrono>

#include "bot/terminal/terminal_render.hpp"

namespace rb {

using json = nlohmann::json;

namespace {

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Telegram reports a command's position in UTF-16 units; commands are ASCII, so bytes are units here.
json command_entities(std::string_view text) {
    if (text.empty() || text.front() != '/') return json::array();
    const auto end = text.find_first_of(" \t\n");
    const auto length = static_cast<std::int64_t>(end == std::string_view::npos ? text.size() : end);
    return json::array({{{"type", "bot_command"}, {"offset", 0}, {"length", length}}});
}

bool has_int(const json& params, const char* key) {
    return params.contains(key) && (params[key].is_number_integer() || params[key].is_string());
}

std::int64_t int_param(const json& params, const char* key) {
    const json& v = params[key];
    if (v.is_number_integer()) return v.get<std::int64_t>();
    try {
        return std::stoll(v.get<std::string>());
    } catch (const std::exception&) {
        return 0;
    }
}

// Text and buttons as the bot gets them back: Telegram returns plain text (formatting moves to entities,
// which the bot does not read) and drops the keyboard when an edit carries no reply_markup.
void set_content(terminal_bot_message& m, const json& params) {
    m.message["text"] = render_html(m.html, false);
    m.message.erase("reply_markup");
    m.labels.clear();
    m.data.clear();
    if (!params.contains("reply_markup")) return;
    json markup = params["reply_markup"];
    if (markup.is_string()) markup = json::parse(markup.get<std::string>(), nullptr, false);  // form-encoded
    m.labels = button_labels(markup);
    m.data = button_data(markup);
    if (!m.labels.empty()) m.message["reply_markup"] = std::move(markup);
}

}  // namespace

terminal_conversation::terminal_conversation(std::int64_t first_update_id) : next_update_id_(first_update_id) {}

json terminal_conversation::bot_user() {
    return {{"id", bot_id},
            {"is_bot", true},
            {"first_name", "Recovery Bot"},
            {"username", "recovery_bot"},
            {"can_join_groups", true},
            {"can_read_all_group_messages", false},
            {"supports_inline_queries", false}};
}

json terminal_conversation::runner() {
    return {{"id", chat_id},
            {"is_bot", false},
            {"first_name", "Runner"},
            {"username", "terminal_runner"},
            {"language_code", "en"}};
}

json terminal_conversation::chat_json() {
    return {{"id", chat_id}, {"type", "private"}, {"first_name", "Runner"}, {"username", "terminal_runner"}};
}

json terminal_conversation::message_json(std::int64_t message_id, std::int64_t date, bool from_bot) const {
    return {
        {"message_id", message_id}, {"from", from_bot ? bot_user() : runner()}, {"chat", chat_json()}, {"date", date}};
}

std::int64_t terminal_conversation::queue(json update) {
    const std::int64_t id = next_update_id_++;
    update["update_id"] = id;
    pending_.push_back(std::move(update));
    return id;
}

void terminal_conversation::notify() {
    std::function<void()> f;
    {
        std::lock_guard lock(mutex_);
        f = on_update_;
    }
    if (f) f();
}

std::int64_t terminal_conversation::add_text(std::string_view text) {
    std::int64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        json m = message_json(next_message_id_++, now_s(), false);
        m["text"] = std::string(text);
        if (auto e = command_entities(text); !e.empty()) m["entities"] = std::move(e);
        id = queue({{"message", std::move(m)}});
    }
    notify();
    return id;
}

// Presses go to the newest message that still shows buttons: an edit without reply_markup removes them,
// as on Telegram, so a reminder marked done no longer catches the next "1".
terminal_press terminal_conversation::press(int number) {
    terminal_press out;
    {
        std::lock_guard lock(mutex_);
        auto it = std::find_if(bot_messages_.rbegin(), bot_messages_.rend(),
                               [](const auto& kv) { return !kv.second.labels.empty(); });
        if (it == bot_messages_.rend()) {
            out.problem = "no message has buttons to press";
            out.no_buttons_at_all = true;
            return out;
        }
        const auto& shown = it->second;
        if (number < 1 || static_cast<std::size_t>(number) > shown.labels.size()) {
            out.problem = "the latest buttons are [1] to [" + std::to_string(shown.labels.size()) + "]";
            return out;
        }
        json q{{"id", "t" + std::to_string(next_update_id_)},
               {"from", runner()},
               {"message", shown.message},
               {"chat_instance", "terminal"},
               {"data", shown.data[static_cast<std::size_t>(number - 1)]}};
        out.update_id = queue({{"callback_query", std::move(q)}});
    }
    notify();
    return out;
}

json terminal_conversation::take_updates(std::int64_t offset, int limit) {
    limit = std::clamp(limit, 1, 100);
    std::lock_guard lock(mutex_);
    auto id_of = [](const json& u) { return u["update_id"].get<std::int64_t>(); };
    if (offset > 0) {
        while (!pending_.empty() && id_of(pending_.front()) < offset) pending_.pop_front();
    }
    std::size_t first = 0;
    if (offset < 0) first = pending_.size() - std::min<std::size_t>(pending_.size(), static_cast<std::size_t>(-offset));
    json out = json::array();
    for (std::size_t i = first; i < pending_.size() && out.size() < static_cast<std::size_t>(limit); ++i) {
        out.push_back(pending_[i]);
    }
    return out;
}

std::optional<terminal_api_error> terminal_conversation::check_target(const json& params) const {
    if (!has_int(params, "chat_id")) return terminal_api_error{400, "Bad Request: chat_id is empty"};
    if (int_param(params, "chat_id") != chat_id) return terminal_api_error{400, "Bad Request: chat not found"};
    if (!params.contains("text") || !params["text"].is_string() || params["text"].get<std::string>().empty())
        return terminal_api_error{400, "Bad Request: message text is empty"};
    return std::nullopt;
}

std::variant<terminal_bot_message, terminal_api_error> terminal_conversation::send(const json& params) {
    if (auto error = check_target(params)) return *error;
    terminal_bot_message m;
    m.html = params["text"].get<std::string>();
    std::lock_guard lock(mutex_);
    m.message = message_json(next_message_id_++, now_s(), true);
    set_content(m, params);
    bot_messages_[m.message["message_id"].get<std::int64_t>()] = m;
    if (bot_messages_.size() > max_stored_messages) bot_messages_.erase(bot_messages_.begin());
    return m;
}

std::variant<terminal_bot_message, terminal_api_error> terminal_conversation::edit(const json& params) {
    if (auto error = check_target(params)) return *error;
    if (!has_int(params, "message_id")) return terminal_api_error{400, "Bad Request: message_id is empty"};
    std::lock_guard lock(mutex_);
    auto it = bot_messages_.find(int_param(params, "message_id"));
    if (it == bot_messages_.end()) return terminal_api_error{400, "Bad Request: message to edit not found"};
    terminal_bot_message& m = it->second;
    m.html = params["text"].get<std::string>();
    m.message["edit_date"] = now_s();
    set_content(m, params);
    return m;
}

std::size_t terminal_conversation::pending() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
}

void terminal_conversation::set_on_update(std::function<void()> on_update) {
    std::lock_guard lock(mutex_);
    on_update_ = std::move(on_update);
}

}  // namespace rb
