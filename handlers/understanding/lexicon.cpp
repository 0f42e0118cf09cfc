// Loading templates/words/*.json into the lexicon, with every check a coach's edit needs: the file and key
// named, the line of the offending phrase, and no silently ignored key. One reader per value shape.
#include "handlers/understanding/lexicon.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>

namespace rb {
namespace {

using json = nlohmann::json;

// A phrase is lower-case ASCII words (letters, digits and apostrophes) separated by single spaces; only the
// last character of a word may be '*'. The tokenizer splits at hyphens and punctuation and normalise() folds
// accents and reads '@' as "at" and '+' as "plus", so a phrase holding any of those could never match.
// A word is letters (and apostrophes) or digits, never both: the tokenizer splits "10k" into 10 and k, so
// a phrase must write "10 k" to match it.
bool valid_phrase(std::string_view p) {
    if (p.empty() || p.front() == ' ' || p.back() == ' ' || p.find("  ") != std::string_view::npos) return false;
    bool letters = false, digits = false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        const bool letter = (c >= 'a' && c <= 'z') || c == '\'';
        const bool digit = c >= '0' && c <= '9';
        const bool star = c == '*' && i > 0 && p[i - 1] != ' ' && (i + 1 == p.size() || p[i + 1] == ' ');
        if (!(letter || digit || star || c == ' ')) return false;
        if (c == ' ') letters = digits = false;
        letters = letters || letter;
        digits = digits || digit;
        if (letters && digits) return false;
    }
    return true;
}

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// Reading one file: every key read is remembered, and what is left over is an error.
class reader {
public:
    reader(std::string file, std::string_view text, json doc, lexicon& w)
        : file_(std::move(file)), text_(text), doc_(std::move(doc)), w_(w) {}

    // Remembers the words of a phrase read from the data as known (see lexicon::known_words).
    void know(std::string_view phrase) const {
        for (std::size_t at = 0; at <= phrase.size();) {
            const std::size_t space = std::min(phrase.find(' ', at), phrase.size());
            const std::string_view word = phrase.substr(at, space - at);
            if (!word.empty() && word.back() == '*')
                w_.known_stems.emplace_back(word.substr(0, word.size() - 1));
            else if (!word.empty())
                w_.known_words.emplace(word);
            at = space + 1;
        }
    }

    template_error error(const std::string& key, const std::string& why, std::string_view near = {}) const {
        std::size_t at = text_.find("\"" + key + "\"");
        if (!near.empty()) {
            const auto found = text_.find("\"" + std::string(near) + "\"", at == std::string_view::npos ? 0 : at);
            if (found != std::string_view::npos) at = found;
        }
        return template_error{file_, at == std::string_view::npos ? 1 : line_of(text_, at), key + ": " + why};
    }

    const json& get(const std::string& key) {
        seen_.push_back(key);
        if (!doc_.contains(key)) throw error(key, "missing");
        return doc_.at(key);
    }

    phrase_list phrases(const std::string& key) { return phrases_of(key, get(key)); }

    phrase_list phrases_of(const std::string& key, const json& list) const {
        if (!list.is_array() || list.empty()) throw error(key, "must be a non-empty list of phrases");
        std::vector<std::string> out;
        for (const auto& p : list) {
            if (!p.is_string()) throw error(key, "every phrase must be a string");
            const std::string s = p.get<std::string>();
            if (!valid_phrase(s))
                throw error(key, "\"" + s + "\" is not a phrase (lower-case words, single spaces, '*' only last)", s);
            know(s);
            out.push_back(s);
        }
        return phrase_list(std::move(out));
    }

    std::string text(const json& j, const std::string& key, const char* field) const {
        if (!j.contains(field) || !j[field].is_string() || j[field].get<std::string>().empty())
            throw error(key, std::string("each entry needs a non-empty \"") + field + "\"");
        know(j[field].get<std::string>());
        return j[field].get<std::string>();
    }

    // A field that is matched against runners' words: the phrase rules hold for it too.
    std::string phrase(const json& j, const std::string& key, const char* field) const {
        const std::string s = text(j, key, field);
        if (!valid_phrase(s))
            throw error(key, "\"" + s + "\" is not a phrase (lower-case words, single spaces, '*' only last)", s);
        return s;
    }

    double number(const json& j, const std::string& key, const char* field, double low, double high) const {
        if (!j.contains(field) || !j[field].is_number() || j[field].get<double>() < low ||
            j[field].get<double>() > high)
            throw error(key, std::string("\"") + field + "\" must be a number from " + number_text(low) + " to " +
                                 number_text(high));
        return j[field].get<double>();
    }

    bool flag(const json& j, const std::string& key, const char* field, bool otherwise) const {
        if (!j.contains(field)) return otherwise;
        if (!j[field].is_boolean()) throw error(key, std::string("\"") + field + "\" must be true or false");
        return j[field].get<bool>();
    }

