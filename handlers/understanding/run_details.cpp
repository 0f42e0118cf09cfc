// Reading around a distance: whether a clause says the run is done (not planned, not negated, not a habit),
// whether the message says something was completed, how long the run took (or, for "ran 70 min steady",
// that the time is all there is), whether it stopped early, when it ended, and what kind of run it was.
// Clause-local on purpose: "ran 10k, resting tomorrow" is a report; "10k tomorrow" is not.
#include <algorithm>
#include <cmath>

#include "handlers/understanding/message_text.hpp"

namespace rb::text {
namespace {

bool negated(const reading& r, const clause& c) {
    const tokens& t = r.t;
    for (std::size_t i = c.begin; i < c.end; ++i) {
        if (const std::size_t skip = longest_at(t, i, c.end, r.w.negation_exceptions); skip > 0) {
            i += skip - 1;  // "can't believe", "did not finish": read past the whole phrase
            continue;
        }
        if (any_at(t, i, c.end, r.w.negations)) return true;
        const bool number_next = i + 1 < c.end && t[i + 1].kind == token_kind::number;  // "15 miles not 10"
        if (is_word(t, i, "not") && !number_next && !any_at(t, i + 1, c.end, r.w.not_exceptions)) return true;
        if (is_word(t, i, "too") && is_word(t, i + 2, "to") && i + 2 < c.end) return true;  // "too tired to"
        if (is_word(t, i, "no") && (number_next || any_at(t, i + 1, c.end, r.w.run_nouns))) return true;  // "no 10k"
    }
    return false;
}

// "3 slow miles with my neighbour who is training for her first 5k": the plans and habits in a "who" clause
// are someone else's, so only the words before it say when and how the run was.
}  // namespace

std::size_t own_words_end(const reading& r, const clause& c) {
    const std::string_view relative[] = {"who", "whose", "who's"};
    return find_any(r.t, c.begin, c.end, relative);
}

namespace {

// Future words right after "before" date something else: "shakeout 3 before tomorrow's race" was run today.
bool said_of_the_run(const reading& r, const clause& c, std::size_t end, std::span<const std::string_view> words) {
    const std::string_view dating[] = {"before", "ahead of", "for"};
    for (std::size_t i = c.begin; i < end; ++i) {
        const std::size_t len = longest_at(r.t, i, end, words);
        if (len == 0) continue;
        if (!(any_before(r.t, c.begin, i, dating) || (i > c.begin && any_before(r.t, c.begin, i - 1, dating))))
            return true;
        i += len - 1;
    }
    return false;
}

bool future(const reading& r, const clause& c) {
    const std::size_t end = own_words_end(r, c);
    if (said_of_the_run(r, c, end, r.w.strong_future)) return true;
    return said_of_the_run(r, c, end, r.w.weak_future) && !has_any(r.t, c.begin, c.end, r.w.past_verbs);
}

// "9 miles @ 8:00 pace", "12k at 5:10/km", "10k pace": a pace said of this run is not a habit.
bool describes_pace(const reading& r, const clause& c, std::size_t at) {
    for (std::size_t k = at > c.begin + 5 ? at - 5 : c.begin; k < at; ++k)
        if (r.t[k].kind == token_kind::time || r.t[k].kind == token_kind::number) return true;
    return false;
}

bool habit(const reading& r, const clause& c) {
    const std::size_t end = own_words_end(r, c);
    for (std::size_t i = c.begin; i < end; ++i) {
        const std::size_t len = longest_at(r.t, i, end, r.w.habit_words);
        if (len == 0) continue;
        const bool pace_word = is_word(r.t, i, "pace") || is_word(r.t, i, "per") || is_word(r.t, i, "average");
        if (!(pace_word && describes_pace(r, c, i))) return true;
        i += len - 1;
    }
    return false;
}

bool has_time_token(const tokens& t) {
    return std::any_of(t.begin(), t.end(), [](const token& k) { return k.kind == token_kind::time; });
}

// "race pace" and "marathon pace" are tempo work, "marathon training" a long run: not races.
// "shakeout 3 before tomorrow's race": a race still to come does not make today's run one.
bool has_race_word(const reading& r) {
    const tokens& t = r.t;
    const std::string_view ahead[] = {"before", "tomorrow's", "tomorrows", "next", "upcoming", "for my", "for the"};
    for (std::size_t i = 0; i < t.size(); ++i) {
        const std::size_t at = find_any(t, i, t.size(), r.w.race_words);
        if (at == t.size()) return false;
        const std::size_t len = longest_at(t, at, t.size(), r.w.race_words);
        const bool later = any_before(t, 0, at, ahead) || (at > 0 && any_before(t, 0, at - 1, ahead));
        if (!any_at(t, at + len, t.size(), r.w.pace_after) && !later) return true;
        i = at + len - 1;
    }
    return false;
}

// Seconds for "1:05" (h:mm or m:ss, whichever gives a running pace for this distance) or "3:45:12".
// Without a distance, a first part up to 5 is hours ("1:20 easy"), more is minutes ("45:00 easy").
std::optional<int> time_token_seconds(const token& k, double km) {
    const int a = k.time_parts[0], b = k.time_parts[1];
    if (k.time_count == 3) return a * 3600 + b * 60 + k.time_parts[2];
    if (b >= 60) return std::nullopt;
    const int as_hours = a * 3600 + b * 60;
    const int as_minutes = a * 60 + b;
    if (km <= 0) return a <= 5 ? as_hours : as_minutes;
    auto runnable = [&](int s) { return std::isfinite(km) && s / km >= 120 && s / km <= 1200; };
    if (runnable(as_hours) != runnable(as_minutes)) return runnable(as_hours) ? as_hours : as_minutes;
    return a <= 9 ? as_hours : as_minutes;
}

bool clock_time(const reading& r, std::size_t i) {
    const tokens& t = r.t;
    if (i + 1 < t.size() && (any_at(t, i + 1, t.size(), r.w.clock_words) || is_punct(t, i + 1, '/'))) return true;
    return i > 0 && (any_at(t, i - 1, i, r.w.clock_before) || is_punct(t, i - 1, '/'));
}

// Small number words for durations: "two hours", "three and a half hours".
int count_word(const tokens& t, std::size_t i) {
    constexpr std::string_view names[] = {"one", "two",   "three", "four", "five",
                                          "six", "seven", "eight", "nine", "ten"};
    for (std::size_t k = 0; k < std::size(names); ++k)
        if (is_word(t, i, names[k])) return static_cast<int>(k + 1);
    // "an hour", and the article in the languages the lexicon reads ("eine Stunde", "een uur", "una hora")
    constexpr std::string_view one[] = {"a", "an", "eine", "ein", "een", "una", "un", "une", "um", "uma"};
    return std::any_of(std::begin(one), std::end(one), [&](std::string_view w) { return is_word(t, i, w); }) ? 1 : 0;
}

// "an hour", "hour-long", "half an hour", "an hour and a half", "two and a half hours", "a couple of hours",
// "an hour and 20 minutes": seconds, and the token after the phrase in next.
std::optional<int> word_duration(const reading& r, std::size_t i, std::size_t end, std::size_t& next) {
    const tokens& t = r.t;
    if (is_word(t, i, "half") && (is_word(t, i + 1, "an") || is_word(t, i + 1, "a")) && is_word(t, i + 2, "hour")) {
        next = i + 3;
        return 1800;
    }
    if (is_word(t, i, "half") && is_word(t, i + 1, "hour")) {  // "half hour run"
        next = i + 2;
        return 1800;
    }
    if ((is_word(t, i, "couple") || is_word(t, i, "few")) && i + 1 < end) {
        const std::size_t h = is_word(t, i + 1, "of") ? i + 2 : i + 1;
        if (any_at(t, h, end, r.w.hour_units) && !is_word(t, h, "h")) {
            next = h + 1;
            return is_word(t, i, "couple") ? 7200 : 10800;
        }
    }
    std::size_t k = i;
    const int count = count_word(t, k);
    if (count > 0) ++k;
    double hours = count > 0 ? count : 1;
    if (const std::size_t half = longest_at(t, k, end, r.w.half_words); half > 0 && count > 0) {
        hours += 0.5;
        k += half;
    }
    if (!any_at(t, k, end, r.w.hour_units) || is_word(t, k, "h")) {
        // "ninety minutes", "sixty minutes easy": number words before a minute unit
        std::size_t after = i;
        const auto v = read_number_words(t, i, end, after);
        if (v && *v >= 5 && any_at(t, after, end, r.w.minute_units) && !is_word(t, after, "m")) {
            next = after + 1;
            return static_cast<int>(*v * 60);
        }
        if (v && *v >= 1 && *v <= 24 && any_at(t, after, end, r.w.hour_units) && !is_word(t, after, "h")) {
            next = after + 1;
            return static_cast<int>(*v * 3600);
        }
        return std::nullopt;
    }
    if (count == 0 && !is_word(t, k + 1, "long")) return std::nullopt;  // a bare "hour" only as "hour-long"
    ++k;
    if (const std::size_t half = longest_at(t, k, end, r.w.half_words); half > 0) {
        hours += 0.5;
        k += half;
    } else if (is_word(t, k, "and") && k + 1 < end && t[k + 1].kind == token_kind::number && t[k + 1].value < 60) {
        hours += t[k + 1].value / 60;  // "an hour and 20"
        k += 2;
        if (any_at(t, k, end, r.w.minute_units)) ++k;
    } else if (is_word(t, k, "and") && k + 1 < end) {
        std::size_t after = k + 1;  // "two hours and three minutes"
        if (const auto m = read_number_words(t, k + 1, end, after);
            m && *m < 60 && any_at(t, after, end, r.w.minute_units)) {
            hours += *m / 60;
            k = after + 1;
        }
    }
    if (is_word(t, k, "long")) ++k;
    next = k;
    return static_cast<int>(std::lround(hours * 3600));
}

// "in 1h05", "in 1 hour 5 minutes", "in 1.5 hours", "10k 45 min": hours then optional minutes, or minutes.
// strict: the number must follow a word that makes it the run's time ("in", "took", "ran", ...).
std::optional<int> unit_duration(const reading& r, std::size_t i, bool strict) {
    const tokens& t = r.t;
    double v = t[i].value;
    std::size_t unit = i + 1;
    if (const std::size_t half = longest_at(t, unit, t.size(), r.w.half_words); half > 0) {
        v += 0.5;  // "2 and a half hours"
        unit += half;
    }
    if (!(v > 0) || v > 1000) return std::nullopt;
    const bool introduced = i == 0 || any_at(t, i - 1, i, r.w.duration_before) || t[i - 1].kind == token_kind::punct;
    if (strict && !introduced) return std::nullopt;
    if (i > 0 && (is_word(t, i - 1, "of") || is_word(t, i - 1, "after"))) return std::nullopt;
    // "36 minutes of running": "of" is fine before a run word when reading a time-only run.
    // "36 minutes of running" and "6h12m of mud" are the run; "10 min of stretching" is not.
    // "45 min after work" says when, not what came after.
    // "4 x 1200m, 3 min jog": in a session of repeats ("N x M" written out), minutes before a jog are the
    // recovery between them. "40 min jog, intervals tomorrow" and a kiss ("30 min jog x") are not repeats.
    // Looked for only when a jog follows: this runs for every number of every message.
    auto repeats = [&] {
        for (std::size_t k = 1; k + 1 < t.size(); ++k)
            if (t[k].text == "x" && t[k - 1].kind == token_kind::number && t[k + 1].kind == token_kind::number)
                return true;
        return false;
    };
    auto blocked_after = [&](std::size_t k) {
        if ((is_word(t, k, "jog") || is_word(t, k, "jogs") || is_word(t, k, "walk")) && repeats()) return true;
        if (any_at(t, k, t.size(), r.w.time_of_day)) return false;
        if (is_word(t, k, "of")) return any_at(t, k + 1, t.size(), r.w.duration_not_after);
        return any_at(t, k, t.size(), r.w.duration_not_after);
    };
    if (any_at(t, unit, t.size(), r.w.hour_units)) {
        double s = v * 3600;
        std::size_t after = unit + 1;
        if (after < t.size() && t[after].kind == token_kind::number && t[after].value < 60) {
            s += t[after].value * 60;  // "1h05" or "1 hour 5 minutes"
            after += any_at(t, after + 1, t.size(), r.w.minute_units) ? 2 : 1;
        } else if (const std::size_t half = longest_at(t, after, t.size(), r.w.half_words); half > 0) {
            s += 1800;
            after += half;
        }
        if (blocked_after(after)) return std::nullopt;
        return static_cast<int>(s);
    }
    // "400m" is the distance (distance.cpp reads it by the same rule): reading it as 400 minutes too made a lap of
    // the track a 6.7-hour long run.
    const bool metres = is_word(t, unit, "m") && m_is_metres(t, i, v);
    if (!metres && any_at(t, unit, t.size(), r.w.minute_units) && !blocked_after(unit + 1))
        return static_cast<int>(v * 60);
    return std::nullopt;
}

// A duration starting at token i (end bounds word phrases), for a run of km (0 when its distance is unknown).
std::optional<int> duration_at(const reading& r, std::size_t i, std::size_t end, double km, bool strict) {
    const tokens& t = r.t;
    if (t[i].kind == token_kind::time) return clock_time(r, i) ? std::nullopt : time_token_seconds(t[i], km);
    if (t[i].kind == token_kind::number) return unit_duration(r, i, strict);
    std::size_t next = i;
    if (t[i].kind == token_kind::word)
        if (const auto s = word_duration(r, i, end, next); s && !any_at(t, next, t.size(), r.w.duration_not_after))
            return s;
    return std::nullopt;
}

// The first duration in [begin, end).
std::optional<int> duration_in(const reading& r, std::size_t begin, std::size_t end, double km, bool strict) {
    for (std::size_t i = begin; i < end; ++i)
        if (const auto s = duration_at(r, i, end, km, strict)) return s;
    return std::nullopt;
}

bool not_negated_at(const reading& r, std::size_t i) {
    const std::string_view before[] = {"didn't", "didnt", "did not", "never", "not", "no", "without"};
    return !(any_before(r.t, 0, i, before) || (i > 0 && any_before(r.t, 0, i - 1, before)));  // "didn't even drop out"
}

}  // namespace

bool says_completed(const reading& r) {
    return has_any(r.t, 0, r.t.size(), r.w.completion_words) || has_time_token(r.t);
}

// A clause with no word of its own saying it is done takes its time from the rest of the message:
// "race on sunday, 10k" is a plan, "ran 10k, resting tomorrow" a report.
bool reports_done(const reading& r, const clause& c) {
    if (negated(r, c) || future(r, c)) return false;
    const bool said_done =
        has_any(r.t, c.begin, c.end, r.w.past_verbs) || has_any(r.t, c.begin, c.end, r.w.completion_words);
    if (!said_done && about_the_future(r)) return false;
    return !habit(r, c) || has_any(r.t, c.begin, c.end, r.w.past_verbs);
}

// Only a future clause about running counts: "9 mi, massage gun tonight?" still reports the 9 miles.
bool reports_future(const reading& r, const clause& c) { return future(r, c); }

bool about_the_future(const reading& r) {
    return std::any_of(r.clauses.begin(), r.clauses.end(), [&](const clause& c) {
        if (c.question || !future(r, c)) return false;  // "2 hours on the trails, what should I do?"
        return has_any(r.t, c.begin, c.end, r.w.strong_future) || has_any(r.t, c.begin, c.end, r.w.run_nouns) ||
               has_any(r.t, c.begin, c.end, r.w.running_words);
    });
}

std::optional<int> find_duration(const reading& r, double km) {
    const auto s = duration_in(r, 0, r.t.size(), km, true);
    if (s && *s > 0) return s;
    return std::nullopt;
}

// A time with no distance is a run when the message talks about running ("ran", "jog", "on the trails",
// "easy") and the time is not another sport's ("an easy 20 min spin").
std::optional<int> find_time_only_run(const reading& r) {
    // "couldn't run today, 12 hour shift": a run said not to have happened lends its words to no time
    if (!has_any(r.t, 0, r.t.size(), r.w.run_context) || skipped_run(r)) return std::nullopt;
    for (const clause& c : r.clauses) {
        if (c.question || !reports_done(r, c)) continue;
        for (std::size_t i = c.begin; i < c.end; ++i) {
            const auto s = duration_at(r, i, c.end, 0, false);
            if (!s) continue;
            // "5 minute meal idea post run", "quick meal after my run, 10 mins max": a meal's time, not a run's
            const bool meal_after = has_any(r.t, i + 1, std::min(i + 4, c.end), r.w.meal_nouns);
            const bool meal = meal_after || (has_any(r.t, 0, r.t.size(), r.w.meal_nouns) &&
                                             !has_any(r.t, c.begin, c.end, r.w.run_context));
            if (*s >= 5 * 60 && *s <= 48 * 3600 && !meal && sport_of(r, c, i, std::min(i + 2, c.end)) == nullptr)
                return s;
            break;
        }
    }
    return std::nullopt;
}

bool reported_without_distance(const reading& r) {
    return std::any_of(r.clauses.begin(), r.clauses.end(), [&](const clause& c) {
        if (c.question || !reports_done(r, c) || !has_any(r.t, c.begin, c.end, r.w.report_words)) return false;
        return has_any(r.t, c.begin, c.end, r.w.running_words) || has_any(r.t, c.begin, c.end, r.w.ago_words);
    });
}

bool skipped_run(const reading& r) {
    if (has_any(r.t, 0, r.t.size(), r.w.rest_day_words)) return true;  // "rest day 😴", "heute Ruhetag"
    return std::any_of(r.clauses.begin(), r.clauses.end(), [&](const clause& c) {
        return has_any(r.t, c.begin, c.end, r.w.negations) &&
               (has_any(r.t, c.begin, c.end, r.w.running_words) || has_any(r.t, c.begin, c.end, r.w.run_nouns));
    });
}

bool someone_elses_run(const reading& r) {
    const tokens& t = r.t;
    if (has_any(t, 0, t.size(), r.w.first_person)) return false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const std::size_t n = longest_at(t, i, t.size(), r.w.other_runners);
        if (n == 0) continue;
        // "my friend ran", "she just did", "my wife finally finished": the verb within three tokens
        for (std::size_t k = i + n; k < std::min(t.size(), i + n + 3); ++k)
            if (any_at(t, k, t.size(), r.w.run_verbs)) return true;
    }
    return false;
}

