// decide() for messages, groups, buttons and membership: run reports plan and schedule, questions and meal
// requests answer, odd input gets a sane reply and schedules nothing, groups answer only when addressed.
#include "handlers/route.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <tuple>

#include "handlers/callback.hpp"
#include "route_fixture.hpp"

namespace {

using namespace rb::testing;
using rb::action;
using rb::schedule_plan;
using rb::send_message;

TEST(RouteRunReport, RepliesWithPlanAndMealAndSchedulesTheReminders) {
    const auto actions = rb::decide(private_text("finished 15 miles"), make_context());
    const std::string reply = only_reply(actions);
    EXPECT_TRUE(contains(reply, "15-mile")) << reply;
    EXPECT_TRUE(contains(reply, "Meal idea")) << reply;
    EXPECT_TRUE(contains(reply, "carb:protein")) << reply;
    const auto plans = all_of_kind<schedule_plan>(actions);
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_EQ(plans[0].chat_id, runner_id);
    EXPECT_EQ(plans[0].owner_id, runner_id);
    EXPECT_EQ(plans[0].run_id, "m7");
    ASSERT_GE(plans[0].reminders.size(), 6u);
    EXPECT_EQ(plans[0].reminders[0].kind, "eat");
    for (const auto& r : plans[0].reminders) EXPECT_FALSE(r.text.empty()) << r.kind;
}

TEST(RouteRunReport, EditedReportReplansUnderTheSameRunIdWithoutSayingItReplaces) {
    rb::reminder same;
    same.run_id = "m7";
    same.kind = "roll";
    const auto edited = message_update(text_message("finished 16 miles"), rb::update_kind::edited_message);
    const auto actions = rb::decide(edited, make_context({}, {same}));
    const auto plans = all_of_kind<schedule_plan>(actions);
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_EQ(plans[0].run_id, "m7");
    EXPECT_FALSE(contains(only_reply(actions), "replaces"));
}

TEST(RouteRunReport, NewRunSaysItReplacesThePreviousPlan) {
    rb::reminder older;
    older.run_id = "m3";
    older.kind = "hydrate_2";
    const auto actions = rb::decide(private_text("ran 10k", 9), make_context({}, {older}));
    EXPECT_TRUE(contains(only_reply(actions), "This replaces your previous plan"));
    EXPECT_EQ(all_of_kind<schedule_plan>(actions).at(0).run_id, "m9");
}

TEST(RouteRunReport, SameUpdateAlwaysGetsTheSameAnswer) {
    const auto a = rb::decide(private_text("half marathon done"), make_context());
    const auto b = rb::decide(private_text("half marathon done"), make_context());
    EXPECT_EQ(only_reply(a), only_reply(b));
    EXPECT_EQ(all_of_kind<schedule_plan>(a).at(0).reminders, all_of_kind<schedule_plan>(b).at(0).reminders);
}

// The meal idea carries about what the plan asks for: after a marathon at 70 kg (70-85 g carbs now) not apple
// slices with 25 g; at 50 kg (50-60 g) not a 90 g bowl. Whatever the seed (the message id) picks.
TEST(RouteRunReport, TheMealIdeaFitsTheRunnersCarbTarget) {
    const std::regex idea_carbs("🍽 <b>[^<]+</b>: ([0-9]+) g carbs");
    for (const auto& [kg, low, high] : {std::tuple{70.0, 52.5, 106.25}, std::tuple{50.0, 37.5, 75.0}}) {
        rb::chat_settings settings;
        settings.weight_kg = kg;
        for (std::int64_t id = 1; id <= 40; ++id) {
            const std::string reply = only_reply(rb::decide(private_text("marathon done", id), make_context(settings)));
            std::smatch m;
            ASSERT_TRUE(std::regex_search(reply, m, idea_carbs)) << reply;
            const double carbs = std::stod(m[1].str());
            EXPECT_GE(carbs, low) << kg << " kg, message " << id << ": " << m[0];
            EXPECT_LE(carbs, high) << kg << " kg, message " << id << ": " << m[0];
        }
    }
}

// "this morning" read on the runner's clock: at 15:00 in London the run ended three hours ago at least, so no
// eat-now step; at 09:00 it may have just ended; with no zone set the bot does not guess.
TEST(RouteRunReport, AMorningRunReportedInTheAfternoonHasNoEatNowStep) {
    rb::chat_settings london;
    london.time_zone = "Europe/London";
    auto first_step = [](const std::vector<action>& actions) {
        return all_of_kind<schedule_plan>(actions).at(0).reminders.at(0).kind;
    };
    auto afternoon = make_context(london);
    afternoon.now_ms = rb::testing::utc_ms(2024, 5, 4, 14, 0);  // 15:00 in London (BST)
    const auto late = rb::decide(private_text("ran 10 miles this morning"), afternoon);
    EXPECT_NE(first_step(late), "eat");
    EXPECT_TRUE(contains(only_reply(late), "eating window has passed")) << only_reply(late);
    auto morning = make_context(london);
    morning.now_ms = rb::testing::utc_ms(2024, 5, 4, 8, 0);  // 09:00 in London
    EXPECT_EQ(first_step(rb::decide(private_text("ran 10 miles this morning"), morning)), "eat");
    auto no_zone = make_context();
    no_zone.now_ms = afternoon.now_ms;
    EXPECT_EQ(first_step(rb::decide(private_text("ran 10 miles this morning"), no_zone)), "eat");
}

TEST(RouteRunReport, ImplausibleDistanceIsQuestionedAndNothingScheduled) {
    for (const char* text : {"finished 300 km", "ran 1e308 km"}) {
        const auto actions = rb::decide(private_text(text), make_context());
        EXPECT_TRUE(all_of_kind<schedule_plan>(actions).empty()) << text;
        const auto sends = all_of_kind<send_message>(actions);
        ASSERT_EQ(sends.size(), 1u) << text;
        EXPECT_FALSE(contains(sends[0].text, "Nice work")) << text;
    }
    EXPECT_TRUE(contains(only_reply(rb::decide(private_text("finished 300 km"), make_context())), "300 km?"));
}

TEST(RouteRunReport, FutureAndNegatedRunsScheduleNothingAndSaySo) {
    for (const char* text : {"going to run 15 miles tomorrow", "planning a 10k on Sunday", "didn't run today"}) {
        const auto actions = rb::decide(private_text(text), make_context());
        EXPECT_TRUE(all_of_kind<schedule_plan>(actions).empty()) << text;
        EXPECT_TRUE(contains(only_reply(actions), "nothing to plan yet")) << text;
    }
}

// After "do not drink more water" (low sodium) the plan's "drink up" ping must not come: a red flag cancels the
// reminders still pending and the reply says so; with nothing pending it cancels nothing and says nothing of it.
TEST(RouteMessages, ARedFlagCancelsThePendingRemindersAndSaysSo) {
    rb::reminder drink;
    drink.run_id = "m3";
    drink.kind = "hydrate";
    rb::reminder roll = drink;
    roll.kind = "roll";
    const auto actions =
        rb::decide(private_text("drank loads of water and now I have a bad headache and feel confused", 9),
                   make_context({}, {drink, roll}));
    const std::string reply = only_reply(actions);
    EXPECT_TRUE(contains(reply, "Get medical help now")) << reply;
    EXPECT_TRUE(contains(reply, "Do not drink more water")) << reply;
    EXPECT_TRUE(contains(reply, "stopped your 2 upcoming recovery reminders")) << reply;
    const auto cancels = all_of_kind<rb::cancel_all_reminders>(actions);
    ASSERT_EQ(cancels.size(), 1u);
    EXPECT_EQ(cancels[0].owner_id, runner_id);
    EXPECT_TRUE(all_of_kind<schedule_plan>(actions).empty());

    const auto edited =
        rb::decide(message_update(text_message("finished 10k, now chest pain"), rb::update_kind::edited_message),
                   make_context({}, {drink}));
    EXPECT_EQ(all_of_kind<rb::cancel_all_reminders>(edited).size(), 1u);
    EXPECT_TRUE(contains(only_reply(edited), "stopped your 1 upcoming recovery reminder,")) << only_reply(edited);
    EXPECT_TRUE(all_of_kind<schedule_plan>(edited).empty());

    const auto alone = rb::decide(private_text("I have chest pain"), make_context());
    EXPECT_TRUE(all_of_kind<rb::cancel_all_reminders>(alone).empty());
    EXPECT_TRUE(contains(only_reply(alone), "Get medical help now"));
    EXPECT_FALSE(contains(only_reply(alone), "reminder")) << only_reply(alone);
}

TEST(RouteMessages, QuestionsGetTheirTopicsAnswer) {
    EXPECT_TRUE(contains(only_reply(rb::decide(private_text("how long should I foam roll?"), make_context())),
                         "1-2 minutes on each main area"));
    EXPECT_TRUE(contains(only_reply(rb::decide(private_text("is an ice bath good after a marathon?"), make_context())),
                         "evidence is mixed"));
    EXPECT_TRUE(contains(
        only_reply(rb::decide(private_text("how much should I drink after a hot run?"), make_context())), "125-150%"));
}

TEST(RouteMessages, SorenessAnswerNamesTheMuscle) {
    const std::string reply = only_reply(rb::decide(private_text("my calves are really sore"), make_context()));
    EXPECT_TRUE(contains(reply, "calves")) << reply;
    EXPECT_TRUE(contains(reply, "Roll them gently")) << reply;
}

// "swollen ankle" got the sore-feet answer (roll the arches on a frozen bottle): a swollen part gets rest, raise,
// cool and when to have it checked, whichever part it is; a sore one still gets its own answer.
TEST(RouteMessages, ASwollenPartGetsTheSwellingAnswerNotItsSorenessTip) {
    for (const char* text : {"swollen ankle", "my ankle is swollen after the marathon",
                             "knee is puffy after my long run", "feet swelled up during the ultra, normal?"}) {
        const std::string reply = only_reply(rb::decide(private_text(text), make_context()));
        EXPECT_TRUE(contains(reply, "Swelling is not ordinary soreness")) << text << ": " << reply;
        EXPECT_TRUE(contains(reply, "cannot take 4 steps")) << text << ": " << reply;
        EXPECT_FALSE(contains(reply, "Roll the arches")) << text << ": " << reply;
    }
    const std::string sore = only_reply(rb::decide(private_text("my feet are sore after 20 miles"), make_context()));
    EXPECT_TRUE(contains(sore, "Roll the arches")) << sore;
    const std::string not_swollen =
        only_reply(rb::decide(private_text("calf is sore but no swelling, ok to run?"), make_context()));
    EXPECT_FALSE(contains(not_swollen, "Swelling is not ordinary soreness")) << not_swollen;
}

// "who are you", "are you a bot" and "bye" got "I'm not sure what you mean": the bot says what it is (a program,
// not a person or a doctor) above its help, and a goodbye gets a line back.
TEST(RouteMessages, AskedWhatItIsTheBotSaysAndAGoodbyeGetsALine) {
    for (const char* text : {"who are you", "are you a bot?", "what can you do", "are you a real person"}) {
        const std::string reply = only_reply(rb::decide(private_text(text), make_context()));
        EXPECT_TRUE(contains(reply, "not a person and not a doctor")) << text << ": " << reply;
        EXPECT_TRUE(contains(reply, "What I can do")) << text << ": " << reply;
        EXPECT_FALSE(contains(reply, "not sure what you mean")) << text << ": " << reply;
    }
    for (const char* text : {"bye", "good night!"}) {
        const std::string reply = only_reply(rb::decide(private_text(text), make_context()));
        EXPECT_TRUE(contains(reply, "Bye for now")) << text << ": " << reply;
    }
    const std::string greeting = only_reply(rb::decide(private_text("how are you?"), make_context()));
    EXPECT_FALSE(contains(greeting, "not sure what you mean")) << greeting;
    // A question about running that opens the same way is still answered as a question.
    EXPECT_FALSE(contains(only_reply(rb::decide(private_text("what can you do for sore calves?"), make_context())),
                          "not a person"));
}

// "ran 15 miles, im allergic to nuts what should i eat" was answered with "a smoothie of ... peanut butter and
// oats" from the eating answer's fixed examples: with a diet or allergy said, they are left out.
TEST(RouteMessages, AnAllergySaidWithTheQuestionDropsTheFixedExamples) {
    for (const char* text : {"ran 15 miles, im allergic to nuts what should i eat", "nut free, what should i eat?",
                             "vegan, what should i eat after a long run?"}) {
        const std::string reply = only_reply(rb::decide(private_text(text), make_context()));
        EXPECT_FALSE(contains(reply, "peanut")) << text << ": " << reply;
        EXPECT_FALSE(contains(reply, "meatballs")) << text << ": " << reply;
        EXPECT_TRUE(contains(reply, "Meal idea")) << text << ": " << reply;
    }
    EXPECT_TRUE(contains(only_reply(rb::decide(private_text("what should i eat after my run?"), make_context())),
                         "peanut butter"));
}

// "i drank 6 litres of water since the race, still thirsty" got "drink 125-150% of what you lost". Litres drunk
// past any need, with no symptom said: stop drinking water, and the signs that mean help now; with a symptom:
// help now. Hypothermia got the heat reply (cool down with ice); it gets its own.
TEST(RouteMessages, OverdrinkingIsStoppedAndHypothermiaIsNotCooled) {
    const std::string plenty =
        only_reply(rb::decide(private_text("i drank 6 litres of water since the race, still thirsty"), make_context()));
    EXPECT_TRUE(contains(plenty, "stop drinking for now")) << plenty;
    EXPECT_FALSE(contains(plenty, "125-150%")) << plenty;
    const std::string sick = only_reply(rb::decide(
        private_text("drank 5 litres since the marathon and now i have a headache and feel sick"), make_context()));
    EXPECT_TRUE(contains(sick, "Get medical help now")) << sick;
    const std::string cold = only_reply(rb::decide(
        private_text("ran 15 miles in freezing rain, now shivering uncontrollably and confused"), make_context()));
    EXPECT_TRUE(contains(cold, "hypothermia")) << cold;
    EXPECT_FALSE(contains(cold, "ice")) << cold;
}

// "ran 10k in 5 min" got a plan: a pace past every world record is questioned, as an impossible distance is;
// "run/walk 10k" was a walk, "8ish miles" nothing to plan, "dreadmill 45 min" not understood.
TEST(RouteMessages, ImpossiblePacesAreQuestionedAndRunWalksAreRuns) {
    for (const char* text : {"ran 10k in 5 min", "ran 5k in 10 minutes"}) {
        const auto actions = rb::decide(private_text(text), make_context());
        EXPECT_TRUE(all_of_kind<rb::schedule_plan>(actions).empty()) << text;
        EXPECT_TRUE(contains(only_reply(actions), "faster than any world record")) << only_reply(actions);
    }
    for (const char* text :
         {"ran 5k in 25 minutes", "marathon in 2:01:09", "run/walk 10k", "did like 8ish miles", "dreadmill 45 min"}) {
        const auto actions = rb::decide(private_text(text), make_context());
        EXPECT_EQ(all_of_kind<rb::schedule_plan>(actions).size(), 1u) << text << ": " << only_reply(actions);
    }
}

TEST(RouteMessages, MealRequestHonoursFiltersAndShowsTheRatio) {
    const std::string reply = only_reply(rb::decide(private_text("any vegan recovery meal ideas?"), make_context()));
    EXPECT_TRUE(contains(reply, "(vegan)")) << reply;
    EXPECT_TRUE(contains(reply, "carb:protein")) << reply;
    EXPECT_FALSE(contains(reply, "Greek yoghurt")) << reply;
}

TEST(RouteMessages, NonTextGetsANoteThatTheBotReadsText) {
    auto m = text_message("");
    m.content = rb::content_kind::sticker;
    const auto actions = rb::decide(message_update(m), make_context());
    EXPECT_TRUE(contains(only_reply(actions), "only read text"));
    EXPECT_TRUE(all_of_kind<schedule_plan>(actions).empty());
}

TEST(RouteMessages, GreetingThanksAndGibberishGetShortFriendlyAnswers) {
    EXPECT_TRUE(contains(only_reply(rb::decide(private_text("hi there"), make_context())), "Hi Ana"));
    EXPECT_TRUE(contains(only_reply(rb::decide(private_text("thanks!"), make_context())), "welcome"));
    EXPECT_TRUE(contains(only_reply(rb::decide(private_text("qwzx plorf"), make_context())), "/help"));
}

// "ok" after a reminder got "I'm not sure what you mean" and the menu; an acknowledgement gets a line back.
// With /weight set, "how many carbs after a half" gets the runner's own grams (70 kg: 70 g now, 70-85 g an hour after
// a long run), and the meal idea carries about that much; without a weight, the general rule only.
TEST(RouteMessages, AnEatingQuestionGivesTheRunnersOwnGramsWhenTheWeightIsKnown) {
    rb::chat_settings seventy;
    seventy.weight_kg = 70;
    const std::regex idea_carbs("🍽 <b>[^<]+</b>: ([0-9]+) g carbs");
    for (std::int64_t id = 1; id <= 20; ++id) {
        const std::string reply =
            only_reply(rb::decide(private_text("how many carbs after a half", id), make_context(seventy)));
        EXPECT_TRUE(contains(reply, "For you (70 kg): about 70 g carbs and 21 g protein")) << reply;
        EXPECT_TRUE(contains(reply, "about 70-85 g carbs an hour")) << reply;
        std::smatch m;
        ASSERT_TRUE(std::regex_search(reply, m, idea_carbs)) << reply;
        EXPECT_GE(std::stod(m[1].str()), 52.5) << m[0];
        EXPECT_LE(std::stod(m[1].str()), 87.5) << m[0];
    }
    EXPECT_FALSE(
        contains(only_reply(rb::decide(private_text("how many carbs after a half"), make_context())), "For you"));
    // Past the weight the figures are capped at, the reply says so rather than print 130 kg over 100 kg's grams.
    rb::chat_settings heavy;
    heavy.weight_kg = 130;
    const std::string capped = only_reply(rb::decide(private_text("how many carbs after a half"), make_context(heavy)));
    EXPECT_TRUE(contains(capped, "For you (130 kg, counted as 100 kg")) << capped;
}

TEST(RouteMessages, AnAcknowledgementGetsALineNotTheMenu) {
    rb::reminder next;
    next.run_id = "m3";
    next.kind = "roll";
    for (const char* ack : {"ok", "got it", "will do", "lol", "\xF0\x9F\x91\x8D"}) {
        const std::string pending = only_reply(rb::decide(private_text(ack), make_context({}, {next})));
        EXPECT_TRUE(contains(pending, "I'll ping you when it's time for the next step")) << ack << ": " << pending;
        const std::string none = only_reply(rb::decide(private_text(ack), make_context()));
        EXPECT_TRUE(contains(none, "Tell me when you finish a run")) << ack << ": " << none;
        EXPECT_FALSE(contains(none, "not sure")) << ack;
    }
    EXPECT_TRUE(contains(only_reply(rb::decide(private_text("ok 10k done"), make_context())), "Nice work"));
    EXPECT_TRUE(contains(only_reply(rb::decide(private_text("who are you"), make_context())), "I can"));
}

TEST(RouteMessages, HostileTextNeverLeaksUnescapedIntoTheReply) {
    const auto actions = rb::decide(private_text("hi <b>&\"'"), make_context());
    for (const auto& s : all_of_kind<send_message>(actions)) EXPECT_FALSE(contains(s.text, "<b>&")) << s.text;
}

TEST(RouteMessages, OddInputGetsOneSaneReplyAndNeverCrashes) {
    const std::string cases[] = {std::string(100'000, 'a'),
                                 "🏃‍♀️🏃‍♀️🏃‍♀️ 🎉",
                                 "бегал 10 км",
                                 "\x01\x02\x7f\n\t",
                                 "ran 0 miles",
                                 "finished 99999999999999999999999 km",
                                 "\xff\xfe broken utf8",
                                 "/",
                                 "@recovery_bot",
                                 "   "};
    for (const auto& text : cases) {
        const auto actions = rb::decide(private_text(text), make_context());
        EXPECT_EQ(all_of_kind<send_message>(actions).size(), 1u) << text.substr(0, 40);
        EXPECT_TRUE(all_of_kind<schedule_plan>(actions).empty()) << text.substr(0, 40);
    }
}

// Every line of the shared corpus: one reply each; a plan exactly for the finished runs.
TEST(RouteMessages, CorpusLinesGetOneReplyAndOnlyRunReportsSchedule) {
    const auto path = std::filesystem::path(RB_SOURCE_DIR) / ".." / "shared" / "corpus" / "messages.tsv";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "no shared corpus beside the clone";
    std::istringstream lines(read_file(path));
    int checked = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        const std::string text = line.substr(0, line.find('\t'));
        const bool report = line.find("\trun_report\t") != std::string::npos;
        const auto actions = rb::decide(private_text(text), make_context());
        EXPECT_EQ(all_of_kind<send_message>(actions).size(), 1u) << text;
        EXPECT_EQ(all_of_kind<schedule_plan>(actions).size(), report ? 1u : 0u) << text;
        ++checked;
    }
    EXPECT_GT(checked, 20);
}

TEST(RouteMessages, MessagesFromBotsAndChannelPostsAreIgnored) {
    auto from_bot = text_message("finished 10k");
    from_bot.from->is_bot = true;
    EXPECT_TRUE(rb::decide(message_update(from_bot), make_context()).empty());
    auto post = message_update(text_message("finished 10k", -100999, "channel"), rb::update_kind::channel_post);
    EXPECT_TRUE(rb::decide(post, make_context()).empty());
    rb::update other;
    other.kind = rb::update_kind::other;
    EXPECT_TRUE(rb::decide(other, make_context()).empty());
}

TEST(RouteMessages, InactiveRunnerWritingAgainIsReactivatedFirst) {
    rb::chat_settings s;
    s.active = false;
    const auto actions = rb::decide(private_text("hello"), make_context(s));
    ASSERT_GE(actions.size(), 2u);
    const auto* saved = std::get_if<rb::save_settings>(&actions[0]);
    ASSERT_NE(saved, nullptr);
    EXPECT_TRUE(saved->settings.active);
}

TEST(RouteGroups, PlainGroupChatterIsIgnored) {
    EXPECT_TRUE(rb::decide(group_text("finished 10k"), make_context()).empty());
    auto photo = text_message("", group_id, "group");
    photo.content = rb::content_kind::photo;
    EXPECT_TRUE(rb::decide(message_update(photo), make_context()).empty());
}

TEST(RouteGroups, MentionPlansForTheSenderAndPingsTheGroup) {
    const auto actions = rb::decide(group_text("@Recovery_Bot finished 10k"), make_context());
    const auto plans = all_of_kind<schedule_plan>(actions);
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_EQ(plans[0].owner_id, runner_id);
    EXPECT_EQ(plans[0].chat_id, group_id);
    const auto sends = all_of_kind<send_message>(actions);
    ASSERT_EQ(sends.size(), 1u);
    EXPECT_EQ(sends[0].chat_id, group_id);
    EXPECT_EQ(sends[0].reply_to_message_id, 7);
    EXPECT_TRUE(contains(sends[0].text, "10 km"));
}

TEST(RouteGroups, ReplyToTheBotIsAnswered) {
    auto m = text_message("how long should I foam roll?", group_id, "group");
    m.reply_to_from = rb::user{1, true, "Recovery", "recovery_bot", ""};
    EXPECT_TRUE(contains(only_reply(rb::decide(message_update(m), make_context())), "Foam rolling"));
    m.reply_to_from = rb::user{5, false, "Bob", "bob", ""};
    EXPECT_TRUE(rb::decide(message_update(m), make_context()).empty());
}

TEST(RouteGroups, CommandsAnswerWhenOursOrUnaddressedButNotAnotherBots) {
    EXPECT_TRUE(contains(only_reply(rb::decide(group_text("/help"), make_context())), "/timezone"));
    EXPECT_TRUE(contains(only_reply(rb::decide(group_text("/help@recovery_bot"), make_context())), "/timezone"));
    EXPECT_TRUE(rb::decide(group_text("/help@other_bot"), make_context()).empty());
    EXPECT_TRUE(rb::decide(group_text("/roll_dice"), make_context()).empty());
    EXPECT_TRUE(contains(only_reply(rb::decide(group_text("/roll_dice@recovery_bot"), make_context())), "/roll_dice"));
}

TEST(RouteGroups, SettingsInAGroupBelongToTheSender) {
    const auto saved = all_of_kind<rb::save_settings>(rb::decide(group_text("/units mi"), make_context()));
    ASSERT_EQ(saved.size(), 1u);
    EXPECT_EQ(saved[0].owner_id, runner_id);
}

TEST(RouteOwner, PrivateChatGroupSenderAndNobodyForChannels) {
    EXPECT_EQ(rb::owner_of(private_text("x")), runner_id);
    EXPECT_EQ(rb::owner_of(group_text("x")), runner_id);
    EXPECT_FALSE(rb::owner_of(message_update(text_message("x", -100999, "channel"), rb::update_kind::channel_post)));
    EXPECT_EQ(rb::owner_of(button_press("r:done:1")), runner_id);
    EXPECT_FALSE(rb::owner_of(rb::update{}));
}

TEST(RouteButtons, DoneFinishesTheReminderAndEditsThePing) {
    const std::string id = std::to_string(runner_id) + ":m7:eat";
    const auto actions = rb::decide(button_press("r:done:" + id), make_context());
    const auto answers = all_of_kind<rb::answer_callback>(actions);
    ASSERT_EQ(answers.size(), 1u);
    EXPECT_EQ(answers[0].callback_query_id, "cb-1");
    EXPECT_TRUE(contains(answers[0].text, "Done"));
    const auto finished = all_of_kind<rb::finish_reminder>(actions);
    ASSERT_EQ(finished.size(), 1u);
    EXPECT_EQ(finished[0].reminder_id, id);
    EXPECT_EQ(finished[0].owner_id, runner_id);
    const auto edits = all_of_kind<rb::edit_message>(actions);
    ASSERT_EQ(edits.size(), 1u);
    EXPECT_EQ(edits[0].message_id, 99);
    EXPECT_TRUE(contains(edits[0].text, "Drink up &lt;now&gt; &amp; then")) << edits[0].text;
    EXPECT_TRUE(contains(edits[0].text, "Done"));
}

TEST(RouteButtons, SnoozeMovesTheReminderFifteenMinutes) {
    const std::string id = std::to_string(runner_id) + ":m7:roll";
    const auto snoozed = all_of_kind<rb::snooze_reminder>(rb::decide(button_press("r:snooze:" + id), make_context()));
    ASSERT_EQ(snoozed.size(), 1u);
    EXPECT_EQ(snoozed[0].by, std::chrono::minutes(15));
    EXPECT_EQ(snoozed[0].reminder_id, id);
}

TEST(RouteButtons, SkipFinishesWithoutSending) {
    const std::string id = std::to_string(runner_id) + ":m7:ice";
    const auto actions = rb::decide(button_press("r:skip:" + id), make_context());
    EXPECT_EQ(all_of_kind<rb::finish_reminder>(actions).size(), 1u);
    EXPECT_TRUE(contains(all_of_kind<rb::answer_callback>(actions).at(0).text, "Skipped"));
}

TEST(RouteButtons, OnlyTheOwnerMayPress) {
    const auto actions =
        rb::decide(button_press("r:done:" + std::to_string(runner_id) + ":m7:eat", 555), make_context());
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_TRUE(contains(std::get<rb::answer_callback>(actions[0]).text, "someone else"));
}

TEST(RouteButtons, MalformedDataGetsAShortNote) {
    const std::string too_long = "r:done:4242:" + std::string(60, '9');
    for (const std::string& data : {std::string(), std::string("hello"), std::string("r:"), std::string("r:done:"),
                                    std::string("r:explode:4242:m7:eat"), too_long}) {
        const auto actions = rb::decide(button_press(data), make_context());
        ASSERT_EQ(actions.size(), 1u) << data;
        EXPECT_TRUE(contains(std::get<rb::answer_callback>(actions[0]).text, "no longer works")) << data;
    }
}

TEST(ReminderButtons, ThreeButtonsWhoseDataFitsAndParsesBack) {
    const std::string id = "123456789012:m2147483647:morning_roll";
    const auto rows = rb::reminder_buttons(id);
    ASSERT_EQ(rows.size(), 1u);
    ASSERT_EQ(rows[0].size(), 3u);
    for (const auto& b : rows[0]) {
        EXPECT_LE(b.callback_data.size(), 64u);
        const auto press = rb::parse_button_data(b.callback_data);
        ASSERT_TRUE(press) << b.callback_data;
        EXPECT_EQ(press->reminder_id, id);
    }
    EXPECT_TRUE(contains(rows[0][1].text, "Snooze 15 min"));
    EXPECT_TRUE(rb::reminder_buttons(std::string(60, '9')).empty());
}

TEST(RouteMembership, KickedOrLeftDeactivatesTheOwner) {
    const auto kicked = rb::decide(member_change("kicked"), make_context());
    ASSERT_EQ(kicked.size(), 1u);
    EXPECT_EQ(std::get<rb::deactivate_owner>(kicked[0]).owner_id, runner_id);
    const auto left = rb::decide(member_change("left", group_id, "supergroup"), make_context());
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(std::get<rb::deactivate_owner>(left[0]).owner_id, group_id);
}

TEST(RouteMembership, UnblockingReactivatesAndOtherChangesAreIgnored) {
    rb::chat_settings inactive;
    inactive.active = false;
    const auto back = rb::decide(member_change("member"), make_context(inactive));
    ASSERT_EQ(back.size(), 1u);
    EXPECT_TRUE(std::get<rb::save_settings>(back[0]).settings.active);
    EXPECT_TRUE(rb::decide(member_change("administrator"), make_context()).empty());
}

}  // namespace
