// Set-up and tear-down for bot_fixture; see bot_fixture.hpp.
#include "bot_fixture.hpp"

#include <cstdlib>

namespace rb::test {

void bot_fixture::SetUpTestSuite() {
    redis_ = std::make_unique<redis_server>();
    api_ = std::make_unique<fake_telegram>();
    std::string pattern = (std::filesystem::temp_directory_path() / "rb-e2e-XXXXXX").string();
    cert_dir_ = ::mkdtemp(pattern.data());
    std::tie(cert_, key_) = make_test_certificate(cert_dir_);
}

void bot_fixture::TearDownTestSuite() {
    api_.reset();
    redis_.reset();
    std::filesystem::remove_all(cert_dir_);
}

void bot_fixture::TearDown() {
    bot_.reset();
    api_->clear_faults();
    api_->clear_calls();
}

std::string bot_fixture::prefix() const {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string("e2e:") + info->test_suite_name() + "." + info->name() + ":";
}

std::map<std::string, std::string> bot_fixture::webhook_env(bool tls) const {
    std::map<std::string, std::string> env{
        {"BOT_TOKEN", test_token},
        {"WEBHOOK_SECRET", test_secret},
        {"WEBHOOK_URL", "https://bot.example.test/telegram"},
        {"LISTEN", "127.0.0.1:0"},
        {"REDIS_URL", redis_->url()},
        {"REDIS_PREFIX", prefix()},
        {"TELEGRAM_API_ROOT", api_->root()},
        {"THREADS", "2"},
        {"LOG_LEVEL", "debug"},
    };
    if (tls) {
        env["TLS_CERT"] = cert_;
        env["TLS_KEY"] = key_;
    }
    return env;
}

bot_process& bot_fixture::start_bot(std::map<std::string, std::string> env) {
    bot_ = std::make_unique<bot_process>(std::move(env));
    port_ = bot_->wait_listening();
    EXPECT_NE(port_, 0) << "the bot did not start listening; its log:\n" << bot_->log();
    return *bot_;
}

http_client bot_fixture::connect(bool tls) const { return http_client(port_, tls ? cert_ : std::string()); }

}  // namespace rb::test
