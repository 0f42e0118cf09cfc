// Reading a /timezone answer: the place files, the local-time and UTC-offset forms, and the offset -> zone
// table for the offsets that are not whole hours.
#include "handlers/time/places.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "handlers/time/civil_time.hpp"
#include "handlers/understanding/message_text.hpp"

namespace rb {
namespace {

using json = nlohmann::json;

constexpr std::string_view cities_file = "zones/cities.json";
constexpr std::string_view likely_file = "zones/likely.json";

std::optional<template_error> read_places(const std::string& text,
                                          std::map<std::string, std::string, std::less<>>& out) {
    const json doc = json::parse(text, nullptr, false);
    if (!doc.is_object()) return template_error{std::string(cities_file), 1, "not a JSON object"};
    for (const char* list : {"cities", "countries", "zone_names"}) {
        if (std::string_view(list) == "zone_names" && !doc.contains(list)) continue;  // optional: "pst", "cet"
        if (!doc.contains(list) || !doc[list].is_array())
            return template_error{std::string(cities_file), 1, std::string("\"") + list + "\" must be a list"};
        for (const auto& p : doc[list]) {
            if (!p.is_object() || !p.contains("name") || !p["name"].is_string() || !p.contains("zone") ||
                !p["zone"].is_string())
                return template_error{std::string(cities_file), 1, "every place needs a \"name\" and a \"zone\""};
            const std::string zone = p["zone"].get<std::string>();
            std::vector<std::string> names{p["name"].get<std::string>()};
            for (const auto& a : p.value("aliases", json::array()))
                if (a.is_string()) names.push_back(a.get<std::string>());
            for (const auto& n : names) {
                const std::string key = fold_place(n);
                if (key.empty() || !out.emplace(key, zone).second)
                    return template_error{std::string(cities_file), line_of(text, text.find("\"" + n + "\"")),
                                          "\"" + n + "\" is empty or named twice"};
            }
        }
    }
    return std::nullopt;
}

std::optional<template_error> read_likely(const std::string& text,
                                          std::map<std::string, std::vector<zone_button>, std::less<>>& out) {
    const json doc = json::parse(text, nullptr, false);
    if (!doc.is_object() || !doc.contains("default"))
        return template_error{std::string(likely_file), 1, "a JSON object with a \"default\" list is required"};
    for (const auto& [lang, list] : doc.items()) {
        if (lang.rfind("_", 0) == 0) continue;
        if (!list.is_array() || list.empty() || list.size() > 5)
            return template_error{std::string(likely_file), 1, "\"" + lang + "\" must list 1 to 5 zones"};
        for (const auto& b : list) {
            if (!b.is_object() || !b.value("zone", json()).is_string() || !b.value("label", json()).is_string())
                return template_error{std::string(likely_file), 1, "each button needs a \"zone\" and a \"label\""};
            out[lang].push_back({b["zone"].get<std::string>(), b["label"].get<std::string>()});
        }
    }
    return std::nullopt;
}

// "18:40", "6:40pm", "6pm", "18h40", "18.40" anywhere in the text: minutes after midnight.
std::optional<int> local_clock(const text::tokens& t) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        int h = -1, m = 0;
        std::size_t next = i + 1;
        if (t[i].kind == text::token_kind::time && t[i].time_count == 2) {
            h = t[i].time_parts[0];
            m = t[i].time_parts[1];
        } else if (t[i].kind == text::token_kind::number && t[i].value >= 0 && t[i].value < 24 &&
                   std::floor(t[i].value) == t[i].value && t[i].text.find_first_of(".,") == std::string::npos) {
            h = static_cast<int>(t[i].value);
            if (text::is_word(t, i + 1, "h") && i + 2 < t.size() && t[i + 2].kind == text::token_kind::number &&
                t[i + 2].value < 60) {
                m = static_cast<int>(t[i + 2].value);  // "18h40"
                next = i + 3;
            } else if (!(text::is_word(t, next, "am") || text::is_word(t, next, "pm"))) {
                continue;  // a bare number is not a time
            }
        } else if (t[i].kind == text::token_kind::number && t[i].text.find('.') != std::string::npos) {
            const auto dot = t[i].text.find('.');
            int hh = 0, mm = 0;
            std::from_chars(t[i].text.data(), t[i].text.data() + dot, hh);
            const auto mins = t[i].text.substr(dot + 1);
            if (mins.size() != 2) continue;
            std::from_chars(mins.data(), mins.data() + 2, mm);
            h = hh, m = mm;  // "18.40"
        } else {
            continue;
        }
        if (h < 0 || h > 23 || m > 59) continue;
        if (text::is_word(t, next, "pm") && h >= 1 && h <= 11) h += 12;
        if (text::is_word(t, next, "am") && h == 12) h = 0;
        if ((text::is_word(t, next, "am") || text::is_word(t, next, "pm")) && (h > 23)) continue;
        return h * 60 + m;
    }
    return std::nullopt;
}