    // Every entry of a list of objects, each holding only the fields named (a misspelt field is an error, not
    // a setting silently ignored).
    template <class F>
    void each(const std::string& key, std::initializer_list<std::string_view> fields, F&& f) {
        const json& list = get(key);
        if (!list.is_array() || list.empty()) throw error(key, "must be a non-empty list");
        for (const auto& j : list) {
            if (!j.is_object()) throw error(key, "every entry must be an object");
            for (const auto& [name, value] : j.items())
                if (std::find(fields.begin(), fields.end(), name) == fields.end())
                    throw error(key, "unknown field \"" + name + "\"", name);
            f(j);
        }
    }

    void finish() const {
        for (const auto& [key, value] : doc_.items()) {
            if (key.rfind("_", 0) == 0) continue;  // "_about": notes for people
            if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) throw error(key, "unknown key");
        }
    }

private:
    std::string file_;
    std::string_view text_;
    json doc_;
    lexicon& w_;
    std::vector<std::string> seen_;
};

void read_runs(reader& r, lexicon& w) {
    r.each("units", {"word", "unit", "km_each"}, [&](const json& j) {
        const std::string unit = r.text(j, "units", "unit");
        if (unit != "km" && unit != "mi") throw r.error("units", "unit must be km or mi");
        w.units.push_back({r.phrase(j, "units", "word"), unit == "mi" ? distance_unit::mi : distance_unit::km,
                           r.number(j, "units", "km_each", 0.0001, 10)});
    });
    r.each("distances", {"phrase", "km", "exact"}, [&](const json& j) {
        w.distances.push_back({r.phrase(j, "distances", "phrase"), r.number(j, "distances", "km", 0.1, 500),
                               r.flag(j, "distances", "exact", true)});
    });
    r.each("past_markers", {"phrase", "hours"}, [&](const json& j) {
        w.past_markers.push_back({r.phrase(j, "past_markers", "phrase"),
                                  static_cast<int>(r.number(j, "past_markers", "hours", 1, 24 * 14))});
    });
    r.each("day_part_markers", {"phrase", "by_hour"}, [&](const json& j) {
        w.day_part_markers.push_back({r.phrase(j, "day_part_markers", "phrase"),
                                      static_cast<int>(r.number(j, "day_part_markers", "by_hour", 1, 23))});
    });
    const std::pair<const char*, phrase_list lexicon::*> lists[] = {
        {"not_the_race_after", &lexicon::not_the_race_after},
        {"not_a_run_after", &lexicon::not_a_run_after},
        {"bare_blockers_before", &lexicon::bare_blockers_before},
        {"bare_blockers_after", &lexicon::bare_blockers_after},
        {"run_verbs", &lexicon::run_verbs},
        {"fillers", &lexicon::fillers},
        {"done_after", &lexicon::done_after},
        {"strong_future", &lexicon::strong_future},
        {"weak_future", &lexicon::weak_future},
        {"past_verbs", &lexicon::past_verbs},
        {"negations", &lexicon::negations},
        {"negation_exceptions", &lexicon::negation_exceptions},
        {"not_exceptions", &lexicon::not_exceptions},
        {"stopped_early", &lexicon::stopped_early},
        {"habit_words", &lexicon::habit_words},
        {"completion_words", &lexicon::completion_words},
        {"other_runners", &lexicon::other_runners},
        {"first_person", &lexicon::first_person},
        {"run_nouns", &lexicon::run_nouns},
        {"race_words", &lexicon::race_words},
        {"long_words", &lexicon::long_words},
        {"interval_words", &lexicon::interval_words},
        {"tempo_words", &lexicon::tempo_words},
        {"easy_words", &lexicon::easy_words},
        {"pace_after", &lexicon::pace_after},
        {"clock_words", &lexicon::clock_words},
        {"clock_before", &lexicon::clock_before},
        {"hour_units", &lexicon::hour_units},
        {"minute_units", &lexicon::minute_units},
        {"duration_not_after", &lexicon::duration_not_after},
        {"duration_before", &lexicon::duration_before},
        {"run_context", &lexicon::run_context},
        {"sum_joiners", &lexicon::sum_joiners},
        {"part_words", &lexicon::part_words},
        {"half_words", &lexicon::half_words},
        {"ago_words", &lexicon::ago_words},
        {"quarter_words", &lexicon::quarter_words},
        {"reached_words", &lexicon::reached_words},
        {"report_words", &lexicon::report_words},
        {"context_words", &lexicon::context_words},
        {"done_words", &lexicon::done_words},
        {"within_words", &lexicon::within_words},
        {"device_words", &lexicon::device_words},
        {"rest_day_words", &lexicon::rest_day_words},
        {"time_of_day", &lexicon::time_of_day},
        {"weight_units_kg", &lexicon::weight_units_kg},
        {"weight_units_lb", &lexicon::weight_units_lb},
        {"weight_words", &lexicon::weight_words},
        {"spectator_words", &lexicon::spectator_words},
    };
    for (const auto& [key, member] : lists) w.*member = r.phrases(key);
}

