// Every template rendered with no values, with every value set, and with every section a one-item list
// must read cleanly: no empty brackets, no space before punctuation, no empty bold or italic, no doubled
// spaces, no space at a line's end. The values come from the template's own tags, so a new template is
// checked without touching this test.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "texts_fixture.hpp"

namespace {

using nlohmann::json;
using rb::testing::template_files;
using rb::testing::texts;

struct tags {
    std::set<std::string> variables, sections;
};

tags tags_of(const std::string& source) {
    tags out;
    static const std::regex tag(R"(\{\{([#^/]?)\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\})");
    for (auto it = std::sregex_iterator(source.begin(), source.end(), tag); it != std::sregex_iterator(); ++it) {
        const std::string kind = (*it)[1], name = (*it)[2];
        (kind.empty() ? out.variables : out.sections).insert(name);
    }
    return out;
}

// The values variants: every variable a short word; sections true, or a one-item list of the same values.
std::vector<json> variants_for(const tags& t) {
    json flat = json::object();
    for (const auto& v : t.variables) flat[v] = "word";
    json with_true = flat, with_lists = flat;
    for (const auto& s : t.sections) {
        if (t.variables.count(s)) continue;  // "{{#meal}}Idea: {{meal}}{{/meal}}": the word is the value
        with_true[s] = true;
        with_lists[s] = json::array({flat});
    }
    return {json::object(), with_true, with_lists};
}

std::string artefact_in(const std::string& text) {
    for (const char* bad : {"()", " ?", " .", " ,", " :", " !", "<b></b>", "<i></i>", "  ", " \n", "\n\n\n"})
        if (text.find(bad) != std::string::npos) return bad;
    if (!text.empty() && (text.front() == ' ' || text.front() == '\n')) return "leading blank";
    return {};
}

TEST(TemplateArtefacts, EveryTemplateReadsCleanlyEmptyAndFull) {
    std::string failures;
    for (const auto& [file, source] : template_files()) {
        if (file.size() < 9 || file.substr(file.size() - 9) != ".mustache") continue;
        const std::string name = file.substr(0, file.size() - 9);
        int variant = 0;
        for (const json& values : variants_for(tags_of(source))) {
            const std::string text = texts().render(name, values);
            if (const auto bad = artefact_in(text); !bad.empty())
                failures +=
                    name + " (values " + std::to_string(variant) + "): \"" + bad + "\" in:\n" + text + "\n---\n";
            ++variant;
        }
    }
    EXPECT_TRUE(failures.empty()) << failures;
}

TEST(TemplateArtefacts, TheCheckFindsWhatItLooksFor) {
    EXPECT_EQ(artefact_in("Recovery meal ideas ()"), "()");
    EXPECT_EQ(artefact_in("Sore ?"), " ?");
    EXPECT_EQ(artefact_in("(I don't know  )"), "  ");
    EXPECT_EQ(artefact_in("<b></b> ok"), "<b></b>");
    EXPECT_EQ(artefact_in("All good: 3:1, 10 km."), "");
}

}  // namespace
