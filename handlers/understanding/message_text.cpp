// The message parser's view of text: normalisation to lower-case ASCII, tokens (words, numbers, times,
// punctuation), clauses, and phrase matching. Bytes it does not understand (other scripts, emoji, control
// characters, invalid UTF-8) become spaces, so nothing downstream ever sees them.
#include "handlers/understanding/message_text.hpp"

#include <algorithm>
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
    {"\xE2\x80\x99", "'"},
    {"\xE2\x80\x98", "'"},
    {"\xE2\x80\x93", " "},
    {"\xE2\x80\x94", ". "},
    {"\xEF\xBC\x9F", "?"},
    {"\xE2\x9C\x85", " done "},
    {"\xE2\x9C\x94", " done "},
    {"\xE2\x98\x91", " done "},
    {"\xF0\x9F\x8F\x81", " done "},
    {"\xF0\x9F\x8F\x85", " done "},
    {"\xF0\x9F\xA5\x87", " done "},
    {"\xE2\x80\xA6", ". "},
    {"\xF0\x9F\x91\x8D", " ok "},
    {"\xF0\x9F\x99\x8F", " thanks "},
    {"\xC2\xBD", " and a half "},
    {"\xC2\xBC", " and a quarter "},
    {"\xC2\xBE", " and three quarters "},
    {"\xC2\xB0", " degrees "},
    {"\xC5\x93", "oe"},
    {"\xC5\x92", "oe"},
    {"\xC2\xBF", " "},
    {"\xC2\xA1", " "},
    {"\xE2\x80\x9C", " "},
    {"\xE2\x80\x9D", " "},
};

// Latin-1 letters (U+00C0-U+00FF, UTF-8 C3 80-BF) folded to ASCII: "maratón" -> "maraton", "ß" -> "ss".
constexpr std::string_view latin1_folded[64] = {
    "a", "a",   "a", "a", "a", "a", "ae", "c", "e",  "e",  "e", "e", "i", "i", "i", "i", "d",  "n", "o",  "o", "o", "o",
    "o", " x ", "o", "u", "u", "u", "u",  "y", "th", "ss", "a", "a", "a", "a", "a", "a", "ae", "c", "e",  "e", "e", "e",
    "i", "i",   "i", "i", "d", "n", "o",  "o", "o",  "o",  "o", " ", "o", "u", "u", "u", "u",  "y", "th", "y"};

// Writes the ASCII meaning of the byte(s) at raw[i] and returns how many bytes were consumed.
std::size_t normalise_at(std::string_view raw, std::size_t i, std::string& out) {
    const char c = raw[i];
    if (c >= 'A' && c <= 'Z')
        out += static_cast<char>(c - 'A' + 'a');
    else if (is_lower(c) || is_digit(c))
        out += c;
    else if (c == '\n' || c == '\r')
        out += " ; ";
    else if (c == '@')
        out += " at ";
    else if (c == '+')
        out += " plus ";
    else if (c == '&')
        out += " and ";
    else if (c == '=')
        out += " total ";
    else if (std::string_view(".,!?;:/-'").find(c) != std::string_view::npos)
        out += c;
    else if (static_cast<unsigned char>(c) >= 0x80) {
        const auto next = i + 1 < raw.size() ? static_cast<unsigned char>(raw[i + 1]) : 0;
        if (static_cast<unsigned char>(c) == 0xC3 && next >= 0x80 && next <= 0xBF) {
            out += latin1_folded[next - 0x80];
            return 2;
        }
        for (const auto& m : utf8_mappings) {
            if (raw.substr(i, m.bytes.size()) == m.bytes) {
                out += m.ascii;
                return m.bytes.size();
            }
        }
        out += ' ';
    } else
        out += ' ';
    return 1;
}

std::size_t count_digits(std::string_view s, std::size_t i) {
    std::size_t n = 0;
    while (i + n < s.size() && is_digit(s[i + n])) ++n;
    return n;
}

