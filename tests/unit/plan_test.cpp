// The recovery plan: each distance band and run kind, the timing of its steps (eat first, morning nudge at
// 08:00 local, the evening bath, quiet hours), and the grams and litres for a known weight.
#include "handlers/plans/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "handlers/plans/plan_text.hpp"
#include "handlers/plans/quiet_hours.hpp"
#include "texts_fixture.hpp"

namespace {

using rb::plan_size;
using rb::run_kind;
using rb::testing::system_zone;
using rb::testing::utc_ms;
using std::chrono::hours;
using std::chrono::minutes;

rb::run_report run(double km, run_kind kind = run_kind::easy, rb::distance_unit unit = rb::distance_unit::km) {
    rb::run_report r;
    r.distance_km = km;
    r.kind = kind;
    r.unit = unit;
    return r;
}

std::vector<std::string> kinds(const rb::recovery_plan& p) {
    std::vector<std::string> out;
    for (const auto& s : p.steps) out.push_back(s.kind);
    return out;
}

bool has(const rb::recovery_plan& p, std::string_view kind) {
    return std::any_of(p.steps.begin(), p.steps.end(), [&](const rb::plan_step& s) { return s.kind == kind; });
}

const rb::plan_step& step(const rb::recovery_plan& p, std::string_view kind) {
    return *std::find_if(p.steps.begin(), p.steps.end(), [&](const rb::plan_step& s) { return s.kind == kind; });
}

rb::chat_settings no_quiet() {
    rb::chat_settings s;
    s.quiet.reset();
    return s;
}

const std::int64_t ten_am_utc = utc_ms(2024, 5, 4, 10, 0);  // a Saturday morning

TEST(Plan, DistanceBandsSplitAtTenAndEighteenKilometres) {
    EXPECT_EQ(rb::band_of(5), rb::distance_band::short_run);
    EXPECT_EQ(rb::band_of(9.9), rb::distance_band::short_run);
    EXPECT_EQ(rb::band_of(10), rb::distance_band::medium);
    EXPECT_EQ(rb::band_of(17.9), rb::distance_band::medium);
    EXPECT_EQ(rb::band_of(18), rb::distance_band::long_run);
    EXPECT_EQ(rb::band_of(42.195), rb::distance_band::long_run);
}

TEST(Plan, ShortEasyRunGetsALightPlanWithoutColdOrBath) {
    const auto p = rb::make_plan(run(5), no_quiet(), ten_am_utc, rb::zone_rules{});
    EXPECT_EQ(p.size, plan_size::light);
    EXPECT_EQ(kinds(p), (std::vector<std::string>{"eat", "hydrate", "roll", "morning_roll"}));
}

TEST(Plan, MediumEasyRunGetsAStandardPlanWithTwoDrinks) {
    const auto p = rb::make_plan(run(12), no_quiet(), ten_am_utc, rb::zone_rules{});
    EXPECT_EQ(p.size, plan_size::standard);
    EXPECT_EQ(kinds(p), (std::vector<std::string>{"eat", "hydrate", "roll", "hydrate_2", "morning_roll"}));
}

TEST(Plan, LongRunGetsTheFullPlanWithColdThreeDrinksAndAnEveningBath) {
    const auto p = rb::make_plan(run(24.14, run_kind::long_run), no_quiet(), ten_am_utc, rb::zone_rules{});
    EXPECT_EQ(p.size, plan_size::full);
    EXPECT_EQ(kinds(p), (std::vector<std::string>{"eat", "hydrate", "roll", "ice", "hydrate_2", "hydrate_3", "epsom",
                                                  "morning_roll"}));
    EXPECT_EQ(step(p, "epsom").offset, hours(10));  // 20:00 local
}

TEST(Plan, DistanceInTheLongBandIsAFullPlanEvenWhenCalledEasy) {
    const auto p = rb::make_plan(run(21.1, run_kind::easy), no_quiet(), ten_am_utc, rb::zone_rules{});
    EXPECT_EQ(p.size, plan_size::full);
    EXPECT_TRUE(has(p, "ice"));
    EXPECT_TRUE(has(p, "epsom"));
}

TEST(Plan, ShortRaceGetsColdTherapyButNoBath) {
    const auto p = rb::make_plan(run(5, run_kind::race), no_quiet(), ten_am_utc, rb::zone_rules{});
    EXPECT_EQ(p.size, plan_size::full);
    EXPECT_TRUE(has(p, "ice"));
    EXPECT_FALSE(has(p, "epsom"));
}

TEST(Plan, TempoAndIntervalsGetAStandardPlanWithoutColdSoAdaptationIsKept) {
    for (const auto kind : {run_kind::tempo, run_kind::intervals}) {
        const auto p = rb::make_plan(run(8, kind), no_quiet(), ten_am_utc, rb::zone_rules{});
        EXPECT_EQ(p.size, plan_size::standard);
        EXPECT_FALSE(has(p, "ice"));
        EXPECT_TRUE(has(p, "hydrate_2"));
    }
}

TEST(Plan, EatComesFirstWithinTheThirtyMinuteWindow) {
    for (const double km : {3.0, 12.0, 42.195}) {
        const auto p = rb::make_plan(run(km), rb::chat_settings{}, ten_am_utc, rb::zone_rules{});
        ASSERT_FALSE(p.steps.empty());
        EXPECT_EQ(p.steps.front().kind, "eat");
        EXPECT_LE(p.steps.front().offset, minutes(2));
    }
}

TEST(Plan, MorningNudgeIsAtEightTheNextLocalMorning) {
    const auto london = system_zone("Europe/London");
    const auto p = rb::make_plan(run(5), no_quiet(), ten_am_utc, london);  // 11:00 BST
    EXPECT_EQ(step(p, "morning_roll").offset, hours(21));                  // Sunday 08:00 BST = 07:00 UTC
}

// The runner who reports a run at 21:30 is awake: the first three hours keep their times; later steps wait for
// the end of quiet hours, or are left out when they only make sense soon after the run; the plan says so.
TEST(Plan, LateNightLongRunKeepsTheFirstHoursAndHoldsLaterDrinksUntilMorning) {
    const auto london = system_zone("Europe/London");
    const std::int64_t late = utc_ms(2024, 1, 10, 21, 30);  // 21:30 GMT
    rb::chat_settings s;
    s.time_zone = "Europe/London";
    const auto p = rb::make_plan(run(30, run_kind::long_run), s, late, london);
    EXPECT_FALSE(has(p, "epsom"));
    EXPECT_EQ(step(p, "eat").offset, minutes(1));
    EXPECT_EQ(step(p, "hydrate").offset, minutes(15));  // 21:45
    EXPECT_EQ(step(p, "roll").offset, minutes(40));     // 22:10: in quiet hours, but just after the message
    EXPECT_EQ(step(p, "ice").offset, minutes(75));      // 22:45
    EXPECT_EQ(step(p, "hydrate_2").offset, hours(2));   // 23:30
    // 01:30 held until 07:00, plus this plan's place in the morning spread (quiet_hours.hpp)
    const auto spread = rb::morning_spread(late);
    EXPECT_EQ(step(p, "hydrate_3").offset, hours(9) + minutes(30) + spread);
    EXPECT_EQ(p.quiet_moved, std::vector<std::string>{"hydrate"});
    for (std::size_t i = 1; i < p.steps.size(); ++i) EXPECT_LE(p.steps[i - 1].offset, p.steps[i].offset);
    const std::string text =
        rb::render_plan_summary(p, run(30, run_kind::long_run), s, late, london, rb::testing::texts(), {});
    char moved_to[8];
    std::snprintf(moved_to, sizeof moved_to, "07:%02d", static_cast<int>(spread.count()));
    EXPECT_NE(text.find(std::string("Quiet hours (22:00-07:00): the drink reminder moved to ") + moved_to),
              std::string::npos)
        << text;
}

// A report at 23:57 put the optional ice bath at 01:12 and it woke the runner; a run from "this morning" told at
// 23:59 had its foam roll at 00:59. Quiet hours now hold both; the eat-now ping and the first drink keep their
// times, because the runner who just wrote is awake.
TEST(Plan, NothingOptionalWakesARunnerAfterMidnight) {
    const auto london = system_zone("Europe/London");
    rb::chat_settings s;
    s.time_zone = "Europe/London";
    const std::int64_t late = utc_ms(2024, 1, 10, 23, 57);  // 23:57 GMT
    const auto p = rb::make_plan(run(32, run_kind::long_run), s, late, london);
    EXPECT_FALSE(has(p, "ice"));
    EXPECT_NE(std::find(p.quiet_dropped.begin(), p.quiet_dropped.end(), "ice"), p.quiet_dropped.end());
    EXPECT_EQ(step(p, "eat").offset, minutes(1));
    EXPECT_EQ(step(p, "hydrate").offset, minutes(15));
    const std::int64_t evening = utc_ms(2024, 1, 10, 21, 30);  // before midnight the ice bath keeps its time
    EXPECT_EQ(step(rb::make_plan(run(32, run_kind::long_run), s, evening, london), "ice").offset, minutes(75));
    const std::int64_t dawn = utc_ms(2024, 1, 10, 5, 30);  // so does an early runner's: 06:45, the same day
    EXPECT_EQ(step(rb::make_plan(run(32, run_kind::long_run), s, dawn, london), "ice").offset, minutes(75));
    auto past = run(19);
    past.ended_min_ago = 12 * 60;  // "this morning", told at 23:59
    const std::int64_t midnight = utc_ms(2024, 1, 10, 23, 59);
    const auto q = rb::make_plan(past, s, midnight, london);
    for (const auto& st : q.steps) {
        const auto local = (midnight + st.offset.count()) % (24 * 3600 * 1000LL) / 60000;  // GMT = UTC in January
        EXPECT_FALSE(local < 7 * 60 && st.offset > minutes(30)) << st.kind << " at minute " << local;
    }
}

TEST(Plan, ALateRunThreeHoursOutLeavesOutWhatOnlyFitsSoonAfterAndSaysSo) {
    const auto london = system_zone("Europe/London");
    const std::int64_t late = utc_ms(2024, 1, 10, 19, 0);  // 19:00: the bath would be at 21:00, fine
    rb::chat_settings s;
    const auto p = rb::make_plan(run(30, run_kind::long_run), s, utc_ms(2024, 1, 10, 23, 50), london);
    EXPECT_FALSE(has(p, "epsom"));  // 20:00 has passed and 01:50 is no time for a bath
    (void)late;
    for (const auto& st : p.steps)
        EXPECT_TRUE(st.offset <= rb::awake_after_message || st.kind == "morning_roll" ||
                    st.kind.rfind("hydrate", 0) == 0)
            << st.kind;
}

TEST(Plan, GramsForSeventyKilogramsScaleWithTheRun) {
    const auto f = rb::fuel_for(70, rb::plan_size::full);  // long, hard or draining: 1.0-1.2 g/kg/h for 4 h
    EXPECT_TRUE(f.hourly);
    EXPECT_EQ(f.carbs_g_low, 70);
    EXPECT_EQ(f.carbs_g_high, 85);  // 84 rounded to 5 g
    EXPECT_EQ(f.protein_g, 21);
    const auto g = rb::fuel_for(55, rb::plan_size::full);
    EXPECT_EQ(g.carbs_g_low, 55);
    EXPECT_EQ(g.carbs_g_high, 65);
    EXPECT_EQ(g.protein_g, 17);
    const auto easy = rb::fuel_for(70, rb::plan_size::light);  // a short easy run: one ordinary meal
    EXPECT_FALSE(easy.hourly);
    EXPECT_EQ(easy.carbs_g_low, 70);
    EXPECT_EQ(easy.carbs_g_high, 70);
}

// /weight 250kg asked for 250-300 g of carbs an hour for 4 hours: the weight counts up to 100 kg, so no figure
// passes 120 g an hour or 30 g of protein, whatever the weight.
TEST(Plan, GramsStopGrowingAtTheWeightCap) {
    for (const double kg : {100.0, 130.0, 250.0}) {
        const auto f = rb::fuel_for(kg, rb::plan_size::full);
        EXPECT_EQ(f.carbs_g_low, 100) << kg;
        EXPECT_EQ(f.carbs_g_high, 120) << kg;
        EXPECT_EQ(f.protein_g, 30) << kg;
    }
    EXPECT_EQ(rb::fuel_for(90, rb::plan_size::full).carbs_g_high, 110);  // below the cap, as before
}

TEST(Plan, FluidEstimateUsesTheDurationWhenGivenAndSixMinutesPerKilometreOtherwise) {
    auto timed = run(20);
    timed.duration_s = 2 * 3600;
    const auto f = rb::fluid_for(timed, 70);  // easy band 0.4-0.8 L/h
    EXPECT_TRUE(f.duration_given);
    EXPECT_DOUBLE_EQ(f.hours, 2.0);
    EXPECT_NEAR(f.lost_l_low, 0.8, 1e-9);
    EXPECT_NEAR(f.lost_l_high, 1.6, 1e-9);
    EXPECT_NEAR(f.drink_l_low, 1.0, 1e-9);
    EXPECT_NEAR(f.drink_l_high, 2.4, 1e-9);
    const auto g = rb::fluid_for(run(10), 70);
    EXPECT_FALSE(g.duration_given);
    EXPECT_NEAR(g.hours, 1.0, 1e-9);
    auto race = run(10, run_kind::race);  // the hard band, and more for a heavier runner
    EXPECT_GT(rb::fluid_for(race, 70).lost_l_high, g.lost_l_high);
    EXPECT_GT(rb::fluid_for(run(10), 90).lost_l_high, g.lost_l_high);
}

TEST(Plan, FluidHasACeilingAndNeverAsksForMoreThanALitreAnHour) {
    auto ultra = run(160.9);  // a 100-mile ultra: never "drink 24 L"
    ultra.duration_s = 26 * 3600;
    for (const double kg : {45.0, 70.0, 120.0}) {
        const auto f = rb::fluid_for(ultra, kg);
        EXPECT_LE(f.drink_l_high, rb::max_drink_l_per_hour * rb::drink_window_hours) << kg;
        EXPECT_LE(f.lost_l_high, 0.03 * kg + 0.05) << kg;
        EXPECT_LE(f.drink_l_low, f.drink_l_high) << kg;
        EXPECT_TRUE(f.capped) << kg;
    }
}

TEST(Plan, FluidIsInFluidOuncesForARunnerInMiles) {
    rb::chat_settings s = no_quiet();
    s.weight_kg = 70;
    s.units = rb::distance_unit::mi;
    const auto p = rb::make_plan(run(16.09, run_kind::easy, rb::distance_unit::mi), s, ten_am_utc, rb::zone_rules{});
    const auto reminders = rb::render_reminders(p, s, rb::testing::texts(), nullptr);
    const auto hydrate =
        std::find_if(reminders.begin(), reminders.end(), [](const auto& r) { return r.kind == "hydrate"; });
    ASSERT_NE(hydrate, reminders.end());
    EXPECT_NE(hydrate->text.find("fl oz"), std::string::npos) << hydrate->text;
    EXPECT_EQ(hydrate->text.find(" L "), std::string::npos) << hydrate->text;
}

TEST(Plan, WeightGivesGramsAndLitresInTheReminders) {
    rb::chat_settings s = no_quiet();
    s.weight_kg = 70;
    const auto p =
        rb::make_plan(run(24.14, run_kind::long_run, rb::distance_unit::mi), s, ten_am_utc, rb::zone_rules{});
    ASSERT_TRUE(p.fuel);
    const auto reminders = rb::render_reminders(p, s, rb::testing::texts(), nullptr);
    ASSERT_EQ(reminders.size(), p.steps.size());
    EXPECT_NE(reminders[0].text.find("70-85 g carbs"), std::string::npos) << reminders[0].text;
    EXPECT_NE(reminders[0].text.find("21 g protein"), std::string::npos);
    EXPECT_NE(reminders[0].text.find("ACSM/AND/DC"), std::string::npos);
    EXPECT_NE(reminders[0].text.find("ISSN"), std::string::npos);
    EXPECT_EQ(reminders[1].kind, "hydrate");
    EXPECT_NE(reminders[1].text.find("L in all"), std::string::npos) << reminders[1].text;
    EXPECT_NE(reminders[1].text.find("125-150%"), std::string::npos);
}

TEST(Plan, WithoutWeightRemindersGiveAdviceWithoutNumbers) {
    const auto p = rb::make_plan(run(12), no_quiet(), ten_am_utc, rb::zone_rules{});
    EXPECT_FALSE(p.fuel);
    const auto reminders = rb::render_reminders(p, no_quiet(), rb::testing::texts(), nullptr);
    EXPECT_EQ(reminders[0].text.find(" g carbs and"), std::string::npos);
    EXPECT_NE(reminders[0].text.find("3 g carbs to 1 g protein"), std::string::npos);
    EXPECT_NE(reminders[1].text.find("Pale-yellow"), std::string::npos);
}

TEST(Plan, ColdTherapyIsFramedHonestlyAndRollingNamesTheMuscles) {
    const auto p = rb::make_plan(run(42.195, run_kind::race), no_quiet(), ten_am_utc, rb::zone_rules{});
    const auto reminders = rb::render_reminders(p, no_quiet(), rb::testing::texts(), nullptr);
    const auto text_of = [&](std::string_view kind) {
        return std::find_if(reminders.begin(), reminders.end(), [&](const auto& r) { return r.kind == kind; })->text;
    };
    EXPECT_NE(text_of("ice").find("evidence is mixed"), std::string::npos);
    EXPECT_NE(text_of("ice").find("optional"), std::string::npos);
    for (const char* muscle : {"glutes", "IT band", "piriformis", "hamstrings", "quads"}) {
        EXPECT_NE(text_of("roll").find(muscle), std::string::npos) << muscle;
    }
    EXPECT_NE(text_of("morning_roll").find("5 minutes"), std::string::npos);
    EXPECT_NE(text_of("hydrate_2").find("Keep sipping"), std::string::npos);
}

TEST(PlanText, DistancesAreShownInTheRunnersUnit) {
    EXPECT_EQ(rb::distance_text(run(24.14016, run_kind::easy, rb::distance_unit::mi)), "15 miles");
    EXPECT_EQ(rb::distance_text(run(1.609344, run_kind::easy, rb::distance_unit::mi)), "1 mile");
    EXPECT_EQ(rb::distance_text(run(21.0975)), "21.1 km");
    EXPECT_EQ(rb::weight_text(70, rb::distance_unit::mi), "154 lb");
    EXPECT_EQ(rb::weight_text(70, rb::distance_unit::km), "70 kg");
}

TEST(PlanText, SummaryNamesTheRunTheStepsAndTheReplacement) {
    const auto r = run(24.14016, run_kind::long_run, rb::distance_unit::mi);
    const auto p = rb::make_plan(r, no_quiet(), ten_am_utc, rb::zone_rules{});
    const std::string text = rb::render_plan_summary(p, r, no_quiet(), ten_am_utc, rb::zone_rules{},
                                                     rb::testing::texts(), {true, false, false});
    EXPECT_NE(text.find("15-mile long run"), std::string::npos) << text;
    EXPECT_NE(text.find("This replaces your previous plan"), std::string::npos);
    EXPECT_NE(text.find("<b>now</b>"), std::string::npos);
    EXPECT_NE(text.find("<b>at 20:00</b>"), std::string::npos);
    EXPECT_NE(text.find("<b>tomorrow 08:00</b>"), std::string::npos);
    EXPECT_NE(text.find("/weight 70kg"), std::string::npos);
}

TEST(PlanText, BaseKindStripsOnlyANumberSuffix) {
    EXPECT_EQ(rb::base_kind("hydrate_3"), "hydrate");
    EXPECT_EQ(rb::base_kind("morning_roll"), "morning_roll");
    EXPECT_EQ(rb::base_kind("eat"), "eat");
}

}  // namespace
