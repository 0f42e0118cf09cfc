// Long polling and the operator subcommands against the fake Bot API: the offset moves only past updates
// the pipeline stored; set-webhook registers the webhook and the menu and keeps pending updates by default.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <sstream>

#include "bot/telegram/poller.hpp"
#include "bot/telegram/webhook_admin.hpp"
#include "tests/e2e_client/test_io.hpp"
#include "tests/fake_telegram/fake_telegram.hpp"

namespace rb {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

class PollerTest : public ::testing::Test {
protected:
    void SetUp() override {
        client_options o;
        o.api_root = fake.root();
        o.token = "123:TEST";
        client = std::make_unique<telegram_client>(io.executor(), o);
    }
    // Records each update_id it is given; answers `unavailable` for the ids in fail_once, the first time.
    update_handler recorder() {
        return [this](std::string update) -> awaitable<pipeline_result> {
            auto id = json::parse(update)["update_id"].get<std::int64_t>();
            std::lock_guard lock(mutex);
            seen.push_back(id);
            if (fail_once.erase(id)) co_return pipeline_result{pipeline_status::unavailable, "redis down"};
            co_return pipeline_result{pipeline_status::handled, ""};
        };
    }
    std::vector<std::int64_t> seen_ids() {
        std::lock_guard lock(mutex);
        return seen;
    }
    bool wait_seen(std::size_t n) {
        for (int i = 0; i < 500 && seen_ids().size() < n; ++i) std::this_thread::sleep_for(10ms);
        return seen_ids().size() >= n;
    }

    test::io_thread io;
    test::fake_telegram fake;
    std::unique_ptr<telegram_client> client;
    std::mutex mutex;
    std::vector<std::int64_t> seen;
    std::set<std::int64_t> fail_once;
};

TEST_F(PollerTest, DeliversUpdatesInOrderAndConfirmsThemByOffset) {
    poller_options po;
    po.timeout = 1s;
    poller p(io.executor(), *client, recorder(), po);
    fake.push_update({{"message", {{"text", "finished 10k"}}}});
    fake.push_update({{"message", {{"text", "/meal"}}}});
    auto running = io.spawn(p.run());
    ASSERT_TRUE(wait_seen(2));
    ASSERT_TRUE(fake.wait_for("getUpdates", 2, 5s));
    p.stop();
    running.get();
    EXPECT_EQ(seen_ids(), (std::vector<std::int64_t>{1, 2}));
    auto polls = fake.calls("getUpdates");
    EXPECT_EQ(polls[0].body["offset"], 0);
    EXPECT_EQ(polls[1].body["offset"], 3);
    EXPECT_EQ(polls[0].body["timeout"], 1);
    EXPECT_TRUE(polls[0].body["allowed_updates"].is_array());
}

TEST_F(PollerTest, AnUpdateThatCouldNotBeStoredIsFetchedAgain) {
    poller_options po;
    po.timeout = 1s;
    po.backoff_initial = 10ms;
    fail_once = {2};
    poller p(io.executor(), *client, recorder(), po);
    for (int i = 0; i < 3; ++i) fake.push_update({{"message", {{"text", "hi"}}}});
    auto running = io.spawn(p.run());
    ASSERT_TRUE(wait_seen(4));
    p.stop();
    running.get();
    EXPECT_EQ(seen_ids(), (std::vector<std::int64_t>{1, 2, 2, 3}));
    EXPECT_EQ(p.offset(), 4);
}

TEST_F(PollerTest, StopEndsAnOpenLongPoll) {
    poller_options po;
    po.timeout = 25s;
    poller p(io.executor(), *client, recorder(), po);
    auto running = io.spawn(p.run());
    ASSERT_TRUE(fake.wait_for("getUpdates", 1, 5s));
    p.stop();
    EXPECT_EQ(running.wait_for(15s), std::future_status::ready);  // well before the 25 s poll would end
}

TEST_F(PollerTest, SetWebhookRegistersWebhookAndMenuKeepingPendingUpdates) {
    webhook_settings w{"https://bot.example.org/telegram", "s3cret-value", {"message", "callback_query"}, 40, false};
    std::ostringstream out, err;
    EXPECT_EQ(io.sync(run_set_webhook(*client, w, out, err)), 0) << err.str();
    auto set = fake.calls("setWebhook");
    ASSERT_EQ(set.size(), 1u);
    EXPECT_EQ(set[0].body["url"], w.url);
    EXPECT_EQ(set[0].body["secret_token"], "s3cret-value");
    EXPECT_EQ(set[0].body["max_connections"], 40);
    EXPECT_FALSE(set[0].body.contains("drop_pending_updates"));
    auto menu = fake.calls("setMyCommands");
    ASSERT_EQ(menu.size(), 1u);
    ASSERT_EQ(menu[0].body["commands"].size(), 10u);
    EXPECT_EQ(menu[0].body["commands"][0]["command"], "start");
    EXPECT_EQ(out.str().find("s3cret"), std::string::npos);
}

TEST_F(PollerTest, DropPendingUpdatesOnlyWhenAsked) {
    webhook_settings w{"https://bot.example.org/telegram", "", {}, 10, true};
    std::ostringstream out, err;
    EXPECT_EQ(io.sync(run_set_webhook(*client, w, out, err)), 0);
    EXPECT_EQ(fake.calls("setWebhook")[0].body["drop_pending_updates"], true);
    EXPECT_EQ(io.sync(run_delete_webhook(*client, false, out, err)), 0);
    EXPECT_FALSE(fake.calls("deleteWebhook")[0].body.contains("drop_pending_updates"));
}

TEST_F(PollerTest, SetWebhookRefusesPlainHttp) {
    webhook_settings w{"http://bot.example.org/telegram", "", {}, 40, false};
    std::ostringstream out, err;
    EXPECT_NE(io.sync(run_set_webhook(*client, w, out, err)), 0);
    EXPECT_EQ(fake.count("setWebhook"), 0u);
}

TEST_F(PollerTest, WebhookInfoPrintsPendingCountAndLastError) {
    fake.set_webhook_status(12, "Wrong response from the webhook: 503 Service Unavailable");
    std::ostringstream out, err;
    EXPECT_EQ(io.sync(run_webhook_info(*client, out, err)), 0);
    EXPECT_NE(out.str().find("pending_update_count: 12"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("503 Service Unavailable"), std::string::npos);
}

TEST_F(PollerTest, SubcommandFailureIsReportedWithNonZeroExit) {
    fake.add_fault(test::fault{test::fault_kind::bad_request, "setWebhook", std::nullopt, -1, 1});
    webhook_settings w{"https://bot.example.org/telegram", "", {}, 40, false};
    std::ostringstream out, err;
    EXPECT_EQ(io.sync(run_set_webhook(*client, w, out, err)), 1);
    EXPECT_NE(err.str().find("chat not found"), std::string::npos);
}

}  // namespace
}  // namespace rb