// Converts a number as written (digits, one '.', an optional exponent) without ever overflowing:
// absurdly long input is simply infinite, and from_chars reports out-of-range instead of UB.
double to_double(const std::string& digits) {
    double v = std::numeric_limits<double>::infinity();
    if (digits.size() <= 40) {
        const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (ec == std::errc::result_out_of_range)
            v = digits.find("e-") != std::string::npos ? 0.0 : std::numeric_limits<double>::infinity();
        else if (ec != std::errc{})
            v = 0;
        (void)ptr;
    }
    return v;
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
// or a time ("1:05") or ratio ("3:1"). Returns the index after the token. A '-' before digits is only a
// separator ("0h -1h" is 0 h and 1 h): no number a runner writes about a run is negative.
std::size_t read_number(std::string_view s, std::size_t i, token& tok) {
    const std::size_t start = i;
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
    } else if (at(s, j) == ':' && is_digit(at(s, j + 1))) {
        const std::size_t after = count_digits(s, j + 1);
        if (after == 1) {
            tok.kind = token_kind::ratio;
            tok.value = to_double(digits);
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
    tok.value = to_double(digits);
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

}  // namespace

std::string normalise(std::string_view raw) {
    raw = raw.substr(0, std::min(raw.size(), max_analysed_bytes));
    std::string out;
    out.reserve(raw.size() + 16);
    for (std::size_t i = 0; i < raw.size();) i += normalise_at(raw, i, out);
    // Second pass over the ASCII: " - " between words is a dash ('~', a possible break: see split_clauses), a
    // slash between letters a space ("carb/protein", "w/"), and "1/2" before a word the word "half".
    for (std::size_t i = 0; i < out.size(); ++i) {
        const char before = i > 0 ? out[i - 1] : ' ';
        const char after = i + 1 < out.size() ? out[i + 1] : ' ';
        if (out[i] == '-' && before == ' ' && after == ' ')
            out[i] = '~';
        else if (out[i] == '\'' && is_digit(before) && !is_lower(after))
            out.replace(i, 1, " min "), i += 4;  // 45'

        else if (out[i] == '/' && is_lower(before) && (is_lower(after) || after == ' '))
            out[i] = ' ';
        else if (out[i] == '/' && before == '1' && after == '2' && (i < 2 || !is_digit(out[i - 2])) &&
                 (i + 2 >= out.size() || !is_digit(out[i + 2])))
            out.replace(i - 1, 3, "half"), ++i;
    }
    return out;
}

std::string replace_glued(std::string s, const lexicon& words) {
    for (const auto& [from, to] : words.glued) {
        for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
            const bool starts = at == 0 || !(is_lower(s[at - 1]) || is_digit(s[at - 1]));
            const std::size_t end = at + from.size();
            const bool ends = end == s.size() || !(is_lower(s[end]) || is_digit(s[end]));
            if (starts && ends)
                s.replace(at, from.size(), to);
            else
                at += 1;
        }
    }
    return s;
}

tokens tokenize(std::string_view s) {
    tokens out;
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        token tok;
        std::size_t next = i + 1;
        if (is_digit(c))
            next = read_number(s, i, tok);
        else if (is_lower(c))
            next = read_word(s, i, tok);
        else if (std::string_view(".,!?;:/~").find(c) != std::string_view::npos)
            tok = {token_kind::punct, {c}};
        else {
            i = next;  // spaces, hyphens and stray apostrophes only separate tokens
            continue;
        }
        if (!out.empty() && i > 0 && s[i - 1] != ' ' && s[i - 1] != '-') out.back().glued = true;
        // "8ish miles", "10-ish k": the hedge says nothing the number does not, and stood between it and its unit.
        const bool hedge =
            tok.kind == token_kind::word && tok.text == "ish" && !out.empty() && out.back().kind == token_kind::number;
        if (hedge) out.back().glued = false;
        if (!hedge && (tok.kind != token_kind::word || !tok.text.empty())) out.push_back(std::move(tok));
        i = next;
    }
    return out;
}

namespace {

// Damerau-Levenshtein distance of at most one: one letter added, dropped, changed or two swapped.
bool one_slip_apart(std::string_view a, std::string_view b) {
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > 1) return false;
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i]) ++i;
    if (a.size() == b.size()) {
        if (i == a.size()) return false;                      // equal
        if (a.substr(i + 1) == b.substr(i + 1)) return true;  // changed
        return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
    }
    return a.substr(i) == b.substr(i + 1);  // one added to a (or dropped from b)
}

token word_token(std::string_view w) {
    token k;
    k.kind = token_kind::word;
    k.text = std::string(w);
    return k;
}

}  // namespace

// A fix may be a phrase ("halfmarathon" -> "half marathon"); its words replace the one token.
void correct_spelling(tokens& t, const lexicon& words) {
    tokens out;
    out.reserve(t.size() + 4);
    for (token& k : t) {
        std::string_view fix;
        if (k.kind == token_kind::word) {
            if (const auto it = words.misspellings.find(k.text); it != words.misspellings.end()) {
                fix = it->second;
            } else if (k.text.size() >= 5 && !words.knows(k.text)) {
                for (const auto& c : words.correctable)
                    if (c.front() == k.text.front() && one_slip_apart(c, k.text)) {
                        fix = c;
                        break;
                    }
            }
        }
        if (fix.empty()) {
            out.push_back(std::move(k));
            continue;
        }
        const bool glued = k.glued;
        for (std::size_t at = 0; at <= fix.size();) {
            const std::size_t space = std::min(fix.find(' ', at), fix.size());
            out.push_back(word_token(fix.substr(at, space - at)));
            at = space + 1;
        }
        out.back().glued = glued;
    }
    t = std::move(out);
}

bool m_is_metres(const tokens& t, std::size_t i, double value) {
    return value >= 100 && !(i > 0 && is_word(t, i - 1, "in"));
}

bool is_word(const tokens& t, std::size_t i, std::string_view w) {
    return i < t.size() && t[i].kind == token_kind::word && t[i].text == w;
}

