// parse_message, parse_command and mentions: the public face of the message parser. The order of the
// decision lives here (a finished run beats a meal request beats a question beats small talk); the
// vocabulary lives in distance.cpp, run_details.cpp, topics.cpp and chat_words.cpp.
#include "message_parser.hpp"

#include <algorithm>
#include <cmath>

#include "message_text.hpp"

namespace rb {
namespace {

// A question asked in the same message as a run report ("ran 15 miles, what should I eat?").
std::optional<topic> question_topic(const text::tokens& t, const std::vector<text::clause>& clauses) {
    for (const text::clause& c : clauses)
        if (c.question)
            if (auto about = text::find_topic(t, c.begin, c.end)) return about;
    return std::nullopt;
}

// Topic of a message that is not a run report: a topic word, a sore muscle, or a question about recovery.
std::optional<topic> asked_topic(const text::tokens& t, const std::vector<text::clause>& clauses) {
    if (auto about = text::find_topic(t, 0, t.size())) return about;
    const bool asked = std::any_of(clauses.begin(), clauses.end(), [](const auto& c) { return c.question; });
    if (asked && text::has_recovery_context(t)) return topic::general;
    return std::nullopt;
}

bool is_command_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lower(x) == lower(y);
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string_view without_at(std::string_view name) {
    return !name.empty() && name.front() == '@' ? name.substr(1) : name;
}

}  // namespace

std::string_view to_string(intent what) {
    switch (what) {
        case intent::run_report: return "run_report";
        case intent::question: return "question";
        case intent::meal_request: return "meal_request";
        case intent::smalltalk: return "smalltalk";
        case intent::unknown: return "unknown";
    }
    return "unknown";
}

std::string_view to_string(run_kind kind) {
    switch (kind) {
        case run_kind::easy: return "easy";
        case run_kind::long_run: return "long_run";
        case run_kind::tempo: return "tempo";
        case run_kind::intervals: return "intervals";
        case run_kind::race: return "race";
    }
    return "easy";
}

std::string_view to_string(topic about) {
    switch (about) {
        case topic::eating: return "eating";
        case topic::carb_protein_ratio: return "carb_protein_ratio";
        case topic::protein: return "protein";
        case topic::hydration: return "hydration";
        case topic::foam_rolling: return "foam_rolling";
        case topic::massage: return "massage";
        case topic::cold_therapy: return "cold_therapy";
        case topic::epsom_salts: return "epsom_salts";
        case topic::heat_rubs: return "heat_rubs";
        case topic::rewards: return "rewards";
        case topic::soreness: return "soreness";
        case topic::rest: return "rest";
        case topic::general: return "general";
    }
    return "general";
}

bool run_report::plausible() const { return std::isfinite(distance_km) && distance_km > 0 && distance_km <= 250; }

double run_report::distance_in_unit() const {
    return unit == distance_unit::mi ? distance_km / 1.609344 : distance_km;
}

parsed_message parse_message(std::string_view raw, distance_unit default_unit) {
    const text::tokens t = text::tokenize(text::normalise(raw));
    const std::vector<text::clause> clauses = text::split_clauses(t);
    parsed_message m;
    m.greeting = text::is_greeting(t);
    m.thanks = text::is_thanks(t);
    m.filters = text::find_filters(t);
    m.muscle = text::find_muscle(t);
    if ((m.run = text::find_run(t, clauses, default_unit))) {
        m.what = intent::run_report;
        m.about = question_topic(t, clauses);
    } else if (text::asks_for_meal(t, m.filters)) {
        m.what = intent::meal_request;
    } else if ((m.about = asked_topic(t, clauses))) {
        m.what = intent::question;
    } else if (m.greeting || m.thanks || text::is_small_talk(t)) {
        m.what = intent::smalltalk;
    }
    return m;
}

// Telegram commands are '/' + up to 32 of [A-Za-z0-9_], optionally "@botname", then whitespace or the end.
std::optional<command> parse_command(std::string_view text, std::string_view bot_username) {
    text = trim(text);
    if (text.empty() || text.front() != '/') return std::nullopt;
    std::size_t i = 1;
    while (i < text.size() && is_command_char(text[i])) ++i;
    if (i == 1 || i > 33) return std::nullopt;
    command c;
    for (char ch : text.substr(1, i - 1)) c.name += lower(ch);
    if (i < text.size() && text[i] == '@') {
        std::size_t j = i + 1;
        while (j < text.size() && is_command_char(text[j])) ++j;
        const std::string_view target = text.substr(i + 1, j - i - 1);
        const std::string_view me = without_at(bot_username);
        if (target.empty() || (!me.empty() && !iequals(target, me))) return std::nullopt;  // another bot's
        i = j;
    }
    if (i < text.size() && !is_space(text[i])) return std::nullopt;  // "/units-km", "/x.y"
    c.args = std::string(trim(text.substr(i)));
    return c;
}

bool mentions(std::string_view text, std::string_view bot_username) {
    const std::string_view me = without_at(bot_username);
    if (me.empty()) return false;
    for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        const std::size_t end = at + 1 + me.size();
        if (end > text.size() || !iequals(text.substr(at + 1, me.size()), me)) continue;
        const bool whole = end == text.size() || !is_command_char(text[end]);
        const bool starts = at == 0 || !is_command_char(text[at - 1]);
        if (whole && starts) return true;
    }
    return false;
}

}  // namespace rb
