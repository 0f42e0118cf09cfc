// Settings that move reminders, through decide(): /timezone by city, local time, offset or name (and the
// buttons when it is not clear), /quiet in its many forms, /weight asked when ambiguous, the time zone asked
// in run replies until set, re-planning what is pending from the plan's basis, and the snooze and expiry of
// reminder buttons.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "handlers/plans/plan_basis.hpp"
#include "handlers/plans/quiet_hours.hpp"
#include "handlers/time/places.hpp"
#include "route_fixture.hpp"

namespace {

using namespace rb::testing;
using rb::action;
using rb::plan_mode;
using rb::save_settings;
using rb::schedule_plan;
using rb::send_message;
using namespace std::chrono_literals;

std::vector<action> say(const std::string& text, rb::chat_settings s = {}) {
    return rb::decide(private_text(text), make_context(std::move(s)));
}

rb::chat_settings saved(const std::vector<action>& actions) {
    const auto all = all_of_kind<save_settings>(actions);
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? rb::chat_settings{} : all.front().settings;
}

TEST(TimeZoneAnswer, ReadsCitiesCountriesAndNamesWrittenAnyWay) {
    const auto& places = texts().places();
    const auto now = utc_ms(2024, 5, 4, 10, 0);
    for (const auto& [text, zone] :
         std::initializer_list<std::pair<const char*, const char*>>{{"London", "Europe/London"},
                                                                    {"new  york", "America/New_York"},
                                                                    {"NYC", "America/New_York"},
                                                                    {"S\xC3\xA3o Paulo", "America/Sao_Paulo"},
                                                                    {"sao paulo", "America/Sao_Paulo"},
                                                                    {"Sydney", "Australia/Sydney"},
                                                                    {"uk", "Europe/London"},
                                                                    {"europe/london", "Europe/London"},
                                                                    {"I live in Chicago", "America/Chicago"},
                                                                    {"Madrid", "Europe/Madrid"}}) {
        const auto got = rb::read_zone_answer(text, places, zones(), now);
        ASSERT_TRUE(got) << text;
        EXPECT_EQ(got->zone, zone) << text;
    }
    EXPECT_GT(places.size(), 400u);  // the few hundred largest cities, capitals and running cities
}

TEST(TimeZoneAnswer, TakesTheOffsetFromTheRunnersLocalTime) {
    const auto& places = texts().places();
    const auto now = utc_ms(2024, 5, 4, 10, 0);  // 10:00 UTC
    for (const auto& [text, zone] : std::initializer_list<std::pair<const char*, const char*>>{
             {"it's 12:01 here", "Etc/GMT-2"},  // a minute off the clock still reads as UTC+2
             {"12:00", "Etc/GMT-2"},
             {"5am", "Etc/GMT+5"},
             {"05:00", "Etc/GMT+5"},
             {"15:30", "Asia/Kolkata"},
             {"UTC+2", "Etc/GMT-2"},
             {"gmt -5", "Etc/GMT+5"},
             {"utc+05:30", "Asia/Kolkata"},
             {"10:00", "UTC"}}) {
        const auto got = rb::read_zone_answer(text, places, zones(), now);
        ASSERT_TRUE(got) << text;
        EXPECT_EQ(got->zone, zone) << text;
    }
    for (const char* bad : {"Mars/Olympus", "", "25:00", "qwerty", "utc+15"})
        EXPECT_FALSE(rb::read_zone_answer(bad, places, zones(), now)) << bad;
}

// +10:30 is Lord Howe's standard time (southern winter) and Adelaide's daylight time (southern summer): the zone
// taken must have that offset now. "23:30" at 13:02 UTC in December was read as Lord Howe, which is then +11:00,
// and answered "00:02 now".
TEST(TimeZoneAnswer, AHalfHourOffsetIsAZoneThatHasItNow) {
    const auto& places = texts().places();
    const auto december = utc_ms(2026, 12, 3, 13, 2);
    const auto may = utc_ms(2024, 5, 4, 13, 0);
    for (const auto& [text, now, zone] : std::initializer_list<std::tuple<const char*, std::int64_t, const char*>>{
             {"23:30", december, "Australia/Adelaide"},
             {"utc+10:30", december, "Australia/Adelaide"},
             {"23:30", may, "Australia/Lord_Howe"},
             {"utc+10:30", may, "Australia/Lord_Howe"},
             {"utc+09:30", december, "Australia/Darwin"},
             {"utc-02:30", utc_ms(2024, 7, 1, 12, 0), "America/St_Johns"},
             {"utc+13:45", december, "Pacific/Chatham"}}) {
        const auto got = rb::read_zone_answer(text, places, zones(), now);
        ASSERT_TRUE(got) << text;
        EXPECT_EQ(got->zone, zone) << text;
        const rb::zone_rules* rules = zones().find(got->zone);
        ASSERT_NE(rules, nullptr) << got->zone;
        EXPECT_NE(rules->offset_at(now).count() % 3600, 0) << text << " -> " << got->zone;
    }
    EXPECT_FALSE(rb::read_zone_answer("utc-02:30", places, zones(), december)) << "St John's is -03:30 in winter";
}

// "/timezone PST" and "/timezone CET" were refused: zone names and abbreviations as people write them read as
// the zone (templates/zones/cities.json, zone_names), whichever of standard or daylight time is in force.
TEST(TimeZoneAnswer, ReadsZoneNamesAndAbbreviations) {
    const auto& places = texts().places();
    const auto now = utc_ms(2026, 12, 3, 15, 0);
    for (const auto& [text, zone] :
         std::initializer_list<std::pair<const char*, const char*>>{{"PST", "America/Los_Angeles"},
                                                                    {"pdt", "America/Los_Angeles"},
                                                                    {"Pacific Time", "America/Los_Angeles"},
                                                                    {"EST", "America/New_York"},
                                                                    {"eastern", "America/New_York"},
                                                                    {"CST", "America/Chicago"},
                                                                    {"CET", "Europe/Berlin"},
                                                                    {"central european summer time", "Europe/Berlin"},
                                                                    {"BST", "Europe/London"},
                                                                    {"IST", "Asia/Kolkata"},
                                                                    {"AEDT", "Australia/Sydney"},
                                                                    {"ACST", "Australia/Adelaide"}}) {
        const auto got = rb::read_zone_answer(text, places, zones(), now);
        ASSERT_TRUE(got) << text;
        EXPECT_EQ(got->zone, zone) << text;
        EXPECT_EQ(got->how, rb::zone_reading::place) << text;  // a named zone follows its daylight saving
    }
}

// Said without the command, the time zone is taken as /timezone takes it; anything more or else after the
// opening leaves the message to be read as before.
TEST(TimeZoneStatement, IsTakenWithoutTheCommand) {
    const auto& places = texts().places();
    const auto now = utc_ms(2024, 5, 4, 10, 0);  // 10:00 UTC
    for (const auto& [text, zone] : std::initializer_list<std::pair<const char*, const char*>>{
             {"my timezone is CET", "Europe/Berlin"},
             {"My time zone is PST", "America/Los_Angeles"},
             {"timezone: utc+2", "Etc/GMT-2"},
             {"time zone = Eastern Time", "America/New_York"},
             {"my local time is 5am", "Etc/GMT+5"},
             {"set my timezone to Madrid", "Europe/Madrid"},
             {"i'm in chicago", "America/Chicago"},
             {"I\u2019m in Chicago", "America/Chicago"},
             {"im in london now", "Europe/London"},
             {"I live in the UK", "Europe/London"},
             {"we're based in Sydney", "Australia/Sydney"},
             {"I moved to Berlin", "Europe/Berlin"},
             {"moved to chicago", "America/Chicago"},
             {"just moved to Madrid", "Europe/Madrid"},
             {"i am currently in sao paulo", "America/Sao_Paulo"},
             {"I'm in Europe/Madrid", "Europe/Madrid"},
             {"I'm in EST", "America/New_York"},
             {"my local time is 5:00am", "Etc/GMT+5"},
             {"my local time is 12:00 pm", "Etc/GMT-2"}}) {
        const auto got = rb::read_zone_statement(text, places, zones(), now);
        ASSERT_TRUE(got) << text;
        EXPECT_EQ(got->zone, zone) << text;
    }
    for (const char* not_one :
         {"I'm in pain", "i'm in week 3 of my plan", "I'm in Chicago for the marathon", "im in", "timezone",
          "my timezone is wrong", "timezone question: why did a ping come at 7pm in London", "I live in hope",
          "finished 10k in london", "what's my timezone", "in london", "I'm in the zone", "I'm in a cast",
          "my timezone is wrong, pinged at 5am", "I'm in PT now", "I'm in CT"})
        EXPECT_FALSE(rb::read_zone_statement(not_one, places, zones(), now)) << not_one;
}

TEST(TimezoneStatement, SavesTheZoneAndSaysSoLikeTheCommand) {
    const auto actions = say("I'm in New York");
    EXPECT_EQ(saved(actions).time_zone, "America/New_York");
    EXPECT_TRUE(contains(only_reply(actions), "Got it: America/New_York, 06:00 now")) << only_reply(actions);
    const auto pst = say("my timezone is PST");
    EXPECT_EQ(saved(pst).time_zone, "America/Los_Angeles");
    // Not a statement: no setting changes, the message is answered as before.
    EXPECT_TRUE(all_of_kind<save_settings>(say("I'm in pain after my long run")).empty());
}

TEST(TimezoneCommand, SaysWhatWasUnderstoodWithTheLocalTime) {
    const auto actions = say("/timezone New York");
    EXPECT_EQ(saved(actions).time_zone, "America/New_York");
    EXPECT_TRUE(contains(only_reply(actions), "Got it: America/New_York, 06:00 now")) << only_reply(actions);
    const auto by_clock = say("/timezone it's 12:00 here");
    EXPECT_EQ(saved(by_clock).time_zone, "Etc/GMT-2");
    EXPECT_TRUE(contains(only_reply(by_clock), "UTC+02:00, 12:00 now")) << only_reply(by_clock);
    EXPECT_TRUE(contains(only_reply(by_clock), "fixed offset")) << only_reply(by_clock);
}

TEST(TimezoneCommand, UnknownOrMissingAnswersOfferButtonsForTheLanguage) {
    const auto actions = say("/timezone Atlantis");
    const auto sends = all_of_kind<send_message>(actions);
    ASSERT_EQ(sends.size(), 1u);
    ASSERT_FALSE(sends[0].buttons.empty());
    EXPECT_EQ(sends[0].buttons[0][0].callback_data, "tz:Europe/London");  // "en": London first
    EXPECT_TRUE(all_of_kind<save_settings>(actions).empty());
}

TEST(TimezoneButton, PressingOneSavesTheZone) {
    const auto actions = rb::decide(button_press("tz:America/Chicago"), make_context());
    EXPECT_EQ(saved(actions).time_zone, "America/Chicago");
    EXPECT_EQ(all_of_kind<rb::answer_callback>(actions).size(), 1u);
    EXPECT_TRUE(contains(only_reply(actions), "America/Chicago"));
    const auto bad = rb::decide(button_press("tz:Mars/Olympus"), make_context());
    EXPECT_TRUE(all_of_kind<save_settings>(bad).empty());
}

TEST(RunReply, AsksForTheTimeZoneUntilTheChatHasOne) {
    const auto first = all_of_kind<send_message>(say("finished 10k"));
    ASSERT_EQ(first.size(), 1u);
    EXPECT_TRUE(contains(first[0].text, "Which time zone are you in?"));
    ASSERT_FALSE(first[0].buttons.empty());
    EXPECT_EQ(first[0].buttons[0][0].callback_data.rfind("tz:", 0), 0u);
    rb::chat_settings set;
    set.time_zone = "Europe/London";
    const auto later = all_of_kind<send_message>(say("finished 10k", set));
    ASSERT_EQ(later.size(), 1u);
    EXPECT_FALSE(contains(later[0].text, "Which time zone"));
    EXPECT_TRUE(later[0].buttons.empty());
}

// A fixed offset was shown by its POSIX name, whose sign is the inverse of what it means ("Quiet hours set to
// 22:00-07:00 (Etc/GMT-6)" for UTC+6); and "/timezone EST" took IANA's fixed "EST", with no summer time.
TEST(ZoneShown, AFixedOffsetReadsAsUtcPlusAndEstIsNewYork) {
    rb::chat_settings s;
    s.time_zone = "Etc/GMT-2";
    const std::string quiet = only_reply(say("/quiet 22-7", s));
    EXPECT_TRUE(contains(quiet, "(UTC+02:00)")) << quiet;
    EXPECT_FALSE(contains(quiet, "Etc/GMT")) << quiet;
    s.time_zone = "Europe/London";
    EXPECT_TRUE(contains(only_reply(say("/quiet 22-7", s)), "(Europe/London)"));
    EXPECT_EQ(saved(say("/timezone EST")).time_zone, "America/New_York");
}

// "/quiet 07:00-22:00" silenced the day without a word: it is saved as asked, with the night window offered.
TEST(QuietCommand, ADaytimeWindowIsSavedAndTheNightOneOffered) {
    const auto day = say("/quiet 07:00-22:00");
    ASSERT_TRUE(saved(day).quiet);
    EXPECT_EQ(saved(day).quiet->start_minute, 7 * 60);
    EXPECT_TRUE(contains(only_reply(day), "for nights, send /quiet 22:00-07:00")) << only_reply(day);
    EXPECT_FALSE(contains(only_reply(say("/quiet 22:00-07:00")), "for nights")) << "a night window needs no note";
}

TEST(QuietCommand, TakesEveryUsualForm) {
    for (const auto& [text, start, end] :
         std::initializer_list<std::tuple<const char*, int, int>>{{"/quiet 23-6", 23 * 60, 6 * 60},
                                                                  {"/quiet 22:30-06:30", 22 * 60 + 30, 6 * 60 + 30},
                                                                  {"/quiet 11pm-6am", 23 * 60, 6 * 60},
                                                                  {"/quiet 23 to 7", 23 * 60, 7 * 60},
                                                                  {"/quiet 22:00\xE2\x80\x93"
                                                                   "07:00",
                                                                   22 * 60, 7 * 60}}) {
        const auto s = saved(say(text));
        ASSERT_TRUE(s.quiet) << text;
        EXPECT_EQ(s.quiet->start_minute, start) << text;
        EXPECT_EQ(s.quiet->end_minute, end) << text;
    }
    EXPECT_FALSE(saved(say("/quiet off")).quiet);
    for (const char* bad : {"/quiet 25-6", "/quiet 7-7", "/quiet soon", "/quiet 22-"})
        EXPECT_TRUE(all_of_kind<save_settings>(say(bad)).empty()) << bad;
}

TEST(WeightCommand, ABareNumberInAMilesChatIsAskedWithTwoButtons) {
    rb::chat_settings miles;
    miles.units = rb::distance_unit::mi;
    miles.units_set = true;
    const auto ask = say("/weight 70", miles);
    EXPECT_TRUE(all_of_kind<save_settings>(ask).empty());
    const auto sends = all_of_kind<send_message>(ask);
    ASSERT_EQ(sends.size(), 1u);
    EXPECT_TRUE(contains(sends[0].text, "70 kg or 70 lb"));
    ASSERT_EQ(sends[0].buttons.size(), 1u);
    EXPECT_EQ(sends[0].buttons[0][0].callback_data, "w:70:kg");
    EXPECT_EQ(sends[0].buttons[0][1].callback_data, "w:70:lb");
    const auto kg = rb::decide(button_press("w:70:kg"), make_context(miles));
    EXPECT_DOUBLE_EQ(*saved(kg).weight_kg, 70);
    EXPECT_TRUE(contains(only_reply(kg), "70 kg (154 lb)")) << only_reply(kg);
    const auto lb = rb::decide(button_press("w:154:lb"), make_context(miles));
    EXPECT_NEAR(*saved(lb).weight_kg, 69.9, 0.05);
    // 300 can only be pounds (300 kg is past the adult range); 20 is no adult weight in either unit.
    EXPECT_NEAR(*saved(say("/weight 300", miles)).weight_kg, 136.1, 0.1);
    EXPECT_TRUE(all_of_kind<save_settings>(say("/weight 20", miles)).empty());
    EXPECT_TRUE(all_of_kind<save_settings>(rb::decide(button_press("w:500:kg"), make_context(miles))).empty());
}

TEST(WeightCommand, SaysWhatWasSavedInBothUnitsAndKeepsOneRange) {
    const auto actions = say("/weight 70kg");
    EXPECT_DOUBLE_EQ(*saved(actions).weight_kg, 70);
    EXPECT_TRUE(contains(only_reply(actions), "70 kg (154 lb)"));
    EXPECT_TRUE(all_of_kind<save_settings>(say("/weight 29kg")).empty());
    EXPECT_TRUE(all_of_kind<save_settings>(say("/weight 251kg")).empty());
    EXPECT_FALSE(all_of_kind<save_settings>(say("/weight 250kg")).empty());
}

// "/weight 700kg" was refused with the usage line alone: a weight outside the adult range is refused saying what
// was read and the range, and something that is no weight at all is quoted back. Nothing is saved either way.
TEST(WeightCommand, ARefusalSaysWhy) {
    const auto heavy = say("/weight 700kg");
    EXPECT_TRUE(all_of_kind<save_settings>(heavy).empty());
    EXPECT_TRUE(contains(only_reply(heavy), "I read 700 kg (1543 lb)")) << only_reply(heavy);
    EXPECT_TRUE(contains(only_reply(heavy), "30-250 kg (66-551 lb)")) << only_reply(heavy);
    const auto light = say("/weight 12 lb");
    EXPECT_TRUE(all_of_kind<save_settings>(light).empty());
    EXPECT_TRUE(contains(only_reply(light), "I read 5.4 kg (12 lb)")) << only_reply(light);
    const auto junk = say("/weight heavy");
    EXPECT_TRUE(all_of_kind<save_settings>(junk).empty());
    EXPECT_TRUE(contains(only_reply(junk), "couldn't read \"heavy\" as a weight")) << only_reply(junk);
    for (const char* bad : {"/weight 0", "/weight -70", "/weight 70 furlongs"})
        EXPECT_TRUE(all_of_kind<save_settings>(say(bad)).empty()) << bad;
    EXPECT_FALSE(contains(only_reply(say("/weight")), "couldn't read")) << only_reply(say("/weight"));
    // Stones, as British runners give their weight.
    EXPECT_NEAR(*saved(say("/weight 11st")).weight_kg, 69.9, 0.05);
    EXPECT_NEAR(*saved(say("/weight 11st 6")).weight_kg, 72.6, 0.05);
    EXPECT_NEAR(*saved(say("/weight 11 st 6 lb")).weight_kg, 72.6, 0.05);
    EXPECT_TRUE(all_of_kind<save_settings>(say("/weight 11st 20")).empty());
}

// A plan made at 21:30 London time, then the runner says they are in New York: what is still pending is made
// again from the moment of the report (16:30 there), so the drinks are no longer held to 07:00.
TEST(Replan, ChangingTheZoneMovesWhatIsPendingFromTheReport) {
    const auto report = utc_ms(2024, 5, 4, 20, 30);  // 21:30 BST
    rb::run_report run;
    run.distance_km = 30;
    run.kind = rb::run_kind::long_run;
    rb::chat_settings s;
    s.time_zone = "Europe/London";
    auto ctx = make_context(s, {rb::reminder{std::to_string(runner_id) + ":m7:hydrate_3", runner_id, runner_id,
                                             "hydrate_3", "x", "m7", 0, report, report + 10 * 3600 * 1000}});
    ctx.now_ms = report + 5 * 60 * 1000;
    ctx.plan_basis = rb::write_plan_basis(rb::plan_basis{"m7", runner_id, report, run});
    const auto actions = rb::decide(private_text("/timezone New York"), ctx);
    const auto plans = all_of_kind<schedule_plan>(actions);
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_EQ(plans[0].mode, plan_mode::replan);
    EXPECT_EQ(plans[0].anchor_ms, report);
    EXPECT_EQ(plans[0].run_id, "m7");
    const auto h3 = std::find_if(plans[0].reminders.begin(), plans[0].reminders.end(),
                                 [](const auto& r) { return r.kind == "hydrate_3"; });
    ASSERT_NE(h3, plans[0].reminders.end());
    EXPECT_EQ(h3->offset, 4h);  // 20:30 in New York: no quiet hours in the way
    EXPECT_TRUE(contains(only_reply(actions), "moved to match"));
    // Nothing pending, or no basis: a save and nothing to move.
    EXPECT_TRUE(all_of_kind<schedule_plan>(rb::decide(private_text("/timezone New York"), make_context(s))).empty());
}

TEST(Replan, QuietHoursOffFreesWhatWasHeld) {
    const auto report = utc_ms(2024, 5, 4, 21, 0);
    rb::run_report run;
    run.distance_km = 30;
    auto ctx = make_context({}, {rb::reminder{"x", runner_id, runner_id, "hydrate_3", "x", "m7", 0, report, report}});
    ctx.plan_basis = rb::write_plan_basis(rb::plan_basis{"m7", runner_id, report, run});
    const auto plans = all_of_kind<schedule_plan>(rb::decide(private_text("/quiet off"), ctx));
    ASSERT_EQ(plans.size(), 1u);
    for (const auto& r : plans[0].reminders) {
        if (r.kind == "hydrate_3") {
            EXPECT_EQ(r.offset, 4h);
        }
    }
}

TEST(PlanBasis, RoundTripsAndRefusesWhatItDidNotWrite) {
    rb::run_report run;
    run.distance_km = 12.5;
    run.unit = rb::distance_unit::mi;
    run.duration_s = 4000;
    run.kind = rb::run_kind::tempo;
    run.stopped_early = true;
    const auto back = rb::read_plan_basis(rb::write_plan_basis(rb::plan_basis{"m1", 5, 123, run}));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->run_id, "m1");
    EXPECT_EQ(back->reported_ms, 123);
    EXPECT_DOUBLE_EQ(back->run.distance_km, 12.5);
    EXPECT_EQ(back->run.kind, rb::run_kind::tempo);
    EXPECT_EQ(back->run.duration_s, 4000);
    EXPECT_TRUE(back->run.stopped_early);
    for (const char* bad : {"", "{}", "[1]", "{\"v\":2}", "{\"v\":1,\"run_id\":\"m\"}", "not json"})
        EXPECT_FALSE(rb::read_plan_basis(bad)) << bad;
}

