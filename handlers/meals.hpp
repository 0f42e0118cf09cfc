// Recovery meals and snacks as data (templates/meals/*.json): what they are, their carbohydrate and protein
// grams, their tags, and a deterministic pick that honours the runner's filters. No randomness source:
// the caller passes a seed (derived from the update), so the same update always gets the same meal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "message_parser.hpp"
#include "template_error.hpp"

namespace rb {

struct meal {
    std::string name;
    std::vector<std::string> ingredients;
    double carbs_g = 0;
    double protein_g = 0;
    bool vegetarian = false;
    bool vegan = false;  // implies vegetarian and dairy_free
    bool dairy_free = false;
    bool quick = false;  // ready in about 5 minutes or no cooking
    std::string how;     // one line

    bool matches(const meal_filters& filters) const;
    // Carbohydrate to protein as "3:1" or "2.5:1"; "carbs only" without protein.
    std::string ratio_text() const;
};

// Parses one meals file: a JSON array of {"name", "ingredients": [...], "carbs_g", "protein_g", "tags": [...],
// "how"}. Unknown tags and missing or negative numbers are errors naming the file and the meal's line.
std::variant<std::vector<meal>, template_error> parse_meals(std::string_view file, std::string_view json_text);

// Up to `count` distinct meals matching the filters, chosen by seed; empty when none match.
std::vector<const meal*> pick_meals(const std::vector<meal>& meals, const meal_filters& filters, std::uint64_t seed,
                                    std::size_t count);

// The filters in words, for replies: "vegan, quick" (empty without filters).
std::string describe_filters(const meal_filters& filters);

}  // namespace rb
