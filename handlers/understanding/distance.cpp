// Finding the finished run in a message: distance candidates (numbers with units, number words, named
// races, "mile 20", bare numbers after a run verb) in the clauses that are not questions, not about the
// future and not negated; then dropping those that belong to another sport, and summing parts ("3 mile
// warm up, 5k race, 2 mile cool down") or picking the one distance the runner means. The kind, time and
// timing of the run are read in run_details.cpp. Every word list is in templates/words/runs.json.
#include <algorithm>
#include <cmath>

#include "handlers/understanding/message_text.hpp"

namespace rb::text {
namespace {

constexpr double km_per_mile = 1.609344;

const unit_word* unit_at(const reading& r, std::size_t i, std::size_t end) {
    if (i >= end || r.t[i].kind != token_kind::word) return nullptr;
    for (const auto& u : r.w.units)
        if (r.t[i].text == u.word) return &u;
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
    std::size_t begin = 0, end = 0;  // tokens of the distance as written
    std::size_t clause_begin = 0;
    bool joined = false;        // follows "plus", "+", "then another": a part of a sum
    bool labelled = false;      // named as a part ("6k in, 6k home", "2 mi cd"): never a restatement
    bool inherit_unit = false;  // "plus 3 solo": in the unit of the part before it
};

struct scan {
    const reading& r;
    const clause& c;
    distance_unit bare_unit;
    std::vector<candidate>& out;

