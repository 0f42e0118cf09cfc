// End-to-end, the path a runner really takes: the real binary, a real redis-server and the fake Bot API.
// A delivered reminder's Snooze button brings it back (once, with its buttons); Done on a delivered one
// answers; a run reported at 23:00 in the runner's own zone keeps its first hours and holds the later drink
// until the morning, and says so; setting the zone later moves what is pending; a medical red flag after a run
// stops the plan's pings.
#include <chrono>
#include <ctime>
#include <regex>
#include <thread>

#include "bot_fixture.hpp"

namespace rb::test {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

class RunnerPath : public bot_fixture {
protected:
    void post(const std::string& body) {
        auto reply = connect(false).request("POST", "/telegram", body, secret_header());
        ASSERT_TRUE(reply);
        ASSERT_EQ(reply->status, 200) << reply->body;
    }
    // The webhook's answer to an update: "ok", or the Bot API call Telegram makes for the bot (a press's answer).
    std::string answer_to(const std::string& body) {
        auto reply = connect(false).request("POST", "/telegram", body, secret_header());
        if (!reply) return "no answer";
        return reply->status == 200 ? reply->body : "status " + std::to_string(reply->status) + ": " + reply->body;
    }
    // A press of an inline button on the bot's message, as Telegram sends it.
    std::string press(std::int64_t update_id, std::int64_t chat, std::int64_t message_id, const std::string& data) {
        const std::int64_t now_s = std::time(nullptr);
        return json{{"update_id", update_id},
                    {"callback_query",
                     {{"id", "cb" + std::to_string(update_id)},
                      {"from", {{"id", chat}, {"is_bot", false}, {"first_name", "Runner"}}},
                      {"message",
                       {{"message_id", message_id},
                        {"date", now_s},
                        {"chat", {{"id", chat}, {"type", "private"}}},
                        {"text", "ping"}}},
                      {"data", data}}}}
            .dump();
    }
    // The sendMessage calls to chat whose buttons include data starting with prefix.
    std::vector<recorded_call> pings_with(std::int64_t chat, const std::string& prefix) {
        std::vector<recorded_call> out;
        for (const auto& c : api_->calls("sendMessage")) {
            if (c.chat_id != chat || !c.body.contains("reply_markup")) continue;
            for (const auto& row : c.body["reply_markup"]["inline_keyboard"])
                for (const auto& b : row)
                    if (b.value("callback_data", "").rfind(prefix, 0) == 0) {
                        out.push_back(c);
                        goto next;
                    }
        next:;
        }
        return out;
    }
    bool wait_pings(std::int64_t chat, const std::string& prefix, std::size_t n, std::chrono::milliseconds limit) {
        for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;) {
            if (pings_with(chat, prefix).size() >= n) return true;
            std::this_thread::sleep_for(50ms);
        }
        return pings_with(chat, prefix).size() >= n;
    }
};

TEST_F(RunnerPath, SnoozeOnADeliveredReminderBringsItBackOnceWithItsButtons) {
    auto env = webhook_env(false);
    env["TIME_SCALE"] = "600";                   // 15 minutes of snooze are 1.5 s
    env["CALLBACK_ANSWER_IN_RESPONSE"] = "off";  // the answers go from the outbox, as with long polling
    start_bot(env);
    constexpr std::int64_t chat = 9101;
    post(text_update(91001, chat, "/quiet off"));
    post(text_update(91002, chat, "finished 10k"));
    ASSERT_TRUE(wait_pings(chat, "r:snooze:", 1, 10s)) << bot_->log();  // the eat-now ping, delivered
    const auto first = pings_with(chat, "r:snooze:").front();
    const std::string snooze = first.body["reply_markup"]["inline_keyboard"][0][1]["callback_data"];
    const std::string reminder_id = snooze.substr(std::string("r:snooze:").size());
    EXPECT_EQ(reminder_id, std::to_string(chat) + ":m91002:eat");
    const auto count_before = pings_with(chat, "r:snooze:" + reminder_id).size();
    const auto pressed = std::chrono::steady_clock::now();
    post(press(91003, chat, 1, snooze));
    post(press(91004, chat, 1, snooze));  // pressed twice: still one reminder
    ASSERT_TRUE(api_->wait_for("answerCallbackQuery", 2, 5s));
    ASSERT_TRUE(wait_pings(chat, "r:snooze:" + reminder_id, count_before + 1, 15s)) << bot_->log();
    const auto again = pings_with(chat, "r:snooze:" + reminder_id).back();
    EXPECT_EQ(again.body["text"], first.body["text"]);
    EXPECT_GE(again.received - pressed, 1200ms);  // 15 min at 600x is 1.5 s (the second press adds 1.5 s more)
    std::this_thread::sleep_for(4s);
    EXPECT_EQ(pings_with(chat, "r:snooze:" + reminder_id).size(), count_before + 1) << "snoozed twice made two";
}

