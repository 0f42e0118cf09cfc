// Builders for route and explain tests: Telegram updates of each kind and a context with the real texts
// and zones. Header-only, test-only.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "handlers/route.hpp"
#include "texts_fixture.hpp"

namespace rb::testing {

inline constexpr std::int64_t runner_id = 4242;
inline constexpr std::int64_t group_id = -100123;
inline constexpr const char* bot_name = "recovery_bot";

inline message text_message(std::string text, std::int64_t chat_id = runner_id, std::string type = "private",
                            std::int64_t message_id = 7) {
    message m;
    m.message_id = message_id;
    m.from = user{runner_id, false, "Ana", "ana", "en"};
    m.chat = chat{chat_id, std::move(type), "", ""};
    m.date = 1'714'816'800;
    m.content = content_kind::text;
    m.text = std::move(text);
    return m;
}

inline update message_update(message m, update_kind kind = update_kind::message, std::int64_t update_id = 1001) {
    update u;
    u.update_id = update_id;
    u.kind = kind;
    u.message = std::move(m);
    return u;
}

inline update private_text(std::string text, std::int64_t message_id = 7) {
    return message_update(text_message(std::move(text), runner_id, "private", message_id));
}

inline update group_text(std::string text, std::int64_t message_id = 7) {
    return message_update(text_message(std::move(text), group_id, "supergroup", message_id));
}

inline update button_press(std::string data, std::int64_t from_id = runner_id) {
    callback_query q;
    q.id = "cb-1";
    q.from = user{from_id, false, "Ana", "", ""};
    q.message = text_message("💧 Drink up <now> & then", runner_id, "private", 99);
    q.data = std::move(data);
    update u;
    u.update_id = 2002;
    u.kind = update_kind::callback_query;
    u.callback = std::move(q);
    return u;
}

inline update member_change(std::string new_status, std::int64_t chat_id = runner_id, std::string type = "private") {
    update u;
    u.update_id = 3003;
    u.kind = update_kind::my_chat_member;
    u.my_chat_member = chat_member_updated{chat{chat_id, std::move(type), "", ""},
                                           user{runner_id, false, "Ana", "", ""}, 0, "member", std::move(new_status)};
    return u;
}

inline context make_context(chat_settings settings = {}, std::vector<reminder> upcoming = {}) {
    context ctx;
    ctx.now_ms = utc_ms(2024, 5, 4, 10, 0);  // Saturday 10:00 UTC, 11:00 in London
    ctx.settings = std::move(settings);
    ctx.upcoming = std::move(upcoming);
    ctx.bot_username = bot_name;
    ctx.templates = &texts();
    ctx.zones = &zones();
    return ctx;
}

template <typename T>
std::vector<T> all_of_kind(const std::vector<action>& actions) {
    std::vector<T> out;
    for (const auto& a : actions) {
        if (const auto* x = std::get_if<T>(&a)) out.push_back(*x);
    }
    return out;
}

// The one reply's text; fails the test when there is not exactly one.
inline std::string only_reply(const std::vector<action>& actions) {
    const auto sends = all_of_kind<send_message>(actions);
    EXPECT_EQ(sends.size(), 1u);
    return sends.empty() ? std::string() : sends.front().text;
}

inline bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace rb::testing
