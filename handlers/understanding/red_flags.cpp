// Medical red flags: a message that may describe an emergency (chest pain, collapse, confusion after heavy
// drinking, cola-coloured urine, heat illness, a pop and no weight bearing) must be answered with "get help
// now" and nothing else. The rules are data (templates/words/red_flags.json); this file only applies them:
// every group of a rule within its window, none of its "unless" phrases, no negation just before a match.
#include <algorithm>

#include "handlers/understanding/message_text.hpp"

namespace rb::text {
namespace {

// A word that ends a negator's reach: "no energy and chest pain" negates the energy, not the pain.
bool ends_negation(const reading& r, std::size_t k) {
    static constexpr std::string_view breaks[] = {"and", "but", "now", "then", "plus", "so", "&"};
    return any_at(r.t, k, k + 1, breaks);
}

// "never had chest pain before but now I do", "no more chest pain now but it was bad at mile 10": a negation
// the rest of the sentence takes back.
bool taken_back_after(const reading& r, std::size_t i) {
    static constexpr std::string_view reversals[] = {
        "now i do",         "now i have it",  "now i've got it",   "now ive got it",   "now its back",
        "now it's back",    "now it is back", "until now",         "until today",      "till now",
        "til now",          "but it was bad", "but it was really", "but it was awful", "but it was scary",
        "but it came back", "but its back",   "but it's back"};
    const std::size_t end = std::min(r.t.size(), i + 10);
    for (std::size_t k = i + 1; k < end; ++k) {
        if (is_punct(r.t, k, '.') || is_punct(r.t, k, '!') || is_punct(r.t, k, '?')) return false;  // a new sentence
        if (any_at(r.t, k, r.t.size(), reversals)) return true;
    }
    return false;
}

// "no chest pain", "I don't have chest pain": a negator up to three tokens before, in the same clause, with no
// "and" or "but" between them, and not taken back later in the sentence.
bool negated_at(const reading& r, std::size_t i) {
    std::size_t from = 0;
    for (const clause& c : r.clauses)
        if (c.begin <= i && i < c.end) from = c.begin;
    for (std::size_t k = i > from + 3 ? i - 3 : from; k < i; ++k) {
        const std::size_t n = longest_at(r.t, k, i, r.w.negators);
        if (n == 0) continue;
        bool broken = false;
        for (std::size_t j = k + n; j < i && !broken; ++j) broken = ends_negation(r, j);
        if (!broken) return !taken_back_after(r, i);
    }
    return false;
}

// Positions where a group matches, not negated.
std::vector<std::size_t> matches(const reading& r, const phrase_list& group) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < r.t.size(); ++i)
        if (any_at(r.t, i, r.t.size(), group) && !negated_at(r, i)) out.push_back(i);
    return out;
}

// An unless phrase near the anchor (or anywhere, for a rule without an unless window) voids it.
bool voided(const reading& r, const red_flag_rule& rule, std::size_t anchor) {
    if (rule.unless.empty()) return false;
    if (rule.unless_window == 0) return has_any(r.t, 0, r.t.size(), rule.unless);
    const auto w = static_cast<std::size_t>(rule.unless_window);
    return has_any(r.t, anchor > w ? anchor - w : 0, std::min(r.t.size(), anchor + w + 1), rule.unless);
}

bool fires(const reading& r, const red_flag_rule& rule) {
    std::vector<std::size_t> anchors = matches(r, rule.all.front());
    std::erase_if(anchors, [&](std::size_t a) { return voided(r, rule, a); });
    if (anchors.empty()) return false;
    std::vector<std::vector<std::size_t>> others;
    for (std::size_t g = 1; g < rule.all.size(); ++g) {
        others.push_back(matches(r, rule.all[g]));
        if (others.back().empty()) return false;
    }
    const auto window = static_cast<std::size_t>(rule.window);
    return std::any_of(anchors.begin(), anchors.end(), [&](std::size_t a) {
        return std::all_of(others.begin(), others.end(), [&](const std::vector<std::size_t>& at) {
            return std::any_of(at.begin(), at.end(), [&](std::size_t j) { return (j > a ? j - a : a - j) <= window; });
        });
    });
}

}  // namespace

std::string find_red_flag(const reading& r) {
    for (const auto& rule : r.w.red_flags)
        if (fires(r, rule)) return rule.flag;
    return {};
}

}  // namespace rb::text
