// Template text checks run once at load (see template_check.hpp). Telegram rejects a whole message whose
// HTML it cannot parse, so an unbalanced <b> or a bare '&' in a template would break every such reply.
#include "handlers/texts/template_check.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

namespace rb {
namespace {

constexpr std::array<std::string_view, 14> allowed_tags = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "blockquote"};

// The template with every {{...}} replaced by spaces, so offsets (and so lines) stay the same.
std::string without_mustache_tags(std::string_view text) {
    std::string out(text);
    for (std::size_t at = out.find("{{"); at != std::string::npos; at = out.find("{{", at)) {
        const auto end = out.find("}}", at);
        if (end == std::string::npos) break;
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(at), out.begin() + static_cast<std::ptrdiff_t>(end + 2),
                  ' ');
    }
    return out;
}

bool is_entity_at(std::string_view s, std::size_t at) {
    const auto semi = s.find(';', at);
    if (semi == std::string_view::npos || semi - at > 10) return false;
    const auto body = s.substr(at + 1, semi - at - 1);
    if (body == "lt" || body == "gt" || body == "amp" || body == "quot") return true;
    if (body.size() < 2 || body[0] != '#') return false;
    return std::all_of(body.begin() + 1, body.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Reads the tag starting at `at` ('<'); returns its name ("b", "/b") and moves `at` past '>'.
std::optional<std::string> read_tag(std::string_view s, std::size_t& at) {
    const auto close = s.find('>', at);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view inner = s.substr(at + 1, close - at - 1);
    at = close + 1;
    const auto name_end = inner.find_first_of(" \t\n");
    std::string name(inner.substr(0, name_end));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    return name;
}

}  // namespace

std::optional<template_error> check_template_text(std::string_view text) {
    for (const char* bad : {"{{{", "{{&", "{{>", "{{="}) {
        if (const auto at = text.find(bad); at != std::string_view::npos) {
            return template_error{
                {}, line_of(text, at), std::string("\"") + bad + "\" is not allowed: values are always escaped"};
        }
    }
    const std::string s = without_mustache_tags(text);
    std::vector<std::pair<std::string, std::size_t>> open;
    for (std::size_t at = 0; at < s.size();) {
        const std::size_t here = at;
        if (s[at] == '&' && !is_entity_at(s, at)) return template_error{{}, line_of(text, at), "bare '&': write &amp;"};
        if (s[at] != '<') {
            ++at;
            continue;
        }
        const auto name = read_tag(s, at);
        const bool closing = name && !name->empty() && (*name)[0] == '/';
        const std::string bare = name ? (closing ? name->substr(1) : *name) : std::string();
        if (!name || std::find(allowed_tags.begin(), allowed_tags.end(), bare) == allowed_tags.end()) {
            return template_error{{}, line_of(text, here), "'<' that is not a Telegram HTML tag: write &lt;"};
        }
        if (!closing)
            open.emplace_back(bare, here);
        else if (open.empty() || open.back().first != bare)
            return template_error{{}, line_of(text, here), "</" + bare + "> closes nothing open"};
        else
            open.pop_back();
    }
    if (!open.empty())
        return template_error{{}, line_of(text, open.back().second), "<" + open.back().first + "> is never closed"};
    return std::nullopt;
}

template_error mustache_error(std::string_view text, const std::string& message) {
    std::size_t offset = 0;
    const auto at = message.rfind(" at ");
    if (at != std::string::npos) {
        std::from_chars(message.data() + at + 4, message.data() + message.size(), offset);
    }
    return template_error{{}, line_of(text, offset), message.substr(0, at)};
}

}  // namespace rb