    void add(double km, distance_unit unit, source from, bool explicit_unit, std::size_t begin, std::size_t end) {
        out.push_back({km, unit, from, explicit_unit, c.end - c.begin, begin, end, c.begin, false, false, false});
    }
};

// "6", "6 and a half", "6 and a half" starting at the number i: the amount and the token after it.
std::pair<double, std::size_t> read_amount(const reading& r, std::size_t i, std::size_t end) {
    double v = r.t[i].value;
    std::size_t next = i + 1;
    if (const std::size_t half = longest_at(r.t, next, end, r.w.half_words); half > 0) {
        v += 0.5;
        next += half;
    } else if (const std::size_t quarter = longest_at(r.t, next, end, r.w.quarter_words); quarter > 0) {
        v += 0.25;
        next += quarter;
    }
    return {v, next};
}

// "a mile and a half": half a unit more after the unit word.
double and_a_half_after(const reading& r, std::size_t i, std::size_t end, std::size_t& next) {
    const std::size_t half = longest_at(r.t, i, end, r.w.half_words);
    next = i + half;
    return half > 0 ? 0.5 : 0.0;
}

// "ran 8 today", "did about 12", "8 done": a number with no unit, written in tokens [i, after), counts
// only right after a run verb (across a few filler words) or right before a done word.
bool bare_context(const reading& r, std::size_t i, std::size_t after, const clause& c) {
    const tokens& t = r.t;
    // "19 miles with the last 3 at goal pace": a stretch of a run already counted, not a distance of its own
    if (any_before(t, c.begin, i, r.w.within_words)) return false;
    if (t[after - 1].glued && after < c.end && t[after].kind == token_kind::word) return false;  // "6am", "3x"
    if (after < c.end && (any_at(t, after, c.end, r.w.bare_blockers_after) || is_punct(t, after, '/'))) return false;
    // "squeezed in 4", "got in 6": a run verb that ends in a blocker word still introduces the number;
    // "long run: 17 done" has a colon before it
    const bool verb_before = any_before(t, c.begin, i, r.w.run_verbs);
    const bool colon = i > c.begin && is_punct(t, i - 1, ':');
    if (i > c.begin && !verb_before && !colon &&
        (any_at(t, i - 1, i, r.w.bare_blockers_before) || t[i - 1].kind != token_kind::word))
        return false;
    if (verb_before) return true;
    // "shakeout 3", "easy 6", "tempo 8", "lr 16": the kind of run said just before the number
    if (i > c.begin && (any_before(t, c.begin, i, r.w.easy_words) || any_before(t, c.begin, i, r.w.tempo_words) ||
                        any_before(t, c.begin, i, r.w.long_words)))
        return true;
    if (after < c.end && any_at(t, after, c.end, r.w.done_after)) return true;
    if (after == c.end && i > c.begin && any_before(t, c.begin, i, r.w.run_verbs)) return true;
    // "16 w/ 10 @ MP": runner's shorthand, a number opening the message with running words after it
    if (i == 0 && has_any(t, after, t.size(), r.w.run_context) && !any_at(t, after, c.end, r.w.bare_blockers_after))
        return true;
    std::size_t k = i;
    for (int steps = 0; k > c.begin && steps < 4; ++steps) {
        --k;
        if (any_at(t, k, c.end, r.w.run_verbs)) return true;
        if (!any_at(t, k, k + 1, r.w.fillers)) return false;
    }
    return false;
}

// "plus 3 solo", "+ 2 more", "and another 2": a bare number joined to a distance before it.
bool joined_bare(const reading& r, std::size_t i, std::size_t after, const clause& c) {
    const tokens& t = r.t;
    if (any_before(t, 0, i, r.w.within_words)) return false;  // "with the last 3": already counted
    if (i == 0 || !any_before(t, 0, i, r.w.sum_joiners)) return false;
    // "6x800 with 400 jog", "with 200 recoveries": the easy running between repeats, inside the session
    const std::string_view between_repeats[] = {"jog", "jogs",  "recovery", "recoveries",
                                                "rec", "float", "floats",   "rest"};
    if (is_word(t, i - 1, "with") && any_at(t, after, c.end, between_repeats)) return false;
    if (after < c.end && t[after].kind == token_kind::word && !any_at(t, after, c.end, r.w.part_words) &&
        !any_at(t, after, c.end, r.w.done_after) && !is_word(t, after, "with"))
        return false;  // "and 2 gels"; "another 3 with my wife" is more running
    return true;
}

// "10 x 400m", "6x800", "400m repeats x 10": how many times the distance was run (1 when not repeated).
double repetitions(const reading& r, std::size_t number, std::size_t after_unit, const clause& c) {
    const tokens& t = r.t;
    auto count_ok = [](double n) { return n >= 2 && n <= 50 && n == std::floor(n); };
    if (number >= c.begin + 2 && is_word(t, number - 1, "x") && t[number - 2].kind == token_kind::number &&
        count_ok(t[number - 2].value))
        return t[number - 2].value;
    std::size_t k = after_unit;
    // "two laps of the 5k loop", "3 loops of a 2 mile route"
    std::size_t k0 = number;
    const std::string_view articles[] = {"the", "a", "my", "our"};
    while (k0 > c.begin && any_at(t, k0 - 1, k0, articles)) --k0;
    const std::string_view laps[] = {"lap", "laps", "loop", "loops", "times", "circuits", "rounds"};
    if (k0 >= c.begin + 3 && is_word(t, k0 - 1, "of") && any_at(t, k0 - 2, k0 - 1, laps)) {
        std::size_t after = 0;
        const auto n = t[k0 - 3].kind == token_kind::number ? std::optional<double>(t[k0 - 3].value)
                                                            : read_number_words(t, k0 - 3, k0 - 2, after);
        if (n && count_ok(*n)) return *n;
    }
    // "ran 10k twice today", "5 miles each way": the same distance run twice
    // ("there and back" describes the route: the number is the whole of it). Not "twice a week", "twice as fast".
    const std::string_view twice[] = {"twice", "each way", "both ways"};
    const std::string_view not_twice_after[] = {"a", "as", "this", "per", "last", "every", "weekly", "that"};
    if (any_at(t, after_unit, c.end, twice) && !any_at(t, after_unit + 1, c.end, not_twice_after)) return 2;
    const std::string_view repeat_words[] = {"rep*", "interval*", "repeat*"};
    while (k < c.end && k < after_unit + 2 && any_at(t, k, k + 1, repeat_words)) ++k;
    if (is_word(t, k, "x") && k + 1 < c.end && t[k + 1].kind == token_kind::number && count_ok(t[k + 1].value))
        return t[k + 1].value;
    return 1;
}

bool race_number(scan& s, double v, std::size_t begin, std::size_t end);

// "stitch at mile 3 of 10", "hit the wall at mile 20 of the marathon", "cramped at 30k of a marathon": where it
// happened in a run that went on to its end (10 miles, the marathon), which is added; a runner who stopped there
// ran only to the marker, and 0 is returned (nothing added). of: the token that may be "of".
std::size_t whole_run_after_of(scan& s, double marker, const unit_word& u, std::size_t begin, std::size_t of) {
    const reading& r = s.r;
    if (!is_word(r.t, of, "of") || stopped_early(r)) return 0;
    std::size_t k = of + 1;
    if (k < s.c.end && r.t[k].kind == token_kind::number) {
        // "at mile 3 of 10k": the whole run's own unit when it has one, else the marker's
        const unit_word* own = unit_at(r, k + 1, s.c.end);
        const unit_word& whole = own != nullptr && own->km_each >= 1 ? *own : u;
        const double km = r.t[k].value * whole.km_each;
        if (km <= marker * u.km_each) return 0;
        const std::size_t end = own != nullptr ? k + 2 : k + 1;
        if (race_number(s, r.t[k].value, begin, end))
            s.out.back().clause_size = 0;  // run, not planned: the marker says how far into it the runner was
        else
            s.add(km, whole.unit, source::numeric, true, begin, end);
        return end;
    }
    const std::string_view articles[] = {"the", "a", "my", "this", "that"};
    while (k < s.c.end && any_at(r.t, k, k + 1, articles)) ++k;
    for (const auto& n : r.w.distances) {
        const std::size_t len = match_at(r.t, k, s.c.end, n.phrase);
        if (len == 0) continue;
        s.add(n.km, distance_unit::km, n.exact ? source::named : source::guessed, true, begin, k + len);
        s.out.back().clause_size = 0;  // run, not planned: the marker says how far into it the runner was
        return k + len;
    }
    return 0;
}

// A number followed by a unit. Returns the tokens used, or 0 when no unit follows (then it may be a bare
// number); a pace ("10 km/h"), a climb ("300m elevation") or a count ("10k steps") is used and dropped.
std::size_t numeric_candidate(scan& s, std::size_t i) {
    const reading& r = s.r;
    const clause& c = s.c;
    auto [value, at_unit] = read_amount(r, i, c.end);
    const unit_word* u = unit_at(r, at_unit, c.end);
    if (u == nullptr) return 0;
    std::size_t next = at_unit + 1;
    value += and_a_half_after(r, next, c.end, next);
    const std::size_t used = next - i;
    const bool metres = u->km_each < 1;
    if (metres && !m_is_metres(r.t, i, value)) return used;  // "45m": minutes, not metres
    // "14.2 mi per Strava" is the watch's reading, not a pace
    const bool device = is_word(r.t, next, "per") && any_at(r.t, next + 1, c.end, r.w.device_words);
    const bool each_way = is_word(r.t, next, "each") && is_word(r.t, next + 1, "way");  // run there and back
    if ((any_at(r.t, next, c.end, r.w.not_a_run_after) && !device && !each_way) || is_punct(r.t, next, '/'))
        return used;
    const bool per = i > c.begin && is_punct(r.t, i - 1, '/') && i >= 2 && r.t[i - 2].kind != token_kind::word &&
                     r.t[i - 2].glued;  // "8:00/1 mile": a pace's denominator
    if (per || (i > c.begin && is_word(r.t, i - 1, "per"))) return used;
    const std::string_view marker_words[] = {"at", "around", "by", "until", "till", "past", "near"};
    if (i > c.begin && any_at(r.t, i - 1, i, marker_words))
        if (const std::size_t end = whole_run_after_of(s, value, *u, i, next)) return end - i;
    s.add(value * u->km_each * repetitions(r, i, at_unit + 1, c), u->unit, source::numeric, true, i, next);
    return used;
}

// 26.2 and 13.1 are not just numbers to a runner: they are the marathon and the half, in miles; 42.2 and
// 21.1 the same in kilometres.
bool race_number(scan& s, double v, std::size_t begin, std::size_t end) {
    const double in_tenths = std::round(v * 10);
    if (std::abs(v * 10 - in_tenths) > 1e-6 && v != 42.195 && v != 21.0975) return false;
    if (in_tenths == 262 || in_tenths == 131) {
        s.add(in_tenths == 262 ? 42.195 : 21.0975, distance_unit::mi, source::named, true, begin, end);
        return true;
    }
    if (in_tenths == 422 || in_tenths == 211) {
        s.add(in_tenths == 422 ? 42.195 : 21.0975, distance_unit::km, source::named, true, begin, end);
        return true;
    }
    return false;
}

// A backyard ultra's lap: 4 1/6 miles (6.7056 km), so 24 of them make 100 miles.
constexpr double backyard_yard_km = 100 * km_per_mile / 24;
constexpr std::string_view backyard[] = {"backyard ultra",    "back yard ultra",      "backyard race",
                                         "backyard marathon", "last person standing", "last one standing"};

void bare_candidate(scan& s, std::size_t i) {
    const reading& r = s.r;
    const clause& c = s.c;
    const auto [v, after] = read_amount(r, i, c.end);
    // "backyard ultra, 18 yards": a backyard ultra's lap (a "yard") is 4 1/6 miles, run once an hour
    const std::string_view laps[] = {"yard", "yards", "yds", "laps", "loops"};
    if (has_any(r.t, 0, r.t.size(), backyard) && any_at(r.t, after, c.end, laps) && v >= 1 && v <= 200) {
        s.add(v * backyard_yard_km, distance_unit::mi, source::numeric, true, i, after + 1);
        return;
    }
    const bool blocked = i > c.begin && any_at(r.t, i - 1, i, r.w.bare_blockers_before) && !is_word(r.t, i - 1, "at");
    // "stopped at 15", "got to 18": how far a runner got
    if (i >= 2 && (is_word(r.t, i - 1, "at") || is_word(r.t, i - 1, "to") || is_word(r.t, i - 1, "after")) &&
        (any_before(r.t, c.begin, i, r.w.stopped_early) || any_before(r.t, c.begin, i - 1, r.w.stopped_early) ||
         any_before(r.t, c.begin, i - 1, r.w.reached_words)) &&
        (after == c.end || !any_at(r.t, after, c.end, r.w.bare_blockers_after))) {
        s.add(s.bare_unit == distance_unit::mi ? v * km_per_mile : v, s.bare_unit, source::bare, false, i, after);
        return;
    }
    if (!blocked && (after == c.end || !any_at(r.t, after, c.end, r.w.bare_blockers_after)) &&
        !(after < c.end && r.t[after - 1].glued && r.t[after].kind == token_kind::word) && race_number(s, v, i, after))
        return;
    // "6x800", "intervals 8 x 400": track repeats, in metres. A number after "x" never has a run verb right before
    // it, so the session's own words say it was run: a run verb, a done word, interval or track words, or the
    // session standing alone or among its parts ("6 X 800", "2 mile wu, 6x800, 2 mile cd"): a whole hundred of
    // metres, as track repeats are.
    if (i >= c.begin + 2 && is_word(r.t, i - 1, "x") && r.t[i - 2].kind == token_kind::number && v >= 100 &&
        v <= 3000) {
        static constexpr std::string_view track[] = {"track", "on the track", "at the track", "repeats", "reps"};
        // ... and nothing after it that makes it another count ("3 x 100 pushups", "2 x 500 calories", "10x100 free")
        const std::string_view session_after[] = {"with", "w", "at", "off", "on", "in", "done", "today", "reps"};
        const bool track_distance =
            std::fmod(v, 100) == 0 && r.t[i - 2].value >= 2 && r.t[i - 2].value <= 50 &&
            (after >= c.end || r.t[after].kind == token_kind::punct || any_at(r.t, after, c.end, session_after));
        // "then 5 x 100 pushups": a count of something else, whatever the clause says
        const std::string_view repeat_like[] = {"rep*", "repeat*", "interval*", "x"};
        const bool counted = after < c.end && any_at(r.t, after, c.end, r.w.bare_blockers_after) &&
                             !any_at(r.t, after, c.end, repeat_like);
        if (!counted &&
            (has_any(r.t, c.begin, c.end, r.w.run_verbs) || has_any(r.t, c.begin, c.end, r.w.completion_words) ||
             has_any(r.t, 0, r.t.size(), r.w.interval_words) || has_any(r.t, c.begin, c.end, track) || track_distance))
            s.add(v / 1000 * std::clamp(r.t[i - 2].value, 1.0, 50.0), distance_unit::km, source::numeric, true, i,
                  after);
        return;
    }
    if (bare_context(r, i, after, c)) {
        const double km = s.bare_unit == distance_unit::mi ? v * km_per_mile : v;
        s.add(km, s.bare_unit, source::bare, false, i, after);
    } else if (joined_bare(r, i, after, c)) {
        s.add(v, s.bare_unit, source::bare, false, i, after);
        s.out.back().joined = s.out.back().inherit_unit = true;
    }
}

// Named races; "half" alone only with the article-free reading ("did the half", "half done").
std::size_t named_candidate(scan& s, std::size_t i) {
    const reading& r = s.r;
    // "an hour and a half", "the second half": not the race
    const std::string_view not_before_half[] = {"and",        "and a", "first", "the first", "second",
                                                "the second", "other", "back",  "by"};
    const bool half_alone = is_word(r.t, i, "half") && !is_word(r.t, i + 1, "marathon");
    if (half_alone && i > 0 && any_before(r.t, 0, i, not_before_half)) return 1;
    for (const auto& n : r.w.distances) {
        const std::size_t len = match_at(r.t, i, s.c.end, n.phrase);
        if (len == 0) continue;
        if (any_at(r.t, i + len, s.c.end, r.w.not_the_race_after)) return len;
        s.add(n.km, distance_unit::km, n.exact ? source::named : source::guessed, true, i, i + len);
        return len;
    }
    return 0;
}

// "at mile 20", "made it to km 30": the unit before the number, as runners count a race's markers.
std::size_t marker_candidate(scan& s, std::size_t i) {
    const reading& r = s.r;
    const unit_word* u = unit_at(r, i, s.c.end);
    if (u == nullptr || u->km_each < 1 || i + 1 >= s.c.end || r.t[i + 1].kind != token_kind::number) return 0;
    const std::string_view before[] = {"at", "to", "past", "by", "around", "until", "till", "after", "near", "before"};
    if (i == s.c.begin || !any_at(r.t, i - 1, i, before)) return 0;
    if (unit_at(r, i + 2, s.c.end) != nullptr) return 0;  // "at mile 20 km"? leave it to the number
    if (const std::size_t end = whole_run_after_of(s, r.t[i + 1].value, *u, i, i + 2)) return end - i;

    s.add(r.t[i + 1].value * u->km_each, u->unit, source::numeric, true, i, i + 2);
    return 2;
}

// "fifteen miles", "a mile", "half a mile", "six and a half miles", "twenty-six point two".
std::size_t word_number_candidate(scan& s, std::size_t i) {
    const reading& r = s.r;
    const clause& c = s.c;
    std::size_t next = i;
    std::optional<double> v = read_number_words(r.t, i, c.end, next);
    const bool spelled = v.has_value();
    if (!v && (is_word(r.t, i, "a") || is_word(r.t, i, "an"))) v = 1.0, next = i + 1;
    if (!v && is_word(r.t, i, "half")) {
        v = 0.5;
        next = (is_word(r.t, i + 1, "a") || is_word(r.t, i + 1, "an")) ? i + 2 : i + 1;
    }
    if (!v) return 0;
    if (const std::size_t half = longest_at(r.t, next, c.end, r.w.half_words); half > 0 && spelled) {
        *v += 0.5;
        next += half;
    }
    if (const unit_word* u = unit_at(r, next, c.end); u != nullptr && u->km_each >= 1) {
        std::size_t after = next + 1;
        *v += and_a_half_after(r, after, c.end, after);
        if (any_at(r.t, after, c.end, r.w.not_a_run_after)) return after - i;
        s.add(*v * u->km_each, u->unit, source::numeric, true, i, after);
        return after - i;
    }
    if (!spelled) return 0;  // "a", "half" with no unit after them: maybe "a half marathon"
    if (race_number(s, *v, i, next)) return next - i;
    // "ran eight today": the same rule as for a bare "8".
    if (*v >= 2 && bare_context(r, i, next, c)) {
        const double km = s.bare_unit == distance_unit::mi ? *v * km_per_mile : *v;
        s.add(km, s.bare_unit, source::bare, false, i, next);
    }
    return next - i;
}

// "11 of the planned 16 miles", "did 18 of 20": the part done, in the unit of the whole.
std::size_t part_of_candidate(scan& s, std::size_t i) {
    const reading& r = s.r;
    if (!is_word(r.t, i + 1, "of")) return 0;
    // "lap 12 of 20", "rep 4 of 6": a count of laps or repeats, not miles
    const std::string_view counted[] = {"lap",      "rep",    "set",   "round", "loop",
                                        "interval", "repeat", "stage", "week",  "day"};
    if (i > s.c.begin && any_at(r.t, i - 1, i, counted)) return 0;
    std::size_t k = i + 2;
    const std::string_view skip[] = {"the",      "my",     "a",     "planned",  "scheduled",
                                     "intended", "target", "hoped", "hoped for"};
    while (k < s.c.end && k < i + 5 && any_at(r.t, k, k + 1, skip)) ++k;
    if (k >= s.c.end || r.t[k].kind != token_kind::number || r.t[k].value <= r.t[i].value) return 0;
    const unit_word* u = unit_at(r, k + 1, s.c.end);
    const distance_unit unit = u ? u->unit : s.bare_unit;
    const double each = u ? u->km_each : (unit == distance_unit::mi ? km_per_mile : 1.0);
    if (each < 1) return 0;
    s.add(r.t[i].value * each, unit, u ? source::numeric : source::bare, u != nullptr, i, i + 1);
    return k + (u ? 2 : 1) - i;
}

void scan_clause(scan& s) {
    for (std::size_t i = s.c.begin; i < s.c.end; ++i) {
        const token& k = s.r.t[i];
        std::size_t used = 0;
        const bool in_a_word = i > 0 && s.r.t[i - 1].kind == token_kind::word && s.r.t[i - 1].glued &&
                               s.r.t[i - 1].text.size() <= 2 && s.r.t[i - 1].text != "x";  // "c25k", "z2"
        if (k.kind == token_kind::number && in_a_word) {
            while (i + 1 < s.c.end && s.r.t[i].glued) ++i;
            continue;
        }
        if (k.kind == token_kind::number) {
            used = part_of_candidate(s, i);
            if (used == 0) used = numeric_candidate(s, i);
            if (used == 0) bare_candidate(s, i);
        } else if (k.kind == token_kind::word) {
            used = marker_candidate(s, i);
            if (used == 0) used = word_number_candidate(s, i);
            if (used == 0) used = named_candidate(s, i);
        }
        i += used > 0 ? used - 1 : 0;
    }
}

bool same_distance(const candidate& a, const candidate& b) {
    return std::abs(a.km - b.km) <= 0.03 * std::max(a.km, b.km);
}

// Marks the candidates that are parts of a sum: a joiner ("plus", "then", "and another") right before
// one, or a part word ("warm up", "cool down", "solo") right before or after one.
bool mark_parts(const reading& r, std::vector<candidate>& found) {
    bool any = false;
    for (std::size_t k = 0; k < found.size(); ++k) {
        candidate& c = found[k];
        const std::size_t from = k == 0 ? c.clause_begin : std::max(found[k - 1].end, c.clause_begin);
        const bool joiner = k > 0 && (any_before(r.t, from, c.begin, r.w.sum_joiners) ||
                                      (c.begin >= 1 && any_before(r.t, from, c.begin - 1, r.w.sum_joiners)));
        const bool labelled = any_at(r.t, c.end, r.t.size(), r.w.part_words) ||
                              (c.begin > 0 && any_before(r.t, from, c.begin, r.w.part_words));
        c.joined = c.joined || joiner;
        c.labelled = labelled;
        any = any || c.joined || (labelled && found.size() > 1);
    }
    return any;
}

// "16km with 4x2km @ HMP": a smaller distance after "with" that no part word labels is a stretch of the run
// before it, not more running ("5k race with a 2k warm up" is more: its part word says so).
void drop_inner_stretches(const reading& r, std::vector<candidate>& found) {
    const std::string_view inside[] = {"with", "incl", "including", "w"};
    for (std::size_t k = found.size(); k-- > 1;) {
        const candidate& c = found[k];
        const std::size_t from = std::max(found[k - 1].end, c.clause_begin);
        const bool after_with =
            any_before(r.t, from, c.begin, inside) || (c.begin > from && any_before(r.t, from, c.begin - 1, inside));
        if (after_with && !c.labelled && c.km < found[k - 1].km) found.erase(found.begin() + static_cast<long>(k));
    }
}

// A sum over parts: restated distances ("10k (6.2 miles)") count once unless a joiner says "another".
run_report sum_of(std::vector<candidate> found) {
    run_report out;
    out.distance_km = 0;
    out.parts = 0;
    out.unit = found.front().unit;
    out.unit_explicit = false;
    for (std::size_t k = 0; k < found.size(); ++k) {
        candidate& c = found[k];
        if (c.inherit_unit && k > 0) {
            c.unit = found[k - 1].unit;
            c.km = c.unit == distance_unit::mi ? c.km * km_per_mile : c.km;
        }
        const bool adjacent = k > 0 && found[k - 1].end == c.begin;  // "5k parkrun": one distance said twice
        if (k > 0 && same_distance(c, found[k - 1]) &&
            (adjacent || (!c.joined && !c.labelled && !found[k - 1].labelled)))
            continue;
        out.distance_km += c.km;
        out.unit_explicit = out.unit_explicit || c.unit_explicit || c.inherit_unit;
        ++out.parts;
    }
    return out;
}

// One distance: the most trusted source wins; among equals the longest (a warm-up 5k beside a half);
// "half marathon done, 13.1 miles": the runner's own number (and unit) over the race's exact distance.
run_report pick_one(const std::vector<candidate>& found) {
    auto tier = [](const candidate& c) { return c.from == source::named ? source::numeric : c.from; };
    const auto best = std::min_element(found.begin(), found.end(), [&](const candidate& a, const candidate& b) {
        return tier(a) != tier(b) ? tier(a) < tier(b) : a.km > b.km;
    });
    const auto own = std::find_if(found.begin(), found.end(), [&](const candidate& c) {
        return c.from == source::numeric && same_distance(c, *best);
    });
    const candidate& pick = own != found.end() ? *own : *best;
    run_report r;
    r.distance_km = pick.km;
    r.unit = pick.unit;
    r.unit_explicit = pick.unit_explicit;
    r.named = best->from == source::named || best->from == source::guessed;
    return r;
}

// "prosecco after the marathon, yes or no", "the day after my 10k, run or rest?": a run named as the time
// of what the runner asks about, not reported. "stopped after 3 miles" is a report (a stop word before the
// "after"), and so is a statement ("cracked open a beer after my 10k").
// A question, a request, soreness or a meal wanted: the message is about that, not about a new run.
bool asks_something(const reading& r) {
    for (const clause& c : r.clauses)
        if (c.question || has_any(r.t, c.begin, c.end, r.w.statement_askers) || says_sore(r, c.begin, c.end))
            return true;
    return asks_for_meal(r, find_filters(r));
}

// "ibuprofen after a marathon", "breakfast before the half": a short message naming a recovery topic and a race
// by name (not by a number), with no run verb, past verb, done word or time, no soreness and no "that" race of the
// runner's own, is the topic's setting, asked without a question mark. "i'm dying for a beer after that half" and
// "bit of a headache after the marathon" (too long: 7 words) stay reports.
bool topic_about_a_race(const reading& r, const candidate& k) {
    constexpr std::size_t short_message = 6;
    if ((k.from != source::named && k.from != source::guessed) || r.t.size() > short_message) return false;
    const std::string_view own[] = {"my", "that", "this", "today's", "todays", "our"};
    if (k.begin > 0 && any_at(r.t, k.begin - 1, k.begin, own)) return false;
    if (says_completed(r) || has_any(r.t, 0, r.t.size(), r.w.past_verbs) ||
        has_any(r.t, 0, r.t.size(), r.w.run_verbs) || says_sore(r, 0, r.t.size()))
        return false;
    return !find_topic(r, 0, r.t.size(), topic_rows::strong).empty();
}

bool context_only(const reading& r, const candidate& k) {
    // "cracked open a beer after my 10k" reports the 10k
    if (!asks_something(r) && !topic_about_a_race(r, k)) return false;
    std::size_t i = k.begin;
    const std::string_view skip[] = {"the",        "a",      "my",    "an",    "today's", "todays",   "yesterday's",
                                     "yesterdays", "hot",    "hard",  "tough", "easy",    "cold",     "wet",
                                     "hilly",      "rainy",  "windy", "slow",  "fast",    "sunday's", "saturday's",
                                     "this",       "that",   "last",  "our",   "your",    "his",      "her",
                                     "first",      "second", "1st",   "big",   "long",    "recent"};
    while (i > 0 && any_at(r.t, i - 1, i, skip)) --i;
    if (i == 0 || !any_at(r.t, i - 1, i, r.w.context_words)) return false;
    return !(any_before(r.t, 0, i - 1, r.w.stopped_early) || any_before(r.t, 0, i - 1, r.w.reached_words) ||
             any_before(r.t, 0, i - 1, r.w.run_verbs) || any_before(r.t, 0, i, r.w.report_words) ||
             any_before(r.t, 0, i, r.w.stopped_early));  // "just back from 10 miles", "stopped after 3 miles"
}

// "watched the marathon", "volunteered at parkrun then ran 10 miles" (the 10 miles were run): a spectator word
// before the distance with no run verb between them. Not when the runner is the one watched ("watched me finish",
// "cheered on by the crowd"), says it was a run ("watched the sunrise on a 10 mile run") or that it is done.
bool watched(const reading& r, const clause& c, const candidate& k) {
    const std::string_view a_run[] = {"run", "jog", "my run", "long run"};
    if (has_any(r.t, 0, r.t.size(), a_run) || has_any(r.t, 0, r.t.size(), r.w.report_words)) return false;
    const std::string_view watched_runner[] = {"me", "us", "on by", "by", "my run", "on me"};
    for (std::size_t i = k.begin; i-- > c.begin;) {
        const std::size_t n = longest_at(r.t, i, k.begin, r.w.spectator_words);
        if (n == 0) continue;
        return !any_at(r.t, i + n, k.begin, watched_runner) && !has_any(r.t, i, k.begin, r.w.run_verbs);
    }
    return false;
}

std::vector<candidate> collect(const reading& r, distance_unit bare_unit) {
    std::vector<candidate> found;
    for (const clause& whole : r.clauses) {
        if (whole.question || !reports_done(r, whole)) continue;
        const clause c{whole.begin, own_words_end(r, whole), whole.question};
        scan s{r, c, bare_unit, found};
        const std::size_t before = found.size();
        scan_clause(s);
        // Distances attached to another sport ("cycled 40 km", "a 40 km bike ride") are not a run, nor are those
        // a spectator names ("watched the marathon", "cheered at mile 20").
        std::erase_if(found, [&](const candidate& k) {
            return &k >= found.data() + before &&
                   (sport_of(r, c, k.begin, k.end) != nullptr || context_only(r, k) || watched(r, c, k));
        });
    }
    // A time given with a race ("half in 1h42") says it was run, as a done word would.
    const bool completed = says_completed(r) || has_any(r.t, 0, r.t.size(), r.w.part_words) || find_duration(r, 21);
    std::erase_if(found, [&](const candidate& c) {
        return (c.from == source::named || c.from == source::guessed) && !completed && c.clause_size > 3;
    });
    // "plus 3 solo" only adds to a distance written before it.
    if (!found.empty() && found.front().inherit_unit) found.erase(found.begin());
    return found;
}

// "12 miles total: 2 wu, 8 @ MP, 2 cd": the distance the runner calls the total.
const candidate* stated_total(const reading& r, const std::vector<candidate>& found) {
    const std::string_view total[] = {"total", "in total", "total of", "overall", "altogether", "all together"};
    for (const candidate& c : found)
        if (any_at(r.t, c.end, r.t.size(), total) || (c.begin > 0 && any_before(r.t, 0, c.begin, total))) return &c;
    return nullptr;
}

}  // namespace

std::optional<run_report> find_run(const reading& r, std::optional<distance_unit> chat_unit) {
    if (someone_elses_run(r)) return std::nullopt;
    std::vector<candidate> found = collect(r, chat_unit.value_or(distance_unit::mi));
    const bool any_race = std::any_of(found.begin(), found.end(), [](const candidate& c) {
        return c.from == source::named || c.from == source::guessed;
    });
    if (const candidate* total = stated_total(r, found)) found = {*total};
    const bool early = stopped_early(r);
    // A run stopped early: the distance reached, never the race's full distance ("didn't finish the half"
    // with no distance is a run of unknown length).
    if (early)
        std::erase_if(found, [](const candidate& c) { return c.from == source::named || c.from == source::guessed; });
    // "DNF at the 50k, pulled out at 35k": "the 50k" names the race; the other number is how far they got.
    if (early && found.size() > 1)
        std::erase_if(found, [&](const candidate& c) { return c.begin > 0 && is_word(r.t, c.begin - 1, "the"); });
    const bool stopped_in_a_race = early && any_race && found.empty();
    std::optional<run_report> out;
    if (!found.empty()) {
        const bool parts = mark_parts(r, found);
        drop_inner_stretches(r, found);
        out = parts && found.size() > 1 ? sum_of(found) : pick_one(found);
        out->named = out->named || any_race;  // "finished the half - 21.1k on my watch" is still a race
        out->duration_s = find_duration(r, out->distance_km);
    } else if (const auto seconds = find_time_only_run(r)) {
        out.emplace();
        out->distance_given = false;
        out->unit = chat_unit.value_or(distance_unit::mi);
        out->unit_explicit = false;
        out->duration_s = seconds;
        out->distance_km = *seconds / 360.0;  // about 6 min/km, only to size the plan
    } else if (reported_without_distance(r) || stopped_in_a_race) {
        // "finished 3 hours ago", "just back from my run": a run, its size unknown; planned as a middling one
        out.emplace();
        out->distance_given = false;
        out->unit = chat_unit.value_or(distance_unit::mi);
        out->unit_explicit = false;
        out->distance_km = 10;
    }
    if (!out) return std::nullopt;
    out->stopped_early = early;
    out->named = out->named || any_race;
    out->ended_min_ago = ended_minutes_ago(r);
    out->ended_by_hour = ended_by_local_hour(r);
    classify_run(r, *out);
    return out;
}

}  // namespace rb::text