bool stopped_early(const reading& r) {
    for (std::size_t i = 0; i < r.t.size(); ++i)
        if (any_at(r.t, i, r.t.size(), r.w.stopped_early) && not_negated_at(r, i)) return true;
    return false;
}

std::optional<int> ended_minutes_ago(const reading& r) {
    const tokens& t = r.t;
    for (std::size_t k = 1; k < t.size(); ++k) {
        if (!any_at(t, k, k + 1, r.w.ago_words)) continue;
        // "3 hours ago", "an hour ago", "half an hour ago", "20 min ago"
        for (std::size_t from = k > 5 ? k - 5 : 0; from < k; ++from) {
            std::size_t next = from;
            std::optional<int> s;
            if (t[from].kind == token_kind::number) {
                // Bounded before the conversion: a double past int's range converted to int is undefined (the
                // message-parser fuzzer found "99000000 min ago"); anything past two weeks is not "ago" anyway.
                const double v = std::min(t[from].value, 14.0 * 24 * 60 + 1);
                if (any_at(t, from + 1, k, r.w.hour_units))
                    s = static_cast<int>(v * 3600), next = from + 2;
                else if (any_at(t, from + 1, k, r.w.minute_units))
                    s = static_cast<int>(v * 60), next = from + 2;
            } else {
                s = word_duration(r, from, k, next);
            }
            if (s && next == k && *s > 0 && *s <= 14 * 24 * 3600) return *s / 60;
        }
    }
    for (const auto& m : r.w.past_markers)
        if (has_phrase(t, 0, t.size(), m.phrase)) return m.hours * 60;
    return std::nullopt;
}

