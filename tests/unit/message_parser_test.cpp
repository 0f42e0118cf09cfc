// parse_message, parse_command and mentions: run reports in many phrasings, the things that look like
// reports but are not (plans, negations, questions, bare numbers), topics, meals, small talk, and input
// that must never crash (huge numbers, huge text, control bytes, invalid UTF-8).
#include "handlers/understanding/message_parser.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "texts_fixture.hpp"

namespace {

using rb::distance_unit;
using rb::intent;
using rb::run_kind;

const rb::lexicon& words() { return rb::testing::texts().words(); }
rb::parsed_message km(std::string_view text) { return rb::parse_message(text, words(), distance_unit::km); }

struct report_case {
    const char* text;
    double distance_km;
    distance_unit unit;
};

void expect_report(const report_case& c, distance_unit default_unit = distance_unit::km) {
    const auto m = rb::parse_message(c.text, words(), default_unit);
    ASSERT_EQ(m.what, intent::run_report) << c.text;
    ASSERT_TRUE(m.run) << c.text;
    EXPECT_NEAR(m.run->distance_km, c.distance_km, c.distance_km * 0.01) << c.text;
    EXPECT_EQ(m.run->unit, c.unit) << c.text;
}

TEST(RunReport, UnderstandsNumbersWithUnits) {
    for (const report_case& c : std::initializer_list<report_case>{
             {"finished 15 miles", 24.14, distance_unit::mi},
             {"ran 21.1km", 21.1, distance_unit::km},
             {"ran 10,5 km", 10.5, distance_unit::km},
             {"13.1 miles", 21.08, distance_unit::mi},
             {"5 km", 5, distance_unit::km},
             {"5K", 5, distance_unit::km},
             {"3 mi", 4.83, distance_unit::mi},
             {"ran 10 kilometres", 10, distance_unit::km},
             {"ran 10 kilometers", 10, distance_unit::km},
             {"10 kms today", 10, distance_unit::km},
             {"12 klicks this morning", 12, distance_unit::km},
             {"just did a 10k", 10, distance_unit::km},
             {"FINISHED 15 MILES \xF0\x9F\x8F\x83\xE2\x80\x8D\xE2\x99\x82\xEF\xB8\x8F\xF0\x9F\x94\xA5", 24.14,
              distance_unit::mi},
             {"Logged 7.2 miles", 11.59, distance_unit::mi},
             {"ran 1,500m", 1.5, distance_unit::km},
         })
        expect_report(c);
}

TEST(RunReport, UnderstandsMilerAndNumberWords) {
    for (const report_case& c : std::initializer_list<report_case>{
             {"15 miler done", 24.14, distance_unit::mi},
             {"knocked out a 15-miler", 24.14, distance_unit::mi},
             {"an 18-miler today", 28.97, distance_unit::mi},
             {"finished fifteen miles", 24.14, distance_unit::mi},
             {"twenty-six miles!", 41.84, distance_unit::mi},
             {"ran twenty six point two miles", 42.16, distance_unit::mi},
             {"ran a mile", 1.61, distance_unit::mi},
             {"ran eight kilometres", 8, distance_unit::km},
             {"one hundred km ultra done", 100, distance_unit::km},
         })
        expect_report(c);
}

TEST(RunReport, UnderstandsNamedRaces) {
    for (const report_case& c : std::initializer_list<report_case>{
             {"half marathon done", 21.0975, distance_unit::km},
             {"Finished the marathon!!!", 42.195, distance_unit::km},
             {"just finished the Boston marathon", 42.195, distance_unit::km},
             {"parkrun done", 5, distance_unit::km},
             {"did the half today", 21.0975, distance_unit::km},
             {"Marathon \xE2\x9C\x85", 42.195, distance_unit::km},
             {"ultra done, 50k", 50, distance_unit::km},
             {"100k ultra finished", 100, distance_unit::km},
             {"26.2 done!", 42.195, distance_unit::mi},
             {"ran 5k to the start and then a half marathon", 26.0975, distance_unit::km},
         })
        expect_report(c);
}

TEST(RunReport, NamedRacesAreRacesAndKeepTheRunnersOwnNumber) {
    const auto m = km("half marathon done, 13.1 miles");
    ASSERT_TRUE(m.run);
    EXPECT_EQ(m.run->unit, distance_unit::mi);
    EXPECT_EQ(m.run->kind, run_kind::race);
    EXPECT_TRUE(m.run->named);
    EXPECT_NEAR(m.run->distance_in_unit(), 13.1, 0.01);
}

TEST(RunReport, BareNumberAfterARunVerbUsesTheChatUnit) {
    const auto mi = rb::parse_message("ran 8 today", words(), distance_unit::mi);
    ASSERT_TRUE(mi.run);
    EXPECT_EQ(mi.run->unit, distance_unit::mi);
    EXPECT_FALSE(mi.run->unit_explicit);
    EXPECT_NEAR(mi.run->distance_km, 12.87, 0.01);
    const auto k = km("did about 12");
    ASSERT_TRUE(k.run);
    EXPECT_EQ(k.run->unit, distance_unit::km);
    EXPECT_NEAR(k.run->distance_km, 12, 1e-9);
    EXPECT_TRUE(km("ran 5k").run->unit_explicit);
}

TEST(RunReport, ReadsTheDuration) {
    EXPECT_EQ(km("did 8 miles in 1:05").run->duration_s, 3900);
    EXPECT_EQ(km("5k in 25:30").run->duration_s, 1530);
    EXPECT_EQ(km("marathon in 3:45:12").run->duration_s, 13512);
    EXPECT_EQ(km("did 10 miles in 1h25").run->duration_s, 5100);
    EXPECT_EQ(km("ran 10k in 45 min").run->duration_s, 2700);
    EXPECT_EQ(km("ran 10k then foam rolled for 10 min").run->duration_s, std::nullopt);
    EXPECT_EQ(km("ran 10k at 6:30 this morning").run->duration_s, std::nullopt);
    // "m" after 100 or more is metres, never also minutes: "did 400m" was a 400-minute long run with 3 L to drink.
    for (const char* metres : {"did 400m", "ran 800m", "finished 400 m", "ran 1000m"}) {
        const auto p = km(metres);
        ASSERT_TRUE(p.run) << metres;
        EXPECT_EQ(p.run->duration_s, std::nullopt) << metres;
        EXPECT_LT(p.run->distance_km, 1.01) << metres;
    }
    EXPECT_EQ(km("ran 10k in 45m").run->duration_s, 2700);
}

TEST(RunReport, ClassifiesTheKindOfRun) {
    EXPECT_EQ(km("Finished the marathon!!!").run->kind, run_kind::race);
    EXPECT_EQ(km("smashed a 5k PB this morning").run->kind, run_kind::race);
    EXPECT_EQ(km("long run done: 16 miles").run->kind, run_kind::long_run);
    EXPECT_EQ(km("ran 30k").run->kind, run_kind::long_run);
    EXPECT_EQ(km("an 18-miler today").run->kind, run_kind::long_run);
    EXPECT_EQ(km("tempo run 8 miles").run->kind, run_kind::tempo);
    EXPECT_EQ(km("10 miles with 6 at marathon pace").run->kind, run_kind::tempo);
    EXPECT_EQ(km("fartlek 6k").run->kind, run_kind::intervals);
    EXPECT_EQ(km("easy 5k recovery run").run->kind, run_kind::easy);
}

TEST(RunReport, MultipliesRepeats) {
    const auto a = km("400m repeats x 10");
    ASSERT_TRUE(a.run);
    EXPECT_NEAR(a.run->distance_km, 4, 1e-9);
    EXPECT_EQ(a.run->kind, run_kind::intervals);
    EXPECT_NEAR(km("did 6x800m on the track").run->distance_km, 4.8, 1e-9);
}

TEST(RunReport, ReportsImplausibleDistancesSoTheyCanBeQuestioned) {
    for (const char* text : {"ran 0 miles", "ran 1e308 km", "ran 9999999 miles", "ran 251 km", "ran 1e999 miles",
                             "ran 99999999999999999999999999999999999999999999999999 km"}) {
        const auto m = km(text);
        ASSERT_EQ(m.what, intent::run_report) << text;
        EXPECT_FALSE(m.run->plausible()) << text;
    }
    EXPECT_TRUE(km("ran 250 km").run->plausible());
    // A '-' is only a separator: nothing the parser reports is ever negative (the fuzzer found "0h -1h").
    EXPECT_NEAR(km("ran -5 km").run->distance_km, 5, 1e-9);
    const auto odd = km("finished 10k in 0h -1h");
    ASSERT_TRUE(odd.run);
    EXPECT_GE(odd.run->duration_s.value_or(0), 0);
    // "how long ago" past int's range was converted to int (undefined; the fuzzer found it): now it is no past run.
    const auto far = km("ran 9 miles 99000000000 min ago");
    ASSERT_TRUE(far.run);
    EXPECT_FALSE(far.run->ended_min_ago.has_value());
    EXPECT_EQ(km("ran 9 miles 3 hours ago").run->ended_min_ago, 180);
}

TEST(RunReport, CelebrationIsNotNegation) {
    EXPECT_EQ(km("Can't believe I just ran 20 miles!").what, intent::run_report);
    EXPECT_EQ(km("Ran 10k tonight").what, intent::run_report);
    EXPECT_EQ(km("marathon training run of 20 miles done").run->kind, run_kind::long_run);
}

TEST(RunReport, KeepsAQuestionAskedAlongside) {
    const auto m = km("Just ran 15 miles, what should I eat?");
    EXPECT_EQ(m.what, intent::run_report);
    EXPECT_EQ(m.topic, "eating");
    EXPECT_EQ(km("ran 10k yesterday and my calves are sore").muscle, "calves");
}

TEST(NotARunReport, IgnoresPlannedAndFutureRuns) {
    for (const char* text : {"going to run 15 miles tomorrow", "planning a 10k on Sunday", "will run 10k later",
                             "gonna do 20 miles next week", "signed up for a marathon", "tomorrow: 10k race",
                             "I want to run a marathon", "hoping to do 10 miles on saturday", "10 miles on saturday",
                             "tmrw 8 miles", "registered for the Chicago marathon", "training for a marathon",
                             "I'm running a marathon on sunday", "I'd like to run a half", "next week: 20 miles"})
        EXPECT_NE(km(text).what, intent::run_report) << text;
}

TEST(NotARunReport, IgnoresNegatedRuns) {
    for (const char* text :
         {"didn't run today", "skipped my run", "too tired to run 10k", "missed my 10k this morning", "did not run 5k",
          "never ran 10 miles", "Hurt my knee, no 10k today", "I might run 10k", "will do 10k", "Running 10k tonight"})
        EXPECT_NE(km(text).what, intent::run_report) << text;
}

TEST(RunReport, StoppedEarlyIsStillARun) {
    for (const report_case& c : std::initializer_list<report_case>{
             {"DNF at mile 20", 32.187, distance_unit::mi},
             {"had to stop at 8 miles", 12.875, distance_unit::mi},
             {"dropped out of the marathon at 30k", 30, distance_unit::km},
             {"had to pull out at 25k", 25, distance_unit::km},
             {"meant to do 20, stopped at 15", 15, distance_unit::km},
             {"managed 11 of the planned 16 miles", 17.703, distance_unit::mi},
         }) {
        expect_report(c);
        EXPECT_TRUE(km(c.text).run->stopped_early || std::string(c.text).find("managed") == 0) << c.text;
    }
}

TEST(RunReport, ARaceNotFinishedIsARunOfUnknownLength) {
    for (const char* text : {"I didn't finish the half", "DNF'd the marathon", "pulled out of the marathon"}) {
        const auto m = km(text);
        ASSERT_EQ(m.what, intent::run_report) << text;
        EXPECT_FALSE(m.run->distance_given) << text;  // not the race's full distance
        EXPECT_TRUE(m.run->stopped_early) << text;
        EXPECT_EQ(m.run->kind, run_kind::race) << text;
    }
}

TEST(NotARunReport, IgnoresBareNumbersPacesAndCounts) {
    for (const char* text :
         {"15", "42", "ran 3 times this week", "ran at 6am", "10k steps today", "my weekly mileage is 40 miles",
          "10k pace is 5:00/km", "I love marathons", "5k to go", "did 10 reps", "slept 8 hours"})
        EXPECT_NE(km(text).what, intent::run_report) << text;
}

TEST(NotARunReport, TreatsRunsInQuestionsAsQuestions) {
    EXPECT_EQ(km("is a 10k too far after a marathon?").what, intent::question);
    const auto tomorrow = km("should I run 10k tomorrow?");  // asked, with no topic: answered "I don't know"
    EXPECT_EQ(tomorrow.what, intent::question);
    EXPECT_FALSE(tomorrow.run);
    EXPECT_EQ(km("can I run a 10k 2 weeks after a marathon?").what, intent::question);
    EXPECT_EQ(km("how do I recover after 15 miles").what, intent::question);
}

struct topic_case {
    const char* text;
    std::string about;
};

TEST(Question, FindsTheRecoveryTopic) {
    for (const topic_case& c : std::initializer_list<topic_case>{
             {"when should I eat after running?", "eating"},
             {"what's a good carb protein ratio?", "carb_protein_ratio"},
             {"is 3:1 right?", "carb_protein_ratio"},
             {"how much protein after a long run", "protein"},
             {"electrolytes?", "hydration"},
             {"how much should I drink after a hot run?", "hydration"},
             {"how long should I foam roll?", "foam_rolling"},
             {"where should I foam roll?", "foam_rolling"},
             {"is a massage gun worth it", "massage"},
             {"is a foot roller worth it?", "massage"},
             {"compression boots?", "compression"},
             {"ice bath or cold plunge?", "cold_therapy"},
             {"ice pack on my knee?", "cold_therapy"},
             {"does a hot bath with epsom salt help?", "epsom_salts"},
             {"deep heat or tiger balm?", "heat_rubs"},
             {"can I have a beer after my marathon?", "rewards"},
             {"ice cream after a run?", "rewards"},
             {"how many rest days after a marathon?", "rest"},
             {"tips for recovery", "general"},
         }) {
        const auto m = km(c.text);
        EXPECT_EQ(m.what, intent::question) << c.text;
        EXPECT_EQ(m.topic, c.about) << c.text << " got " << (m.topic.empty() ? "none" : m.topic);
    }
}

TEST(Question, NamesTheSoreMuscle) {
    for (const auto& [text, muscle] :
         std::initializer_list<std::pair<const char*, const char*>>{{"my calves are sore", "calves"},
                                                                    {"sore quads", "quads"},
                                                                    {"hamstrings hurt", "hamstrings"},
                                                                    {"my IT band is tight", "it band"},
                                                                    {"glutes are killing me", "glutes"},
                                                                    {"legs are dead", "legs"}}) {
        const auto m = km(text);
        EXPECT_EQ(m.what, intent::question) << text;
        EXPECT_EQ(m.topic, "soreness") << text;
        EXPECT_EQ(m.muscle, muscle) << text;
    }
}

// "ok what should i eat" and "so what should i eat" got "I'm not sure what you mean": a filler before the
// question's opener hid it. The fillers are skipped only when an opener follows ("ok to run tomorrow?" keeps its
// "ok to"), and a filler alone is still small talk.
TEST(Question, FillersBeforeTheOpenerStillAsk) {
    for (const topic_case& c : std::initializer_list<topic_case>{
             {"ok what should i eat", "eating"},
             {"ok so what should i eat", "eating"},
             {"so what should I eat", "eating"},
             {"hmm how long should i foam roll", "foam_rolling"},
             {"and is an ice bath worth it", "cold_therapy"},
             {"quick question how much protein after a marathon", "protein"},
             {"ok to run tomorrow?", "rest"},
         }) {
        const auto m = km(c.text);
        EXPECT_EQ(m.what, intent::question) << c.text;
        EXPECT_EQ(m.topic, c.about) << c.text << " got " << (m.topic.empty() ? "none" : m.topic);
    }
    EXPECT_EQ(km("ok").what, intent::smalltalk);
    EXPECT_EQ(km("so").what, intent::unknown);
    EXPECT_EQ(km("ok so finished 10k").what, intent::run_report);
}

// Asked, but about nothing the bot knows: a question with no topic (the reply says so honestly).
TEST(Question, WithoutARecoveryTopicHasNoTopic) {
    for (const char* text : {"what's the weather?", "what time is it?", "qwerty?", "best gps watch?"}) {
        const auto m = km(text);
        EXPECT_EQ(m.what, intent::question) << text;
        EXPECT_TRUE(m.topic.empty()) << text << " got " << m.topic;
    }
    EXPECT_EQ(km("qwerty").what, intent::unknown);
    EXPECT_EQ(km("will do 10k").what, intent::unknown);
}

TEST(MealRequest, ReadsTheFilters) {
    const auto vegan = km("no-cook vegan meal please");
    EXPECT_EQ(vegan.what, intent::meal_request);
    EXPECT_TRUE(vegan.filters.has("vegan"));
    EXPECT_TRUE(vegan.filters.has("no_cook"));
    EXPECT_FALSE(vegan.filters.has("dairy_free"));
    EXPECT_TRUE(km("vegetarian dinner ideas").filters.has("vegetarian"));
    EXPECT_TRUE(km("dairy-free recovery snack").filters.has("dairy_free"));
    EXPECT_TRUE(km("something with no dairy to eat please").filters.has("dairy_free"));
    EXPECT_TRUE(km("quick breakfast idea please").filters.has("quick"));
    EXPECT_FALSE(km("recovery meal").filters.any());
    EXPECT_EQ(km("vegan?").what, intent::meal_request);
    EXPECT_EQ(km("easy week?").topic, "rest");
}

TEST(MealRequest, IsNotAQuestionAboutTimingOrAmounts) {
    EXPECT_EQ(km("ideas for a recovery meal").what, intent::meal_request);
    EXPECT_EQ(km("suggest a vegan snack").what, intent::meal_request);
    EXPECT_EQ(km("when should I eat my recovery meal?").what, intent::question);
    EXPECT_EQ(km("how much protein in a recovery snack?").what, intent::question);
    EXPECT_EQ(km("is a recovery meal important?").what, intent::question);
}

TEST(SmallTalk, RecognisesGreetingsAndThanks) {
    for (const char* text : {"hi", "Hello!", "hey there", "good morning", "yo"}) {
        EXPECT_EQ(km(text).what, intent::smalltalk) << text;
        EXPECT_TRUE(km(text).greeting) << text;
    }
    for (const char* text : {"thanks!", "thank you", "cheers mate", "thx", "much appreciated"}) {
        EXPECT_EQ(km(text).what, intent::smalltalk) << text;
        EXPECT_TRUE(km(text).thanks) << text;
    }
    EXPECT_TRUE(km("hi! just ran 10k").greeting);
    EXPECT_EQ(km("hi! just ran 10k").what, intent::run_report);
}

TEST(SmallTalk, LeavesGibberishUnknown) {
    for (const char* text : {"qwerty", "asdfgh", "", "   ", "\xF0\x9F\x8F\x83",
                             "\xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF", "history of Rome"}) {
        EXPECT_EQ(km(text).what, intent::unknown) << text;
        EXPECT_FALSE(km(text).greeting) << text;
    }
}

TEST(HostileText, NeverCrashesOnControlBytesOrInvalidUtf8) {
    const char raw[] = "ran \x00\x01\x02 10k \xff\xfe\xc3 done\x7f";
    const std::string bytes(raw, sizeof(raw) - 1);
    EXPECT_EQ(km(bytes).what, intent::run_report);
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    (void)km(all);
    EXPECT_EQ(km("\xe2\x80").what, intent::unknown);  // truncated UTF-8
}

TEST(HostileText, AnalysesOnlyTheStartOfHugeText) {
    const std::string huge = "ran 10k " + std::string(1 << 20, 'a') + " tomorrow";
    const auto m = km(huge);
    EXPECT_EQ(m.what, intent::run_report);
    std::string words;
    for (int i = 0; i < 100000; ++i) words += "1:1 x 9 ? , ";
    (void)km(words);
    const std::string late = std::string(5000, ' ') + "ran 10k";
    EXPECT_NE(km(late).what, intent::run_report);
}

TEST(Command, SplitsNameAndArguments) {
    EXPECT_EQ(rb::parse_command("/units km", "my_bot"), (rb::command{"units", "km"}));
    EXPECT_EQ(rb::parse_command("/units@my_bot km", "my_bot"), (rb::command{"units", "km"}));
    EXPECT_EQ(rb::parse_command("/Units@My_Bot  KM  ", "my_bot"), (rb::command{"units", "KM"}));
    EXPECT_EQ(rb::parse_command("/start", "my_bot"), (rb::command{"start", ""}));
    EXPECT_EQ(rb::parse_command("  /quiet 22:00-07:00\n", "my_bot"), (rb::command{"quiet", "22:00-07:00"}));
    EXPECT_EQ(rb::parse_command("/timezone\tEurope/London", "@my_bot"), (rb::command{"timezone", "Europe/London"}));
    EXPECT_EQ(rb::parse_command("/help@anything", ""), (rb::command{"help", ""}));
}

TEST(Command, RejectsWhatIsNotACommandForThisBot) {
    EXPECT_EQ(rb::parse_command("/units@other_bot km", "my_bot"), std::nullopt);
    EXPECT_EQ(rb::parse_command("units km", "my_bot"), std::nullopt);
    EXPECT_EQ(rb::parse_command("/", "my_bot"), std::nullopt);
    EXPECT_EQ(rb::parse_command("/ units", "my_bot"), std::nullopt);
    EXPECT_EQ(rb::parse_command("/units-km", "my_bot"), std::nullopt);
    EXPECT_EQ(rb::parse_command("/start@", "my_bot"), std::nullopt);
    EXPECT_EQ(rb::parse_command("", "my_bot"), std::nullopt);
    EXPECT_EQ(rb::parse_command("/" + std::string(40, 'a'), "my_bot"), std::nullopt);
}

TEST(Mention, FindsTheBotNameAnywhere) {
    EXPECT_TRUE(rb::mentions("@my_bot finished 15 miles", "my_bot"));
    EXPECT_TRUE(rb::mentions("hey @My_Bot, ice bath?", "my_bot"));
    EXPECT_TRUE(rb::mentions("thanks @my_bot", "@my_bot"));
}

TEST(Mention, IgnoresOtherNamesAndPrefixes) {
    EXPECT_FALSE(rb::mentions("@my_bot2 hello", "my_bot"));
    EXPECT_FALSE(rb::mentions("mail me@my_bot", "my_bot"));
    EXPECT_FALSE(rb::mentions("my_bot", "my_bot"));
    EXPECT_FALSE(rb::mentions("@my_bo", "my_bot"));
    EXPECT_FALSE(rb::mentions("@my_bot", ""));
}

TEST(Names, AreStableForJson) {
    EXPECT_EQ(rb::to_string(intent::run_report), "run_report");
    EXPECT_EQ(rb::to_string(intent::meal_request), "meal_request");
    EXPECT_EQ(rb::to_string(run_kind::long_run), "long_run");
}

}  // namespace
