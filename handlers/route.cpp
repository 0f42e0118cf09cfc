// decide(): which updates the bot acts on and whose they are. Private chats get everything; in groups the
// bot answers only commands, mentions of it and replies to it, and the plan belongs to the sender.
// The per-kind work is in route_messages.cpp, route_commands.cpp and callback.cpp.
#include "handlers/route.hpp"

#include <algorithm>
#include <cctype>

#include "handlers/route_parts.hpp"

namespace rb {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

bool is_group(const chat& c) { return c.type == "group" || c.type == "supergroup"; }

bool replies_to_bot(const message& m, const context& ctx) {
    return m.reply_to_from && m.reply_to_from->is_bot && !ctx.bot_username.empty() &&
           iequals(m.reply_to_from->username, ctx.bot_username);
}

// "@recovery_bot finished 10k" -> " finished 10k": the parser should see what the runner said, not our name.
std::string without_mention(std::string_view text, std::string_view username) {
    std::string out(text);
    const std::string at = "@" + std::string(username);
    for (std::size_t i = 0; !username.empty() && i + at.size() <= out.size();) {
        if (iequals(std::string_view(out).substr(i, at.size()), at))
            out.erase(i, at.size());
        else
            ++i;
    }
    return out;
}

// True when the command token itself names us ("/units@recovery_bot"): only such commands, or ones we
// know, are answered in groups, so a command meant for another bot is not met with "unknown command".
bool addressed_to_us(std::string_view text, std::string_view username) {
    const auto end = text.find_first_of(" \t\n");
    const auto token = text.substr(0, end);
    const auto at = token.find('@');
    return at != std::string_view::npos && iequals(token.substr(at + 1), username);
}

std::vector<action> handle_message(const update& u, const context& ctx, std::int64_t owner);

// A runner who blocked the bot (or whose chat was marked inactive) and writes again is back: the update is
// handled with active settings and those are saved first, so a command's own save builds on them.
std::vector<action> handle_message_reviving(const update& u, const context& ctx, std::int64_t owner) {
    if (ctx.settings.active) return handle_message(u, ctx, owner);
    context revived = ctx;
    revived.settings.active = true;
    std::vector<action> out = handle_message(u, revived, owner);
    if (!out.empty()) out.insert(out.begin(), save_settings{owner, revived.settings});
    return out;
}

std::vector<action> handle_message(const update& u, const context& ctx, std::int64_t owner) {
    const message& m = *u.message;
    if (m.from && m.from->is_bot) return {};
    const bool group = is_group(m.chat);
    const turn t{m,
                 ctx,
                 owner,
                 group,
                 mix_seed(static_cast<std::uint64_t>(u.update_id), static_cast<std::uint64_t>(m.message_id)),
                 *ctx.templates,
                 zone_for(ctx)};
    const bool edited = u.kind == update_kind::edited_message;
    if (m.content == content_kind::text || !m.text.empty()) {
        if (const auto cmd = parse_command(m.text, ctx.bot_username)) {
            if (edited) return {};
            return handle_command(t, *cmd, !group || addressed_to_us(m.text, ctx.bot_username));
        }
        if (!m.text.empty() && m.text.front() == '/' && group) return {};  // another bot's command
        if (group && !mentions(m.text, ctx.bot_username) && !replies_to_bot(m, ctx)) return {};
        return handle_text(t, group ? without_mention(m.text, ctx.bot_username) : m.text, edited);
    }
    if (edited || (group && !replies_to_bot(m, ctx))) return {};
    return handle_non_text(t);
}

std::vector<action> handle_member_change(const chat_member_updated& change, const context& ctx) {
    const std::int64_t owner = change.chat.id;
    if (change.new_status == "kicked" || change.new_status == "left") return {deactivate_owner{owner}};
    if (!ctx.settings.active && (change.new_status == "member" || change.new_status == "administrator")) {
        chat_settings back = ctx.settings;
        back.active = true;
        return {save_settings{owner, back}};
    }
    return {};
}

}  // namespace

send_message turn::reply(std::string text) const {
    send_message out{msg.chat.id, std::move(text), {}, std::nullopt};
    if (group) out.reply_to_message_id = msg.message_id;
    return out;
}

send_message turn::reply_template(std::string_view name, const nlohmann::json& values) const {
    return reply(texts.render(name, values));
}

const zone_rules& zone_for(const context& ctx) {
    static const zone_rules utc;
    const zone_rules* found = ctx.zones ? ctx.zones->find(ctx.settings.time_zone) : nullptr;
    return found ? *found : utc;
}

// splitmix64's finaliser: nearby update ids give unrelated seeds, so meal picks do not walk in step.
std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
    std::uint64_t z = a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::optional<std::int64_t> owner_of(const update& u) {
    switch (u.kind) {
        case update_kind::message:
        case update_kind::edited_message:
            if (!u.message) return std::nullopt;
            if (u.message->chat.is_private()) return u.message->chat.id;
            if (is_group(u.message->chat) && u.message->from) return u.message->from->id;
            return std::nullopt;
        case update_kind::callback_query:
            if (!u.callback) return std::nullopt;
            return u.callback->from.id;
        case update_kind::my_chat_member:
            if (!u.my_chat_member || u.my_chat_member->chat.type == "channel") return std::nullopt;
            return u.my_chat_member->chat.id;
        default:
            return std::nullopt;
    }
}

std::vector<action> decide(const update& u, const context& ctx) {
    const auto owner = owner_of(u);
    if (!owner || !ctx.templates) return {};
    switch (u.kind) {
        case update_kind::message:
        case update_kind::edited_message:
            return handle_message_reviving(u, ctx, *owner);
        case update_kind::callback_query:
            return handle_callback(*u.callback, ctx, *owner);
        case update_kind::my_chat_member:
            return handle_member_change(*u.my_chat_member, ctx);
        default:
            return {};
    }
}

}  // namespace rb
