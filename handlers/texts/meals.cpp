// Meal files: parsing with line-accurate errors, filter matching, the carb:protein ratio and the seeded pick.
// Pure: the JSON text comes in from bot/template_files through template_set::load.
#include "handlers/texts/meals.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

namespace rb {
namespace {

using json = nlohmann::json;

// nlohmann reports no positions for values, so a meal's line is where its name first appears.
int line_of_meal(std::string_view text, const std::string& name) {
    const auto at = name.empty() ? std::string_view::npos : text.find("\"" + name + "\"");
    return at == std::string_view::npos ? 1 : line_of(text, at);
}

std::string tag_list(const std::vector<std::string>& known) {
    std::string out;
    for (const auto& t : known) out += (out.empty() ? "" : ", ") + t;
    return out;
}

std::optional<std::string> read_tags(const json& j, meal& m, const std::vector<std::string>& known) {
    if (j.contains("tags") && !j["tags"].is_array()) return "tags must be a list";
    for (const auto& t : j.value("tags", json::array())) {
        if (!t.is_string()) return "tags must be strings";
        const std::string tag = t.get<std::string>();
        if (std::find(known.begin(), known.end(), tag) == known.end())
            return "unknown tag \"" + tag + "\" (" + tag_list(known) + ")";
        if (!m.has_tag(tag)) m.tags.push_back(tag);
    }
    if (m.has_tag("vegan") && !(m.has_tag("vegetarian") && m.has_tag("dairy_free")))
        return "a vegan meal is also vegetarian and dairy_free: tag it so";
    if (m.has_tag("quick") && m.ready_min > 10) return "\"quick\" means ready in 10 minutes or less";
    return std::nullopt;
}

std::optional<std::string> read_meal(const json& j, meal& m, const std::vector<std::string>& known) {
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
    if (!j.contains("ready_min") || !j["ready_min"].is_number_integer() || j["ready_min"].get<int>() < 0 ||
        j["ready_min"].get<int>() > 24 * 60)
        return "ready_min must be whole minutes (0-1440)";
    m.ready_min = j["ready_min"].get<int>();
    if (!j.contains("how") || !j["how"].is_string() || j["how"].get<std::string>().empty()) return "\"how\" is missing";
    m.how = j["how"].get<std::string>();
    if (!j.contains("ingredients") || !j["ingredients"].is_array() || j["ingredients"].empty()) return "no ingredients";
    for (const auto& i : j["ingredients"]) {
        if (!i.is_string()) return "ingredients must be strings";
        m.ingredients.push_back(i.get<std::string>());
    }
    return read_tags(j, m, known);
}

}  // namespace

bool meal::has_tag(std::string_view tag) const { return std::find(tags.begin(), tags.end(), tag) != tags.end(); }

bool meal::matches(const meal_filters& f) const {
    return std::all_of(f.names.begin(), f.names.end(), [&](const std::string& name) { return has_tag(name); });
}

bool meal::post_run() const {
    if (protein_g <= 0 || ready_min > 30) return false;
    const double ratio = carbs_g / protein_g;
    return ratio >= 2.5 && ratio <= 4.0;
}

std::string meal::ratio_text() const {
    if (protein_g <= 0) return "carbs only";
    const double r = std::round(carbs_g / protein_g * 2) / 2;  // to the nearest half: honest, not fussy
    char buf[32];
    std::snprintf(buf, sizeof buf, r == std::floor(r) ? "%.0f:1" : "%.1f:1", r);
    return buf;
}

std::variant<std::vector<meal>, template_error> parse_meals(std::string_view file, std::string_view json_text,
                                                            const std::vector<std::string>& known_tags) {
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
        if (auto bad = read_meal(j, m, known_tags)) {
            const std::string name = j.is_object() ? j.value("name", std::string()) : std::string();
            return template_error{std::string(file), line_of_meal(json_text, name), *bad};
        }
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<const meal*> pick_meals(const std::vector<meal>& meals, const meal_filters& filters, std::uint64_t seed,
                                    std::size_t count, bool post_run, std::optional<carb_window> window) {
    std::vector<const meal*> matching;
    for (const auto& m : meals) {
        if (m.matches(filters) && (!post_run || m.post_run())) matching.push_back(&m);
    }
    if (window) {
        std::vector<const meal*> fitting;
        for (const meal* m : matching)
            if (m->carbs_g >= window->low && m->carbs_g <= window->high) fitting.push_back(m);
        if (!fitting.empty()) matching = std::move(fitting);
    }
    std::vector<const meal*> out;
    if (matching.empty()) return out;
    // Consecutive picks from a seeded start; a stride coprime to the size would be no fairer for 1-3 picks.
    const std::size_t start = static_cast<std::size_t>(seed % matching.size());
    for (std::size_t i = 0; i < count && i < matching.size(); ++i)
        out.push_back(matching[(start + i) % matching.size()]);
    return out;
}

// In the lexicon's order (dietary rules first), so "vegan, quick" reads the same whatever the runner wrote.
std::string describe_filters(const meal_filters& f, const lexicon& words) {
    std::string out;
    for (const auto& known : words.filters) {
        if (!f.has(known.name) || (known.name == "vegetarian" && f.has("vegan"))) continue;  // vegan says it
        out += (out.empty() ? "" : ", ") + known.label;
    }
    return out;
}

}  // namespace rb
