// The webhook's request loop on an in-memory stream (beast::test::stream) instead of a socket, so input can be
// given a byte at a time, stopped halfway, or made too large, and the answer read back exactly. The stream is
// wrapped to have tcp_stream's expires_after: a missed deadline closes it, as a socket's would.
#include "bot/webhook/session_loop.hpp"

#include <gtest/gtest.h>

#include <boost/beast/_experimental/test/stream.hpp>
#include <chrono>
#include <string>
#include <vector>

namespace rb {
namespace {

using namespace std::chrono_literals;
namespace test = boost::beast::test;

// beast::test::stream plus a deadline: expires_after arms a timer that closes the stream, which ends a read in
// flight, as a tcp_stream's timeout does. It has no next layer, so get_lowest_layer() finds it.
class deadline_stream {
public:
    using executor_type = test::stream::executor_type;

    explicit deadline_stream(net::io_context& ioc) : stream_(ioc), timer_(ioc) {}

    executor_type get_executor() { return stream_.get_executor(); }
    template <typename Buffers, typename Token>
    auto async_read_some(const Buffers& buffers, Token&& token) {
        return stream_.async_read_some(buffers, std::forward<Token>(token));
    }
    template <typename Buffers, typename Token>
    auto async_write_some(const Buffers& buffers, Token&& token) {
        return stream_.async_write_some(buffers, std::forward<Token>(token));
    }
    void expires_after(std::chrono::steady_clock::duration d) {
        timer_.expires_after(d);
        timer_.async_wait([this](error_code ec) {
            if (ec) return;  // re-armed or cancelled
            expired_ = true;
            stream_.close();
        });
    }
    void cancel_deadline() { timer_.cancel(); }

    test::stream& inner() { return stream_; }
    bool expired() const { return expired_; }

private:
    test::stream stream_;
    net::steady_timer timer_;
    bool expired_ = false;
};

constexpr const char* secret = "loop-secret";

// One session over the in-memory stream: `client` is the far end, so what the loop writes is client.str().
class SessionLoop : public ::testing::Test {
protected:
    SessionLoop() {
        client_.connect(server_.inner());
        shared_.settings.front.webhook_secret = secret;
        shared_.settings.front.max_body_bytes = 4096;
        shared_.settings.header_timeout = 200ms;
        shared_.settings.body_timeout = 200ms;
        shared_.settings.idle_timeout = 200ms;
        shared_.on_update = [this](std::string body) -> awaitable<pipeline_result> {
            bodies_.push_back(std::move(body));
            co_return pipeline_result{};
        };
        shared_.health = [] { return health_report{true, R"({"status":"ok"})"}; };
        shared_.metrics = &metrics_;
        shared_.connections = std::make_shared<std::atomic<std::size_t>>(1);
        shared_.in_flight = std::make_shared<std::atomic<std::size_t>>(0);
        shared_.stopping = std::make_shared<std::atomic<bool>>(false);
    }

    static std::string post(const std::string& body, const std::string& extra_headers = {}) {
        return "POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
               "X-Telegram-Bot-Api-Secret-Token: " +
               std::string(secret) + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers +
               "\r\n" + body;
    }

    // Feeds `pieces` one after another, `gap` apart, then (if `then_close`) ends the input as a client that leaves.
    void feed(std::vector<std::string> pieces, std::chrono::milliseconds gap, bool then_close = true) {
        auto t = std::make_shared<net::steady_timer>(ioc_);
        net::co_spawn(
            ioc_,
            [this, t, pieces = std::move(pieces), gap, then_close]() -> awaitable<void> {
                for (const auto& p : pieces) {
                    server_.inner().append(p);
                    t->expires_after(gap);
                    co_await t->async_wait(use_awaitable);
                }
                if (then_close) server_.inner().close_remote();
            },
            net::detached);
    }

    // Runs the loop until it ends; false if it did not end within `limit`.
    bool run(std::chrono::milliseconds limit = 5s) {
        bool done = false;
        net::co_spawn(ioc_, session_loop::serve(server_, shared_, false), [&](std::exception_ptr) { done = true; });
        const auto until = std::chrono::steady_clock::now() + limit;
        while (!done && std::chrono::steady_clock::now() < until) ioc_.run_one_for(10ms);
        server_.cancel_deadline();
        return done;
    }

    std::string answer() const { return client_.str(); }
    static int count(const std::string& text, const std::string& what) {
        int n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    }

