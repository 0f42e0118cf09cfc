// Settings from the environment, flags and *_FILE secrets: defaults, precedence, clear errors that never echo a
// secret, and a warning when a secret arrives on the command line.
#include "bot/process/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "bot/process/command_line.hpp"

namespace rb {
namespace {

env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        auto it = vars.find(std::string(name));
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

command_line parse(std::map<std::string, std::string> vars, std::vector<std::string> args) {
    return parse_command_line(env_of(std::move(vars)), args);
}

config load(std::map<std::string, std::string> vars, std::vector<std::string> args = {}) {
    return parse(std::move(vars), std::move(args)).cfg;
}

std::string error_of(std::map<std::string, std::string> vars, std::vector<std::string> args = {}) {
    try {
        load(std::move(vars), std::move(args));
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

struct temp_file {
    explicit temp_file(const std::string& content) {
        path = std::filesystem::temp_directory_path() /
               ("rb-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::ofstream(path) << content;
    }
    ~temp_file() { std::filesystem::remove(path); }
    std::filesystem::path path;
    static inline int counter = 0;
};

TEST(Config, DefaultsHoldWhenNothingIsSet) {
    const auto c = load({});
    EXPECT_EQ(c.redis_prefix, "rb:");
    EXPECT_EQ(c.redis_timeout, std::chrono::milliseconds(2000));
    EXPECT_EQ(c.lease, std::chrono::milliseconds(30000));
    EXPECT_TRUE(c.warnings.empty());
}

TEST(Config, FlagsOverrideTheEnvironment) {
    const auto c =
        load({{"REDIS_PREFIX", "env:"}, {"LEASE_MS", "5000"}}, {"--redis-prefix=flag:", "--LEASE_MS", "7000"});
    EXPECT_EQ(c.redis_prefix, "flag:");
    EXPECT_EQ(c.lease, std::chrono::milliseconds(7000));
}

TEST(Config, SecretsAreReadFromFilesWithTheTrailingNewlineDropped) {
    temp_file token("123:FROM-FILE\n"), secret("s3cret_file\n"), url("redis://:pw@127.0.0.1:6379/2\n");
    const auto c =
        load({{"BOT_TOKEN_FILE", token.path}, {"WEBHOOK_SECRET_FILE", secret.path}, {"REDIS_URL_FILE", url.path}});
    EXPECT_EQ(c.bot_token, "123:FROM-FILE");
    EXPECT_EQ(c.webhook_secret, "s3cret_file");
    EXPECT_EQ(c.redis_url, "redis://:pw@127.0.0.1:6379/2");
}

TEST(Config, ASecretAndItsFileTogetherAreRefused) {
    temp_file token("123:FILE");
    EXPECT_NE(error_of({{"BOT_TOKEN", "123:ENV"}, {"BOT_TOKEN_FILE", token.path}}).find("set one, not both"),
              std::string::npos);
}

TEST(Config, AMissingOrEmptySecretFileIsAClearErrorWithoutTheSecret) {
    EXPECT_NE(error_of({{"BOT_TOKEN_FILE", "/nonexistent/token"}}).find("cannot read /nonexistent/token"),
              std::string::npos);
    temp_file empty("\n");
    EXPECT_NE(error_of({{"WEBHOOK_SECRET_FILE", empty.path}}).find("is empty"), std::string::npos);
    temp_file bad("not allowed!\n");
    const auto msg = error_of({{"WEBHOOK_SECRET_FILE", bad.path}});
    EXPECT_NE(msg.find("WEBHOOK_SECRET"), std::string::npos);
    EXPECT_EQ(msg.find("not allowed!"), std::string::npos) << msg;
}

TEST(Config, SecretsOnTheCommandLineAreWarnedAbout) {
    const auto c = load({}, {"--bot-token=123:FLAG", "--redis-url", "redis://:pw@h:1/0", "--webhook-secret", "abc"});
    ASSERT_EQ(c.warnings.size(), 3u);
    for (const auto& w : c.warnings) {
        EXPECT_NE(w.find("/proc/<pid>/cmdline"), std::string::npos) << w;
        EXPECT_EQ(w.find("123:FLAG"), std::string::npos) << w;
        EXPECT_EQ(w.find("pw@"), std::string::npos) << w;
    }
    EXPECT_TRUE(load({}, {"--redis-url=redis://h:1/0"}).warnings.empty());  // no password: nothing to warn about
}

TEST(Config, BadNumbersNameTheKeyAndTheRange) {
    EXPECT_NE(error_of({{"LEASE_MS", "500"}}).find("LEASE_MS"), std::string::npos);
    EXPECT_NE(error_of({{"REDIS_TIMEOUT_MS", "soon"}}).find("not a number"), std::string::npos);
    EXPECT_NE(error_of({{"REDIS_REPLICA_ACKS", "17"}}).find("REDIS_REPLICA_ACKS"), std::string::npos);
}

TEST(Config, RedisFailoverAndTlsSettingsAreRead) {
    const auto c = load({{"REDIS_SENTINELS", "a:26379,b:26380"},
                         {"REDIS_MASTER_NAME", "recovery-redis"},
                         {"REDIS_REPLICA_ACKS", "1"},
                         {"REDIS_REPLICA_ACK_TIMEOUT_MS", "500"},
                         {"REDIS_CA_FILE", "/etc/redis/ca.pem"}});
    EXPECT_EQ(c.redis_sentinels, "a:26379,b:26380");
    EXPECT_EQ(c.redis_master_name, "recovery-redis");
    EXPECT_EQ(c.redis_replica_acks, 1);
    EXPECT_EQ(c.redis_replica_ack_timeout, std::chrono::milliseconds(500));
    EXPECT_EQ(c.redis_ca_file, "/etc/redis/ca.pem");
    EXPECT_NE(error_of({{"REDIS_SENTINELS", "a:notaport"}}).find("REDIS_SENTINELS"), std::string::npos);
    // The sentinels' password is read like the other secrets (scrubbed from logs once the bot starts).
    EXPECT_EQ(load({{"REDIS_SENTINEL_PASSWORD", "s3cret"}}).redis_sentinel_password, "s3cret");
}

TEST(Config, ListenIsAHostAndPortWithIpv6InBrackets) {
    auto c = load({{"LISTEN", "[::1]:9443"}});
    EXPECT_EQ(c.listen_host, "::1");
    EXPECT_EQ(c.listen_port, 9443);
    c = load({}, {"--listen=127.0.0.1:0"});
    EXPECT_EQ(c.listen_host, "127.0.0.1");
    EXPECT_EQ(c.listen_port, 0);
    for (auto bad : {"8443", "127.0.0.1", ":8443", "host:99999", "host:port", "user@host:80", "[::1:80"}) {
        EXPECT_NE(error_of({{"LISTEN", bad}}).find("LISTEN"), std::string::npos) << bad;
    }
}

// Telegram refuses anything but https on 443, 80, 88 or 8443: the bot says so at start, not at setWebhook.
TEST(Config, WebhookUrlMustBeOneTelegramPostsTo) {
    EXPECT_EQ(load({{"WEBHOOK_URL", "https://bot.example.com/telegram"}}).webhook_url,
              "https://bot.example.com/telegram");
    EXPECT_EQ(load({{"WEBHOOK_URL", "https://bot.example.com:8443/tg"}}).webhook_url,
              "https://bot.example.com:8443/tg");
    EXPECT_TRUE(load({{"WEBHOOK_URL", ""}}).webhook_url.empty());  // empty: long polling
    EXPECT_NE(error_of({{"WEBHOOK_URL", "http://bot.example.com/telegram"}}).find("https"), std::string::npos);
    EXPECT_NE(error_of({{"WEBHOOK_URL", "https://bot.example.com:9000/telegram"}}).find("8443"), std::string::npos);
    for (auto bad : {"bot.example.com/telegram", "https://", "https://u:p@bot.example.com/", "https://h/#x",
                     "https://bot example.com/"}) {
        EXPECT_NE(error_of({{"WEBHOOK_URL", bad}}).find("WEBHOOK_URL"), std::string::npos) << bad;
    }
}

// --help prints each default from a default-constructed config, which takes them from the components' options: a
// default is written once, so the help, docs/operations.md and the bot cannot disagree.
TEST(Config, HelpShowsTheDefaultsTheBotRunsWith) {
    const std::string help = config_help();
    const auto default_of = [&](const std::string& key) {
        const auto at = help.find("  " + key + " ");
        if (at == std::string::npos) return std::string("<missing>");
        const auto from = help.find("default: ", at) + 9;
        return help.substr(from, help.find('\n', from) - from);
    };
    EXPECT_EQ(default_of("LEASE_MS"), std::to_string(dispatcher_options{}.lease.count()));
    EXPECT_EQ(default_of("REDIS_TIMEOUT_MS"), std::to_string(redis_options{}.call_timeout.count()));
    EXPECT_EQ(default_of("HEADER_TIMEOUT_MS"), std::to_string(server_settings{}.header_timeout.count()));
    EXPECT_EQ(default_of("REDIS_PREFIX"), std::string(default_key_prefix));
    EXPECT_EQ(default_of("TELEGRAM_API_ROOT"), client_options{}.api_root);
    EXPECT_EQ(default_of("LISTEN"), "0.0.0.0:8443");
    EXPECT_EQ(default_of("RATE_GLOBAL"), "30");
    EXPECT_EQ(default_of("RATE_LIMIT"), "on");
    EXPECT_EQ(default_of("LOG_LEVEL"), "info");
    EXPECT_EQ(default_of("BOT_TOKEN"), "(empty)");
    // Every row reads back what it shows: the default survives a round trip through its own parser.
    const config defaults;
    for (const auto& s : settings_table()) {
        const std::string shown = s.show(defaults);
        if (shown.empty()) continue;
        config c;
        EXPECT_NO_THROW(s.apply(c, shown)) << s.key << "=" << shown;
        EXPECT_EQ(s.show(c), shown) << s.key;
    }
}

TEST(Config, SettingsMayComeBeforeOrAfterTheSubcommand) {
    const auto cl = parse({}, {"--redis-prefix=a:", "plan", "--text", "finished 15 miles", "--units", "mi", "--weight",
                               "70", "--json", "--LOG_LEVEL", "debug"});
    EXPECT_EQ(cl.command, "plan");
    EXPECT_EQ(cl.cfg.redis_prefix, "a:");
    EXPECT_EQ(cl.cfg.level, log_level::debug);
    EXPECT_EQ(cl.plan.text, "finished 15 miles");
    EXPECT_EQ(cl.plan.settings.units, distance_unit::mi);
    EXPECT_TRUE(cl.plan.settings.units_set);
    EXPECT_EQ(cl.plan.settings.weight_kg, 70.0);
    EXPECT_TRUE(cl.plan.json);
    EXPECT_TRUE(cl.cfg.given.contains("LOG_LEVEL"));
    EXPECT_FALSE(cl.cfg.given.contains("TIME_SCALE"));
    EXPECT_EQ(parse({}, {}).command, "serve");
    EXPECT_EQ(parse({}, {"serve", "--threads=2"}).cfg.threads, 2u);
}

TEST(Config, WebhookAdminFlagsAreRead) {
    const auto cl = parse({}, {"set-webhook", "--drop-pending-updates", "--max-connections=12",
                               "--allowed-updates=message,callback_query"});
    EXPECT_EQ(cl.command, "set-webhook");
    EXPECT_TRUE(cl.admin.drop_pending);
    EXPECT_EQ(cl.admin.max_connections, 12);
    EXPECT_EQ(cl.admin.allowed_updates, (std::vector<std::string>{"message", "callback_query"}));
    EXPECT_EQ(parse({}, {"set-webhook"}).admin.max_connections, 40);
    EXPECT_NE(error_of({}, {"set-webhook", "--max-connections=101"}).find("--max-connections"), std::string::npos);
    // webhook-info takes no flags of its own.
    EXPECT_NE(error_of({}, {"webhook-info", "--drop-pending-updates"}).find("--drop-pending-updates"),
              std::string::npos);
}

TEST(Config, HelpIsAskedForAnyWay) {
    EXPECT_TRUE(parse({}, {"--help"}).help);
    EXPECT_TRUE(parse({}, {"help"}).help);
    const auto plan = parse({}, {"plan", "-h"});  // no --text needed to ask for help
    EXPECT_TRUE(plan.help);
    EXPECT_EQ(plan.command, "plan");
}

TEST(Config, BadCommandLinesAreOneClearLine) {
    EXPECT_NE(error_of({}, {"frobnicate"}).find("frobnicate"), std::string::npos);
    EXPECT_NE(error_of({}, {"--no-such-setting=1"}).find("--no-such-setting"), std::string::npos);
    EXPECT_NE(error_of({}, {"--lease-ms"}).find("--lease-ms"), std::string::npos);  // a flag without its value
    EXPECT_NE(error_of({}, {"plan"}).find("--text is required"), std::string::npos);
    EXPECT_NE(error_of({}, {"plan", "--text", "x", "--units", "furlongs"}).find("--units"), std::string::npos);
    EXPECT_NE(error_of({}, {"plan", "--text", "x", "--weight", "400"}).find("--weight"), std::string::npos);
    EXPECT_NE(error_of({}, {"plan", "--text", "x", "--lease-ms", "5"}).find("LEASE_MS"), std::string::npos);
    // A bad secret given as a flag is refused without echoing it.
    const auto msg = error_of({}, {"--webhook-secret", "not allowed!"});
    EXPECT_NE(msg.find("WEBHOOK_SECRET"), std::string::npos);
    EXPECT_EQ(msg.find("not allowed!"), std::string::npos) << msg;
}

}  // namespace
}  // namespace rb
