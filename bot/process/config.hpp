// The process's settings: from environment variables, overridden by command-line flags of the same names
// (`--webhook-secret=...` or `--WEBHOOK_SECRET=...`; command_line.hpp reads the command line). Secrets
// (BOT_TOKEN, WEBHOOK_SECRET, the password in REDIS_URL) are never echoed back: errors name the key, not the value.
//
// Every default is written once. A setting that configures a component takes its default from that component's
// options (server_settings, redis_options, rate_limits, ...), and `--help` and docs/operations.md print the
// defaults of a default-constructed config, so neither can drift from what the bot does.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bot/effects/executor_options.hpp"
#include "bot/process/log.hpp"
#include "bot/telegram/client_options.hpp"
#include "bot/telegram/dispatcher_options.hpp"
#include "bot/telegram/rate_limits.hpp"
#include "bot/webhook/server_settings.hpp"
#include "storage/keys.hpp"
#include "storage/redis_options.hpp"

namespace rb {

enum class run_mode { auto_select, webhook, polling, terminal };

// TEMPLATES_DIR's default: templates/ of the source tree, compiled in.
std::string default_templates_dir();

struct config {
    std::string bot_token;
    std::string webhook_secret;
    std::string webhook_url;  // public https URL Telegram calls; set-webhook registers it
    run_mode mode = run_mode::auto_select;
    std::string listen_host = server_settings{}.host;
    std::uint16_t listen_port = server_settings{}.port;
    std::string tls_cert;  // both set: HTTPS; both empty: plain HTTP behind a TLS proxy
    std::string tls_key;
    std::string webhook_path = front_settings{}.webhook_path;
    std::string redis_url;                // empty: start a private redis-server (unless sentinels are given)
    std::string redis_sentinels;          // "host:port,...": find the primary through Redis Sentinel
    std::string redis_master_name;        // the sentinels' name for it
    std::string redis_sentinel_password;  // the sentinels' requirepass
    std::string redis_ca_file, redis_cert_file, redis_key_file;  // rediss://: CAs to trust; client certificate
    int redis_replica_acks = redis_options{}.replica_acks;       // replicas a commit must reach before it counts
    std::chrono::milliseconds redis_replica_ack_timeout = redis_options{}.replica_ack_timeout;
    std::string redis_prefix{default_key_prefix};
    std::string telegram_api_root = client_options{}.api_root;
    log_level level = log_level::info;
    bool log_json = false;
    unsigned threads = 0;  // 0: one per core
    std::size_t max_body_bytes = front_settings{}.max_body_bytes;
    unsigned max_connections = server_settings{}.max_connections;
    std::chrono::milliseconds header_timeout = server_settings{}.header_timeout;
    std::chrono::milliseconds body_timeout = server_settings{}.body_timeout;
    std::chrono::milliseconds idle_timeout = server_settings{}.idle_timeout;
    std::chrono::milliseconds shutdown_timeout{10'000};
    double time_scale = executor_options{}.time_scale;  // >1 runs reminder offsets faster (the demo speed)
    std::string templates_dir = default_templates_dir();
    std::string zoneinfo_dir = "/usr/share/zoneinfo";
    double rate_per_chat = rate_limits{}.per_chat_per_second;  // messages per second to one chat
    double rate_global = rate_limits{}.global_per_second;      // messages per second in all
    bool rate_limit = rate_limits{}.enabled;
    bool reply_in_response = false;             // webhook mode: an update's one reply goes back in the HTTP answer
    bool callback_answer_in_response = true;    // webhook mode: a button press's answer goes back in the HTTP answer
    std::string redis_server = "redis-server";  // binary for the private Redis
    std::chrono::milliseconds redis_timeout = redis_options{}.call_timeout;  // one Redis call
    std::chrono::milliseconds lease = dispatcher_options{}.lease;            // a claimed message's hold
    std::string bot_token_file, webhook_secret_file, redis_url_file;         // *_FILE: where the secret was read from
    std::vector<std::string> warnings;         // for the log once logging is set up (a secret given as a flag, ...)
    std::set<std::string, std::less<>> given;  // keys set by the environment, a flag or a *_FILE

    bool tls() const { return !tls_cert.empty(); }
    // The mode after auto_select is resolved: terminal without a token, webhook with a public URL, else polling.
    run_mode effective_mode() const;
};

struct config_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using env_lookup = std::function<std::optional<std::string>(std::string_view name)>;

env_lookup process_environment();

// One setting: its key (the environment variable; the flags are --kebab-key and --KEY), its help, whether it is a
// secret (never echoed, warned about on the command line), and how to read it into and show it from a config.
struct setting {
    std::string_view key;
    std::string_view help;
    bool secret = false;
    std::function<void(config&, const std::string&)> apply;  // throws std::invalid_argument with the reason
    std::function<std::string(const config&)> show;
};

// Every setting, in the order --help lists them.
const std::vector<setting>& settings_table();

// "REDIS_URL" -> "--redis-url".
std::string flag_name(std::string_view key);

// What the command line gave, one entry per settings_table() row (nullopt: not given); empty: no flags.
using flag_values = std::vector<std::optional<std::string>>;

// Reads every setting from env, then the flags, then the *_FILE secrets. Throws config_error naming key, value
// (unless secret) and reason.
config load_config(const env_lookup& env, const flag_values& flags = {});

// Checks that need the whole picture (webhook mode needs a secret, TLS needs both files, ...).
void validate_config(const config& c);

// `recovery-bot --help`: every setting, its default and what it does.
std::string config_help();

std::string_view to_string(run_mode mode);

}  // namespace rb
