// The terminal chat's local Bot API over real HTTP on loopback, driven by the bot's own telegram_client:
// getMe, getUpdates long polling (timeout, wake on input, offsets), sendMessage/edit/answer reaching the
// terminal, Telegram's errors, and a plain GET with query parameters.
#include "bot/terminal/terminal_api.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <condition_variable>
#include <future>
#include <thread>

#include "bot/telegram/telegram_client.hpp"

namespace rb {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
namespace http = beast::http;

class TerminalApi : public ::testing::Test {
protected:
    void SetUp() override {
        api_ = std::make_unique<terminal_api>(ioc_, [this](const terminal_event& e) { record(e); });
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
        client_ = make_client("terminal");
    }
    void TearDown() override {
        client_.reset();
        api_.reset();
        work_.reset();
        ioc_.stop();
        for (auto& t : threads_) t.join();
    }

    std::unique_ptr<telegram_client> make_client(std::string token) {
        client_options o;
        o.api_root = api_->root();
        o.token = std::move(token);
        o.limits.enabled = false;
        o.max_attempts = 1;
        return std::make_unique<telegram_client>(ioc_.get_executor(), o);
    }

    template <typename T>
    std::future<T> start(awaitable<T> task) {
        return net::co_spawn(ioc_, std::move(task), net::use_future);
    }
    template <typename T>
    T run(awaitable<T> task) {
        return start(std::move(task)).get();
    }

    void record(const terminal_event& e) {
        std::lock_guard lock(mutex_);
        events_.push_back(e);
        cv_.notify_all();
    }
    std::vector<terminal_event> wait_events(std::size_t n) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, 10s, [&] { return events_.size() >= n; });
        return events_;
    }

    api_result poll(std::int64_t offset, std::chrono::seconds timeout) {
        return run(client_->get_updates(offset, timeout, {"message", "callback_query"}));
    }

    net::io_context ioc_{2};
    net::executor_work_guard<net::io_context::executor_type> work_{ioc_.get_executor()};
    std::vector<std::thread> threads_;
    std::unique_ptr<terminal_api> api_;
    std::unique_ptr<telegram_client> client_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<terminal_event> events_;
};

send_message ping(std::string text) {
    send_message m;
    m.chat_id = terminal_conversation::chat_id;
    m.text = std::move(text);
    m.buttons = {{{"Done", "r:done:1"}, {"Snooze 15 min", "r:snooze:1"}, {"Skip", "r:skip:1"}}};
    return m;
}

TEST_F(TerminalApi, RootIsLoopbackWithTheBoundPort) {
    EXPECT_EQ(api_->root(), "http://127.0.0.1:" + std::to_string(api_->port()));
    EXPECT_NE(api_->port(), 0);
}

TEST_F(TerminalApi, GetMeNamesTheBot) {
    const api_result me = run(client_->get_me());
    ASSERT_TRUE(me.ok()) << me.description;
    EXPECT_EQ(me.result["username"], "recovery_bot");
    EXPECT_EQ(me.result["is_bot"], true);
}

TEST_F(TerminalApi, WrongTokenIsNotFoundLikeTelegram) {
    auto other = make_client("123:wrong");
    const api_result me = run(other->get_me());
    EXPECT_FALSE(me.ok());
    EXPECT_EQ(me.http_status, 404u);
    EXPECT_EQ(me.description, "Not Found");
}

TEST_F(TerminalApi, LongPollAnswersEmptyWhenTheTimeoutRunsOut) {
    const auto began = std::chrono::steady_clock::now();
    const api_result r = poll(0, 1s);
    ASSERT_TRUE(r.ok()) << r.description;
    EXPECT_TRUE(r.result.is_array());
    EXPECT_TRUE(r.result.empty());
    EXPECT_GE(std::chrono::steady_clock::now() - began, 900ms);  // it was held, not answered at once
}

TEST_F(TerminalApi, LongPollWakesWhenTheRunnerTypes) {
    const std::vector<std::string> kinds;  // the coroutine keeps a reference: must outlive it
    auto held = start(client_->get_updates(0, 30s, kinds));
    std::this_thread::sleep_for(200ms);
    ASSERT_EQ(held.wait_for(0s), std::future_status::timeout);  // still held: nothing to give
    api_->conversation().add_text("finished 15 miles");
    ASSERT_EQ(held.wait_for(15s), std::future_status::ready) << "input did not wake the held getUpdates";
    const api_result r = held.get();
    ASSERT_TRUE(r.ok()) << r.description;
    ASSERT_EQ(r.result.size(), 1u);
    EXPECT_EQ(r.result[0]["message"]["text"], "finished 15 miles");
}

