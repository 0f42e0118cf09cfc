// compiled_template renders exactly what kainjow::mustache 4.1 renders, on every template in templates/ and on a
// few hand-made edge cases, for many value sets: names missing, false, true, "", text needing escapes, numbers,
// lists of objects. kainjow stays the checker at load; this keeps the fast renderer honest against it.
#include "handlers/texts/compiled_template.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <random>
#include <regex>
#include <set>

#include "handlers/texts/standalone_lines.hpp"
#include "handlers/texts/templates.hpp"

namespace rb {
namespace {

namespace mu = kainjow::mustache;
using nlohmann::json;

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v == std::floor(v) && std::fabs(v) < 1e15 ? "%.0f" : "%.1f", v);
    return buf;
}

// How the bot fed kainjow before compiled templates: "" and null are false, numbers are text.
mu::data to_data(const json& j) {
    switch (j.type()) {
        case json::value_t::object: {
            mu::data out{mu::data::type::object};
            for (const auto& [key, value] : j.items()) out.set(key, to_data(value));
            return out;
        }
        case json::value_t::array: {
            mu::data out{mu::data::type::list};
            for (const auto& value : j) out.push_back(to_data(value));
            return out;
        }
        case json::value_t::string:
            if (j.get_ref<const std::string&>().empty()) return mu::data{false};
            return mu::data{j.get<std::string>()};
        case json::value_t::boolean:
            return mu::data{j.get<bool>()};
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float:
            return mu::data{number_text(j.get<double>())};
        default:
            return mu::data{false};
    }
}

std::string by_kainjow(const std::string& marked, const json& values) {
    mu::mustache parsed{marked};
    parsed.set_custom_escape([](const std::string& s) { return html_escape(s); });
    return drop_marked_lines(parsed.render(to_data(values)));
}

std::string by_compiled(const std::string& marked, const json& values) {
    return drop_marked_lines(compiled_template(marked).render(values, html_escape));
}

std::set<std::string> names_in(const std::string& text) {
    std::set<std::string> out;
    static const std::regex tag(R"(\{\{[#^/&{]?\s*([a-z_0-9]+)\s*\}?\}\})");
    for (std::sregex_iterator it(text.begin(), text.end(), tag), end; it != end; ++it) out.insert((*it)[1]);
    return out;
}

json random_value(std::mt19937& rng, const std::set<std::string>& names, int depth) {
    switch (rng() % (depth > 0 ? 8 : 7)) {
        case 0:
            return false;
        case 1:
            return true;
        case 2:
            return "";
        case 3:
            return "a <b> & \"c\" 'd'";
        case 4:
            return static_cast<int>(rng() % 100);
        case 5:
            return 12.25;
        case 6:
            return nullptr;
        default: {
            json list = json::array();
            for (unsigned k = rng() % 3; k > 0; --k) {
                json item = json::object();
                for (const auto& n : names)
                    if (rng() % 2) item[n] = random_value(rng, names, depth - 1);
                list.push_back(item);
            }
            return list;
        }
    }
}

void expect_same_on_random_values(const std::string& label, const std::string& text, int rounds) {
    const std::string marked = mark_section_tag_lines(text);
    const auto names = names_in(text);
    std::mt19937 rng(12345);
    for (int round = 0; round < rounds; ++round) {
        json values = json::object();
        for (const auto& n : names)
            if (rng() % 4) values[n] = random_value(rng, names, 1);
        ASSERT_EQ(by_compiled(marked, values), by_kainjow(marked, values)) << label << " with " << values.dump();
    }
}

TEST(CompiledTemplate, RendersEveryTemplateAsKainjowDoes) {
    const std::filesystem::path dir = std::filesystem::path(RB_SOURCE_DIR) / "templates";
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.path().extension() != ".mustache") continue;
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        expect_same_on_random_values(entry.path().string(), text, 200);
        ++files;
    }
    EXPECT_GT(files, 50);
}

TEST(CompiledTemplate, MatchesKainjowOnLineEdgeCases) {
    for (const char* text : {"a\n{{#x}}\n  b\n{{/x}}\nc\n", "{{#x}}{{y}}{{/x}}\nnext\n", "  {{#x}}  {{/x}}  \nz",
                             "{{^x}}none{{/x}}{{#x}}{{#y}}[{{z}}]{{/y}}{{/x}}\n", "{{x}}{{{x}}}{{&x}}\n\n\n",
                             "{{#list}}- {{name}}\n{{/list}}end", "{{! a comment }}t{{x}}\n"}) {
        expect_same_on_random_values(text, text, 300);
    }
}

TEST(CompiledTemplate, RefusesWhatItCannotCompile) {
    EXPECT_THROW(compiled_template("{{#a}}x"), std::invalid_argument);
    EXPECT_THROW(compiled_template("{{#a}}x{{/b}}"), std::invalid_argument);
    EXPECT_THROW(compiled_template("{{> partial}}"), std::invalid_argument);
    EXPECT_THROW(compiled_template("{{x"), std::invalid_argument);
}

}  // namespace
}  // namespace rb