void read_topics(reader& r, lexicon& w) {
    r.each("topics", {"name", "phrases", "with", "weak"}, [&](const json& j) {
        const std::string name = r.text(j, "topics", "name");
        if (!j.contains("phrases")) throw r.error("topics", "topic \"" + name + "\" has no phrases", name);
        topic_words t{name, r.phrases_of("topics", j["phrases"]), {}, r.flag(j, "topics", "weak", false)};
        if (j.contains("with")) t.with = r.phrases_of("topics", j["with"]);
        w.topics.push_back(std::move(t));
    });
    r.each("muscles", {"phrase", "name", "group"}, [&](const json& j) {
        w.muscles.push_back(
            {r.phrase(j, "muscles", "phrase"), r.text(j, "muscles", "name"), r.text(j, "muscles", "group")});
    });
    w.question_openers = r.phrases("question_openers");
    w.clause_fillers = r.phrases("clause_fillers");
    w.wh_openers = r.phrases("wh_openers");
    w.recovery_context = r.phrases("recovery_context");
    w.after_words = r.phrases("after_words");
    w.run_words = r.phrases("run_words");
    w.statement_askers = r.phrases("statement_askers");
    w.desire_words = r.phrases("desire_words");
    w.sore_words = r.phrases("sore_words");
    w.swelling_words = r.phrases("swelling_words");
}

void read_meals(reader& r, lexicon& w) {
    r.each("filters", {"name", "label", "dietary", "phrases"}, [&](const json& j) {
        const std::string name = r.text(j, "filters", "name");
        if (!j.contains("phrases")) throw r.error("filters", "filter \"" + name + "\" has no phrases", name);
        w.filters.push_back({name, r.text(j, "filters", "label"), r.flag(j, "filters", "dietary", false),
                             r.phrases_of("filters", j["phrases"])});
    });
    r.each("unsupported", {"name", "label", "phrases"}, [&](const json& j) {
        const std::string name = r.text(j, "unsupported", "name");
        if (!j.contains("phrases")) throw r.error("unsupported", "\"" + name + "\" has no phrases", name);
        w.unsupported.push_back(
            {name, r.text(j, "unsupported", "label"), true, r.phrases_of("unsupported", j["phrases"])});
    });
    w.meal_nouns = r.phrases("meal_nouns");
    w.meal_requests = r.phrases("meal_requests");
    w.not_a_meal_request = r.phrases("not_a_meal_request");
    w.yes_no_openers = r.phrases("yes_no_openers");
}

void read_chat(reader& r, lexicon& w) {
    w.greetings = r.phrases("greetings");
    w.thanks = r.phrases("thanks");
    w.small_talk = r.phrases("small_talk");
    w.acknowledgements = r.phrases("acknowledgements");
    w.about_the_bot = r.phrases("about_the_bot");
    w.farewells = r.phrases("farewells");
}

void read_sports(reader& r, lexicon& w) {
    r.each("sports", {"name", "activity", "phrases"}, [&](const json& j) {
        const std::string name = r.text(j, "sports", "name");
        if (!j.contains("phrases")) throw r.error("sports", "sport \"" + name + "\" has no phrases", name);
        w.sports.push_back({name, r.text(j, "sports", "activity"), r.phrases_of("sports", j["phrases"])});
    });
    w.running_words = r.phrases("running_words");
}

void read_red_flags(reader& r, lexicon& w) {
    r.each("rules", {"flag", "all", "unless", "window", "unless_window"}, [&](const json& j) {
        red_flag_rule rule;
        rule.flag = r.text(j, "rules", "flag");
        if (!j.contains("all") || !j["all"].is_array() || j["all"].empty())
            throw r.error("rules", "rule \"" + rule.flag + "\" needs \"all\": a list of phrase lists", rule.flag);
        for (const auto& group : j["all"]) rule.all.push_back(r.phrases_of("rules", group));
        if (j.contains("unless")) rule.unless = r.phrases_of("rules", j["unless"]);
        rule.window = static_cast<int>(j.contains("window") ? r.number(j, "rules", "window", 1, 60) : 12);
        rule.unless_window =
            static_cast<int>(j.contains("unless_window") ? r.number(j, "rules", "unless_window", 1, 60) : 0);
        w.red_flags.push_back(std::move(rule));
    });
    w.negators = r.phrases("negators");
}

