// The template set: the real templates/ load and every one renders with hostile values escaped; broken
// templates and meal files are refused at load naming the file and line; meals, ratios and picks.
#include "handlers/texts/templates.hpp"

#include <gtest/gtest.h>

#include <set>

#include "texts_fixture.hpp"

namespace {

using nlohmann::json;
using rb::testing::template_files;
using rb::testing::texts;

const std::string hostile = "<script>alert(\"x\")</script> & 'y'";

rb::template_error load_error(const std::map<std::string, std::string>& files) {
    auto loaded = rb::template_set::load(files);
    EXPECT_TRUE(std::holds_alternative<rb::template_error>(loaded)) << "loaded although broken";
    return std::holds_alternative<rb::template_error>(loaded) ? std::get<rb::template_error>(loaded)
                                                              : rb::template_error{};
}

// Every value any template uses, all hostile; lists and flags so that every section renders.
json hostile_values() {
    json v = json::object();
    for (const char* key :
         {"first_name", "units",     "time_zone", "distance",      "kind",     "size",       "weight",
          "carbs_g",    "protein_g", "drink",     "lost",          "hours",    "meal",       "muscle",
          "bad",        "unit_name", "zone",      "local_time",    "window",   "end",        "count",
          "name",       "filters",   "kg",        "carbs",         "protein",  "hourly_low", "hourly_high",
          "refused",    "range",     "swapped",   "too_fast_time", "capped_at"}) {
        v[key] = hostile;
    }
    for (const char* flag : {"has_weight", "first", "replaced", "after_run", "plural", "diet"}) v[flag] = true;
    v["steps"] = json::array({{{"when", hostile}, {"eat", true}}, {{"when", hostile}, {"hydrate", true}}});
    v["items"] = json::array({{{"time", hostile}, {"other", true}, {"kind", hostile}}});
    v["meals"] = json::array({{{"name", hostile},
                               {"carbs_g", hostile},
                               {"protein_g", hostile},
                               {"ratio", hostile},
                               {"ingredients", hostile},
                               {"how", hostile}}});
    return v;
}

TEST(Templates, RealTemplatesLoadWithEveryRequiredName) {
    auto loaded = rb::template_set::load(template_files());
    ASSERT_TRUE(std::holds_alternative<rb::template_set>(loaded))
        << std::get<rb::template_error>(loaded).full_message();
    const auto& set = std::get<rb::template_set>(loaded);
    for (const auto& name : rb::required_templates()) EXPECT_TRUE(set.has(name)) << name;
}

TEST(Templates, EveryTemplateRendersWithHostileValuesEscaped) {
    const json values = hostile_values();
    for (const auto& name : texts().names()) {
        const std::string out = texts().render(name, values);
        EXPECT_TRUE(!out.empty() || name == "plan_step") << name;  // plan_step: a label, only for a known step
        EXPECT_EQ(out.find("<script>"), std::string::npos) << name;
        EXPECT_EQ(out.find("\"x\""), std::string::npos) << name;
        EXPECT_EQ(out.find("& 'y'"), std::string::npos) << name;
        EXPECT_EQ(out.find("{{"), std::string::npos) << name;
    }
}

TEST(Templates, ValuesAreEscapedForTelegramHtml) {
    const std::string out = texts().render("greeting", json{{"first_name", "<b>Tom & \"Jerry\" 'J'</b>"}});
    EXPECT_NE(out.find("&lt;b&gt;Tom &amp; &quot;Jerry&quot; &#39;J&#39;&lt;/b&gt;"), std::string::npos) << out;
    EXPECT_EQ(rb::html_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
}

TEST(Templates, FalseSectionsOnTheirOwnLinesLeaveNoBlankLines) {
    auto files = template_files();
    files["thanks.mustache"] = "a\n{{#x}}\nb\n{{/x}}\n{{^x}}\nnot b\n{{/x}}\nc\n\nd\n";
    auto loaded = rb::template_set::load(files);
    ASSERT_TRUE(std::holds_alternative<rb::template_set>(loaded));
    const auto& set = std::get<rb::template_set>(loaded);
    EXPECT_EQ(set.render("thanks", json{{"x", false}}), "a\nnot b\nc\n\nd");
    EXPECT_EQ(set.render("thanks", json{{"x", true}}), "a\nb\nc\n\nd");
    files["thanks.mustache"] = "a\n\n{{#x}}\nb\n{{/x}}\n\nc\n";
    auto blank = rb::template_set::load(files);
    ASSERT_TRUE(std::holds_alternative<rb::template_set>(blank));
    EXPECT_EQ(std::get<rb::template_set>(blank).render("thanks", json{{"x", false}}), "a\n\n\nc");
}

TEST(Templates, NumbersRenderWithoutNeedlessDecimals) {
    const std::string out = texts().render("command/cancelled", json{{"count", 3}, {"plural", true}});
    EXPECT_EQ(out, "Cancelled 3 upcoming reminders.");
}

TEST(Templates, UnclosedSectionIsRejectedNamingFileAndLine) {
    auto files = template_files();
    files["help.mustache"] = "first line\nsecond {{#open}} line\nthird\n";
    const auto e = load_error(files);
    EXPECT_EQ(e.file, "help.mustache");
    EXPECT_EQ(e.line, 2);
    EXPECT_NE(e.full_message().find("help.mustache:2:"), std::string::npos) << e.full_message();
}

TEST(Templates, UnclosedTagIsRejectedNamingTheLine) {
    auto files = template_files();
    files["reminder/eat.mustache"] = "one\ntwo\nthree {{meal\n";
    const auto e = load_error(files);
    EXPECT_EQ(e.file, "reminder/eat.mustache");
    EXPECT_EQ(e.line, 3);
}

TEST(Templates, UnescapedAndPartialTagsAreRefused) {
    for (const char* text : {"hi {{{name}}}", "hi {{&name}}", "hi {{> other}}"}) {
        auto files = template_files();
        files["thanks.mustache"] = std::string("ok\n") + text;
        const auto e = load_error(files);
        EXPECT_EQ(e.file, "thanks.mustache");
        EXPECT_EQ(e.line, 2) << text;
    }
}

TEST(Templates, HtmlTelegramCannotParseIsRefused) {
    const std::pair<const char*, int> cases[] = {{"fine\n<b>never closed\n", 2},
                                                 {"a & b\n", 1},
                                                 {"x\ny\n<div>no</div>\n", 3},
                                                 {"</i> stray\n", 1},
                                                 {"<b><i>crossed</b></i>\n", 1}};
    for (const auto& [text, line] : cases) {
        auto files = template_files();
        files["fallback.mustache"] = text;
        const auto e = load_error(files);
        EXPECT_EQ(e.file, "fallback.mustache") << text;
        EXPECT_EQ(e.line, line) << text;
    }
}

TEST(Templates, MissingRequiredTemplateIsNamed) {
    auto files = template_files();
    files.erase("reminder/ice.mustache");
    const auto e = load_error(files);
    EXPECT_EQ(e.file, "reminder/ice.mustache");
    EXPECT_NE(e.message.find("missing"), std::string::npos);
}

TEST(Templates, RenderingAnUnknownNameIsAProgrammingError) {
    EXPECT_THROW(texts().render("no/such/template"), std::out_of_range);
}

TEST(Meals, BrokenMealFileIsRejectedNamingTheMealsLine) {
    auto files = template_files();
    files["meals/bad.json"] = R"([
 {"name": "Good", "ingredients": ["x"], "carbs_g": 10, "protein_g": 5, "ready_min": 0, "tags": [], "how": "Eat."},
 {"name": "No protein", "ingredients": ["x"], "carbs_g": 10, "ready_min": 0, "tags": [], "how": "Eat."}
])";
    const auto e = load_error(files);
    EXPECT_EQ(e.file, "meals/bad.json");
    EXPECT_EQ(e.line, 3);
    EXPECT_NE(e.message.find("protein_g"), std::string::npos);
}

