// The message parser's view of text: normalisation to lower-case ASCII, tokens (words, numbers, times,
// punctuation), clauses, and phrase matching. Bytes it does not understand (other scripts, emoji, control
// characters, invalid UTF-8) become spaces, so nothing downstream ever sees them.
#include "message_text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace rb::text {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

// Multi-byte UTF-8 sequences that carry meaning for us; everything else non-ASCII is a space.
struct utf8_mapping {
    std::string_view bytes;
    std::string_view ascii;
};
constexpr utf8_mapping utf8_mappings[] = {
    {"\xE2\x80\x99", "'"},         {"\xE2\x80\x98", "'"},        {"\xE2\x80\x93", " "},
    {"\xE2\x80\x94", ". "},        {"\xEF\xBC\x9F", "?"},        {"\xE2\x9C\x85", " done "},
    {"\xE2\x9C\x94", " done "},    {"\xE2\x98\x91", " done "},   {"\xF0\x9F\x8F\x81", " done "},
    {"\xF0\x9F\x8F\x85", " done "}, {"\xF0\x9F\xA5\x87", " done "}, {"\xE2\x80\xA6", ". "},
    {"\xF0\x9F\x91\x8D", " ok "},   {"\xF0\x9F\x99\x8F", " thanks "},
};

// Writes the ASCII meaning of the byte(s) at raw[i] and returns how many bytes were consumed.
std::size_t normalise_at(std::string_view raw, std::size_t i, std::string& out) {
    const char c = raw[i];
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    else if (is_lower(c) || is_digit(c)) out += c;
    else if (c == '\n' || c == '\r') out += " ; ";
    else if (std::string_view(".,!?;:/-'").find(c) != std::string_view::npos) out += c;
    else if (static_cast<unsigned char>(c) >= 0x80) {
        for (const auto& m : utf8_mappings) {
            if (raw.substr(i, m.bytes.size()) == m.bytes) {
                out += m.ascii;
                return m.bytes.size();
            }
        }
        out += ' ';
    } else out += ' ';
    return 1;
}

std::size_t count_digits(std::string_view s, std::size_t i) {
    std::size_t n = 0;
    while (i + n < s.size() && is_digit(s[i + n])) ++n;
    return n;
}

// Converts a number as written (digits, one '.', an optional exponent) without ever overflowing:
// absurdly long input is simply infinite, and from_chars reports out-of-range instead of UB.
double to_double(const std::string& digits, bool negative) {
    double v = std::numeric_limits<double>::infinity();
    if (digits.size() <= 40) {
        const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (ec == std::errc::result_out_of_range)
            v = digits.find("e-") != std::string::npos ? 0.0 : std::numeric_limits<double>::infinity();
        else if (ec != std::errc{}) v = 0;
        (void)ptr;
    }
    return negative ? -v : v;
}

// The character at i, or '\0' past the end: lets the scanners look ahead without bounds arithmetic.
char at(std::string_view s, std::size_t i) { return i < s.size() ? s[i] : '\0'; }

int two_digits(std::string_view s, std::size_t i) { return (s[i] - '0') * 10 + (s[i + 1] - '0'); }

// Reads "1:05", "25:30" or "3:45:12" whose first part is s[start, j); returns the end, or start when it
// is not a time. The first part has at most 3 digits, so it always fits an int.
std::size_t read_time(std::string_view s, std::size_t start, std::size_t j, token& tok) {
    if (j - start > 3) return start;
    int first = 0;
    for (std::size_t k = start; k < j; ++k) first = first * 10 + (s[k] - '0');
    tok.time_parts[0] = first;
    tok.time_count = 1;
    while (tok.time_count < 3 && at(s, j) == ':' && count_digits(s, j + 1) == 2) {
        tok.time_parts[tok.time_count++] = two_digits(s, j + 1);
        j += 3;
    }
    if (tok.time_count < 2) return start;
    tok.kind = token_kind::time;
    return j;
}

// Digits with an optional decimal part ("10.5", "10,5"), thousands groups ("1,500"), exponent ("1e308"),
// or a time ("1:05") or ratio ("3:1"). Returns the index after the token.
std::size_t read_number(std::string_view s, std::size_t i, token& tok) {
    const bool negative = s[i] == '-';
    const std::size_t start = negative ? i + 1 : i;
    std::size_t j = start + count_digits(s, start);
    std::string digits(s.substr(start, j - start));
    const bool groups = j - start >= 1 && j - start <= 3;
    while (groups && at(s, j) == ',' && count_digits(s, j + 1) == 3 && digits.size() < 64) {
        digits += s.substr(j + 1, 3);  // a thousands group: "1,500"; "10,5" stays a decimal comma
        j += 4;
    }
    if ((at(s, j) == '.' || at(s, j) == ',') && is_digit(at(s, j + 1))) {
        const std::size_t n = count_digits(s, j + 1);
        digits += '.';
        digits += s.substr(j + 1, n);
        j += 1 + n;
    } else if (!negative && at(s, j) == ':' && is_digit(at(s, j + 1))) {
        const std::size_t after = count_digits(s, j + 1);
        if (after == 1) {
            tok.kind = token_kind::ratio;
            tok.value = to_double(digits, false);
            tok.text = std::string(s.substr(start, j + 2 - start));
            return j + 2;
        }
        const std::size_t end = read_time(s, start, j, tok);
        if (end != start) {
            tok.text = std::string(s.substr(start, end - start));
            return end;
        }
    }
    const std::size_t sign = at(s, j + 1) == '+' || at(s, j + 1) == '-' ? 1 : 0;
    if (at(s, j) == 'e' && is_digit(at(s, j + 1 + sign))) {
        const std::size_t n = count_digits(s, j + 1 + sign);
        digits += s.substr(j, 1 + sign + n);
        j += 1 + sign + n;
    }
    tok.kind = token_kind::number;
    tok.value = to_double(digits, negative);
    tok.text = std::string(s.substr(i, j - i));
    return j;
}