// "utc+2", "gmt -5", "utc+05:30", "+0530", "utc" alone: minutes east of UTC.
std::optional<int> utc_offset(std::string_view raw) {
    std::string s;
    for (const char c : raw)
        if (c != ' ') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* prefix : {"utc", "gmt", "z"})
        if (s.rfind(prefix, 0) == 0) {
            s = s.substr(std::string_view(prefix).size());
            if (s.empty()) return 0;
            break;
        }
    if (s.empty() || (s[0] != '+' && s[0] != '-')) return std::nullopt;
    const int sign = s[0] == '-' ? -1 : 1;
    std::string digits;
    for (std::size_t i = 1; i < s.size(); ++i) {
        if (s[i] >= '0' && s[i] <= '9')
            digits += s[i];
        else if (s[i] != ':')
            return std::nullopt;
    }
    if (digits.empty() || digits.size() > 4) return std::nullopt;
    int h = 0, m = 0;
    if (digits.size() <= 2)
        std::from_chars(digits.data(), digits.data() + digits.size(), h);
    else {
        const std::size_t split = digits.size() - 2;
        std::from_chars(digits.data(), digits.data() + split, h);
        std::from_chars(digits.data() + split, digits.data() + digits.size(), m);
    }
    if (m >= 60) return std::nullopt;
    return sign * (h * 60 + m);
}

}  // namespace

