// Reading around a distance: whether a clause says the run is done (not planned, not negated), whether
// the message says something was completed, how long the run took, and what kind of run it was.
// Clause-local on purpose: "ran 10k, resting tomorrow" is a report; "10k tomorrow" is not.
#include <cmath>

#include "message_text.hpp"

namespace rb::text {
namespace {

// Any of these in a clause means the run in it has not happened (yet).
constexpr std::string_view strong_future[] = {
    "tomorrow", "tmrw", "tmr", "tomoz", "tommorow", "tomorow", "tommorrow", "going to", "going for", "gonna",
    "will", "i'll", "ill be", "we'll", "shall", "planning", "plan to", "plan on", "plan for", "plan is",
    "plans to", "planned for", "the plan", "my plan", "training plan", "next", "signed up", "sign up",
    "signing up", "registered", "registering", "register", "entered", "training for", "train for", "want to",
    "wanna", "hope to", "hoping", "hopefully", "about to", "upcoming", "someday", "one day", "would",
    "thinking of", "thinking about", "considering", "aiming", "aim to", "aim for", "scheduled", "let's",
    "lets", "need to", "have to", "has to", "if", "can't wait", "cant wait", "prepar*", "prepping", "wish",
    "coming up", "this coming", "weeks away", "days away", "in a week", "in two weeks", "intend*", "tbd",
    "am running", "i'm running", "im running", "are running", "gotta", "got to", "should", "might"};
// These mean the future unless a past-tense verb sits in the same clause ("ran 5k tonight" is done).
constexpr std::string_view weak_future[] = {
    "tonight", "this evening", "this afternoon", "this weekend", "on monday", "on tuesday", "on wednesday",
    "on thursday", "on friday", "on saturday", "on sunday", "running", "later", "soon", "goal", "target",
    "must", "in the morning", "this week", "maybe", "perhaps", "possibly"};
constexpr std::string_view past_verbs[] = {
    "ran", "did", "done", "finished", "completed", "complete", "raced", "jogged", "logged", "clocked",
    "covered", "crushed", "smashed", "nailed", "knocked", "bagged", "banked", "ticked", "survived",
    "conquered", "managed", "walked", "got in", "got through", "in the books", "just", "racked", "killed it",
    "went", "had", "was", "were", "hit", "finally"};
// Any of these in a clause negates the run in it.
constexpr std::string_view negations[] = {
    "didn't", "didnt", "did not", "couldn't", "couldnt", "could not", "can't", "cant", "cannot", "can not",
    "wasn't able", "wasnt able", "was not able", "weren't able", "unable", "skipped", "skip", "skipping",
    "skips", "missed", "miss", "no run", "no running", "never", "haven't", "havent", "have not", "hadn't",
    "hadnt", "won't", "wont", "dnf", "dnf'd", "dnfd", "dnfed", "failed to", "bailed", "cancelled", "canceled",
    "cancel", "postponed", "rest day", "day off", "dropped out", "pulled out", "gave up",
    "give up", "quit", "abandoned", "wanted to", "supposed to", "meant to", "should have", "should've",
    "would have", "would've", "could have", "could've", "nope", "failed", "not able", "too injured",
    "had to stop", "stopped at", "had to quit", "pulled up", "had to pull out", "had to drop"};
// Negation words that, followed by these, celebrate rather than negate: "can't believe I ran 20 miles".
constexpr std::string_view negation_exceptions[] = {"can't believe", "cant believe", "cannot believe",
                                                    "never felt", "never been", "never thought",
                                                    "couldn't believe", "couldnt believe", "couldn't have"};
constexpr std::string_view not_exceptions[] = {"bad", "too", "easy", "fast", "quite", "great", "pretty",
                                               "only", "the", "my", "a", "an", "that", "so", "much", "sure",
                                               "gonna lie", "going to lie", "kidding", "joking"};
// Without a completion word these make a distance a pace, a habit or a total rather than a run.
constexpr std::string_view habit_words[] = {
    "pace", "per", "weekly", "a week", "per week", "this month", "a month", "total", "mileage", "training",
    "usually", "normally", "always", "every", "often", "each", "average", "typically"};
// Completion anywhere in the message, for named races ("Finished the marathon!!!").
constexpr std::string_view completion_words[] = {
    "ran", "did", "done", "finished", "finish*", "completed", "complete", "raced", "crushed", "smashed",
    "nailed", "conquered", "survived", "knocked", "bagged", "banked", "ticked", "logged", "in the books",
    "pb", "pr", "personal best", "personal record", "medal", "today", "yesterday", "this morning", "earlier",
    "back from", "just", "crossed", "got in", "walked", "jogged"};

constexpr std::string_view run_nouns[] = {"run*", "parkrun", "long", "marathon", "half", "race", "miles",
                                          "km", "jog*", "training", "ultra"};

bool negated(const tokens& t, const clause& c) {
    for (std::size_t i = c.begin; i < c.end; ++i) {
        if (any_at(t, i, c.end, negations) && !any_at(t, i, c.end, negation_exceptions)) return true;
        const bool number_next = i + 1 < c.end && t[i + 1].kind == token_kind::number;  // "15 miles not 10"
        if (is_word(t, i, "not") && !number_next && !any_at(t, i + 1, c.end, not_exceptions))
            return true;
        if (is_word(t, i, "too") && is_word(t, i + 2, "to") && i + 2 < c.end) return true;  // "too tired to"
        if (is_word(t, i, "no") && (number_next || any_at(t, i + 1, c.end, run_nouns))) return true;  // "no 10k"
    }
    return false;
}

bool future(const tokens& t, const clause& c) {
    if (has_any(t, c.begin, c.end, strong_future)) return true;
    return has_any(t, c.begin, c.end, weak_future) && !has_any(t, c.begin, c.end, past_verbs);
}

bool has_time_token(const tokens& t) {
    for (const token& k : t)
        if (k.kind == token_kind::time) return true;
    return false;
}

// Kinds of run by what the runner calls them. "race pace" and "marathon pace" are tempo work, not races.
constexpr std::string_view race_words[] = {
    "race", "raced", "racing", "pb", "pr", "personal best", "personal record", "medal", "chip time",
    "race day", "ultra*", "marathon", "parkrun", "park run", "bq", "half marathon", "mara"};
constexpr std::string_view long_words[] = {"long run", "long one", "lsr", "long slow", "long easy", "long steady"};
constexpr std::string_view interval_words[] = {
    "interval*", "repeat*", "reps", "track", "fartlek*", "sprint*", "speed work", "speedwork", "speed session",
    "vo2*", "hill reps", "hill sprints", "x"};
constexpr std::string_view tempo_words[] = {"tempo", "threshold", "progression", "race pace", "marathon pace",
                                            "half marathon pace", "lt", "cruise", "mp", "steady state"};
// "marathon pace" is tempo work and "marathon training" a long run, not a race.
constexpr std::string_view pace_after[] = {"pace", "training", "plan*", "build*", "block", "prep*", "program*"};

bool has_race_word(const tokens& t) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        const std::size_t at = find_any(t, i, t.size(), race_words);
        if (at == t.size()) return false;
        std::size_t len = 0;
        for (std::string_view w : race_words) len = std::max(len, match_at(t, at, t.size(), w));
        if (!has_any(t, at + len, std::min(t.size(), at + len + 1), pace_after)) return true;
        i = at + len - 1;
    }
    return false;
}

