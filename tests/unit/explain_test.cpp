// explain(): what the CLI prints for a message, built from decide() on a synthetic private chat.
#include "handlers/explain.hpp"

#include <gtest/gtest.h>

#include "route_fixture.hpp"

namespace {

using rb::testing::contains;
using rb::testing::texts;
using rb::testing::zones;

const std::int64_t now = rb::testing::utc_ms(2024, 5, 4, 10, 0);

nlohmann::json explain(std::string_view text, rb::chat_settings s = {}) {
    return rb::explain(text, s, now, texts(), zones());
}

TEST(Explain, RunReportShowsTheRunReplyAndReminders) {
    const auto e = explain("finished 15 miles");
    EXPECT_EQ(e["intent"], "run_report");
    EXPECT_NEAR(e["run"]["distance_km"].get<double>(), 24.14, 0.05);
    EXPECT_EQ(e["run"]["unit"], "mi");
    EXPECT_TRUE(e["run"].contains("kind"));
    EXPECT_TRUE(contains(e["reply"].get<std::string>(), "15-mile"));
    ASSERT_GE(e["reminders"].size(), 6u);
    EXPECT_EQ(e["reminders"][0]["kind"], "eat");
    EXPECT_EQ(e["reminders"][0]["offset_minutes"], 1);
    for (const auto& r : e["reminders"]) {
        EXPECT_TRUE(r["offset_minutes"].is_number_integer());
        EXPECT_FALSE(r["text"].get<std::string>().empty());
    }
}

TEST(Explain, WeightAndUnitsChangeTheNumbersAndTheBareDistance) {
    rb::chat_settings s;
    s.weight_kg = 70;
    s.units = rb::distance_unit::mi;
    const auto e = explain("ran 8 today", s);
    ASSERT_EQ(e["intent"], "run_report");
    EXPECT_EQ(e["run"]["unit"], "mi");
    // 8 miles easy: one ordinary meal's worth (about 1 g/kg), not the hourly long-run refuelling
    EXPECT_TRUE(contains(e["reminders"][0]["text"].get<std::string>(), "70 g carbs")) << e["reminders"][0]["text"];
    const auto long_run = explain("ran 18 miles", s);
    EXPECT_TRUE(contains(long_run["reminders"][0]["text"].get<std::string>(), "70-85 g carbs"));
}

TEST(Explain, QuestionHasATopicAndNoReminders) {
    const auto e = explain("how many minutes of foam rolling after a run?");
    EXPECT_EQ(e["intent"], "question");
    EXPECT_EQ(e["topic"], "foam_rolling");
    EXPECT_TRUE(e["reminders"].empty());
    EXPECT_FALSE(e["reply"].get<std::string>().empty());
}

TEST(Explain, MealRequestFutureRunAndCommand) {
    EXPECT_EQ(explain("ideas for a recovery meal")["intent"], "meal_request");
    const auto future = explain("going to run 15 miles tomorrow");
    EXPECT_NE(future["intent"], "run_report");
    EXPECT_TRUE(future["reminders"].empty());
    const auto cmd = explain("/help");
    EXPECT_EQ(cmd["command"], "help");
    EXPECT_TRUE(contains(cmd["reply"].get<std::string>(), "/timezone"));
}

TEST(ExplainText, PlainTextHasNoHtmlAndListsReminders) {
    const std::string out = rb::explain_text(explain("finished 15 miles"));
    EXPECT_TRUE(contains(out, "Understood: run_report"));
    EXPECT_TRUE(contains(out, "Reminders:"));
    EXPECT_TRUE(contains(out, "+1 min  eat:"));
    EXPECT_FALSE(contains(out, "<b>"));
    EXPECT_FALSE(contains(out, "&amp;"));
    EXPECT_TRUE(contains(rb::explain_text(explain("hello")), "No reminders scheduled."));
}

}  // namespace