std::optional<int> ended_by_local_hour(const reading& r) {
    for (const auto& m : r.w.day_part_markers)
        if (has_phrase(r.t, 0, r.t.size(), m.phrase)) return m.by_hour;
    return std::nullopt;
}

void classify_run(const reading& r, run_report& run) {
    const tokens& t = r.t;
    const std::size_t n = t.size();
    run.kind_stated = true;
    // Named work before the bare "x" of repeats: "threshold session: 3x10 min" is tempo work.
    const bool repeats =
        std::any_of(t.begin(), t.end(), [](const token& k) { return k.kind == token_kind::word && k.text == "x"; });
    if (run.named || has_race_word(r))
        run.kind = run_kind::race;
    else if (has_any(t, 0, n, r.w.long_words) && !has_phrase(t, 0, n, "how long"))
        run.kind = run_kind::long_run;
    else if (has_any(t, 0, n, r.w.interval_words))
        run.kind = run_kind::intervals;
    else if (has_any(t, 0, n, r.w.tempo_words))
        run.kind = run_kind::tempo;
    else if (repeats)
        run.kind = run_kind::intervals;
    else if (has_any(t, 0, n, r.w.easy_words))
        run.kind = run_kind::easy;
    else {
        // Unnamed: long when it lasted about 90 minutes or more, or covered 20 km or more.
        run.kind_stated = false;
        const bool long_time = run.duration_s && *run.duration_s >= 90 * 60;
        const bool long_way = run.distance_given && run.distance_km >= 20;
        run.kind = long_time || long_way ? run_kind::long_run : run_kind::easy;
    }
}

}  // namespace rb::text
