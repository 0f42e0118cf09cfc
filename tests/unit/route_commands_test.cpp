// decide() for every command, with good and bad arguments: a bad argument always gets a one-line usage,
// a good one a confirmation and the settings change.
#include <gtest/gtest.h>

#include "handlers/route.hpp"
#include "route_fixture.hpp"

namespace {

using namespace rb::testing;
using rb::save_settings;

std::vector<rb::action> run(const std::string& text, rb::chat_settings s = {},
                            std::vector<rb::reminder> upcoming = {}) {
    return rb::decide(private_text(text), make_context(std::move(s), std::move(upcoming)));
}

rb::chat_settings saved(const std::vector<rb::action>& actions) {
    const auto all = all_of_kind<save_settings>(actions);
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? rb::chat_settings{} : all.front().settings;
}

void expect_usage(const std::string& text, std::string_view usage) {
    const auto actions = run(text);
    EXPECT_TRUE(all_of_kind<save_settings>(actions).empty()) << text;
    const std::string reply = only_reply(actions);
    EXPECT_TRUE(contains(reply, "Usage:")) << text << " -> " << reply;
    EXPECT_TRUE(contains(reply, usage)) << text << " -> " << reply;
    EXPECT_EQ(reply.find('\n'), std::string::npos) << "usage is one line: " << reply;
}

rb::reminder pending(std::string kind, std::int64_t due_ms) {
    rb::reminder r;
    r.id = std::to_string(runner_id) + ":m7:" + kind;
    r.kind = std::move(kind);
    r.run_id = "m7";
    r.due_ms = due_ms;
    return r;
}

TEST(StartCommand, WelcomesByNameAndOffersTheOptionalSettings) {
    const std::string reply = only_reply(run("/start"));
    EXPECT_TRUE(contains(reply, "Hi Ana!"));
    for (const char* part : {"/units", "/timezone", "/weight", "finished 15 miles"})
        EXPECT_TRUE(contains(reply, part)) << part;
    EXPECT_TRUE(contains(only_reply(run("/start from_website")), "recovery coach"));
}

TEST(HelpCommand, ListsEveryCommand) {
    const std::string reply = only_reply(run("/help"));
    for (const char* c : {"/plan", "/cancel", "/units", "/timezone", "/weight", "/quiet", "/meal", "/stop"}) {
        EXPECT_TRUE(contains(reply, c)) << c;
    }
}

TEST(MealCommand, GivesThreeIdeasAndHonoursFilters) {
    const std::string all = only_reply(run("/meal"));
    EXPECT_EQ(std::count(all.begin(), all.end(), '\n') >= 6, true) << all;
    const std::string vq = only_reply(run("/meal vegan, quick"));
    EXPECT_TRUE(contains(vq, "(vegan, quick)")) << vq;
    EXPECT_TRUE(contains(only_reply(run("/meal dairy-free")), "(dairy-free)"));
}

TEST(MealCommand, RejectsUnknownFilters) { expect_usage("/meal pizza", "/meal"); }

TEST(PlanCommand, ListsRemindersInTheRunnersTimeZone) {
    rb::chat_settings s;
    s.time_zone = "Europe/London";
    const auto ctx_now = make_context().now_ms;  // Sat 10:00 UTC = 11:00 BST
    const auto reply = only_reply(
        run("/plan", s,
            {pending("hydrate_2", ctx_now + 2 * 3'600'000), pending("morning_roll", ctx_now + 21 * 3'600'000)}));
    EXPECT_TRUE(contains(reply, "Europe/London")) << reply;
    EXPECT_TRUE(contains(reply, "today 13:00: drink")) << reply;
    EXPECT_TRUE(contains(reply, "tomorrow 08:00: morning foam roll")) << reply;
}

TEST(PlanCommand, SaysWhenNothingIsScheduled) { EXPECT_TRUE(contains(only_reply(run("/plan")), "Nothing scheduled")); }

TEST(CancelCommand, CancelsEverythingAndCounts) {
    const auto now = make_context().now_ms;
    const auto actions = run("/cancel", {}, {pending("eat", now), pending("roll", now + 60'000)});
    ASSERT_EQ(all_of_kind<rb::cancel_all_reminders>(actions).size(), 1u);
    EXPECT_EQ(all_of_kind<rb::cancel_all_reminders>(actions)[0].owner_id, runner_id);
    EXPECT_TRUE(contains(only_reply(actions), "Cancelled 2 upcoming reminders."));
    const auto nothing = run("/cancel");
    EXPECT_TRUE(all_of_kind<rb::cancel_all_reminders>(nothing).empty());
    EXPECT_TRUE(contains(only_reply(nothing), "nothing to cancel"));
}

TEST(UnitsCommand, SwitchesUnitsAndRemembersTheChoice) {
    const auto mi = saved(run("/units mi"));
    EXPECT_EQ(mi.units, rb::distance_unit::mi);
    EXPECT_TRUE(mi.units_set);
    EXPECT_TRUE(contains(only_reply(run("/units Miles")), "miles"));
    EXPECT_EQ(saved(run("/units km")).units, rb::distance_unit::km);
}

TEST(UnitsCommand, RejectsMissingOrUnknownUnits) {
    expect_usage("/units", "/units km");
    expect_usage("/units parsecs", "/units km");
}

TEST(TimezoneCommand, AcceptsKnownZonesInAnyCase) {
    const auto actions = run("/timezone europe/london");
    EXPECT_EQ(saved(actions).time_zone, "Europe/London");
    EXPECT_TRUE(contains(only_reply(actions), "11:00")) << only_reply(actions);  // 10:00 UTC in BST
}

TEST(TimezoneCommand, RejectsUnknownZonesNamingThem) {
    expect_usage("/timezone", "/timezone Area/City");
    expect_usage("/timezone Mars/Olympus", "Mars/Olympus");
    expect_usage("/timezone <b>x</b>", "&lt;b&gt;");
}

TEST(TimezoneCommand, WithoutAZoneCatalogSaysTryLater) {
    auto ctx = make_context();
    ctx.zones = nullptr;
    const auto actions = rb::decide(private_text("/timezone Europe/London"), ctx);
    EXPECT_TRUE(all_of_kind<save_settings>(actions).empty());
    EXPECT_TRUE(contains(only_reply(actions), "try again"));
}

TEST(QuietCommand, SetsAWindowOrSwitchesOff) {
    const auto set = run("/quiet 23:00-06:30");
    EXPECT_EQ(saved(set).quiet, (rb::quiet_hours{23 * 60, 6 * 60 + 30}));
    EXPECT_TRUE(contains(only_reply(set), "23:00-06:30"));
    EXPECT_EQ(saved(run("/quiet 22:00 - 07:00")).quiet, (rb::quiet_hours{22 * 60, 7 * 60}));
    const auto off = run("/quiet off");
    EXPECT_FALSE(saved(off).quiet);
    EXPECT_TRUE(contains(only_reply(off), "Quiet hours off"));
}

TEST(QuietCommand, RejectsBadWindows) {
    expect_usage("/quiet", "/quiet 22:00-07:00");
    expect_usage("/quiet 25:00-01:00", "/quiet 22:00-07:00");
    expect_usage("/quiet tonight", "/quiet 22:00-07:00");
}

TEST(WeightCommand, AcceptsKilogramsAndPoundsAndOff) {
    EXPECT_DOUBLE_EQ(saved(run("/weight 70kg")).weight_kg.value_or(0), 70);
    EXPECT_DOUBLE_EQ(saved(run("/weight 70,5 kg")).weight_kg.value_or(0), 70.5);
    EXPECT_NEAR(saved(run("/weight 154lb")).weight_kg.value_or(0), 69.9, 0.05);
    rb::chat_settings miles;
    miles.units = rb::distance_unit::mi;
    EXPECT_NEAR(saved(run("/weight 154", miles)).weight_kg.value_or(0), 69.9, 0.05);
    rb::chat_settings heavy;
    heavy.weight_kg = 80;
    EXPECT_FALSE(saved(run("/weight off", heavy)).weight_kg);
    EXPECT_TRUE(contains(only_reply(run("/weight 70kg")), "70 kg"));
}

TEST(WeightCommand, RejectsImplausibleOrUnreadableWeights) {
    for (const char* bad : {"/weight", "/weight heavy", "/weight 5kg", "/weight 900kg", "/weight -70kg",
                            "/weight 70stone", "/weight nan"}) {
        expect_usage(bad, "/weight 70kg");
    }
}

TEST(WeightCommand, KnownWeightPutsGramsIntoTheNextPlan) {
    rb::chat_settings s;
    s.weight_kg = 60;
    const auto plans = all_of_kind<rb::schedule_plan>(run("finished 15 miles", s));
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_TRUE(contains(plans[0].reminders[0].text, "60-70 g carbs")) << plans[0].reminders[0].text;
    EXPECT_TRUE(contains(plans[0].reminders[0].text, "18 g protein"));
}

TEST(StopCommand, ForgetsTheRunner) {
    const auto actions = run("/stop");
    ASSERT_EQ(all_of_kind<rb::forget_owner>(actions).size(), 1u);
    EXPECT_EQ(all_of_kind<rb::forget_owner>(actions)[0].owner_id, runner_id);
    EXPECT_TRUE(contains(only_reply(actions), "forgotten"));
}

TEST(UnknownCommand, SaysSoAndPointsToHelp) {
    const std::string reply = only_reply(run("/dance now"));
    EXPECT_TRUE(contains(reply, "/dance"));
    EXPECT_TRUE(contains(reply, "/help"));
}

}  // namespace
