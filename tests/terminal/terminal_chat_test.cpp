// terminal_chat with string streams: the banner, typed lines reaching getUpdates, numbers pressing buttons,
// bot messages printed with time and buttons, /quit, and end of piped input waiting for the last reply.
// The bot side is played by telegram_client calls, as the real poller and sink make them.
#include "bot/terminal/terminal_chat.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "bot/telegram/telegram_client.hpp"
#include "bot/terminal/terminal_conversation.hpp"

namespace rb {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

class TerminalChat : public ::testing::Test {
protected:
    void TearDown() override {
        client_.reset();
        chat_.reset();
        work_.reset();
        ioc_.stop();
        for (auto& t : threads_) t.join();
    }

    void open(std::string input) {
        in_.str(std::move(input));
        chat_ = std::make_unique<terminal_chat>(ioc_, in_, out_);
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
        client_options o;
        o.api_root = chat_->api_root();
        o.token = "terminal";
        o.limits.enabled = false;
        client_ = std::make_unique<telegram_client>(ioc_.get_executor(), o);
    }

    template <typename T>
    T run(awaitable<T> task) {
        return net::co_spawn(ioc_, std::move(task), net::use_future).get();
    }

    json poll(std::int64_t offset, std::chrono::seconds timeout = 0s) {
        return run(client_->get_updates(offset, timeout, {})).result;
    }

    net::io_context ioc_{2};
    net::executor_work_guard<net::io_context::executor_type> work_{ioc_.get_executor()};
    std::vector<std::thread> threads_;
    std::istringstream in_;
    std::ostringstream out_;  // written only under the chat's lock, read after the writers are done
    std::unique_ptr<terminal_chat> chat_;
    std::unique_ptr<telegram_client> client_;
};

send_message ping(std::string text) {
    send_message m;
    m.chat_id = terminal_conversation::chat_id;
    m.text = std::move(text);
    m.buttons = {{{"Done", "r:done:1"}, {"Snooze 15 min", "r:snooze:1"}, {"Skip", "r:skip:1"}}};
    return m;
}

TEST_F(TerminalChat, BannerSaysWhatToTypeAndTheTimeScale) {
    open("/quit\n");
    chat_->set_time_scale(60);
    chat_->run_until_quit();
    const std::string out = out_.str();
    EXPECT_NE(out.find("local chat"), std::string::npos) << out;
    EXPECT_NE(out.find("finished 15 miles"), std::string::npos) << out;
    EXPECT_NE(out.find("60x faster"), std::string::npos) << out;
    EXPECT_NE(out.find("1 min"), std::string::npos) << out;
    EXPECT_NE(out.find("/help"), std::string::npos) << out;
    EXPECT_NE(out.find("/quit"), std::string::npos) << out;
}

TEST_F(TerminalChat, BannerAtRealSpeedTellsHowToSpeedUp) {
    open("/exit\n");
    chat_->run_until_quit();
    EXPECT_NE(out_.str().find("TIME_SCALE=60"), std::string::npos) << out_.str();
}

TEST_F(TerminalChat, TypedLinesBecomeUpdatesAndQuitIsNotSent) {
    open("finished 15 miles\n\n  /help  \n/quit\nnever read\n");
    chat_->run_until_quit();
    const json got = poll(0);
    ASSERT_EQ(got.size(), 2u) << got.dump();
    EXPECT_EQ(got[0]["message"]["text"], "finished 15 miles");
    EXPECT_EQ(got[1]["message"]["text"], "/help");
    EXPECT_NE(out_.str().find("you › finished 15 miles"), std::string::npos);  // piped input is echoed
}

TEST_F(TerminalChat, BotMessagesPrintWithTimeAndNumberedButtons) {
    open("/quit\n");
    ASSERT_TRUE(run(client_->send(ping("<b>Eat now</b> &amp; drink"))).ok());
    chat_->run_until_quit();
    const std::string out = out_.str();
    EXPECT_NE(out.find(" bot › Eat now & drink\n"), std::string::npos) << out;
    EXPECT_NE(out.find("[1] Done  [2] Snooze 15 min  [3] Skip"), std::string::npos) << out;
    EXPECT_EQ(out.find("<b>"), std::string::npos) << out;
    EXPECT_EQ(out.find("\x1b["), std::string::npos) << "no ANSI codes into a non-terminal stream";
}

TEST_F(TerminalChat, ANumberPressesTheLatestButtons) {
    open("3\n7\n/quit\n");
    const api_result sent = run(client_->send(ping("Foam roll")));
    ASSERT_TRUE(sent.ok());
    chat_->run_until_quit();
    const json got = poll(0);
    ASSERT_EQ(got.size(), 1u) << got.dump();  // "7" is out of range: told, not sent
    EXPECT_EQ(got[0]["callback_query"]["data"], "r:skip:1");
    EXPECT_EQ(got[0]["callback_query"]["message"]["message_id"], sent.result["message_id"]);
    EXPECT_NE(out_.str().find("no button 7"), std::string::npos) << out_.str();
}

TEST_F(TerminalChat, ANumberWithNoButtonsIsPlainText) {
    open("42\n/quit\n");
    chat_->run_until_quit();
    const json got = poll(0);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0]["message"]["text"], "42");
}

// A button press edits the ping to add the outcome: the terminal shows that one line, not the ping again.
TEST_F(TerminalChat, EditsShowOnlyWhatThePressAddedAndToastsArePrinted) {
    open("/quit\n");
    const api_result sent = run(client_->send(ping("Hydrate: a long text")));
    const auto id = sent.result["message_id"].get<std::int64_t>();
    ASSERT_TRUE(run(client_->edit({terminal_conversation::chat_id, id, "Hydrate: a long text\n\n<i>Done</i>"})).ok());
    ASSERT_TRUE(run(client_->answer({"q", "Marked done"})).ok());
    chat_->run_until_quit();
    const std::string out = out_.str();
    EXPECT_NE(out.find(" bot › Done\n"), std::string::npos) << out;
    EXPECT_EQ(out.find("Hydrate: a long text"), out.rfind("Hydrate: a long text")) << "the ping was printed again";
    EXPECT_NE(out.find("(Marked done)"), std::string::npos) << out;
}

// Like `echo "finished 15 miles" | recovery-bot`: at end of input the chat waits for the bot to take the
// line and answer before returning, so the reply is not lost to the shutdown.
TEST_F(TerminalChat, EndOfPipedInputWaitsForTheReply) {
    open("finished 15 miles\n");
    std::thread bot([this] {
        const json got = poll(0, 10s);
        if (got.empty()) return;
        std::this_thread::sleep_for(100ms);  // the pipeline at work
        const auto next = got.back()["update_id"].get<std::int64_t>() + 1;
        run(client_->get_updates(next, 0s, {}));  // confirms, as the poller does after handling
        std::this_thread::sleep_for(100ms);
        run(client_->send(ping("Plan for 15 miles")));
    });
    chat_->run_until_quit();
    bot.join();
    EXPECT_NE(out_.str().find("bot › Plan for 15 miles"), std::string::npos) << out_.str();
}

}  // namespace
}  // namespace rb
