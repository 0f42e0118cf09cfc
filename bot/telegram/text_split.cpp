// Greedy packing of lines into parts of at most `limit` UTF-16 units (see text_split.hpp).
#include "bot/telegram/text_split.hpp"

namespace rb {

namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t units_of_lead(char c) {
    return (static_cast<unsigned char>(c) & 0xF8) == 0xF0 ? 2 : 1;  // 4-byte sequences are surrogate pairs
}

// Longest prefix of `s` (in bytes) whose telegram_length is <= limit, cut at a code-point boundary.
std::size_t prefix_within(std::string_view s, std::size_t limit) {
    std::size_t units = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t u = units_of_lead(s[i]);
        if (units + u > limit) break;
        units += u;
        ++i;
        while (i < s.size() && is_continuation(s[i])) ++i;
    }
    return i;
}

// Where to cut a too-long piece: after the last line break, else the last space, else the hard limit.
std::size_t cut_point(std::string_view s, std::size_t limit) {
    std::size_t hard = prefix_within(s, limit);
    if (hard == s.size()) return hard;
    std::string_view head = s.substr(0, hard);
    if (auto nl = head.rfind('\n'); nl != std::string_view::npos && nl > 0) return nl;
    if (auto sp = head.rfind(' '); sp != std::string_view::npos && sp > 0) return sp;
    return hard == 0 ? s.size() : hard;  // limit 0 is meaningless: give the text back whole
}

}  // namespace

std::size_t telegram_length(std::string_view utf8) {
    std::size_t units = 0;
    for (char c : utf8)
        if (!is_continuation(c)) units += units_of_lead(c);
    return units;
}

std::vector<std::string> split_message(std::string_view text, std::size_t limit) {
    std::vector<std::string> parts;
    while (telegram_length(text) > limit) {
        std::size_t cut = cut_point(text, limit);
        parts.emplace_back(text.substr(0, cut));
        text.remove_prefix(cut);
        if (!text.empty() && (text.front() == '\n' || text.front() == ' ')) text.remove_prefix(1);
    }
    if (!text.empty() || parts.empty()) parts.emplace_back(text);
    return parts;
}

}  // namespace rb
