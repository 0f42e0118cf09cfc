// bot_api_server, the HTTP core the terminal chat and the tests' fake share: what reaches the handler (token,
// method, parameters from a query, a JSON body or a form), what never does (any other target: 404), and an
// answer that closes the connection instead. Real HTTP over loopback with a blocking Beast client.
#include "bot/terminal/bot_api_server.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <optional>
#include <thread>

namespace rb {
namespace {

namespace http = beast::http;
using json = nlohmann::json;

class BotApiServer : public ::testing::Test {
protected:
    void SetUp() override {
        server_.emplace(ioc_.get_executor(), [this](bot_api_request req) -> awaitable<bot_api_answer> {
            if (req.method == "dropMe") co_return bot_api_answer{0, {}, true};
            seen_ = req;
            co_return bot_api_ok(json{{"method", req.method}});
        });
        thread_ = std::thread([this] { ioc_.run(); });
    }
    void TearDown() override {
        net::post(ioc_, [this] {
            server_->close();
            ioc_.stop();
        });
        thread_.join();
    }

    // One request on a fresh connection; the status, or nullopt when the server closed without answering.
    std::optional<unsigned> call(http::verb verb, const std::string& target, const std::string& body = {},
                                 const std::string& content_type = "application/json") {
        net::io_context local;
        beast::tcp_stream stream(local);
        stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
        http::request<http::string_body> req{verb, target, 11};
        req.set(http::field::host, "127.0.0.1");
        if (!body.empty()) req.set(http::field::content_type, content_type);
        req.body() = body;
        req.prepare_payload();
        http::write(stream, req);
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        error_code ec;
        http::read(stream, buffer, res, ec);
        if (ec) return std::nullopt;
        return res.result_int();
    }

    net::io_context ioc_{1};
    std::optional<bot_api_server> server_;
    std::thread thread_;
    std::optional<bot_api_request> seen_;  // written on the server's thread, read after the reply arrived
};

TEST_F(BotApiServer, AJsonBodyReachesTheHandlerWithTokenAndMethod) {
    EXPECT_EQ(call(http::verb::post, "/bot1:abc/sendMessage", R"({"chat_id":7,"text":"hi"})"), 200u);
    ASSERT_TRUE(seen_);
    EXPECT_EQ(seen_->token, "1:abc");
    EXPECT_EQ(seen_->method, "sendMessage");
    EXPECT_EQ(seen_->params["chat_id"], 7);
    EXPECT_EQ(seen_->params["text"], "hi");
}

TEST_F(BotApiServer, QueryAndFormParametersAreDecodedLikeTelegramDoes) {
    EXPECT_EQ(call(http::verb::post, "/bot1:abc/sendMessage?chat_id=7", "text=two+words%21&parse_mode=HTML",
                   "application/x-www-form-urlencoded"),
              200u);
    ASSERT_TRUE(seen_);
    EXPECT_EQ(seen_->params["chat_id"], "7");
    EXPECT_EQ(seen_->params["text"], "two words!");
    EXPECT_EQ(seen_->params["parse_mode"], "HTML");
}

TEST_F(BotApiServer, AMalformedFormAddsNoParameters) {
    // "%zz" is no percent-escape: the form is not read, as Telegram ignores what it cannot parse.
    EXPECT_EQ(
        call(http::verb::post, "/bot1:abc/sendMessage", "chat_id=7&text=%zz", "application/x-www-form-urlencoded"),
        200u);
    ASSERT_TRUE(seen_);
    EXPECT_TRUE(seen_->params.empty()) << seen_->params.dump();
}

TEST_F(BotApiServer, OtherTargetsGet404AndNeverReachTheHandler) {
    for (const char* target : {"/", "/bot1:abc", "/bot1:abc/", "/bot/getMe", "/bot1:abc/a/b", "/telegram"}) {
        EXPECT_EQ(call(http::verb::post, target, "{}"), 404u) << target;
    }
    EXPECT_FALSE(seen_);
}

TEST_F(BotApiServer, AnAnswerCanCloseTheConnectionInstead) {
    EXPECT_EQ(call(http::verb::post, "/bot1:abc/dropMe", "{}"), std::nullopt);
    EXPECT_EQ(call(http::verb::post, "/bot1:abc/getMe", "{}"), 200u);  // the server goes on
}

}  // namespace
}  // namespace rb