TEST(EditedReport, ChangesOnlyWhatIsPending) {
    auto u = private_text("finished 12 miles");
    u.kind = rb::update_kind::edited_message;
    const auto plans = all_of_kind<schedule_plan>(rb::decide(u, make_context()));
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_EQ(plans[0].mode, plan_mode::edit);
    const auto fresh = all_of_kind<schedule_plan>(say("finished 12 miles"));
    ASSERT_EQ(fresh.size(), 1u);
    EXPECT_EQ(fresh[0].mode, plan_mode::replace);
    EXPECT_TRUE(rb::read_plan_basis(fresh[0].basis));
}

TEST(ReminderButtons, SnoozeIntoQuietHoursWaitsForTheirEndAndSaysSo) {
    rb::chat_settings s;
    s.time_zone = "Europe/London";
    auto ctx = make_context(s);
    ctx.now_ms = utc_ms(2024, 5, 4, 20, 50);  // 21:50 BST: 15 minutes on is 22:05, inside 22:00-07:00
    auto press = button_press("r:snooze:" + std::to_string(runner_id) + ":m7:hydrate_2");
    press.callback->message->date = ctx.now_ms / 1000 - 60;
    const auto actions = rb::decide(press, ctx);
    const auto snoozed = all_of_kind<rb::snooze_reminder>(actions);
    ASSERT_EQ(snoozed.size(), 1u);
    const auto spread = rb::morning_spread(ctx.now_ms);
    EXPECT_EQ(snoozed[0].by, 9h + 10min + spread);  // to 07:00, plus the morning spread (quiet_hours.hpp)
    char until[16];
    std::snprintf(until, sizeof until, "until 07:%02d", static_cast<int>(spread.count()));
    EXPECT_TRUE(contains(all_of_kind<rb::answer_callback>(actions).at(0).text, until));
}

TEST(ReminderButtons, ADayOldPingsButtonsHaveExpired) {
    auto ctx = make_context();
    auto press = button_press("r:done:" + std::to_string(runner_id) + ":m7:eat");
    press.callback->message->date = ctx.now_ms / 1000 - 25 * 3600;
    const auto actions = rb::decide(press, ctx);
    EXPECT_TRUE(all_of_kind<rb::finish_reminder>(actions).empty());
    EXPECT_TRUE(contains(all_of_kind<rb::answer_callback>(actions).at(0).text, "expired"));
}

}  // namespace
