// Meal files: parsing with line-accurate errors, filter matching, the carb:protein ratio and the seeded pick.
// Pure: the JSON text comes in from bot/template_files through template_set::load.
#include "meals.hpp"

#include <cmath>
#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

namespace rb {
namespace {

using json = nlohmann::json;

// nlohmann reports no positions for values, so a meal's line is where its name first appears.
int line_of_meal(std::string_view text, const std::string& name) {
    const auto at = name.empty() ? std::string_view::npos : text.find("\"" + name + "\"");
    return at == std::string_view::npos ? 1 : line_of(text, at);
}

std::optional<std::string> apply_tag(meal& m, const std::string& tag) {
    if (tag == "vegetarian")
        m.vegetarian = true;
    else if (tag == "vegan")
        m.vegan = m.vegetarian = m.dairy_free = true;
    else if (tag == "dairy_free")
        m.dairy_free = true;
    else if (tag == "quick")
        m.quick = true;
    else
        return "unknown tag \"" + tag + "\" (vegetarian, vegan, dairy_free, quick)";
    return std::nullopt;
}

std::optional<std::string> read_meal(const json& j, meal& m) {
    if (!j.is_object()) return "each meal must be an object";
    if (!j.contains("name") || !j["name"].is_string() || j["name"].get<std::string>().empty())
        return "meal without a name";
    m.name = j["name"].get<std::string>();
    for (const char* key : {"carbs_g", "protein_g"}) {
        if (!j.contains(key) || !j[key].is_number() || j[key].get<double>() < 0 || j[key].get<double>() > 500) {
            return std::string(key) + " must be a number of grams (0-500)";
        }
    }
    m.carbs_g = j["carbs_g"].get<double>();
    m.protein_g = j["protein_g"].get<double>();
    if (!j.contains("how") || !j["how"].is_string() || j["how"].get<std::string>().empty()) return "\"how\" is missing";
    m.how = j["how"].get<std::string>();
    if (!j.contains("ingredients") || !j["ingredients"].is_array() || j["ingredients"].empty()) return "no ingredients";
    for (const auto& i : j["ingredients"]) {
        if (!i.is_string()) return "ingredients must be strings";
        m.ingredients.push_back(i.get<std::string>());
    }
    if (j.contains("tags") && !j["tags"].is_array()) return "tags must be a list";
    for (const auto& t : j.value("tags", json::array())) {
        if (!t.is_string()) return "tags must be strings";
        if (auto bad = apply_tag(m, t.get<std::string>())) return bad;
    }
    return std::nullopt;
}

}  // namespace

bool meal::matches(const meal_filters& f) const {
    return (!f.vegetarian || vegetarian) && (!f.vegan || vegan) && (!f.dairy_free || dairy_free) && (!f.quick || quick);
}

std::string meal::ratio_text() const {
    if (protein_g <= 0) return "carbs only";
    const double r = std::round(carbs_g / protein_g * 2) / 2;  // to the nearest half: honest, not fussy
    char buf[32];
    std::snprintf(buf, sizeof buf, r == std::floor(r) ? "%.0f:1" : "%.1f:1", r);
    return buf;
}

std::variant<std::vector<meal>, template_error> parse_meals(std::string_view file, std::string_view json_text) {
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::parse_error& e) {
        return template_error{std::string(file), line_of(json_text, e.byte == 0 ? 0 : e.byte - 1), "invalid JSON"};
    }
    if (!doc.is_array()) return template_error{std::string(file), 1, "a meals file is a JSON array of meals"};
    std::vector<meal> out;
    for (const auto& j : doc) {
        meal m;
        if (auto bad = read_meal(j, m)) {
            const std::string name = j.is_object() ? j.value("name", std::string()) : std::string();
            return template_error{std::string(file), line_of_meal(json_text, name), *bad};
        }
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<const meal*> pick_meals(const std::vector<meal>& meals, const meal_filters& filters, std::uint64_t seed,
                                    std::size_t count) {
    std::vector<const meal*> matching;
    for (const auto& m : meals) {
        if (m.matches(filters)) matching.push_back(&m);
    }
    std::vector<const meal*> out;
    if (matching.empty()) return out;
    // Consecutive picks from a seeded start; a stride coprime to the size would be no fairer for 1-3 picks.
    const std::size_t start = static_cast<std::size_t>(seed % matching.size());
    for (std::size_t i = 0; i < count && i < matching.size(); ++i)
        out.push_back(matching[(start + i) % matching.size()]);
    return out;
}

std::string describe_filters(const meal_filters& f) {
    std::string out;
    const auto add = [&out](bool on, const char* word) {
        if (on) out += (out.empty() ? "" : ", ") + std::string(word);
    };
    add(f.vegan, "vegan");
    add(f.vegetarian && !f.vegan, "vegetarian");
    add(f.dairy_free && !f.vegan, "dairy-free");
    add(f.quick, "quick");
    return out;
}

}  // namespace rb
