// A template compiled once at load into a flat list of nodes, rendered straight from nlohmann::json values. The
// subset the templates use: {{name}} (HTML-escaped), {{{name}}} and {{&name}} (raw), {{#name}}...{{/name}} (false,
// null, "" and [] skip it; a list repeats it per item; any other value renders it once with the value on top of
// the lookup stack) and {{^name}}...{{/name}} (the opposite). Names are looked up from the innermost section
// outwards. Numbers print as integers when whole, else with one decimal.
//
// Rendering follows kainjow::mustache 4.1 (which checks the templates at load) line by line, including its rule
// that a line where a section rendered and nothing but blanks was written is left out; a unit test compares the
// two on every template. Parsing at every render cost more than half of an update's CPU (bench/webhook, perf).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rb {

class compiled_template {
public:
    // Throws std::invalid_argument for a tag it cannot compile (unbalanced sections, an empty or unknown tag).
    explicit compiled_template(std::string_view text);

    // escape: applied to {{name}} values (html_escape for Telegram's HTML).
    std::string render(const nlohmann::json& values, std::string (*escape)(std::string_view)) const;

private:
    enum class op : std::uint8_t { text, newline, var, raw_var, section, inverted };
    struct node {
        op kind = op::text;
        std::string text;       // text: the literal; var, sections: the name
        std::uint32_t end = 0;  // sections: index one past the section's last child node
    };
    struct state;
    void render_range(std::uint32_t from, std::uint32_t to, state& st) const;

    std::vector<node> nodes_;
};

}  // namespace rb