bool is_punct(const tokens& t, std::size_t i, char c) {
    return i < t.size() && t[i].kind == token_kind::punct && t[i].text.size() == 1 && t[i].text[0] == c;
}

std::vector<clause> split_clauses(const tokens& t, const lexicon& words) {
    std::vector<clause> out;
    std::size_t begin = 0;
    // A question that opens with a report ("16 miles done epsom bath tonight?") is two clauses: the
    // report up to its done word, then the question.
    auto close = [&](std::size_t end, bool question) {
        if (end <= begin) return;
        // "ok so what should I eat", "hmm how long should I foam roll": the clause opens at its question opener,
        // past the fillers before it (only when an opener follows them: "ok to run tomorrow" keeps its "ok").
        if (!any_at(t, begin, end, words.question_openers)) {
            std::size_t open = begin;
            while (open < end)
                if (const std::size_t n = longest_at(t, open, end, words.clause_fillers); n > 0)
                    open += n;
                else
                    break;
            if (open < end && any_at(t, open, end, words.question_openers)) begin = open;
        }
        const bool opener = any_at(t, begin, end, words.question_openers);
        if (question && !opener)
            for (std::size_t k = begin + 1; k + 1 < end; ++k)
                if (any_at(t, k, k + 1, words.done_words)) {
                    out.push_back({begin, k + 1, false});
                    begin = k + 1;
                    break;
                }
        out.push_back({begin, end, question || any_at(t, begin, end, words.question_openers)});
    };
    bool done_so_far = false;  // the clause so far reports something done ("marathon done")
    bool counted = false;      // the clause so far holds a number ("14 miles in the bag")
    for (std::size_t i = 0; i < t.size(); ++i) {
        // A dash breaks after a report ("14 miles in the bag - is ibuprofen ok?"), not inside a question
        // ("carb loading - how many days before?").
        const bool dash = is_punct(t, i, '~') && (counted || done_so_far);
        const bool stop = dash || (t[i].kind == token_kind::punct &&
                                   std::string_view(".,!?;").find(t[i].text[0]) != std::string_view::npos);
        if (stop || is_word(t, i, "but")) {
            close(i, is_punct(t, i, '?'));
            begin = i + 1;
            done_so_far = counted = false;
        } else if (done_so_far && i > begin && any_at(t, i, t.size(), words.question_openers)) {
            close(i, false);  // "marathon done when can I run again?": the report, then the question
            begin = i;
            done_so_far = counted = false;
        }
        counted = counted || t[i].kind == token_kind::number || t[i].kind == token_kind::time;
        done_so_far =
            done_so_far || any_at(t, i, t.size(), words.done_words) || any_at(t, i, t.size(), words.past_verbs);
    }
    close(t.size(), false);
    return out;
}

namespace {

bool all_digits(std::string_view w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return is_digit(c); });
}

}  // namespace

std::size_t match_at(const tokens& t, std::size_t i, std::size_t end, std::string_view phrase) {
    end = std::min(end, t.size());
    if (i >= end || phrase.empty()) return 0;
    // Cheap rejection first: most (token, phrase) pairs differ in their first letter.
    if (t[i].kind == token_kind::word ? t[i].text.front() != phrase.front() : !is_digit(phrase.front())) return 0;
    std::size_t n = 0;
    while (!phrase.empty()) {
        const std::size_t space = phrase.find(' ');
        std::string_view w = phrase.substr(0, space);
        phrase = space == std::string_view::npos ? std::string_view{} : phrase.substr(space + 1);
        if (i + n >= end) return 0;
        const token& have = t[i + n];
        if (have.kind == token_kind::number) {
            if (!all_digits(w) || have.text != w) return 0;
        } else {
            if (have.kind != token_kind::word) return 0;
            const bool prefix = !w.empty() && w.back() == '*';
            if (prefix ? !have.text.starts_with(w.substr(0, w.size() - 1)) : have.text != w) return 0;
        }
        ++n;
    }
    return n;
}

bool has_phrase(const tokens& t, std::size_t begin, std::size_t end, std::string_view phrase) {
    end = std::min(end, t.size());
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
    for (std::string_view p : phrases)
        if (match_at(t, i, end, p) > 0) return true;
    return false;
}

std::size_t longest_at(const tokens& t, std::size_t i, std::size_t end, std::span<const std::string_view> phrases) {
    std::size_t best = 0;
    for (std::string_view p : phrases) best = std::max(best, match_at(t, i, end, p));
    return best;
}

bool has_any(const tokens& t, std::size_t begin, std::size_t end, std::span<const std::string_view> phrases) {
    end = std::min(end, t.size());
    return find_any(t, begin, end, phrases) < end;
}

bool any_before(const tokens& t, std::size_t begin, std::size_t i, std::span<const std::string_view> phrases) {
    for (std::string_view p : phrases) {
        const std::size_t words = static_cast<std::size_t>(std::count(p.begin(), p.end(), ' ')) + 1;
        if (words <= i && i - words >= begin && match_at(t, i - words, i, p) == words) return true;
    }
    return false;
}

}  // namespace rb::text