    net::io_context ioc_;
    deadline_stream server_{ioc_};
    test::stream client_{ioc_};
    metrics_registry metrics_;
    session_shared shared_;
    std::vector<std::string> bodies_;
};

const std::string update = R"({"update_id":1,"message":{"message_id":1,"chat":{"id":7,"type":"private"},"text":"hi"}})";

TEST_F(SessionLoop, AnUpdateArrivingAByteAtATimeIsAnsweredOnce) {
    shared_.settings.header_timeout = 10s;  // hundreds of hops through the loop must not race a deadline
    shared_.settings.body_timeout = 10s;
    std::vector<std::string> bytes;
    for (char c : post(update)) bytes.emplace_back(1, c);
    feed(bytes, 0ms);
    ASSERT_TRUE(run());
    ASSERT_EQ(bodies_.size(), 1u);
    EXPECT_EQ(bodies_[0], update);  // the body handed on is exactly what came, however it was cut
    EXPECT_TRUE(answer().starts_with("HTTP/1.1 200 OK\r\n")) << answer();
    EXPECT_EQ(count(answer(), "HTTP/1.1 "), 1);
    EXPECT_FALSE(server_.expired());
}

TEST_F(SessionLoop, TwoRequestsInOneWriteGetTwoAnswersInOrder) {
    const std::string second = R"({"update_id":2})";
    feed({post(update) + post(second)}, 0ms);
    ASSERT_TRUE(run());
    ASSERT_EQ(bodies_.size(), 2u);
    EXPECT_EQ(bodies_[0], update);
    EXPECT_EQ(bodies_[1], second);
    EXPECT_EQ(count(answer(), "HTTP/1.1 200 OK"), 2) << answer();
}

TEST_F(SessionLoop, AHeadSlowerThanItsDeadlineIsCutOffUnanswered) {
    const auto request = post(update);
    // Half the head, then silence far longer than HEADER_TIMEOUT (200 ms): a slowloris. The rest is due after 30 s,
    // so no stall of the machine can make it arrive first; the test ends at the deadline.
    feed({request.substr(0, 40), request.substr(40)}, 30s);
    ASSERT_TRUE(run());
    EXPECT_TRUE(server_.expired());
    EXPECT_TRUE(bodies_.empty());
    EXPECT_EQ(answer(), "");  // nothing to say to a client that is not sending
}

TEST_F(SessionLoop, ABodySlowerThanItsDeadlineNeverReachesThePipeline) {
    const auto request = post(update);
    const auto head_end = request.find("\r\n\r\n") + 4;
    feed({request.substr(0, head_end + 5), request.substr(head_end + 5)}, 30s);
    ASSERT_TRUE(run());
    EXPECT_TRUE(server_.expired());
    EXPECT_TRUE(bodies_.empty());  // a half body is never handled as an update
    EXPECT_EQ(answer(), "");
}

TEST_F(SessionLoop, AContentLengthOverTheLimitIs413BeforeTheBodyIsRead) {
    const std::string big(5000, 'x');
    feed({post(big).substr(0, post(big).find("\r\n\r\n") + 4)}, 0ms, false);  // only the head: the body never comes
    ASSERT_TRUE(run());
    EXPECT_TRUE(answer().starts_with("HTTP/1.1 413 Payload Too Large\r\n")) << answer();
    EXPECT_NE(answer().find("body too large"), std::string::npos);
    EXPECT_NE(answer().find("Connection: close"), std::string::npos);
    EXPECT_TRUE(bodies_.empty());
}

TEST_F(SessionLoop, AChunkedBodyGrowingPastTheLimitIs413) {
    std::string chunks;
    for (int i = 0; i < 5; ++i) chunks += "400\r\n" + std::string(1024, 'y') + "\r\n";  // 5 KiB > 4 KiB
    const std::string head =
        "POST /telegram HTTP/1.1\r\nHost: bot\r\nX-Telegram-Bot-Api-Secret-Token: " + std::string(secret) +
        "\r\nTransfer-Encoding: chunked\r\n\r\n";
    feed({head, chunks, "0\r\n\r\n"}, 5ms);
    ASSERT_TRUE(run());
    EXPECT_TRUE(answer().starts_with("HTTP/1.1 413 Payload Too Large\r\n")) << answer();
    EXPECT_TRUE(bodies_.empty());
}

TEST_F(SessionLoop, HeadersOverSixteenKiBAre431) {
    const std::string huge = "X-Padding: " + std::string(17 * 1024, 'p') + "\r\n";
    feed({post(update, huge)}, 0ms);
    ASSERT_TRUE(run());
    EXPECT_TRUE(answer().starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n")) << answer().substr(0, 80);
    EXPECT_TRUE(bodies_.empty());
}

TEST_F(SessionLoop, ABrokenContentLengthIs400SayingSo) {
    const std::string request =
        "POST /telegram HTTP/1.1\r\nHost: bot\r\nX-Telegram-Bot-Api-Secret-Token: " + std::string(secret) +
        "\r\nContent-Length: 12abc\r\n\r\n{}";
    feed({request}, 0ms);
    ASSERT_TRUE(run());
    EXPECT_TRUE(answer().starts_with("HTTP/1.1 400 Bad Request\r\n")) << answer();
    EXPECT_NE(answer().find("malformed request"), std::string::npos) << answer();
    EXPECT_TRUE(bodies_.empty());
}

TEST_F(SessionLoop, AWrongSecretIsRefusedWithoutReadingTheBody) {
    std::string request = post(update);
    request.replace(request.find(secret), std::string(secret).size(), "not-the-secret");
    feed({request}, 0ms);
    ASSERT_TRUE(run());
    EXPECT_TRUE(answer().starts_with("HTTP/1.1 401") || answer().starts_with("HTTP/1.1 403")) << answer();
    EXPECT_TRUE(bodies_.empty());
    EXPECT_EQ(shared_.in_flight->load(), 0u);  // the guard let go on the refusal path too
}

}  // namespace
}  // namespace rb