// Seconds for "1:05" (h:mm or m:ss, whichever gives a running pace for this distance) or "3:45:12".
std::optional<int> time_token_seconds(const token& k, double km) {
    const int a = k.time_parts[0], b = k.time_parts[1];
    if (k.time_count == 3) return a * 3600 + b * 60 + k.time_parts[2];
    if (b >= 60) return std::nullopt;
    const int as_hours = a * 3600 + b * 60;
    const int as_minutes = a * 60 + b;
    auto runnable = [&](int s) { return km > 0 && std::isfinite(km) && s / km >= 120 && s / km <= 1200; };
    if (runnable(as_hours) != runnable(as_minutes)) return runnable(as_hours) ? as_hours : as_minutes;
    return a <= 9 ? as_hours : as_minutes;
}

constexpr std::string_view clock_words[] = {"am", "pm", "pace", "per", "min", "mins", "a.m", "p.m", "o'clock",
                                            "start*", "kick*", "alarm", "wake*", "woke*", "avg", "average"};
constexpr std::string_view clock_before[] = {"at", "by", "around", "until", "till", "from", "avg", "average",
                                             "of", "pace", "after", "before", "since", "per"};
constexpr std::string_view hour_units[] = {"h", "hr", "hrs", "hour", "hours"};
constexpr std::string_view minute_units[] = {"m", "min", "mins", "minute", "minutes"};
constexpr std::string_view duration_not_after[] = {"ago", "later", "after", "before", "rest", "break", "nap",
                                                   "sleep", "walk*", "stretch*", "foam", "roll*", "per", "pace",
                                                   "of", "to", "until", "left", "each", "a", "in"};

