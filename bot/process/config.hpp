// The process's settings: from environment variables, overridden by command-line flags of the same names
// (`--webhook-secret=...` or `--WEBHOOK_SECRET=...`). Secrets (BOT_TOKEN, WEBHOOK_SECRET, the password in
// REDIS_URL) are never echoed back: errors about them name the key, not the value.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bot/process/log.hpp"

namespace rb {

enum class run_mode { auto_select, webhook, polling, terminal };

struct config {
    std::string bot_token;
    std::string webhook_secret;
    std::string webhook_url;  // public https URL Telegram calls; set-webhook registers it
    run_mode mode = run_mode::auto_select;
    std::string listen_host = "0.0.0.0";
    std::uint16_t listen_port = 8443;
    std::string tls_cert;  // both set: HTTPS; both empty: plain HTTP behind a TLS proxy
    std::string tls_key;
    std::string webhook_path = "/telegram";
    std::string redis_url;                // empty: start a private redis-server (unless sentinels are given)
    std::string redis_sentinels;          // "host:port,...": find the primary through Redis Sentinel
    std::string redis_master_name;        // the sentinels' name for it
    std::string redis_sentinel_password;  // the sentinels' requirepass
    std::string redis_ca_file, redis_cert_file, redis_key_file;  // rediss://: CAs to trust; client certificate
    int redis_replica_acks = 0;                                  // replicas a commit must reach before it counts
    std::chrono::milliseconds redis_replica_ack_timeout{200};
    std::string redis_prefix = "rb:";
    std::string telegram_api_root = "https://api.telegram.org";
    log_level level = log_level::info;
    bool log_json = false;
    unsigned threads = 0;  // 0: one per core
    std::size_t max_body_bytes = 1024 * 1024;
    unsigned max_connections = 4096;
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::milliseconds body_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds shutdown_timeout{10'000};
    double time_scale = 1.0;  // >1 runs reminder offsets faster (the terminal chat's demo speed)
    std::string templates_dir;
    std::string zoneinfo_dir = "/usr/share/zoneinfo";
    double rate_per_chat = 1.0;  // messages per second to one chat
    double rate_global = 30.0;   // messages per second in all
    bool rate_limit = true;
    std::string redis_server = "redis-server";       // binary for the private Redis
    std::chrono::milliseconds redis_timeout{2'000};  // one Redis call
    std::chrono::milliseconds lease{30'000};         // a claimed message's hold (dispatcher_options::lease)
    std::string bot_token_file, webhook_secret_file, redis_url_file;  // *_FILE: where the secret was read from
    std::vector<std::string> warnings;  // for the log once logging is set up (a secret given as a flag, ...)

    bool tls() const { return !tls_cert.empty(); }
    // The mode after auto_select is resolved: terminal without a token, webhook with a public URL, else polling.
    run_mode effective_mode() const;
};

struct config_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using env_lookup = std::function<std::optional<std::string>(std::string_view name)>;

env_lookup process_environment();

// Reads every setting from env, then from args (flags). Throws config_error naming key, value and reason.
// Leftover positional arguments (a subcommand and its own flags) are returned in `rest`.
config load_config(const env_lookup& env, const std::vector<std::string>& args, std::vector<std::string>& rest);

// Checks that need the whole picture (webhook mode needs a secret, TLS needs both files, ...).
void validate_config(const config& c);

// `recovery-bot --help`: every setting, its default and what it does.
std::string config_help();

std::string_view to_string(run_mode mode);

}  // namespace rb
