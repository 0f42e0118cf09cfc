// parse_update: a webhook body (or one getUpdates element) into the typed Update of update.hpp.
// Tolerant of fields we do not model, strict on the types of those we do; every failure becomes a short
// reason for a 400. json exceptions are caught here and nowhere else; nothing escapes this file.
#include "handlers/update.hpp"

#include <array>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

namespace rb {
namespace {

using json = nlohmann::json;

// Thrown by the readers below with a reason like "message.chat.id is not an integer"; caught in parse_update.
struct bad_update {
    std::string reason;
};

// Deeper nesting than any real Update has. Checked before parsing so hostile input ("[[[[...") is
// rejected in one linear pass instead of building (and recursively destroying) a deep tree.
constexpr int max_depth = 64;

bool too_deep(std::string_view body) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (in_string) {
            if (c == '\\')
                ++i;  // skip the escaped character, which may be a quote
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

std::string path_of(std::string_view where, std::string_view key) {
    std::string p(where);
    if (!p.empty()) p += '.';
    p += key;
    return p;
}

// A field is absent when the key is missing or null (Telegram omits empty fields; null is treated alike).
const json* find(const json& obj, std::string_view key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
}

const json& require(const json& obj, std::string_view key, std::string_view where) {
    const json* v = find(obj, key);
    if (v == nullptr) throw bad_update{path_of(where, key) + " missing"};
    return *v;
}

std::int64_t as_int(const json& v, std::string_view where, std::string_view key) {
    if (v.is_number_unsigned()) {
        if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw bad_update{path_of(where, key) + " is out of range"};
        return static_cast<std::int64_t>(v.get<std::uint64_t>());
    }
    if (!v.is_number_integer()) throw bad_update{path_of(where, key) + " is not an integer"};
    return v.get<std::int64_t>();
}

std::int64_t req_int(const json& obj, std::string_view key, std::string_view where) {
    return as_int(require(obj, key, where), where, key);
}

std::int64_t opt_int(const json& obj, std::string_view key, std::string_view where) {
    const json* v = find(obj, key);
    return v == nullptr ? 0 : as_int(*v, where, key);
}

std::string opt_string(const json& obj, std::string_view key, std::string_view where) {
    const json* v = find(obj, key);
    if (v == nullptr) return {};
    if (!v->is_string()) throw bad_update{path_of(where, key) + " is not a string"};
    return v->get<std::string>();
}

std::string req_string(const json& obj, std::string_view key, std::string_view where) {
    const json& v = require(obj, key, where);
    if (!v.is_string()) throw bad_update{path_of(where, key) + " is not a string"};
    return v.get<std::string>();
}

bool opt_bool(const json& obj, std::string_view key, std::string_view where) {
    const json* v = find(obj, key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) throw bad_update{path_of(where, key) + " is not a boolean"};
    return v->get<bool>();
}

const json& as_object(const json& v, std::string_view where) {
    if (!v.is_object()) throw bad_update{std::string(where) + " is not an object"};
    return v;
}

user read_user(const json& v, std::string_view where) {
    const json& o = as_object(v, where);
    user u;
    u.id = req_int(o, "id", where);
    u.is_bot = opt_bool(o, "is_bot", where);
    u.first_name = opt_string(o, "first_name", where);
    u.username = opt_string(o, "username", where);
    u.language_code = opt_string(o, "language_code", where);
    return u;
}

chat read_chat(const json& v, std::string_view where) {
    const json& o = as_object(v, where);
    chat c;
    c.id = req_int(o, "id", where);
    c.type = opt_string(o, "type", where);
    c.title = opt_string(o, "title", where);
    c.username = opt_string(o, "username", where);
    return c;
}

std::vector<message_entity> read_entities(const json& v, std::string_view where) {
    if (!v.is_array()) throw bad_update{std::string(where) + " is not an array"};
    std::vector<message_entity> out;
    out.reserve(v.size());
    for (const json& e : v) {
        const json& o = as_object(e, where);
        out.push_back({req_string(o, "type", where), req_int(o, "offset", where), req_int(o, "length", where)});
    }
    return out;
}

// Which field carries the content decides the kind; "animation" comes with "document", so it is tried first.
content_kind kind_of_content(const json& o) {
    static constexpr std::array<std::pair<std::string_view, content_kind>, 12> kinds{{
        {"text", content_kind::text},
        {"sticker", content_kind::sticker},
        {"photo", content_kind::photo},
        {"voice", content_kind::voice},
        {"video_note", content_kind::video_note},
        {"video", content_kind::video},
        {"audio", content_kind::audio},
        {"animation", content_kind::animation},
        {"document", content_kind::document},
        {"location", content_kind::location},
        {"contact", content_kind::contact},
        {"poll", content_kind::poll},
    }};
    for (const auto& [key, kind] : kinds)
        if (find(o, key) != nullptr) return kind;
    return content_kind::other;
}

void read_text(const json& o, std::string_view where, message& m) {
    const bool has_text = find(o, "text") != nullptr;
    m.text = has_text ? opt_string(o, "text", where) : opt_string(o, "caption", where);
    const std::string_view entities_key = has_text ? "entities" : "caption_entities";
    if (const json* e = find(o, entities_key)) m.entities = read_entities(*e, path_of(where, entities_key));
}

message read_message(const json& v, std::string_view where) {
    const json& o = as_object(v, where);
    message m;
    m.message_id = req_int(o, "message_id", where);
    if (const json* f = find(o, "from")) m.from = read_user(*f, path_of(where, "from"));
    m.chat = read_chat(require(o, "chat", where), path_of(where, "chat"));
    m.date = opt_int(o, "date", where);
    m.content = kind_of_content(o);
    read_text(o, where, m);
    if (const json* r = find(o, "reply_to_message")) {
        const std::string rwhere = path_of(where, "reply_to_message");
        if (const json* f = find(as_object(*r, rwhere), "from"))
            m.reply_to_from = read_user(*f, path_of(rwhere, "from"));
    }
    return m;
}

callback_query read_callback(const json& v, std::string_view where) {
    const json& o = as_object(v, where);
    callback_query q;
    q.id = req_string(o, "id", where);
    q.from = read_user(require(o, "from", where), path_of(where, "from"));
    if (const json* m = find(o, "message")) q.message = read_message(*m, path_of(where, "message"));
    q.data = opt_string(o, "data", where);
    return q;
}

std::string member_status(const json& o, std::string_view key, std::string_view where) {
    const std::string w = path_of(where, key);
    return req_string(as_object(require(o, key, where), w), "status", w);
}

chat_member_updated read_member_update(const json& v, std::string_view where) {
    const json& o = as_object(v, where);
    chat_member_updated c;
    c.chat = read_chat(require(o, "chat", where), path_of(where, "chat"));
    c.from = read_user(require(o, "from", where), path_of(where, "from"));
    c.date = opt_int(o, "date", where);
    c.old_status = member_status(o, "old_chat_member", where);
    c.new_status = member_status(o, "new_chat_member", where);
    return c;
}

constexpr std::array<std::pair<std::string_view, update_kind>, 4> message_kinds{{
    {"message", update_kind::message},
    {"edited_message", update_kind::edited_message},
    {"channel_post", update_kind::channel_post},
    {"edited_channel_post", update_kind::edited_channel_post},
}};

// An Update carries at most one of its optional parts; the first we know decides the kind.
update read_update(const json& root) {
    update u;
    u.update_id = req_int(root, "update_id", "");
    for (const auto& [key, kind] : message_kinds) {
        if (const json* m = find(root, key)) {
            u.kind = kind;
            u.message = read_message(*m, key);
            return u;
        }
    }
    if (const json* q = find(root, "callback_query")) {
        u.kind = update_kind::callback_query;
        u.callback = read_callback(*q, "callback_query");
    } else if (const json* c = find(root, "my_chat_member")) {
        u.kind = update_kind::my_chat_member;
        u.my_chat_member = read_member_update(*c, "my_chat_member");
    }
    return u;
}

}  // namespace

std::string_view to_string(update_kind kind) {
    switch (kind) {
        case update_kind::message:
            return "message";
        case update_kind::edited_message:
            return "edited_message";
        case update_kind::channel_post:
            return "channel_post";
        case update_kind::edited_channel_post:
            return "edited_channel_post";
        case update_kind::callback_query:
            return "callback_query";
        case update_kind::my_chat_member:
            return "my_chat_member";
        case update_kind::other:
            return "other";
    }
    return "other";
}

std::variant<update, parse_error> parse_update(std::string_view body) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return parse_error{"empty body"};
    if (too_deep(body)) return parse_error{"nesting too deep"};
    try {
        // allow_exceptions=false: malformed input yields a discarded value instead of a throw.
        const json root = json::parse(body.begin(), body.end(), nullptr, false);
        if (root.is_discarded()) return parse_error{"not JSON"};
        if (!root.is_object()) return parse_error{"not an object"};
        return read_update(root);
    } catch (const bad_update& e) {
        return parse_error{e.reason};
    } catch (const json::exception&) {
        return parse_error{"not an Update"};
    } catch (const std::bad_alloc&) {
        return parse_error{"too large"};
    }
}

}  // namespace rb
