// Finding the finished run in a message: distance candidates (numbers with units, number words, named
// races, bare numbers after a run verb) in the clauses that are not questions, not about the future and
// not negated. The kind of run and its duration are read in run_details.cpp.
#include <algorithm>
#include <cmath>

#include "message_text.hpp"

namespace rb::text {
namespace {

constexpr double km_per_mile = 1.609344;

struct unit_word {
    std::string_view word;
    distance_unit unit;
    double km_each;
};
constexpr unit_word unit_words[] = {
    {"km", distance_unit::km, 1},         {"kms", distance_unit::km, 1},          {"k", distance_unit::km, 1},
    {"kilometer", distance_unit::km, 1},  {"kilometers", distance_unit::km, 1},   {"kilometre", distance_unit::km, 1},
    {"kilometres", distance_unit::km, 1}, {"klick", distance_unit::km, 1},        {"klicks", distance_unit::km, 1},
    {"clicks", distance_unit::km, 1},     {"mi", distance_unit::mi, km_per_mile},
    {"mile", distance_unit::mi, km_per_mile},
    {"miles", distance_unit::mi, km_per_mile}, {"miler", distance_unit::mi, km_per_mile},
    {"milers", distance_unit::mi, km_per_mile}, {"mls", distance_unit::mi, km_per_mile},
    {"m", distance_unit::km, 0.001},      {"meter", distance_unit::km, 0.001},    {"meters", distance_unit::km, 0.001},
    {"metre", distance_unit::km, 0.001},  {"metres", distance_unit::km, 0.001},
};

const unit_word* unit_at(const tokens& t, std::size_t i, std::size_t end) {
    if (i >= end || t[i].kind != token_kind::word) return nullptr;
    for (const auto& u : unit_words)
        if (t[i].text == u.word) return &u;
    return nullptr;
}

// In order of trust: a number with a unit or a race's exact distance; a guessed one ("ultra" = 50 km);
// a bare number in the chat's unit.
enum class source { numeric, named, guessed, bare };
struct candidate {
    double km = 0;
    distance_unit unit = distance_unit::km;
    source from = source::numeric;
    bool unit_explicit = true;
    std::size_t clause_size = 0;
};

// After a number with a unit: this is a pace, a speed, a climb, a count or a distance still to go.
constexpr std::string_view not_a_run_after[] = {
    "steps", "step", "calories", "cal", "kcal", "elevation", "climb*", "gain", "vert*", "ascent", "descent",
    "up", "feet", "ft", "followers", "views", "people", "runners", "per", "pace", "away", "to go", "left",
    "remaining", "from", "an hour", "a week", "a month", "a day", "each way", "weekly", "total this"};

// Words that, right before a bare number, make it a time, a count or a place rather than a distance.
constexpr std::string_view bare_blockers_before[] = {
    "in", "at", "for", "x", "by", "with", "on", "since", "than", "from", "to", "until", "till",
    "before", "after", "every", "per", "of", "under", "sub", "top", "number", "no", "bib", "zone"};
// Words that, right after a bare number, make it something other than a distance.
constexpr std::string_view bare_blockers_after[] = {
    "rep*", "time*", "x", "min*", "hour*", "hr*", "h", "sec*", "s", "am", "pm", "kg*", "lb*", "pound*",
    "cal*", "kcal", "bpm", "percent", "degree*", "c", "f", "day*", "week*", "year*", "yr*", "month*",
    "people", "step*", "st", "nd", "rd", "th", "lap*", "set*", "of", "more", "hill*", "sprint*", "stride*",
    "minute*", "kid*", "friend*", "other*", "mates", "dog*", "or", "to", "out", "interval*", "burpee*"};

constexpr std::string_view run_verbs[] = {
    "ran", "run", "jogged", "did", "done", "finished", "completed", "logged", "covered", "clocked", "banked",
    "bagged", "knocked", "smashed", "crushed", "nailed", "managed", "racked", "walked", "raced"};
constexpr std::string_view fillers[] = {
    "a", "an", "the", "another", "about", "around", "roughly", "approx", "approximately", "nearly", "almost",
    "over", "just", "like", "only", "my", "easy", "solid", "quick", "good", "out", "off", "some", "probably",
    "maybe", "exactly", "full", "whole", "nice", "steady", "slow", "hard", "me", "us", "up"};
constexpr std::string_view done_after[] = {"done", "finished", "complete", "completed", "in the books", "down"};

bool word_in(const tokens& t, std::size_t i, std::span<const std::string_view> words) {
    return has_any(t, i, i + 1, words);
}

// "ran 8 today", "did about 12", "8 done": a number with no unit, written in tokens [i, after), counts
// only right after a run verb (across a few filler words) or right before "done".
bool bare_context(const tokens& t, std::size_t i, std::size_t after, const clause& c) {
    if (t[after - 1].glued && after < c.end && t[after].kind == token_kind::word) return false;  // "6am", "3x"
    if (after < c.end && (has_any(t, after, after + 1, bare_blockers_after) || is_punct(t, after, '/'))) return false;
    if (i > c.begin && (word_in(t, i - 1, bare_blockers_before) || t[i - 1].kind != token_kind::word)) return false;
    if (find_any(t, after, c.end, done_after) == after && after < c.end) return true;
    std::size_t k = i;
    for (int steps = 0; k > c.begin && steps < 4; ++steps) {
        --k;
        if (word_in(t, k, run_verbs)) return true;
        if (!word_in(t, k, fillers)) return false;
    }
    return false;
}

constexpr std::string_view repeat_words[] = {"rep*", "interval*", "repeat*"};

// "10 x 400m", "6x800", "400m repeats x 10": how many times the distance was run (1 when not repeated).
double repetitions(const tokens& t, std::size_t number, std::size_t after_unit, const clause& c) {
    auto count_ok = [](double n) { return n >= 2 && n <= 50 && n == std::floor(n); };
    if (number >= c.begin + 2 && is_word(t, number - 1, "x") && t[number - 2].kind == token_kind::number &&
        count_ok(t[number - 2].value))
        return t[number - 2].value;
    std::size_t k = after_unit;
    while (k < c.end && k < after_unit + 2 && has_any(t, k, k + 1, repeat_words)) ++k;
    if (is_word(t, k, "x") && k + 1 < c.end && t[k + 1].kind == token_kind::number && count_ok(t[k + 1].value))
        return t[k + 1].value;
    return 1;
}

// A number followed by a unit. Returns false only when no unit follows (then it may be a bare number);
// a pace ("10 km/h"), a climb ("300m elevation") or a count ("10k steps") is handled and dropped.
bool numeric_candidate(const tokens& t, std::size_t i, const clause& c, std::vector<candidate>& out) {
    const unit_word* u = unit_at(t, i + 1, c.end);
    if (u == nullptr) return false;
    const bool metres = u->km_each < 1;
    if (metres && (t[i].value < 100 || is_word(t, i - 1, "in"))) return true;  // "45m": minutes, not metres
    if (any_at(t, i + 2, c.end, not_a_run_after) || is_punct(t, i + 2, '/')) return true;
    if (i > c.begin && (is_punct(t, i - 1, '/') || is_word(t, i - 1, "per"))) return true;
    const double km = t[i].value * u->km_each * repetitions(t, i, i + 2, c);
    out.push_back({km, u->unit, source::numeric, true, c.end - c.begin});
    return true;
}

void bare_candidate(const tokens& t, std::size_t i, const clause& c, distance_unit def, std::vector<candidate>& out) {
    if (!bare_context(t, i, i + 1, c)) return;
    const double v = t[i].value;
    // 26.2 and 13.1 are not just numbers to a runner: they are the marathon and the half, in miles.
    if (t[i].text == "26.2" || t[i].text == "13.1") {
        out.push_back({v > 20 ? 42.195 : 21.0975, distance_unit::mi, source::named, true, c.end - c.begin});
        return;
    }
    if (i >= c.begin + 2 && is_word(t, i - 1, "x") && t[i - 2].kind == token_kind::number && v >= 100) {
        out.push_back({v / 1000 * std::clamp(t[i - 2].value, 1.0, 50.0), distance_unit::km, source::numeric, true,
                       c.end - c.begin});  // "6x800": metres, repeated
        return;
    }
    out.push_back({def == distance_unit::mi ? v * km_per_mile : v, def, source::bare, false, c.end - c.begin});
}

struct named_distance {
    std::string_view phrase;
    double km;
    bool exact = true;  // false: a typical distance for the name, beaten by any number the runner gives
};
// Longest phrases first, so "half marathon" is never read as "marathon".
constexpr named_distance named_distances[] = {
    {"half marathon", 21.0975}, {"half mara", 21.0975}, {"half mary", 21.0975}, {"halfmarathon", 21.0975},
    {"junior parkrun", 2.0},    {"junior park run", 2.0}, {"ultra marathon", 50.0, false},
    {"ultramarathon", 50.0, false},
    {"full marathon", 42.195},  {"marathon", 42.195},    {"mara", 42.195},        {"parkrun", 5.0},
    {"park run", 5.0},          {"ultra", 50.0, false},  {"half", 21.0975},
};
constexpr std::string_view not_the_race_after[] = {
    "pace", "training", "plan*", "runner*", "season", "block", "prep*", "build", "an", "a", "the", "hour*", "hr*",
    "way", "of", "time", "day", "mile*", "km*", "k", "dozen", "price", "term", "asleep", "dead"};

// Named races; "half" alone only with the article-free reading ("did the half", "half done").
std::size_t named_candidate(const tokens& t, std::size_t i, const clause& c, std::vector<candidate>& out) {
    for (const auto& n : named_distances) {
        const std::size_t len = match_at(t, i, c.end, n.phrase);
        if (len == 0) continue;
        if (any_at(t, i + len, c.end, not_the_race_after)) return len;
        out.push_back({n.km, distance_unit::km, n.exact ? source::named : source::guessed, true, c.end - c.begin});
        return len;
    }
    return 0;
}

// "fifteen miles", "a mile", "half a mile", "twenty-six point two miles".
std::size_t word_number_candidate(const tokens& t, std::size_t i, const clause& c, distance_unit def,
                                  std::vector<candidate>& out) {
    std::size_t next = i;
    std::optional<double> v = read_number_words(t, i, c.end, next);
    const bool spelled = v.has_value();
    if (!v && (is_word(t, i, "a") || is_word(t, i, "an"))) v = 1.0, next = i + 1;
    if (!v && is_word(t, i, "half")) {
        v = 0.5;
        next = (is_word(t, i + 1, "a") || is_word(t, i + 1, "an")) ? i + 2 : i + 1;
    }
    if (!v) return 0;
    if (const unit_word* u = unit_at(t, next, c.end); u != nullptr && u->km_each >= 1) {
        if (any_at(t, next + 1, c.end, not_a_run_after)) return next + 1 - i;
        out.push_back({*v * u->km_each, u->unit, source::numeric, true, c.end - c.begin});
        return next + 1 - i;
    }
    if (!spelled) return 0;  // "a", "half" with no unit after them: maybe "a half marathon"
    // "ran eight today": the same rule as for a bare "8".
    if (*v >= 2 && bare_context(t, i, next, c)) {
        const double km = def == distance_unit::mi ? *v * km_per_mile : *v;
        out.push_back({km, def, source::bare, false, c.end - c.begin});
    }
    return next - i;
}

void scan_clause(const tokens& t, const clause& c, distance_unit def, std::vector<candidate>& out) {
    for (std::size_t i = c.begin; i < c.end; ++i) {
        if (t[i].kind == token_kind::number) {
            if (!numeric_candidate(t, i, c, out)) bare_candidate(t, i, c, def, out);
        } else if (t[i].kind == token_kind::word) {
            const std::size_t used = word_number_candidate(t, i, c, def, out);
            const std::size_t named = used == 0 ? named_candidate(t, i, c, out) : 0;
            i += std::max(used, named) > 0 ? std::max(used, named) - 1 : 0;
        }
    }
}

}  // namespace

std::optional<run_report> find_run(const tokens& t, const std::vector<clause>& clauses, distance_unit def) {
    std::vector<candidate> found;
    for (const clause& c : clauses)
        if (!c.question && reports_done(t, c)) scan_clause(t, c, def, found);
    const bool completed = says_completed(t);
    std::erase_if(found, [&](const candidate& c) {
        return (c.from == source::named || c.from == source::guessed) && !completed && c.clause_size > 3;
    });
    if (found.empty()) return std::nullopt;
    // The most trusted source wins; among equals the longest distance (a warm-up 5k beside a half).
    auto tier = [](const candidate& c) { return c.from == source::named ? source::numeric : c.from; };
    const auto best = std::min_element(found.begin(), found.end(), [&](const candidate& a, const candidate& b) {
        return tier(a) != tier(b) ? tier(a) < tier(b) : a.km > b.km;
    });
    // "half marathon done, 13.1 miles": the runner's own number (and unit) over the race's exact distance.
    const auto own = std::find_if(found.begin(), found.end(), [&](const candidate& c) {
        return c.from == source::numeric && std::abs(c.km - best->km) <= 0.03 * best->km;
    });
    const candidate& pick = own != found.end() ? *own : *best;
    run_report r;
    r.distance_km = pick.km;
    r.unit = pick.unit;
    r.unit_explicit = pick.unit_explicit;
    r.named = best->from == source::named || best->from == source::guessed;
    r.duration_s = find_duration(t, r.distance_km);
    r.kind = classify_run(t, r);
    return r;
}

}  // namespace rb::text