bool clock_time(const tokens& t, std::size_t i) {
    if (i + 1 < t.size() && (has_any(t, i + 1, i + 2, clock_words) || is_punct(t, i + 1, '/'))) return true;
    return i > 0 && (has_any(t, i - 1, i, clock_before) || is_punct(t, i - 1, '/'));
}

// Before "45 min" these make it the run's time rather than the foam rolling's or the nap's.
constexpr std::string_view duration_before[] = {"in", "took", "time", "under", "sub", "just", "about", "approx",
                                                "roughly", "km", "k", "kms", "mi", "mile", "miles", "marathon",
                                                "parkrun", "half", "run", "ultra", "race", "only"};

// "in 1h05", "in 1 hour 5 minutes", "in 1.5 hours", "10k 45 min": hours then optional minutes, or minutes.
std::optional<int> unit_duration(const tokens& t, std::size_t i) {
    const double v = t[i].value;
    if (v < 0 || v > 1000 || i == 0) return std::nullopt;
    if (!has_any(t, i - 1, i, duration_before) && !is_punct(t, i - 1, ':') && !is_punct(t, i - 1, ','))
        return std::nullopt;
    if (has_any(t, i + 1, i + 2, hour_units)) {
        double s = v * 3600;
        if (i + 2 < t.size() && t[i + 2].kind == token_kind::number && t[i + 2].value < 60) {
            s += t[i + 2].value * 60;  // "1h05" or "1 hour 5 minutes"
            if (has_any(t, i + 4, std::min(t.size(), i + 5), duration_not_after)) return std::nullopt;
        } else if (has_any(t, i + 2, std::min(t.size(), i + 3), duration_not_after)) {
            return std::nullopt;
        }
        return static_cast<int>(s);
    }
    if (has_any(t, i + 1, i + 2, minute_units) && !has_any(t, i + 2, std::min(t.size(), i + 3), duration_not_after))
        return static_cast<int>(v * 60);
    return std::nullopt;
}

}  // namespace

std::optional<int> find_duration(const tokens& t, double km) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i].kind == token_kind::time && !clock_time(t, i)) return time_token_seconds(t[i], km);
        if (t[i].kind == token_kind::number)
            if (const auto s = unit_duration(t, i)) return s;
    }
    return std::nullopt;
}

run_kind classify_run(const tokens& t, const run_report& r) {
    if (r.named || has_race_word(t)) return run_kind::race;
    if (has_any(t, 0, t.size(), long_words) && !has_phrase(t, 0, t.size(), "how long")) return run_kind::long_run;
    if (has_any(t, 0, t.size(), interval_words)) return run_kind::intervals;
    if (has_any(t, 0, t.size(), tempo_words)) return run_kind::tempo;
    return r.distance_km >= 25 ? run_kind::long_run : run_kind::easy;
}

bool says_completed(const tokens& t) { return has_any(t, 0, t.size(), completion_words) || has_time_token(t); }

bool reports_done(const tokens& t, const clause& c) {
    if (negated(t, c) || future(t, c)) return false;
    return !has_any(t, c.begin, c.end, habit_words) || has_any(t, c.begin, c.end, past_verbs);
}

}  // namespace rb::text
