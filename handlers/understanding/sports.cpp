// Other sports than running: "cycled 40 km", "a 2k swim", "walked 5 miles with the kids". A distance
// belongs to the activity word nearest before it in its clause (or the noun right after it), so
// "ran 5k then cycled 20 km" is a 5 km run. The words are in templates/words/sports.json.
#include "handlers/understanding/message_text.hpp"

namespace rb::text {
namespace {

const sport_words* sport_at(const reading& r, std::size_t i, std::size_t end) {
    for (const auto& s : r.w.sports)
        if (any_at(r.t, i, end, s.phrases)) return &s;
    return nullptr;
}

enum class activity { none, run, sport };

// "run/walk 10k", "did a run walk 10k", "run-walked the marathon": a run with walk breaks (Galloway), not a walk.
bool run_walk_at(const reading& r, std::size_t k) {
    const std::string_view forms[] = {"walk", "walking", "walked", "walks"};
    if (!any_at(r.t, k, k + 1, forms)) return false;
    std::size_t j = k;
    // "run and walk 10k", but "went for a run and walked the dog": the past form only right after "run"
    if (j > 0 && (is_punct(r.t, j - 1, '/') || (is_word(r.t, j - 1, "and") && !is_word(r.t, k, "walked")))) --j;
    return j > 0 && (is_word(r.t, j - 1, "run") || is_word(r.t, j - 1, "running"));
}

activity activity_at(const reading& r, std::size_t i, std::size_t end, const sport_words*& sport) {
    if (any_at(r.t, i, end, r.w.running_words) || run_walk_at(r, i)) {
        // "aqua jogging", "pool running": a sport whose phrase ends in this running word, read from it backwards
        if (i > 0)
            for (const auto& s : r.w.sports)
                if (longest_at(r.t, i - 1, end, s.phrases) >= 2) {
                    sport = &s;
                    return activity::sport;
                }
        return activity::run;
    }
    if ((sport = sport_at(r, i, end)) != nullptr) return activity::sport;
    return activity::none;
}

bool reports_activity(const reading& r, const clause& c) {
    for (std::size_t i = c.begin; i < c.end; ++i)
        if (r.t[i].kind == token_kind::number || r.t[i].kind == token_kind::time) return true;
    return has_any(r.t, c.begin, c.end, r.w.past_verbs);
}

// Running words, except where they say running did not happen ("instead of running", "rather than run").
bool mentions_running(const reading& r) {
    const std::string_view not_this[] = {"instead of", "rather than", "than", "no", "not", "without"};
    for (std::size_t k = 0; k < r.t.size(); ++k)
        if (any_at(r.t, k, r.t.size(), r.w.running_words) && !any_before(r.t, 0, k, not_this)) return true;
    return false;
}

bool past_form(const reading& r, std::size_t i) {
    const std::string& w = r.t[i].text;
    return w.ends_with("ed") || w == "swam" || w == "swum" || w == "rode";
}

}  // namespace

// The noun right after the distance says most ("40 km bike + 10 km run"); then the nearest word before it.
const sport_words* sport_of(const reading& r, const clause& c, std::size_t begin, std::size_t end) {
    const sport_words* sport = nullptr;
    // "30 km de velo", "25 miles on Zwift", "2000m on the rower": small words may stand between
    const std::string_view linking[] = {"de", "in", "on",  "the", "a",   "en", "op", "my", "mit", "dem", "der",
                                        "na", "al", "por", "au",  "sur", "em", "di", "of", "at",  "with"};
    std::size_t next = end;
    while (next < c.end && next < end + 2 && any_at(r.t, next, next + 1, linking)) ++next;
    switch (next < c.end ? activity_at(r, next, c.end, sport) : activity::none) {
        case activity::run:
            return nullptr;
        case activity::sport:
            return sport;
        case activity::none:
            break;
    }
    for (std::size_t k = begin; k > c.begin;) {
        --k;
        switch (activity_at(r, k, c.end, sport)) {
            case activity::run:
                return nullptr;
            case activity::sport:
                return sport;
            case activity::none:
                break;
        }
    }
    // Nothing in the clause ("cycled to work, 20 km each way"): a sport named before it, if the message names
    // no run ("did a bike ride instead of running, 35k" names none).
    if (mentions_running(r)) return nullptr;
    for (std::size_t k = 0; k < begin; ++k)
        if ((sport = sport_at(r, k, r.t.size())) != nullptr) return sport;
    return nullptr;
}

const sport_words* reported_sport(const reading& r) {
    for (const clause& c : r.clauses) {
        if (c.question || !reports_done(r, c)) continue;
        for (std::size_t k = c.begin; k < c.end; ++k)
            if (const sport_words* s = sport_at(r, k, c.end);
                s && !run_walk_at(r, k) && (past_form(r, k) || reports_activity(r, c)))
                return s;
    }
    return nullptr;
}

}  // namespace rb::text