TEST_F(TerminalApi, OffsetConfirmsUpdatesAcrossPolls) {
    api_->conversation().add_text("one");
    api_->conversation().add_text("two");
    const api_result first = poll(0, 0s);
    ASSERT_EQ(first.result.size(), 2u);
    const std::int64_t next = first.result[1]["update_id"].get<std::int64_t>() + 1;
    const api_result second = poll(next, 0s);
    ASSERT_TRUE(second.ok());
    EXPECT_TRUE(second.result.empty());
    EXPECT_EQ(api_->conversation().pending(), 0u);
}

TEST_F(TerminalApi, SendMessageReachesTheTerminalAndReturnsAMessage) {
    const api_result r = run(client_->send(ping("<b>Eat now</b>")));
    ASSERT_TRUE(r.ok()) << r.description;
    EXPECT_GT(r.result["message_id"].get<std::int64_t>(), 0);
    EXPECT_EQ(r.result["chat"]["id"], terminal_conversation::chat_id);
    EXPECT_EQ(r.result["text"], "Eat now");
    const auto events = wait_events(1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].what, terminal_event::kind::message);
    EXPECT_EQ(events[0].message.html, "<b>Eat now</b>");
    EXPECT_EQ(events[0].message.labels, (std::vector<std::string>{"Done", "Snooze 15 min", "Skip"}));
}

TEST_F(TerminalApi, PressEditAndAnswerMakeARoundTrip) {
    const api_result sent = run(client_->send(ping("Hydrate")));
    ASSERT_TRUE(sent.ok());
    ASSERT_TRUE(api_->conversation().press(1).update_id);
    const api_result got = poll(0, 5s);
    ASSERT_EQ(got.result.size(), 1u);
    const json& q = got.result[0]["callback_query"];
    EXPECT_EQ(q["data"], "r:done:1");
    const std::int64_t message_id = q["message"]["message_id"].get<std::int64_t>();
    EXPECT_EQ(message_id, sent.result["message_id"].get<std::int64_t>());
    const api_result edited = run(client_->edit({terminal_conversation::chat_id, message_id, "Hydrate - done"}));
    ASSERT_TRUE(edited.ok()) << edited.description;
    const api_result answered = run(client_->answer({q["id"].get<std::string>(), "Marked done"}));
    ASSERT_TRUE(answered.ok()) << answered.description;
    const auto events = wait_events(3);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[1].what, terminal_event::kind::edit);
    EXPECT_EQ(events[1].message.html, "Hydrate - done");
    EXPECT_TRUE(events[1].message.labels.empty());
    EXPECT_EQ(events[2].what, terminal_event::kind::toast);
    EXPECT_EQ(events[2].toast, "Marked done");
}

TEST_F(TerminalApi, SilentAnswerPrintsNothing) {
    ASSERT_TRUE(run(client_->answer({"q1", ""})).ok());
    ASSERT_TRUE(run(client_->send(ping("after"))).ok());
    const auto events = wait_events(1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].what, terminal_event::kind::message);
}

TEST_F(TerminalApi, SendToAnotherChatIsABadRequest) {
    send_message m = ping("x");
    m.chat_id = 42;
    const api_result r = run(client_->send(m));
    EXPECT_EQ(r.status, api_status::failed);
    EXPECT_EQ(r.http_status, 400u);
    EXPECT_EQ(r.description, "Bad Request: chat not found");
}

TEST_F(TerminalApi, ConfigurationMethodsSucceed) {
    EXPECT_TRUE(run(client_->set_my_commands({{"help", "what I can do"}})).ok());
    EXPECT_TRUE(run(client_->delete_webhook(false)).ok());
    EXPECT_TRUE(run(client_->call("setChatMenuButton", json::object())).ok());
}

// A plain GET with query parameters, as from curl: Telegram accepts both, so the fake does too.
TEST_F(TerminalApi, AcceptsQueryParametersOnAGet) {
    api_->conversation().add_text("hello");
    net::io_context local;
    beast::tcp_stream stream(local);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), api_->port()));
    http::request<http::string_body> req{http::verb::get, "/botterminal/getUpdates?offset=0&timeout=0", 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    EXPECT_EQ(res.result(), http::status::ok);
    const json body = json::parse(res.body());
    EXPECT_EQ(body["ok"], true);
    ASSERT_EQ(body["result"].size(), 1u);
    EXPECT_EQ(body["result"][0]["message"]["text"], "hello");
}

}  // namespace
}  // namespace rb
