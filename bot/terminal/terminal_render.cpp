// Telegram HTML -> terminal text, and the layout of one bot message (see terminal_render.hpp).
// Telegram's HTML subset is small and the bot's own templates produce it, so a tag scanner is enough:
// no nesting validation, an unclosed '<' is kept as text.
#include "bot/terminal/terminal_render.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace rb {
namespace {

constexpr std::string_view bold_on = "\x1b[1m";
constexpr std::string_view bold_off = "\x1b[22m";
constexpr std::string_view italic_on = "\x1b[3m";
constexpr std::string_view italic_off = "\x1b[23m";
constexpr std::string_view dim_on = "\x1b[2m";
constexpr std::string_view dim_off = "\x1b[22m";
constexpr std::string_view prefix_tail = " bot › ";

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// "&#39;" / "&#x27;" -> the character; false when the entity is not a valid code point.
bool numeric_entity(std::string_view name, std::string& out) {
    if (name.size() < 2 || name[0] != '#') return false;
    const bool hex = name[1] == 'x' || name[1] == 'X';
    std::string_view digits = name.substr(hex ? 2 : 1);
    std::uint32_t cp = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (ec != std::errc{} || end != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF) return false;
    append_utf8(out, cp);
    return true;
}

// Appends the entity at html[i] ('&') and returns the index after it; a stray '&' stays as it is.
std::size_t unescape_at(std::string_view html, std::size_t i, std::string& out) {
    static constexpr std::array<std::pair<std::string_view, char>, 5> named{
        {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}}};
    const auto semi = html.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
        out += '&';
        return i + 1;
    }
    const std::string_view name = html.substr(i + 1, semi - i - 1);
    for (const auto& [n, c] : named) {
        if (name == n) {
            out += c;
            return semi + 1;
        }
    }
    if (numeric_entity(name, out)) return semi + 1;
    out += '&';
    return i + 1;
}

// The tag's name, lower-case, without '/' or attributes: "<a href=...>" -> "a".
std::string tag_name(std::string_view tag) {
    std::string name;
    for (char c : tag) {
        if (c == '/' && name.empty()) continue;
        if (!std::isalnum(static_cast<unsigned char>(c))) break;
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return name;
}

void apply_tag(std::string_view tag, bool ansi, std::string& out) {
    if (!ansi) return;
    const bool closing = !tag.empty() && tag.front() == '/';
    const std::string name = tag_name(tag);
    if (name == "b" || name == "strong") out += closing ? bold_off : bold_on;
    if (name == "i" || name == "em") out += closing ? italic_off : italic_on;
}

}  // namespace

std::string render_html(std::string_view html, bool ansi) {
    std::string out;
    out.reserve(html.size());
    std::size_t i = 0;
    while (i < html.size()) {
        const char c = html[i];
        if (c == '&') {
            i = unescape_at(html, i, out);
        } else if (c == '<' && html.find('>', i) != std::string_view::npos) {
            const auto close = html.find('>', i);
            apply_tag(html.substr(i + 1, close - i - 1), ansi, out);
            i = close + 1;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

std::vector<std::string> button_labels(const nlohmann::json& reply_markup) {
    std::vector<std::string> labels;
    if (!reply_markup.is_object() || !reply_markup.contains("inline_keyboard")) return labels;
    const auto& rows = reply_markup["inline_keyboard"];
    if (!rows.is_array()) return labels;
    for (const auto& row : rows) {
        if (!row.is_array()) continue;
        for (const auto& b : row) labels.push_back(b.is_object() ? b.value("text", "") : "");
    }
    return labels;
}

std::vector<std::string> button_data(const nlohmann::json& reply_markup) {
    std::vector<std::string> data;
    if (!reply_markup.is_object() || !reply_markup.contains("inline_keyboard")) return data;
    const auto& rows = reply_markup["inline_keyboard"];
    if (!rows.is_array()) return data;
    for (const auto& row : rows) {
        if (!row.is_array()) continue;
        for (const auto& b : row) data.push_back(b.is_object() ? b.value("callback_data", "") : "");
    }
    return data;
}

std::string render_buttons(const std::vector<std::string>& labels) {
    std::string out;
    for (std::size_t n = 0; n < labels.size(); ++n) {
        if (n > 0) out += "  ";
        out += "[" + std::to_string(n + 1) + "] " + labels[n];
    }
    return out;
}

std::string terminal_clock_text(std::time_t when) {
    std::tm local{};
    localtime_r(&when, &local);
    std::array<char, 16> buf{};
    const auto n = std::strftime(buf.data(), buf.size(), "%H:%M:%S", &local);
    return std::string(buf.data(), n);
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == 0x1B) {  // ESC [ ... letter: no width
            while (i < text.size() && !std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
            continue;
        }
        if ((c & 0xC0) != 0x80) ++width;  // count lead bytes only
    }
    return width;
}

namespace {

// One line of text wrapped at spaces into lines of at most `room` columns (a word longer than that stays
// whole on its own line).
std::vector<std::string> wrap_line(std::string_view line, std::size_t room) {
    std::vector<std::string> out;
    if (room == 0 || display_width(line) <= room) return {std::string(line)};
    std::string current;
    std::size_t used = 0;
    while (!line.empty()) {
        const auto space = line.find(' ');
        const std::string_view word = line.substr(0, space);
        const std::size_t w = display_width(word);
        if (used > 0 && used + 1 + w > room) {
            out.push_back(std::move(current));
            current.clear();
            used = 0;
        }
        if (used > 0) {
            current += ' ';
            ++used;
        }
        current += word;
        used += w;
        line = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    }
    out.push_back(std::move(current));
    return out;
}

}  // namespace

// Continuation lines, wrapped or not, are indented by the prefix's width (its text is ASCII but for '›', one
// column), so a multi-line plan reads as one block under its time stamp.
std::string render_bot_message(std::time_t when, std::string_view body, const std::vector<std::string>& labels,
                               bool ansi, std::size_t width) {
    const std::string stamp = terminal_clock_text(when);
    const std::string indent(stamp.size() + 7, ' ');
    const std::size_t room = width > indent.size() + 10 ? width - indent.size() : 0;
    std::string out = ansi ? std::string(dim_on) + stamp + std::string(dim_off) : stamp;
    out += prefix_tail;
    while (!body.empty() && body.back() == '\n') body.remove_suffix(1);
    bool first = true;
    for (std::size_t at = 0; at <= body.size();) {
        const auto nl = std::min(body.find('\n', at), body.size());
        const std::string_view line = body.substr(at, nl - at);
        if (line.empty()) {
            out += '\n';  // blank lines stay empty
        } else {
            for (const auto& piece : wrap_line(line, room)) {
                out += (first ? "" : indent) + piece + '\n';
                first = false;
            }
        }
        first = false;
        at = nl + 1;
    }
    if (!labels.empty()) out += indent + render_buttons(labels) + '\n';
    return out;
}

std::string_view edit_outcome(std::string_view html) {
    while (!html.empty() && html.back() == '\n') html.remove_suffix(1);
    const auto split = html.rfind("\n\n");
    return split == std::string_view::npos ? html : html.substr(split + 2);
}

std::string render_toast(std::string_view text, bool ansi) {
    const std::string line = std::string(15, ' ') + "(" + std::string(text) + ")";
    return (ansi ? std::string(dim_on) + line + std::string(dim_off) : line) + '\n';
}

}  // namespace rb