TEST_F(RunnerPath, DoneOnADeliveredReminderIsAnsweredAndNotSentAgain) {
    auto env = webhook_env(false);
    env["TIME_SCALE"] = "600";
    start_bot(env);
    constexpr std::int64_t chat = 9201;
    post(text_update(92001, chat, "/quiet off"));
    post(text_update(92002, chat, "finished 10k"));
    ASSERT_TRUE(wait_pings(chat, "r:done:", 1, 10s)) << bot_->log();
    const std::string done =
        pings_with(chat, "r:done:").front().body["reply_markup"]["inline_keyboard"][0][0]["callback_data"];
    api_->clear_calls();
    // The answer (the toast on the button) is the webhook's answer, by default: Telegram makes the call.
    const std::string answered = answer_to(press(92003, chat, 1, done));
    const auto answer = json::parse(answered, nullptr, false);
    ASSERT_TRUE(answer.is_object()) << answered;
    EXPECT_EQ(answer.value("method", ""), "answerCallbackQuery");
    EXPECT_EQ(answer.value("callback_query_id", ""), "cb92003");
    EXPECT_NE(answer.value("text", "").find("Done"), std::string::npos) << answered;
    // The press's change and its edited message are durable as ever; the answer is not sent a second time.
    ASSERT_TRUE(api_->wait_for("editMessageText", 1, 5s));
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(api_->count("answerCallbackQuery"), 0u) << "answered in the webhook's answer and from the outbox";
    // Telegram re-sends the press (its answer lost): handled once, nothing answered or edited again.
    EXPECT_EQ(answer_to(press(92003, chat, 1, done)), "ok");
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(api_->count("editMessageText"), 1u);
}

// "Do not drink more water" (low sodium), then a "Drink up" ping: the red flag's commit cancels what is pending, so
// the reply says so and /plan shows nothing. At 60x the drink is due 15 s after the report and the eat-now ping
// 1 s after it, so the red flag is committed long before the drink could be claimed.
TEST_F(RunnerPath, ARedFlagAfterARunStopsThePlansPings) {
    auto env = webhook_env(false);
    env["TIME_SCALE"] = "60";
    start_bot(env);
    constexpr std::int64_t chat = 9501;
    post(text_update(95001, chat, "/quiet off"));
    post(text_update(95002, chat, "marathon done"));
    ASSERT_TRUE(wait_pings(chat, "r:done:", 1, 10s)) << bot_->log();  // the eat-now ping, delivered
    api_->clear_calls();
    post(text_update(95003, chat, "drank loads of water and now I have a bad headache and feel confused"));
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s));
    const std::string help = api_->calls("sendMessage").front().body.value("text", "");
    EXPECT_NE(help.find("Get medical help now"), std::string::npos) << help;
    EXPECT_NE(help.find("Do not drink more water"), std::string::npos) << help;
    EXPECT_NE(help.find("I've stopped your"), std::string::npos) << help;
    api_->clear_calls();
    post(text_update(95004, chat, "/plan"));
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s));
    const std::string plan = api_->calls("sendMessage").front().body.value("text", "");
    EXPECT_NE(plan.find("Nothing scheduled"), std::string::npos) << plan;
    EXPECT_TRUE(pings_with(chat, "r:done:").empty()) << "a ping came after the red flag";
}

// At 23:00 on the runner's own clock (given as their local time, the way a runner would): the reply says
// which later step quiet hours moved, and /plan shows it at that time the next morning in their zone: 07:00 plus
// the plan's place in the morning spread (07:00-07:19, handlers/plans/quiet_hours.hpp). The optional ice bath,
// which would fall after midnight, is left out and the reply says so.
TEST_F(RunnerPath, ARunAtElevenAtNightInTheRunnersZoneHoldsOnlyTheLaterDrinkAndSaysSo) {
    start_bot(webhook_env(false));
    constexpr std::int64_t chat = 9301;
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    // The local time of a whole-hour zone in which it is now 23:xx.
    const std::string local = "23:" + std::string(utc.tm_min < 10 ? "0" : "") + std::to_string(utc.tm_min);
    post(text_update(93001, chat, "/timezone it's " + local + " here"));
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s));
    // (The bot reads its own clock for "now": the minute may have turned, so only the hour is checked.)
    EXPECT_NE(api_->calls("sendMessage").back().body.value("text", "").find(", 23:"), std::string::npos)
        << api_->calls("sendMessage").back().body.dump();
    api_->clear_calls();
    post(text_update(93002, chat, "finished 15 miles"));
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s));
    const std::string reply = api_->calls("sendMessage").front().body.value("text", "");
    std::smatch moved;
    ASSERT_TRUE(std::regex_search(reply, moved,
                                  std::regex("Quiet hours \\(22:00-07:00\\): the drink reminder moved to "
                                             "(07:[01][0-9])")))
        << reply;
    const std::string moved_to = moved[1].str();
    EXPECT_EQ(reply.find("Which time zone"), std::string::npos) << "the zone is set: no need to ask";
    api_->clear_calls();
    post(text_update(93003, chat, "/plan"));
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s));
    const std::string plan = api_->calls("sendMessage").front().body.value("text", "");
    EXPECT_NE(plan.find("tomorrow " + moved_to), std::string::npos) << plan;
    EXPECT_NE(plan.find("foam roll"), std::string::npos) << plan;  // kept: the runner just wrote, so is awake
    EXPECT_EQ(plan.find("cold therapy"), std::string::npos) << plan;
    EXPECT_NE(reply.find("left out"), std::string::npos) << reply;
}

TEST_F(RunnerPath, SettingTheZoneAfterTheRunMovesWhatIsPending) {
    start_bot(webhook_env(false));
    constexpr std::int64_t chat = 9401;
    post(text_update(94001, chat, "finished 15 miles"));
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s));
    const std::string reply = api_->calls("sendMessage").front().body.value("text", "");
    EXPECT_NE(reply.find("Which time zone are you in?"), std::string::npos) << reply;
    EXPECT_TRUE(api_->calls("sendMessage").front().body.contains("reply_markup"));
    api_->clear_calls();
    post(press(94002, chat, 1, "tz:America/New_York"));
    ASSERT_TRUE(api_->wait_for("sendMessage", 1, 10s));
    const std::string set = api_->calls("sendMessage").front().body.value("text", "");
    EXPECT_NE(set.find("Got it: America/New_York"), std::string::npos) << set;
    EXPECT_NE(set.find("moved to match"), std::string::npos) << set;
}

}  // namespace
}  // namespace rb::test