void read_spelling(reader& r, lexicon& w) {
    const json& fixes = r.get("misspellings");
    if (!fixes.is_object() || fixes.empty()) throw r.error("misspellings", "must be an object: misspelling -> word");
    for (const auto& [wrong, right] : fixes.items()) {
        if (!right.is_string() || !valid_phrase(wrong) || !valid_phrase(right.get<std::string>()) ||
            wrong.find(' ') != std::string::npos)
            throw r.error("misspellings", "\"" + wrong + "\" must map one lower-case word to a phrase", wrong);
        w.misspellings.emplace(wrong, right.get<std::string>());
    }
    const json& glued = r.get("glued");
    if (!glued.is_object() || glued.empty()) throw r.error("glued", "must be an object: text-speak -> words");
    for (const auto& [from, to] : glued.items()) {
        const bool ok = !from.empty() && std::all_of(from.begin(), from.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        });
        if (!to.is_string() || !ok || !valid_phrase(to.get<std::string>()))
            throw r.error("glued", "\"" + from + "\" must be letters and digits mapped to a phrase", from);
        w.glued.emplace(from, to.get<std::string>());
    }
    const phrase_list correctable = r.phrases("correctable");
    for (const auto& word : correctable.phrases()) {
        if (word.size() < 5 || word.find_first_of(" *") != std::string::npos)
            throw r.error("correctable", "\"" + word + "\" must be one word of 5 letters or more", word);
        w.correctable.push_back(word);
    }
}

struct file_spec {
    const char* path;
    std::function<void(reader&, lexicon&)> read;
};

// The names code relies on. A topic may appear twice, at two priorities ("chocolate milk" before protein
// words, "eat" after hydration words).
std::optional<template_error> check_names(const lexicon& w) {
    for (const char* name : {"vegetarian", "vegan", "dairy_free", "quick"})
        if (!w.filter(name))
            return template_error{"words/meals.json", 1, std::string("filter \"") + name + "\" is missing"};
    for (const char* name : {"eating", "soreness"})
        if (!w.topic(name))
            return template_error{"words/topics.json", 1, std::string("topic \"") + name + "\" is missing"};
    return std::nullopt;
}

}  // namespace

phrase_list::phrase_list(std::vector<std::string> phrases) : owned_(std::move(phrases)) { index(); }
phrase_list::phrase_list(const phrase_list& other) : owned_(other.owned_) { index(); }
phrase_list& phrase_list::operator=(const phrase_list& other) {
    if (this != &other) {
        owned_ = other.owned_;
        index();
    }
    return *this;
}
void phrase_list::index() { views_.assign(owned_.begin(), owned_.end()); }

const filter_words* lexicon::filter(std::string_view name) const {
    for (const auto& f : filters)
        if (f.name == name) return &f;
    return nullptr;
}

bool lexicon::knows(std::string_view word) const {
    if (known_words.find(word) != known_words.end()) return true;
    return std::any_of(known_stems.begin(), known_stems.end(),
                       [&](const std::string& stem) { return stem.size() >= 4 && word.starts_with(stem); });
}

const topic_words* lexicon::topic(std::string_view name) const {
    for (const auto& t : topics)
        if (t.name == name) return &t;
    return nullptr;
}

std::variant<lexicon, template_error> load_lexicon(const std::map<std::string, std::string>& files) {
    const file_spec specs[] = {
        {"words/runs.json", read_runs},         {"words/topics.json", read_topics},
        {"words/meals.json", read_meals},       {"words/chat.json", read_chat},
        {"words/sports.json", read_sports},     {"words/red_flags.json", read_red_flags},
        {"words/spelling.json", read_spelling},
    };
    lexicon w;
    for (const auto& spec : specs) {
        const auto it = files.find(spec.path);
        if (it == files.end()) return template_error{spec.path, 0, "required words file is missing"};
        json doc;
        try {
            doc = json::parse(it->second);
        } catch (const json::parse_error& e) {
            return template_error{spec.path, line_of(it->second, e.byte == 0 ? 0 : e.byte - 1), "invalid JSON"};
        }
        if (!doc.is_object()) return template_error{spec.path, 1, "a words file is a JSON object"};
        reader r(spec.path, it->second, std::move(doc), w);
        try {
            spec.read(r, w);
            r.finish();
        } catch (const template_error& e) {
            return e;
        } catch (const json::exception& e) {
            return template_error{spec.path, 0, std::string("a value has the wrong type: ") + e.what()};
        }
    }
    for (const auto& entry : files) {
        const std::string& path = entry.first;
        if (path.rfind("words/", 0) != 0) continue;
        const bool known =
            std::any_of(std::begin(specs), std::end(specs), [&](const file_spec& s) { return path == s.path; });
        if (!known && path.size() > 5 && path.substr(path.size() - 5) == ".json")
            return template_error{path, 0,
                                  "unknown words file (runs, topics, meals, chat, sports, red_flags, spelling)"};
    }
    if (auto bad = check_names(w)) return *bad;
    return w;
}

}  // namespace rb
