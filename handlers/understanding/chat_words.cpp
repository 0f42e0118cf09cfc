// Meal requests and their filters ("quick vegan snack please"), greetings, thanks and other small talk.
// A meal request asks for an idea; a question about eating ("when should I eat?", "what before my long
// run?") is not one, so timing words and yes/no openers keep a message a question.
#include <algorithm>

#include "handlers/understanding/message_text.hpp"

namespace rb::text {
namespace {

std::size_t word_count(const tokens& t) {
    std::size_t n = 0;
    for (const token& k : t) n += k.kind != token_kind::punct ? 1 : 0;
    return n;
}

std::size_t first_word(const tokens& t) {
    std::size_t i = 0;
    while (i < t.size() && t[i].kind == token_kind::punct) ++i;
    return i;
}

// True when the message opens with one of the phrases (which may be longer than one word).
bool opens_with(const tokens& t, std::span<const std::string_view> phrases) {
    return any_at(t, first_word(t), t.size(), phrases);
}

}  // namespace

meal_filters find_filters(const reading& r) {
    meal_filters f;
    for (const auto& filter : r.w.filters)
        if (has_any(r.t, 0, r.t.size(), filter.phrases)) f.add(filter.name);
    return f;
}

std::vector<std::string> find_unsupported_filters(const reading& r) {
    std::vector<std::string> out;
    for (const auto& filter : r.w.unsupported)
        if (has_any(r.t, 0, r.t.size(), filter.phrases)) out.push_back(filter.label);
    return out;
}

// A meal noun with a request, a filter, or on its own ("recovery snack?"); "eat" with a request or
// filter ("something vegan to eat"); or a diet filter on its own ("vegan?"). Never when asked about
// timing, amounts or eating before a run, or as a yes/no question.
bool asks_for_meal(const reading& r, const meal_filters& filters) {
    const tokens& t = r.t;
    const std::size_t n = t.size();
    if (has_any(t, 0, n, r.w.not_a_meal_request)) return false;
    const bool requested = has_any(t, 0, n, r.w.meal_requests);
    if (opens_with(t, r.w.yes_no_openers) && !requested) return false;
    const bool asked = requested || filters.any() || !find_unsupported_filters(r).empty();
    const bool short_message = word_count(t) <= 4;
    if (has_any(t, 0, n, r.w.meal_nouns)) return asked || short_message;
    if (has_phrase(t, 0, n, "eat")) return asked;
    // "vegan?", "dairy free options please", "something quick": a filter alone asks for a meal.
    bool diet = false;
    for (const auto& name : filters.names)
        if (const filter_words* f = r.w.filter(name); f && f->dietary) diet = true;
    return (diet && (short_message || requested)) || (filters.any() && requested);
}

bool is_greeting(const reading& r) { return opens_with(r.t, r.w.greetings); }

bool is_thanks(const reading& r) {
    const std::size_t at = find_any(r.t, 0, r.t.size(), r.w.thanks);
    if (at == r.t.size()) return false;
    return !is_word(r.t, at, "ta") || word_count(r.t) <= 3;  // "ta" alone is thanks; inside a sentence, rarely
}

namespace {
// Chatter never carries a number or a time: "will do 10k" and "ok 10k done" are runs.
bool has_numbers(const tokens& t) {
    return std::any_of(t.begin(), t.end(),
                       [](const token& k) { return k.kind != token_kind::word && k.kind != token_kind::punct; });
}
}  // namespace

// "ok", "got it 👍": a short reply to the bot that asks nothing.
bool is_acknowledgement(const reading& r) {
    return word_count(r.t) <= 4 && !has_numbers(r.t) && opens_with(r.t, r.w.acknowledgements);
}

// "who are you", "are you a bot?", "what can you do": a short message that asks what the bot is.
bool asks_about_the_bot(const reading& r) {
    return word_count(r.t) <= 6 && !has_numbers(r.t) && opens_with(r.t, r.w.about_the_bot);
}

// "bye", "good night": a short goodbye.
bool is_farewell(const reading& r) {
    return word_count(r.t) <= 4 && !has_numbers(r.t) && opens_with(r.t, r.w.farewells);
}

// Short chatter the bot should answer kindly rather than with its help text.
bool is_small_talk(const reading& r) {
    return word_count(r.t) <= 5 && !has_numbers(r.t) && opens_with(r.t, r.w.small_talk);
}

}  // namespace rb::text

namespace rb {

meal_filters read_meal_filters(std::string_view raw, const lexicon& words, std::vector<std::string>& unknown) {
    text::tokens t = text::tokenize(text::normalise(raw));
    text::correct_spelling(t, words);
    const std::string_view joining[] = {"and",  "with",   "please",  "pls",    "meal",   "meals",
                                        "idea", "ideas",  "a",       "an",     "some",   "something",
                                        "food", "option", "options", "recipe", "recipes"};
    meal_filters out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i].kind == text::token_kind::punct) continue;
        std::size_t best = 0;
        const filter_words* hit = nullptr;
        for (const auto& f : words.filters) {
            std::string name = f.name;
            std::replace(name.begin(), name.end(), '_', ' ');  // "gluten_free" as "gluten free"
            const std::size_t len =
                std::max(text::longest_at(t, i, t.size(), f.phrases), text::match_at(t, i, t.size(), name));
            if (len > best) best = len, hit = &f;
        }
        if (hit) {
            out.add(hit->name);
            i += best - 1;
        } else if (!text::any_at(t, i, i + 1, joining)) {
            unknown.push_back(t[i].text);
        }
    }
    return out;
}

}  // namespace rb
