// The meal data checked against what it claims: a dietary tag is a hard rule, so every meal is scanned for
// the ingredients each of its tags forbids; the shown ratio matches the grams; each filter has enough meals;
// and every diet has meals fit for right after a run (near 3:1, ready within 30 minutes).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "route_fixture.hpp"

namespace {

using rb::testing::texts;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// Words a tag forbids in an ingredient, and the phrases that make the ingredient the safe kind ("oat milk" is
// not milk, "gluten-free oats" are fine).
struct rule {
    std::vector<std::string> forbidden;
    std::vector<std::string> allowed;
};

const std::map<std::string, rule>& rules() {
    static const std::map<std::string, rule> r = {
        {"vegan",
         {{"chicken", "beef",    "pork", "ham",     "turkey",   "tuna",   "salmon", "fish",
           "prawn",   "egg",     "milk", "yoghurt", "yogurt",   "cheese", "butter", "whey",
           "honey",   "cottage", "feta", "cream",   "meatball", "bacon",  "sardine"},
          {"soy milk",   "oat milk",    "almond milk",   "soya milk",       "coconut milk",
           "plant milk", "soy yoghurt", "soya yoghurt",  "coconut yoghurt", "vegan",
           "pea milk",   "nut butter",  "peanut butter", "almond butter",   "plant-based",
           "dairy-free", "eggplant",    "cashew cream",  "cream crackers",  "oat cream"}}},
        {"vegetarian",
         {{"chicken", "beef", "pork", "ham", "turkey", "tuna", "salmon", "fish", "prawn", "meatball", "bacon",
           "sardine", "anchov", "gelatine"},
          {"vegetarian", "veggie", "plant-based", "vegan"}}},
        {"dairy_free",
         {{"milk", "yoghurt", "yogurt", "cheese", "butter", "whey", "cream", "cottage", "feta", "kefir", "skyr",
           "quark", "casein", "ghee"},
          {"soy milk", "oat milk", "almond milk", "soya milk", "coconut milk", "plant milk", "soy yoghurt",
           "soya yoghurt", "coconut yoghurt", "peanut butter", "nut butter", "almond butter", "dairy-free", "pea milk",
           "cream crackers", "vegan", "oat cream", "cashew cream", "coconut cream"}}},
        {"gluten_free",
         {{"pasta",   "bread",  "wrap",    "tortilla", "oats",    "couscous", "bulgur",  "barley",
           "rye",     "spelt",  "bagel",   "pitta",    "pita",    "toast",    "noodle",  "soy sauce",
           "granola", "muesli", "cracker", "flour",    "biscuit", "seitan",   "crumpet", "muffin"},
          {"gluten-free", "gluten free", "rice noodle", "tamari", "corn tortilla", "rice cake", "buckwheat"}}},
        {"nut_free",
         {{"peanut", "almond", "cashew", "walnut", "pecan", "hazelnut", "pistachio", "pesto", "nut butter", "macadamia",
           "brazil nut", " nuts", "nutella", "marzipan", "praline"},
          {"nut-free", "nutmeg", "coconut", "doughnut", "donut", "butternut", "seed butter", "sunflower"}}},
    };
    return r;
}

// The forbidden word found in the meal's ingredients; an ingredient that says it is the safe kind ("gluten-free
// red lentil pasta", "200 ml soy milk") is fine as a whole. Empty when clean.
std::string violation(const rb::meal& m, const rule& r) {
    for (const auto& ingredient : m.ingredients) {
        const std::string text = " " + lower(ingredient);
        if (std::any_of(r.allowed.begin(), r.allowed.end(),
                        [&](const auto& ok) { return text.find(ok) != std::string::npos; }))
            continue;
        for (const auto& bad : r.forbidden)
            if (text.find(bad) != std::string::npos) return bad;
    }
    return {};
}

TEST(MealData, EveryDietaryTagHoldsForEveryMealThatClaimsIt) {
    std::string failures;
    for (const auto& m : texts().meals())
        for (const auto& [tag, r] : rules())
            if (m.has_tag(tag))
                if (const auto bad = violation(m, r); !bad.empty())
                    failures += m.name + " claims " + tag + " but has \"" + bad + "\"\n";
    EXPECT_TRUE(failures.empty()) << failures;
}

TEST(MealData, TheCheckCatchesAMealThatBreaksItsTag) {
    rb::meal m;
    m.name = "Fake";
    m.ingredients = {"200 ml whole milk", "40 g oats"};
    EXPECT_EQ(violation(m, rules().at("dairy_free")), "milk");
    EXPECT_EQ(violation(m, rules().at("gluten_free")), "oats");
    m.ingredients = {"200 ml oat milk", "40 g gluten-free oats"};
    EXPECT_EQ(violation(m, rules().at("dairy_free")), "");
    EXPECT_EQ(violation(m, rules().at("gluten_free")), "");
}

TEST(MealData, TagsAgreeWithTheNumbers) {
    for (const auto& m : texts().meals()) {
        EXPECT_EQ(m.has_tag("high_protein"), m.protein_g >= 25) << m.name;
        if (m.has_tag("quick")) {
            EXPECT_LE(m.ready_min, 10) << m.name;
        }
        if (m.has_tag("vegan")) {
            EXPECT_TRUE(m.has_tag("vegetarian") && m.has_tag("dairy_free")) << m.name;
        }
        // The ratio shown is the grams' ratio, to the nearest half.
        if (m.protein_g > 0) {
            const double shown = std::stod(m.ratio_text());
            EXPECT_NEAR(shown, m.carbs_g / m.protein_g, 0.25 + 1e-9) << m.name << " shows " << m.ratio_text();
        }
    }
}

TEST(MealData, EveryFilterHasEnoughMealsAndEveryDietHasPostRunPicks) {
    for (const char* tag : {"gluten_free", "nut_free", "high_protein", "breakfast", "snack", "no_cook", "vegan",
                            "vegetarian", "dairy_free", "quick"}) {
        const auto n = std::count_if(texts().meals().begin(), texts().meals().end(),
                                     [&](const rb::meal& m) { return m.has_tag(tag); });
        EXPECT_GE(n, 15) << tag;
    }
    for (const char* diet : {"", "vegan", "vegetarian", "dairy_free", "gluten_free", "nut_free"}) {
        const auto n = std::count_if(texts().meals().begin(), texts().meals().end(), [&](const rb::meal& m) {
            return (std::string(diet).empty() || m.has_tag(diet)) && m.post_run();
        });
        EXPECT_GE(n, 5) << diet;
    }
}

}  // namespace

