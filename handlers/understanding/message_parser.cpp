// parse_message, parse_command and mentions: the public face of the message parser. The order of the
// decision lives here (a red flag first, then a finished run beats a meal request beats another sport beats
// a question beats small talk); the reading is in distance.cpp, run_details.cpp, sports.cpp, topics.cpp,
// chat_words.cpp and red_flags.cpp, and the words in templates/words/*.json.
#include "handlers/understanding/message_parser.hpp"

#include <algorithm>
#include <cmath>

#include "handlers/understanding/message_text.hpp"

namespace rb {
namespace {

// What the rest of a run report asks or says: a question ("ice bath or not?"), a request ("need food
// ideas"), or soreness ("left hip aches", "got a massive blister"); failing those, what the whole message
// is about when it asks something ("ran 11 miles, can't sleep, is that normal?"). A clause that only
// describes the run adds nothing.
std::string run_topic(const text::reading& r) {
    bool asked = false;
    for (const text::clause& c : r.clauses) {
        const bool asks = c.question || text::has_any(r.t, c.begin, c.end, r.w.statement_askers) ||
                          text::has_any(r.t, c.begin, c.end, r.w.desire_words);
        asked = asked || asks;
        if (asks)
            if (std::string about = text::find_topic(r, c.begin, c.end); !about.empty()) return about;
    }
    for (const text::clause& c : r.clauses) {
        if (!text::says_sore(r, c.begin, c.end)) continue;
        const std::string about = text::find_topic(r, c.begin, c.end);
        return about == "blisters" || about == "cramps" || about == "painkillers" ? about : "soreness";
    }
    if (asked) return text::find_topic(r, 0, r.t.size());
    // "marathon done, dying for a beer": a clause beside the run that names a narrow topic
    for (const text::clause& c : r.clauses)
        if (!text::has_any(r.t, c.begin, c.end, r.w.run_nouns) &&
            !text::has_any(r.t, c.begin, c.end, r.w.running_words))
            if (std::string about = text::find_topic(r, c.begin, c.end, text::topic_rows::strong); !about.empty())
                return about;
    return {};
}

// "asked" for a message with no topic the bot knows: a question mark, or a wh-word opening a clause
// ("how far should my long run be"). A yes/no opener alone ("will do 10k") is not enough.
bool asks_openly(const text::reading& r) {
    return std::any_of(r.clauses.begin(), r.clauses.end(), [&](const text::clause& c) {
        return text::is_punct(r.t, c.end, '?') || text::any_at(r.t, c.begin, c.end, r.w.wh_openers);
    });
}

// Topic of a message that is not a run report: a narrow topic in its question clause ("legs are shot, when
// can I run again?" asks about rest), else a narrow one anywhere ("sleep is nonexistent, how does that affect
// recovery"), else a broad word, else a question about recovery in general.
std::string asked_topic(const text::reading& r, bool asked) {
    using text::topic_rows;
    for (const topic_rows rows : {topic_rows::strong, topic_rows::weak}) {
        for (const text::clause& c : r.clauses)
            if (c.question)
                if (std::string about = text::find_topic(r, c.begin, c.end, rows); !about.empty()) return about;
        if (std::string about = text::find_topic(r, 0, r.t.size(), rows); !about.empty()) return about;
        // "glutes are killing me": a named muscle that is sore is soreness, whatever words say it
        if (rows == topic_rows::strong && text::find_muscle(r) != nullptr && text::says_sore(r, 0, r.t.size()))
            return "soreness";
    }
    if (asked && text::has_recovery_context(r)) return "general";
    return {};
}

bool is_command_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string_view without_at(std::string_view name) {
    return !name.empty() && name.front() == '@' ? name.substr(1) : name;
}

// "gonna take 2 ibuprofen and go to bed", "thinking of doing an ice bath": what the runner means to do for their
// recovery, with no run in the message, is a question about it, not a plan of a run to come.
bool recovery_plan_said(const text::reading& r) {
    const text::tokens& t = r.t;
    if (text::has_any(t, 0, t.size(), r.w.run_nouns) || text::has_any(t, 0, t.size(), r.w.running_words) ||
        text::has_any(t, 0, t.size(), r.w.run_verbs) || text::has_any(t, 0, t.size(), r.w.race_words))
        return false;
    // "rest day", "chest day at the gym tomorrow": a day planned, not a recovery step
    const std::string topic = text::find_topic(r, 0, t.size(), text::topic_rows::strong);
    return !topic.empty() && topic != "rest" && topic != "cross_training" && topic != "taper";
}

}  // namespace

std::string_view to_string(intent what) {
    switch (what) {
        case intent::run_report:
            return "run_report";
        case intent::question:
            return "question";
        case intent::meal_request:
            return "meal_request";
        case intent::smalltalk:
            return "smalltalk";
        case intent::unknown:
            return "unknown";
    }
    return "unknown";
}

std::string_view to_string(run_kind kind) {
    switch (kind) {
        case run_kind::easy:
            return "easy";
        case run_kind::long_run:
            return "long_run";
        case run_kind::tempo:
            return "tempo";
        case run_kind::intervals:
            return "intervals";
        case run_kind::race:
            return "race";
    }
    return "easy";
}

bool run_report::plausible() const {
    const bool distance_ok = std::isfinite(distance_km) && distance_km > 0 && distance_km <= 250;
    const bool time_ok = !duration_s || (*duration_s > 0 && *duration_s <= 48 * 3600);
    return distance_ok && time_ok && !faster_than_anyone();
}

// Every world record from 3000 m up is slower than 2:20 per km (5000 m: 2:31): "ran 10k in 5 min" is a typo.
bool run_report::faster_than_anyone() const {
    return distance_given && duration_s && distance_km >= 1.5 && *duration_s > 0 && *duration_s / distance_km < 140;
}

double run_report::distance_in_unit() const { return unit == distance_unit::mi ? distance_km / 1.609344 : distance_km; }

double run_report::minutes() const { return duration_s ? *duration_s / 60.0 : distance_km * 6.0; }

bool meal_filters::has(std::string_view name) const {
    return std::find(names.begin(), names.end(), name) != names.end();
}

void meal_filters::add(std::string_view name) {
    if (has(name)) return;
    names.emplace_back(name);
    std::sort(names.begin(), names.end());
}

// The order of the decision: a red flag is noted first (the reply is help and nothing else, whatever else
// the message says); then a finished run beats a meal request beats another sport beats a question beats
// small talk.
parsed_message parse_message(std::string_view raw, const lexicon& words, std::optional<distance_unit> chat_unit) {
    text::tokens t = text::tokenize(text::replace_glued(text::normalise(raw), words));
    text::correct_spelling(t, words);
    const std::vector<text::clause> clauses = text::split_clauses(t, words);
    const text::reading r{t, clauses, words};
    parsed_message m;
    m.greeting = text::is_greeting(r);
    m.thanks = text::is_thanks(r);
    m.filters = text::find_filters(r);
    m.unknown_filters = text::find_unsupported_filters(r);
    if (const muscle_word* muscle = text::find_muscle(r)) {
        m.muscle = muscle->name;
        m.muscle_group = muscle->group;
    }
    // "calf is sore but no swelling": a swelling word right after a negator does not count.
    for (std::size_t i = 0; i < t.size() && !m.swollen; ++i)
        m.swollen = text::any_at(t, i, t.size(), words.swelling_words) &&
                    !(i >= 1 && text::any_at(t, i - 1, i, words.negators)) &&
                    !(i >= 2 && text::any_at(t, i - 2, i, words.negators));
    m.urgent = text::find_red_flag(r);
    m.weight_kg = text::find_weight_kg(r, chat_unit);
    // Asked: a question mark, an opener put to someone ("should I", "can we"), or an opener that is not a
    // plan ("should be running 14 tomorrow" is a plan, not a question).
    const std::string_view persons[] = {"i", "we", "you", "my", "it", "they", "he", "she", "i'm", "im"};
    m.asked = std::any_of(clauses.begin(), clauses.end(), [&](const text::clause& c) {
        const bool put = text::any_at(t, c.begin + 1, c.end, persons);
        const bool wh = text::any_at(t, c.begin, c.end, words.wh_openers);
        return c.question && (text::is_punct(t, c.end, '?') || put || wh || !text::reports_future(r, c));
    });
    if ((m.run = text::find_run(r, chat_unit))) {
        m.what = intent::run_report;
        m.topic = run_topic(r);
    } else if (text::asks_for_meal(r, m.filters)) {
        m.what = intent::meal_request;
        m.topic = text::find_topic(r, 0, t.size()) == "pre_run_eating" ? "pre_run_eating" : "eating";
    } else if (const sport_words* sport = text::reported_sport(r)) {
        m.what = intent::smalltalk;
        m.sport = sport->name;
        m.sport_activity = sport->activity;
        if (m.asked && (m.topic = text::find_topic(r, 0, t.size())).empty()) m.topic = "cross_training";
    } else if (!m.asked && (text::skipped_run(r) || text::about_the_future(r)) && !recovery_plan_said(r)) {
        m.what = intent::unknown;  // "missed my long run, too tired", "tomorrow rest": nothing to plan or answer
    } else if (m.thanks && !m.asked) {
        m.what = intent::smalltalk;  // "cheers for the tips mate"
    } else if (!(m.topic = asked_topic(r, m.asked)).empty()) {
        m.what = intent::question;
        // "I'm running 15 miles tomorrow, what should I eat?": fuel for the run to come, unless after it is asked.
        static constexpr std::string_view after[] = {"after", "afterwards", "post", "recovery", "recover"};
        if (m.topic == "eating" && text::about_the_future(r) && !text::has_any(t, 0, t.size(), after))
            m.topic = "pre_run_eating";
    } else if (text::asks_about_the_bot(r)) {
        m.what = intent::smalltalk;  // "who are you" was answered "I'm not sure what you mean"
        m.about_the_bot = true;
    } else if (text::is_farewell(r)) {
        m.what = intent::smalltalk;
        m.farewell = true;
    } else if (const bool ack = text::is_acknowledgement(r); m.greeting || m.thanks || ack || text::is_small_talk(r)) {
        m.what = intent::smalltalk;
        m.acknowledged = ack && !m.greeting && !m.thanks && !m.asked;
    } else if (asks_openly(r)) {
        m.what = intent::question;  // asked, but nothing the bot knows: answered honestly as such
    }
    // A red flag is answered with help: never as a meal request or small talk.
    if (!m.urgent.empty() && (m.what == intent::meal_request || m.what == intent::smalltalk)) m.what = intent::question;
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