std::string fold_place(std::string_view text) {
    const std::string normal = text::normalise(text);
    std::string out;
    for (const char c : normal) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'';
        if (keep)
            out += c;
        else if (!out.empty() && out.back() != ' ')
            out += ' ';
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::variant<place_index, template_error> place_index::load(const std::map<std::string, std::string>& files) {
    place_index out;
    const auto cities = files.find(std::string(cities_file));
    const auto likely = files.find(std::string(likely_file));
    if (cities == files.end()) return template_error{std::string(cities_file), 0, "required file is missing"};
    if (likely == files.end()) return template_error{std::string(likely_file), 0, "required file is missing"};
    if (auto bad = read_places(cities->second, out.places_)) return *bad;
    if (auto bad = read_likely(likely->second, out.likely_)) return *bad;
    return out;
}

std::optional<std::string> place_index::zone_of(std::string_view place) const {
    const auto it = places_.find(fold_place(place));
    if (it == places_.end()) return std::nullopt;
    return it->second;
}

const std::vector<zone_button>& place_index::likely(std::string_view language_code) const {
    std::string code = fold_place(language_code);
    std::replace(code.begin(), code.end(), ' ', '-');
    if (const auto it = likely_.find(code); it != likely_.end()) return it->second;
    const std::string base = code.substr(0, code.find('-'));
    if (const auto it = likely_.find(base); it != likely_.end()) return it->second;
    return likely_.at("default");
}

std::vector<std::string> place_index::zones() const {
    std::vector<std::string> out;
    for (const auto& [name, zone] : places_) out.push_back(zone);
    for (const auto& [lang, buttons] : likely_)
        for (const auto& b : buttons) out.push_back(b.zone);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::optional<std::string> zone_for_offset(int offset_minutes, const zone_catalog& zones, std::int64_t now_ms) {
    if (offset_minutes < -12 * 60 || offset_minutes > 14 * 60) return std::nullopt;
    if (offset_minutes % 60 == 0) {
        const int h = offset_minutes / 60;
        if (h == 0) return std::string("UTC");
        return "Etc/GMT" + std::string(h > 0 ? "-" : "+") + std::to_string(std::abs(h));  // POSIX signs
    }
    // Zones with daylight saving are listed under both of their offsets; the one in force now is taken.
    static const std::multimap<int, std::string> fractional = {
        {-9 * 60 - 30, "Pacific/Marquesas"},   {-3 * 60 - 30, "America/St_Johns"},
        {-2 * 60 - 30, "America/St_Johns"},    {3 * 60 + 30, "Asia/Tehran"},
        {4 * 60 + 30, "Asia/Kabul"},           {5 * 60 + 30, "Asia/Kolkata"},
        {5 * 60 + 45, "Asia/Kathmandu"},       {6 * 60 + 30, "Asia/Yangon"},
        {8 * 60 + 45, "Australia/Eucla"},      {9 * 60 + 30, "Australia/Darwin"},
        {10 * 60 + 30, "Australia/Lord_Howe"}, {10 * 60 + 30, "Australia/Adelaide"},
        {12 * 60 + 45, "Pacific/Chatham"},     {13 * 60 + 45, "Pacific/Chatham"}};
    const auto [from, to] = fractional.equal_range(offset_minutes);
    for (auto it = from; it != to; ++it) {
        const zone_rules* rules = zones.find(it->second);
        if (rules && rules->offset_at(now_ms) == std::chrono::minutes(offset_minutes)) return it->second;
    }
    return std::nullopt;
}

std::optional<zone_answer> read_zone_answer(std::string_view text, const place_index& places, const zone_catalog& zones,
                                            std::int64_t now_ms) {
    if (text.empty() || text.size() > 80) return std::nullopt;
    auto held = [&](std::string name, zone_reading how) -> std::optional<zone_answer> {
        if (!zones.find(name)) return std::nullopt;
        return zone_answer{std::move(name), how};
    };
    // Places first: "EST", "MST" and "CET" are also IANA names, but fixed ones ("EST" is -05:00 all year), and a
    // runner who writes EST means New York's clocks, summer included.
    if (const auto zone = places.zone_of(text)) return held(*zone, zone_reading::place);
    if (const auto name = zones.canonical_name(text)) return held(*name, zone_reading::name);
    // "in London", "I live in new york": the words after the last "in", then each word alone
    const std::string folded = fold_place(text);
    if (const auto in = folded.rfind("in "); in != std::string::npos)
        if (const auto zone = places.zone_of(folded.substr(in + 3))) return held(*zone, zone_reading::place);
    if (const auto offset = utc_offset(text)) {
        if (const auto zone = zone_for_offset(*offset, zones, now_ms)) return held(*zone, zone_reading::offset);
        return std::nullopt;
    }
    const text::tokens t = text::tokenize(text::normalise(text));
    if (const auto local = local_clock(t)) {
        const int utc_minute = static_cast<int>(civil::floor_mod(now_ms, civil::ms_per_day) / civil::ms_per_minute);
        int diff = *local - utc_minute;  // minutes east of UTC, modulo a day
        while (diff < -12 * 60) diff += 24 * 60;
        while (diff > 14 * 60) diff -= 24 * 60;
        const int quarter = static_cast<int>(std::lround(diff / 15.0)) * 15;  // the clock may be a minute or two off
        for (const int candidate : {quarter, static_cast<int>(std::lround(diff / 60.0)) * 60}) {
            if (const auto zone = zone_for_offset(candidate, zones, now_ms))
                return held(*zone, zone_reading::local_time);
        }
    }
    return std::nullopt;
}

namespace {

// The text after as many words as the opening has, as the runner wrote it, without a ':' or '=' before it.
std::string_view as_written_after(std::string_view text, std::string_view opening) {
    for (auto words = std::count(opening.begin(), opening.end(), ' ') + 1; words > 0 && !text.empty(); --words) {
        text.remove_prefix(std::min(text.find_first_not_of(' '), text.size()));
        text.remove_prefix(std::min(text.find(' '), text.size()));
    }
    while (!text.empty() && (text.front() == ' ' || text.front() == ':' || text.front() == '=')) text.remove_prefix(1);
    return text;
}

}  // namespace

// The openings of a message that only says where the runner is. After a zone opening any /timezone answer
// counts ("my time zone is CET", "timezone: utc+2", "my local time is 18:40"); after a place opening only a
// place or zone name does ("I'm in Chicago"), so "I'm in pain" or "I'm in week 3" stay what they were.
std::optional<zone_answer> read_zone_statement(std::string_view text, const place_index& places,
                                               const zone_catalog& zones, std::int64_t now_ms) {
    static constexpr std::string_view zone_openings[] = {
        "set my time zone to",   "set my timezone to", "change my time zone to",
        "change my timezone to", "set time zone to",   "set timezone to",
        "my time zone is",       "my timezone is",     "my time zone's",
        "my timezone's",         "my time zone",       "my timezone",
        "my local time is",      "local time is",      "time zone is",
        "timezone is",           "time zone",          "timezone"};
    static constexpr std::string_view place_openings[] = {"i'm currently in", "i am currently in",
                                                          "im currently in",  "i'm now in",
                                                          "i am now in",      "im now in",
                                                          "i'm based in",     "i am based in",
                                                          "im based in",      "i'm living in",
                                                          "i am living in",   "i'm in",
                                                          "i am in",          "im in",
                                                          "i live in",        "we're in",
                                                          "we are in",        "we live in",
                                                          "we're based in",   "we are based in",
                                                          "i moved to",       "i've moved to",
                                                          "ive moved to",     "based in",
                                                          "moved to",         "just moved to",
                                                          "now living in",    "living in"};
    static constexpr std::string_view trailing[] = {" right now", " at the moment", " these days", " now",
                                                    " currently", " thanks",        " thank you"};
    if (text.size() > 80) return std::nullopt;
    std::string folded = fold_place(text);
    for (const auto tail : trailing)
        if (folded.ends_with(tail)) folded.resize(folded.size() - tail.size());
    auto rest_after = [&](std::string_view opening) -> std::optional<std::string> {
        if (!folded.starts_with(opening) || folded.size() <= opening.size() + 1 || folded[opening.size()] != ' ')
            return std::nullopt;
        return folded.substr(opening.size() + 1);
    };
    auto named = [&](const std::string& folded_rest, std::string_view as_written) -> std::optional<zone_answer> {
        // The rest as written, folded: normalising the whole text reads "time zone = London" as "... total london".
        std::string where = as_written.empty() ? folded_rest : fold_place(as_written);
        for (const auto tail : trailing)
            if (where.ends_with(tail)) where.resize(where.size() - tail.size());
        if (where.starts_with("the ")) where.erase(0, 4);  // "in the uk"
        // Places first, as in read_zone_answer: "EST" is New York's clocks, not IANA's fixed EST.
        if (const auto zone = places.zone_of(where); zone && zones.find(*zone))
            return zone_answer{*zone, zone_reading::place};
        if (const auto name = zones.canonical_name(as_written); name && zones.find(*name))
            return zone_answer{*name, zone_reading::name};
        return std::nullopt;
    };
    for (const auto opening : zone_openings) {
        const auto rest = rest_after(opening);
        if (!rest) continue;
        const std::string_view raw = as_written_after(text, opening);
        if (auto answer = named(*rest, raw)) return answer;
        // Otherwise only a clock or an offset, as the runner wrote it ("utc+2", "8:00am", "it's 18:40 here"):
        // /timezone's reader finds a clock anywhere in its text, and "my timezone is wrong, pinged at 5am" or
        // "timezone question: why did a ping come at 7pm" is a complaint, not an answer.
        const bool clock_first =
            !raw.empty() && ((raw.front() >= '0' && raw.front() <= '9') || raw.front() == '+' || raw.front() == '-' ||
                             rest->starts_with("utc") || rest->starts_with("gmt") || rest->starts_with("it's ") ||
                             rest->starts_with("its "));
        if (!clock_first || std::count(rest->begin(), rest->end(), ' ') > 3) return std::nullopt;
        return read_zone_answer(raw, places, zones, now_ms);
    }
    for (const auto opening : place_openings) {
        const auto rest = rest_after(opening);
        if (!rest) continue;
        return named(*rest, as_written_after(text, opening));
    }
    return std::nullopt;
}

}  // namespace rb