TEST(Meals, InvalidJsonAndUnknownTagsAreRejected) {
    auto files = template_files();
    files["meals/bad.json"] = "[\n {\"name\": \"x\",\n oops\n]";
    EXPECT_EQ(load_error(files).line, 3);
    files["meals/bad.json"] =
        R"([{"name": "Keto", "ingredients": ["x"], "carbs_g": 1, "protein_g": 5, "ready_min": 0, "tags": ["keto"], "how": "Eat."}])";
    EXPECT_NE(load_error(files).message.find("unknown tag"), std::string::npos);
}

TEST(Meals, GuideIdeasAndAtLeastTwentyMoreAreThere) {
    const auto& meals = texts().meals();
    EXPECT_GE(meals.size(), 27u);
    std::set<std::string> names;
    for (const auto& m : meals) {
        names.insert(m.name);
        EXPECT_GT(m.carbs_g + m.protein_g, 0) << m.name;
        EXPECT_FALSE(m.how.empty()) << m.name;
    }
    EXPECT_EQ(names.size(), meals.size()) << "meal names repeat";
    for (const char* guide : {"Pasta with meatballs", "Vanilla protein smoothie with peanut butter and oats",
                              "Loaded omelette on toast", "Chocolate milk", "Greek yoghurt with honey and granola",
                              "Protein bar and a banana", "Chicken breast with rice and greens"}) {
        EXPECT_TRUE(names.count(guide)) << guide;
    }
}

TEST(Meals, VeganMeansVegetarianAndDairyFree) {
    std::size_t vegan = 0;
    for (const auto& m : texts().meals()) {
        if (!m.has_tag("vegan")) continue;
        ++vegan;
        EXPECT_TRUE(m.has_tag("vegetarian") && m.has_tag("dairy_free")) << m.name;
    }
    EXPECT_GE(vegan, 5u);
}

TEST(Meals, RatioIsShownToTheNearestHalf) {
    rb::meal m;
    m.carbs_g = 52, m.protein_g = 17;
    EXPECT_EQ(m.ratio_text(), "3:1");
    m.carbs_g = 49, m.protein_g = 21;
    EXPECT_EQ(m.ratio_text(), "2.5:1");
    m.protein_g = 0;
    EXPECT_EQ(m.ratio_text(), "carbs only");
}

TEST(Meals, PickIsDeterministicAndHonoursFilters) {
    rb::meal_filters vegan;
    vegan.add("vegan");
    const auto a = rb::pick_meals(texts().meals(), vegan, 42, 3);
    const auto b = rb::pick_meals(texts().meals(), vegan, 42, 3);
    ASSERT_EQ(a.size(), 3u);
    EXPECT_EQ(a, b);
    for (const auto* m : a) EXPECT_TRUE(m->has_tag("vegan")) << m->name;
    EXPECT_NE(rb::pick_meals(texts().meals(), {}, 1, 1).front(), rb::pick_meals(texts().meals(), {}, 2, 1).front());
}

TEST(Meals, FiltersNobodyCanMeetGiveNoMeals) {
    std::vector<rb::meal> only_meat(1);
    only_meat[0].name = "Steak";
    rb::meal_filters veg;
    veg.add("vegetarian");
    EXPECT_TRUE(rb::pick_meals(only_meat, veg, 7, 3).empty());
    EXPECT_EQ(rb::describe_filters(veg, texts().words()), "vegetarian");
}

}  // namespace
