// Shared set-up for end-to-end tests: a real redis-server, the fake Bot API, a test certificate, and the
// real recovery-bot binary started against them in webhook mode.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "bot_process.hpp"
#include "http_client.hpp"
#include "tests/fake_telegram/fake_telegram.hpp"
#include "tests/support/redis_server.hpp"

namespace rb::test {

inline constexpr const char* test_token = "123456:TEST-token-for-e2e-only";
inline constexpr const char* test_secret = "e2e-secret_Value-42";

class bot_fixture : public ::testing::Test {
protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    void TearDown() override;

    // The environment of a webhook-mode bot against this suite's Redis and fake API; tls picks HTTPS.
    std::map<std::string, std::string> webhook_env(bool tls) const;
    // Starts the bot and waits for it to listen; fails the test if it does not.
    bot_process& start_bot(std::map<std::string, std::string> env);
    http_client connect(bool tls) const;
    std::map<std::string, std::string> secret_header() const {
        return {{"X-Telegram-Bot-Api-Secret-Token", test_secret}};
    }
    // A Redis key prefix of its own for each test, so tests never see each other's reminders.
    std::string prefix() const;

    static inline std::unique_ptr<redis_server> redis_;
    static inline std::unique_ptr<fake_telegram> api_;
    static inline std::string cert_dir_;
    static inline std::string cert_, key_;
    std::unique_ptr<bot_process> bot_;
    std::uint16_t port_ = 0;
};

}  // namespace rb::test
