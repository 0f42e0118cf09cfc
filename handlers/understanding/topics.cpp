// What a runner asks about (recovery topics, a sore muscle) and what they tell about themselves (their
// weight). The topic table is in priority order (templates/words/topics.json): the first topic whose
// words appear wins, so the narrow ones ("ice cream", "foot roller") come before the broad ones.
#include <cmath>

#include "handlers/understanding/message_text.hpp"

namespace rb::text {

// Strong rows first, in order; then the weak ones ("water", "recover") when nothing narrower matched.
std::string find_topic(const reading& r, std::size_t begin, std::size_t end, topic_rows rows) {
    for (std::size_t i = begin; i < end && i < r.t.size(); ++i)
        if (r.t[i].kind == token_kind::ratio) return "carb_protein_ratio";  // "3:1"
    for (const bool weak : {false, true}) {
        if ((weak && rows == topic_rows::strong) || (!weak && rows == topic_rows::weak)) continue;
        for (const auto& row : r.w.topics)
            if (row.weak == weak && has_any(r.t, begin, end, row.phrases) &&
                (row.with.empty() || has_any(r.t, begin, end, row.with)))
                return row.name;
    }
    return {};
}

const muscle_word* find_muscle(const reading& r) {
    for (const auto& m : r.w.muscles)
        if (has_phrase(r.t, 0, r.t.size(), m.phrase)) return &m;
    return nullptr;
}

bool says_sore(const reading& r, std::size_t begin, std::size_t end) {
    return has_any(r.t, begin, end, r.w.sore_words);
}

bool has_recovery_context(const reading& r) {
    const std::size_t n = r.t.size();
    if (has_any(r.t, 0, n, r.w.recovery_context)) return true;
    return has_any(r.t, 0, n, r.w.after_words) && has_any(r.t, 0, n, r.w.run_words);
}

// "weigh 65kg", "I'm 150 lbs", "65 kg btw", "weight: 70", "11 stone": kilograms, when plausible.
std::optional<double> find_weight_kg(const reading& r, std::optional<distance_unit> chat_unit) {
    const tokens& t = r.t;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i].kind != token_kind::number) continue;
        double kg = -1;
        if (any_at(t, i + 1, t.size(), r.w.weight_units_kg))
            kg = t[i].value;
        else if (any_at(t, i + 1, t.size(), r.w.weight_units_lb))
            kg = t[i].value * kg_per_lb;
        else if (is_word(t, i + 1, "stone") || is_word(t, i + 1, "st"))
            kg = t[i].value * kg_per_stone;
        else if (i > 0 && any_before(t, 0, i, r.w.weight_words))
            kg = chat_unit == distance_unit::mi ? t[i].value * kg_per_lb : t[i].value;
        if (kg >= min_weight_kg && kg <= max_weight_kg) return std::round(kg * 10) / 10;
    }
    return std::nullopt;
}

}  // namespace rb::text
