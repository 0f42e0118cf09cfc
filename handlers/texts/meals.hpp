// Recovery meals and snacks as data (templates/meals/*.json): what they are, their carbohydrate and protein
// grams, their tags, and a deterministic pick that honours the runner's filters. No randomness source:
// the caller passes a seed (derived from the update), so the same update always gets the same meal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "handlers/texts/template_error.hpp"
#include "handlers/understanding/message_parser.hpp"

namespace rb {

struct meal {
    std::string name;
    std::vector<std::string> ingredients;
    double carbs_g = 0;
    double protein_g = 0;
    int ready_min = 0;              // minutes from starting to eating (0: grab and eat)
    std::vector<std::string> tags;  // filter names from templates/words/meals.json ("vegan", "gluten_free")
    std::string how;                // one line

    bool has_tag(std::string_view tag) const;
    // Every filter is a tag of this meal: every filter is a hard rule, never relaxed (the dietary ones are
    // those a runner's health may hang on, so tests check their ingredients too).
    bool matches(const meal_filters& filters) const;
    // Right after a run: near 3:1 carbohydrate to protein (2.5:1 to 4:1) and ready within 30 minutes.
    bool post_run() const;
    // Carbohydrate to protein as "3:1" or "2.5:1"; "carbs only" without protein.
    std::string ratio_text() const;
};

// Parses one meals file: a JSON array of {"name", "ingredients": [...], "carbs_g", "protein_g", "ready_min",
// "tags": [...], "how"}. Tags must be among known_tags (the filter names); unknown tags, a vegan meal not
// tagged vegetarian and dairy-free, and missing or negative numbers are errors naming the file and the line.
std::variant<std::vector<meal>, template_error> parse_meals(std::string_view file, std::string_view json_text,
                                                            const std::vector<std::string>& known_tags);

// The carbohydrate a meal should carry, in grams (inclusive), to suit a plan's target.
struct carb_window {
    double low = 0, high = 0;
};

// Up to `count` distinct meals matching the filters (and, with post_run, fit for right after a run),
// chosen by seed; empty when none match. With a window, only meals inside it, unless none of the matching ones
// is: then any of them (a diet the window leaves nothing for still gets an idea).
std::vector<const meal*> pick_meals(const std::vector<meal>& meals, const meal_filters& filters, std::uint64_t seed,
                                    std::size_t count, bool post_run = false,
                                    std::optional<carb_window> window = std::nullopt);

// The filters in words, for replies: "vegan, quick" (empty without filters), with the labels of words.
std::string describe_filters(const meal_filters& filters, const lexicon& words);

}  // namespace rb