namespace {

// The eat-now ping and the reply's meal idea name the same meal, and it fits what the bot just said: near
// 3:1 and ready within 30 minutes.
TEST(MealIdea, TheReplyAndTheEatNowPingAgreeOnAPostRunMeal) {
    for (int message = 1; message <= 40; ++message) {
        auto u = rb::testing::private_text("finished 15 miles", message);
        u.update_id = 5000 + message;
        const auto actions = rb::decide(u, rb::testing::make_context());
        const auto reply = rb::testing::only_reply(actions);
        const auto plans = rb::testing::all_of_kind<rb::schedule_plan>(actions);
        ASSERT_EQ(plans.size(), 1u);
        const auto& eat = plans[0].reminders.front();
        ASSERT_EQ(eat.kind, "eat");
        const auto idea = eat.text.find("Idea: ");
        ASSERT_NE(idea, std::string::npos) << eat.text;
        const std::string name = eat.text.substr(idea + 6, eat.text.find(".\n", idea) - idea - 6);
        EXPECT_NE(reply.find("<b>" + rb::html_escape(name) + "</b>"), std::string::npos) << name << "\n" << reply;
        const auto meal = std::find_if(texts().meals().begin(), texts().meals().end(),
                                       [&](const rb::meal& m) { return rb::html_escape(m.name) == name; });
        ASSERT_NE(meal, texts().meals().end()) << name;
        EXPECT_TRUE(meal->post_run()) << name;
    }
}

}  // namespace