std::size_t read_word(std::string_view s, std::size_t i, token& tok) {
    std::size_t j = i;
    while (j < s.size() && (is_lower(s[j]) || s[j] == '\'')) ++j;
    std::size_t end = j;
    while (end > i && s[end - 1] == '\'') --end;
    tok.kind = token_kind::word;
    tok.text = std::string(s.substr(i, end - i));
    return j;
}

constexpr std::string_view question_openers[] = {
    "how",  "what", "what's", "whats", "when",  "where", "why",     "which",   "who",   "should", "shall",
    "can",  "could", "do",    "does",  "is",    "are",   "will",    "would",   "any",   "anyone", "anybody",
    "tips", "tip",  "advice", "wondering", "wonder", "curious", "recommend*", "isn't",
};

}  // namespace

std::string normalise(std::string_view raw) {
    raw = raw.substr(0, std::min(raw.size(), max_analysed_bytes));
    std::string out;
    out.reserve(raw.size() + 16);
    for (std::size_t i = 0; i < raw.size();) i += normalise_at(raw, i, out);
    return out;
}

tokens tokenize(std::string_view s) {
    tokens out;
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        token tok;
        std::size_t next = i + 1;
        const bool sign = c == '-' && i + 1 < s.size() && is_digit(s[i + 1]) && (i == 0 || s[i - 1] == ' ');
        if (is_digit(c) || sign) next = read_number(s, i, tok);
        else if (is_lower(c)) next = read_word(s, i, tok);
        else if (std::string_view(".,!?;:/").find(c) != std::string_view::npos) tok = {token_kind::punct, {c}};
        else {
            i = next;  // spaces, hyphens and stray apostrophes only separate tokens
            continue;
        }
        if (!out.empty() && i > 0 && s[i - 1] != ' ' && s[i - 1] != '-') out.back().glued = true;
        if (tok.kind != token_kind::word || !tok.text.empty()) out.push_back(std::move(tok));
        i = next;
    }
    return out;
}

bool is_word(const tokens& t, std::size_t i, std::string_view w) {
    return i < t.size() && t[i].kind == token_kind::word && t[i].text == w;
}

bool is_punct(const tokens& t, std::size_t i, char c) {
    return i < t.size() && t[i].kind == token_kind::punct && t[i].text.size() == 1 && t[i].text[0] == c;
}

std::vector<clause> split_clauses(const tokens& t) {
    std::vector<clause> out;
    std::size_t begin = 0;
    auto close = [&](std::size_t end, bool question) {
        if (end > begin) {
            const bool opener = has_any(t, begin, begin + 1, question_openers);
            out.push_back({begin, end, question || opener});
        }
    };
    for (std::size_t i = 0; i < t.size(); ++i) {
        const bool stop = t[i].kind == token_kind::punct && std::string_view(".,!?;").find(t[i].text[0]) !=
                                                              std::string_view::npos;
        if (stop || is_word(t, i, "but")) {
            close(i, is_punct(t, i, '?'));
            begin = i + 1;
        }
    }
    close(t.size(), false);
    return out;
}

std::size_t match_at(const tokens& t, std::size_t i, std::size_t end, std::string_view phrase) {
    // Cheap rejection first: most (token, phrase) pairs differ in their first letter.
    if (i >= end || phrase.empty() || t[i].kind != token_kind::word || t[i].text.front() != phrase.front()) return 0;
    std::size_t n = 0;
    while (!phrase.empty()) {
        const std::size_t space = phrase.find(' ');
        std::string_view w = phrase.substr(0, space);
        phrase = space == std::string_view::npos ? std::string_view{} : phrase.substr(space + 1);
        if (i + n >= end || t[i + n].kind != token_kind::word) return 0;
        const std::string& have = t[i + n].text;
        const bool prefix = !w.empty() && w.back() == '*';
        if (prefix ? !have.starts_with(w.substr(0, w.size() - 1)) : have != w) return 0;
        ++n;
    }
    return n;
}

bool has_phrase(const tokens& t, std::size_t begin, std::size_t end, std::string_view phrase) {
    for (std::size_t i = begin; i < end; ++i)
        if (match_at(t, i, end, phrase) > 0) return true;
    return false;
}

std::size_t find_any(const tokens& t, std::size_t begin, std::size_t end, std::span<const std::string_view> phrases) {
    end = std::min(end, t.size());
    for (std::size_t i = begin; i < end; ++i)
        for (std::string_view p : phrases)
            if (match_at(t, i, end, p) > 0) return i;
    return end;
}

bool any_at(const tokens& t, std::size_t i, std::size_t end, std::span<const std::string_view> phrases) {
    end = std::min(end, t.size());
    for (std::string_view p : phrases)
        if (match_at(t, i, end, p) > 0) return true;
    return false;
}

bool has_any(const tokens& t, std::size_t begin, std::size_t end, std::span<const std::string_view> phrases) {
    end = std::min(end, t.size());
    return find_any(t, begin, end, phrases) < end;
}

}  // namespace rb::text
