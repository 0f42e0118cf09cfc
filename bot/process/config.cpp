// Table-driven settings: one row per key with its help, how to parse it and how to show it; the defaults are a
// default-constructed config's (config.hpp). Numbers go through from_chars plus a range check; nothing here uses
// atoi or trusts getenv's pointer. The command line is read by command_line.cpp (CLI11), which hands over flag_values.
#include "bot/process/config.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>
#include <type_traits>

#include "net/absolute_url.hpp"
#include "storage/redis_target.hpp"

namespace rb {
namespace {

template <typename T>
T parse_number(const std::string& text, T lo, T hi) {
    T value{};
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end) throw std::invalid_argument("not a number");
    if (value < lo || value > hi) {
        throw std::invalid_argument("out of range " + std::to_string(lo) + ".." + std::to_string(hi));
    }
    return value;
}

std::chrono::milliseconds parse_ms(const std::string& text) {
    return std::chrono::milliseconds(parse_number<std::int64_t>(text, 1, 3'600'000));
}

bool parse_bool(const std::string& text) {
    if (text == "1" || text == "true" || text == "on" || text == "yes") return true;
    if (text == "0" || text == "false" || text == "off" || text == "no") return false;
    throw std::invalid_argument("expected on or off");
}

// "host:port" as an RFC 3986 authority (Boost.URL): "0.0.0.0:8443", "[::1]:0", "localhost:80".
void parse_listen(config& c, const std::string& text) {
    auto parsed = boost::urls::parse_authority(text);
    if (!parsed || parsed->has_userinfo() || !parsed->has_port() || parsed->host_address().empty())
        throw std::invalid_argument("expected host:port (an IPv6 address in brackets: [::1]:8443)");
    const auto port = parse_port(parsed->port(), 0);
    if (!port) throw std::invalid_argument("port out of range 0..65535");
    c.listen_port = *port;
    c.listen_host = parsed->host_address();
}

// What setWebhook accepts (core.telegram.org/bots/api#setwebhook): an https URL on port 443, 80, 88 or 8443.
// Checked at start, so a typo stops the bot with the reason instead of a refusal from Telegram later.
void parse_webhook_url(config& c, const std::string& text) {
    if (text.empty()) {
        c.webhook_url.clear();
        return;
    }
    auto parsed = parse_absolute_url(text);
    if (!parsed) throw std::invalid_argument("not a valid URL (expected https://host[:port]/path)");
    const auto& u = *parsed;
    if (u.scheme() != "https") throw std::invalid_argument("Telegram only posts to https:// URLs");
    if (u.host_address().empty()) throw std::invalid_argument("missing host");
    if (u.has_userinfo() || u.has_fragment()) throw std::invalid_argument("no user, password or '#' fragment allowed");
    const std::string_view port = u.port();
    if (u.has_port() && port != "443" && port != "80" && port != "88" && port != "8443")
        throw std::invalid_argument("Telegram only posts to ports 443, 80, 88 and 8443");
    c.webhook_url = text;
}

// Telegram allows 1-256 characters of A-Z a-z 0-9 _ - in secret_token.
void parse_secret(config& c, const std::string& text) {
    if (text.size() > 256) throw std::invalid_argument("longer than 256 characters");
    const bool ok = std::all_of(text.begin(), text.end(),
                                [](unsigned char ch) { return std::isalnum(ch) || ch == '_' || ch == '-'; });
    if (!ok) throw std::invalid_argument("only A-Z a-z 0-9 _ - are allowed");
    c.webhook_secret = text;
}

run_mode parse_mode(const std::string& text) {
    if (text == "auto") return run_mode::auto_select;
    if (text == "webhook") return run_mode::webhook;
    if (text == "polling") return run_mode::polling;
    if (text == "terminal") return run_mode::terminal;
    throw std::invalid_argument("expected auto, webhook, polling or terminal");
}

// Rows of the common shapes: a text, a number in a range, milliseconds, on/off; each reads and shows one member.
template <typename T>
using member = T config::*;

setting text_setting(std::string_view key, std::string_view help, member<std::string> m, bool secret = false) {
    return {key, help, secret, [m](config& c, const std::string& v) { c.*m = v; },
            [m](const config& c) { return c.*m; }};
}

std::string show_number(double d) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest form: 1, 30, 0.5
    return std::string(buf, end);
}

template <typename T>
setting number_setting(std::string_view key, std::string_view help, member<T> m, T lo, T hi) {
    return {key, help, false, [m, lo, hi](config& c, const std::string& v) { c.*m = parse_number<T>(v, lo, hi); },
            [m](const config& c) {
                if constexpr (std::is_floating_point_v<T>) {
                    return show_number(c.*m);
                } else {
                    return std::to_string(c.*m);
                }
            }};
}

setting millis_setting(std::string_view key, std::string_view help, member<std::chrono::milliseconds> m) {
    return {key, help, false, [m](config& c, const std::string& v) { c.*m = parse_ms(v); },
            [m](const config& c) { return std::to_string((c.*m).count()); }};
}

setting on_off_setting(std::string_view key, std::string_view help, member<bool> m) {
    return {key, help, false, [m](config& c, const std::string& v) { c.*m = parse_bool(v); },
            [m](const config& c) { return std::string(c.*m ? "on" : "off"); }};
}

std::string show_listen(const config& c) {
    const bool v6 = c.listen_host.find(':') != std::string::npos;
    return (v6 ? "[" + c.listen_host + "]" : c.listen_host) + ":" + std::to_string(c.listen_port);
}

}  // namespace

const std::vector<setting>& settings_table() {
    static const std::vector<setting> table{
        text_setting("BOT_TOKEN",
                     "Bot API token from @BotFather. Empty: local chat in the terminal. Prefer the environment.",
                     &config::bot_token, true),
        text_setting("BOT_TOKEN_FILE", "File holding BOT_TOKEN (container secrets); set this or BOT_TOKEN, not both.",
                     &config::bot_token_file),
        {"WEBHOOK_SECRET", "X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -); required for webhook mode.",
         true, parse_secret, [](const config& c) { return c.webhook_secret; }},
        text_setting("WEBHOOK_SECRET_FILE", "File holding WEBHOOK_SECRET; set this or WEBHOOK_SECRET, not both.",
                     &config::webhook_secret_file),
        {"WEBHOOK_URL",
         "Public https URL Telegram posts to, on port 443, 80, 88 or 8443 (used by set-webhook; selects webhook mode).",
         false, parse_webhook_url, [](const config& c) { return c.webhook_url; }},
        {"MODE",
         "auto | webhook | polling | terminal. auto: terminal without BOT_TOKEN, webhook with "
         "WEBHOOK_URL, else long polling.",
         false, [](config& c, const std::string& v) { c.mode = parse_mode(v); },
         [](const config& c) { return std::string(to_string(c.mode)); }},
        {"LISTEN", "Address and port of the webhook server (port 0: any free port, logged).", false, parse_listen,
         show_listen},
        text_setting("TLS_CERT", "PEM certificate chain file; with TLS_KEY serves HTTPS (TLS 1.2+), else plain HTTP.",
                     &config::tls_cert),
        text_setting("TLS_KEY", "PEM private key file for TLS_CERT.", &config::tls_key),
        {"WEBHOOK_PATH", "Path Telegram posts updates to.", false,
         [](config& c, const std::string& v) {
             if (v.empty() || v.front() != '/') throw std::invalid_argument("must start with /");
             c.webhook_path = v;
         },
         [](const config& c) { return c.webhook_path; }},
        text_setting("REDIS_URL",
                     "redis://[:password@]host:port/db, rediss://... (TLS) or unix:///path?db=N. Empty: a private "
                     "redis-server. With REDIS_SENTINELS only its password, db and scheme are used. An '@' in the "
                     "password is %40.",
                     &config::redis_url),
        text_setting("REDIS_URL_FILE", "File holding REDIS_URL (container secrets); set this or REDIS_URL, not both.",
                     &config::redis_url_file),
        {"REDIS_SENTINELS",
         "host:port,host:port,...: Redis Sentinel tells the primary; failovers are followed. Needs "
         "REDIS_MASTER_NAME.",
         false,
         [](config& c, const std::string& v) {
             parse_sentinel_list(v);
             c.redis_sentinels = v;
         },
         [](const config& c) { return c.redis_sentinels; }},
        text_setting("REDIS_MASTER_NAME",
                     "The name the sentinels monitor the primary by (sentinel monitor <name> ...).",
                     &config::redis_master_name),
        text_setting("REDIS_SENTINEL_PASSWORD", "The sentinels' own password (their requirepass), if they have one.",
                     &config::redis_sentinel_password, true),
        text_setting("REDIS_CA_FILE", "rediss://: PEM CAs that signed Redis's certificate. Empty: the system's CAs.",
                     &config::redis_ca_file),
        text_setting("REDIS_CERT_FILE",
                     "rediss://: PEM client certificate, for a Redis with tls-auth-clients; with REDIS_KEY_FILE.",
                     &config::redis_cert_file),
        text_setting("REDIS_KEY_FILE", "rediss://: PEM private key of REDIS_CERT_FILE.", &config::redis_key_file),
        number_setting("REDIS_REPLICA_ACKS",
                       "Answer an update only once this many replicas hold its commit (WAIT); 0: once the primary "
                       "has it. See docs/operations.md.",
                       &config::redis_replica_acks, 0, 16),
        millis_setting("REDIS_REPLICA_ACK_TIMEOUT_MS",
                       "How long a commit waits for REDIS_REPLICA_ACKS replicas; past it the update gets 503.",
                       &config::redis_replica_ack_timeout),
        millis_setting("REDIS_TIMEOUT_MS",
                       "Deadline of one Redis call; a missed one drops the connection (update: 503).",
                       &config::redis_timeout),
        text_setting("REDIS_PREFIX", "Prefix of every Redis key.", &config::redis_prefix),
        text_setting("TELEGRAM_API_ROOT", "Bot API root (http:// allowed for a local Bot API).",
                     &config::telegram_api_root),
        {"LOG_LEVEL", "debug | info | warn | error.", false,
         [](config& c, const std::string& v) {
             auto level = parse_log_level(v);
             if (!level) throw std::invalid_argument("expected debug, info, warn or error");
             c.level = *level;
         },
         [](const config& c) { return std::string(to_string(c.level)); }},
        {"LOG_FORMAT", "text (key=value lines) | json (one JSON object per line).", false,
         [](config& c, const std::string& v) {
             if (v != "text" && v != "json") throw std::invalid_argument("expected text or json");
             c.log_json = v == "json";
         },
         [](const config& c) { return std::string(c.log_json ? "json" : "text"); }},
        number_setting("THREADS", "Worker threads; 0 means one per core.", &config::threads, 0u, 256u),
        number_setting("MAX_BODY_BYTES", "Largest accepted update body; larger gets 413.", &config::max_body_bytes,
                       std::size_t{1024}, std::size_t{64} << 20),
        number_setting("MAX_CONNECTIONS", "Open connections at most; more are answered 503 and closed.",
                       &config::max_connections, 1u, 1'000'000u),
        millis_setting("HEADER_TIMEOUT_MS", "Time a client has to send a request's headers (and between requests).",
                       &config::header_timeout),
        millis_setting("BODY_TIMEOUT_MS", "Time a client has to send a request's body.", &config::body_timeout),
        millis_setting("IDLE_TIMEOUT_MS", "Keep-alive connections idle longer are closed.", &config::idle_timeout),
        millis_setting("SHUTDOWN_TIMEOUT_MS", "On SIGTERM, how long requests in flight may take before exit.",
                       &config::shutdown_timeout),
        number_setting("TIME_SCALE", "Speed of reminder time: 60 makes a minute pass in a second (demo, tests).",
                       &config::time_scale, 1.0, 100000.0),
        text_setting("TEMPLATES_DIR", "Folder of reply, reminder and meal templates.", &config::templates_dir),
        text_setting("ZONEINFO_DIR", "IANA time zone database (tzdata).", &config::zoneinfo_dir),
        number_setting("RATE_PER_CHAT", "Messages per second to one chat (Telegram allows about 1).",
                       &config::rate_per_chat, 0.01, 1000.0),
        number_setting("RATE_GLOBAL", "Messages per second in all (Telegram allows about 30).", &config::rate_global,
                       0.1, 100000.0),
        {"LEASE_MS",
         "How long one instance holds a claimed message before another may take it; renewed "
         "to this right before each send, which must finish within half of it.",
         false,
         [](config& c, const std::string& v) {
             c.lease = parse_ms(v);
             if (c.lease < std::chrono::seconds(2)) throw std::invalid_argument("at least 2000");
         },
         [](const config& c) { return std::to_string(c.lease.count()); }},
        on_off_setting("RATE_LIMIT", "off disables the limiter (benchmarks against a local fake API only).",
                       &config::rate_limit),
        on_off_setting("REPLY_IN_RESPONSE",
                       "on: in webhook mode an update's one reply goes back in the webhook's HTTP answer and Telegram "
                       "sends it: one HTTP exchange fewer, but no retry, no per-chat limit, no 403 handling, lost if "
                       "Telegram cannot deliver it. off: every reply is sent from the durable outbox. See "
                       "docs/operations.md.",
                       &config::reply_in_response),
        on_off_setting(
            "CALLBACK_ANSWER_IN_RESPONSE",
            "on: in webhook mode a button press's answer (answerCallbackQuery, the toast on the button) goes "
            "back in the webhook's HTTP answer and Telegram makes the call: no outbox entry and no send for "
            "it; the press's change and its edited message stay durable. off: sent from the outbox.",
            &config::callback_answer_in_response),
        text_setting("REDIS_SERVER", "redis-server binary used when REDIS_URL is empty.", &config::redis_server),
    };
    return table;
}

namespace {

void apply(config& c, const setting& s, const std::string& value, std::string_view source) {
    try {
        s.apply(c, value);
    } catch (const std::invalid_argument& e) {
        const std::string shown = s.secret ? "<hidden>" : "'" + value + "'";
        throw config_error(std::string(source) + " " + std::string(s.key) + "=" + shown + ": " + e.what());
    }
    c.given.emplace(s.key);
}

// The container-secrets convention: X_FILE names a file whose content (one trailing newline dropped) is X.
std::string read_secret_file(std::string_view key, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw config_error(std::string(key) + "_FILE: cannot read " + path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() > 64 * 1024) throw config_error(std::string(key) + "_FILE: larger than 64 KiB");
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) throw config_error(std::string(key) + "_FILE: " + path + " is empty");
    return text;
}

const setting& row(std::string_view key) {
    for (const auto& s : settings_table())
        if (s.key == key) return s;
    throw std::logic_error("no setting " + std::string(key));
}

void read_secret_files(config& c) {
    for (const auto key : {"BOT_TOKEN", "WEBHOOK_SECRET", "REDIS_URL"}) {
        const setting& secret = row(key);
        const std::string file = row(std::string(key) + "_FILE").show(c);
        if (file.empty()) continue;
        if (!secret.show(c).empty())
            throw config_error(std::string(key) + " and " + std::string(key) + "_FILE: set one, not both");
        apply(c, secret, read_secret_file(key, file), "file");
    }
}

// A value on the command line is readable by anyone on the machine (/proc/<pid>/cmdline, ps).
bool holds_secret(const setting& s, const std::string& value) {
    return s.secret || (s.key == "REDIS_URL" && value.find('@') != std::string::npos);
}

}  // namespace

std::string default_templates_dir() { return RB_DEFAULT_TEMPLATES_DIR; }

std::string flag_name(std::string_view key) {
    std::string out = "--";
    for (char ch : key) out += ch == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

env_lookup process_environment() {
    return [](std::string_view name) -> std::optional<std::string> {
        const char* v = std::getenv(std::string(name).c_str());
        if (v == nullptr) return std::nullopt;
        return std::string(v);
    };
}

config load_config(const env_lookup& env, const flag_values& flags) {
    const auto& table = settings_table();
    if (!flags.empty() && flags.size() != table.size()) throw std::logic_error("flag_values: one per setting");
    config c;
    for (const auto& s : table) {
        if (auto v = env(s.key); v && !v->empty()) apply(c, s, *v, "environment");
    }
    for (std::size_t i = 0; i < flags.size(); ++i) {
        if (!flags[i]) continue;
        const setting& s = table[i];
        if (holds_secret(s, *flags[i])) {
            c.warnings.push_back(std::string(s.key) +
                                 " was given as a flag: anyone on this machine can read it in "
                                 "/proc/<pid>/cmdline and ps; use the environment or " +
                                 std::string(s.key) + "_FILE");
        }
        apply(c, s, *flags[i], "flag");
    }
    read_secret_files(c);
    if (c.threads == 0) c.threads = std::max(1u, std::thread::hardware_concurrency());
    return c;
}

run_mode config::effective_mode() const {
    if (mode != run_mode::auto_select) return mode;
    if (bot_token.empty()) return run_mode::terminal;
    return webhook_url.empty() ? run_mode::polling : run_mode::webhook;
}

void validate_config(const config& c) {
    const run_mode mode = c.effective_mode();
    if ((mode == run_mode::webhook || mode == run_mode::polling) && c.bot_token.empty()) {
        throw config_error("BOT_TOKEN: required in " + std::string(to_string(mode)) + " mode");
    }
    if (mode == run_mode::webhook && c.webhook_secret.empty()) {
        throw config_error("WEBHOOK_SECRET: required in webhook mode (1-256 of A-Z a-z 0-9 _ -)");
    }
    if (c.tls_cert.empty() != c.tls_key.empty()) {
        throw config_error("TLS_CERT and TLS_KEY: set both for HTTPS, or neither for plain HTTP");
    }
    if (!c.redis_sentinels.empty() && c.redis_master_name.empty())
        throw config_error("REDIS_MASTER_NAME: required with REDIS_SENTINELS (the name in 'sentinel monitor')");
    if (c.redis_sentinels.empty() && !c.redis_master_name.empty())
        throw config_error("REDIS_MASTER_NAME: set, but REDIS_SENTINELS is empty");
    const bool tls_files = !c.redis_ca_file.empty() || !c.redis_cert_file.empty() || !c.redis_key_file.empty();
    if (tls_files && c.redis_url.rfind("rediss://", 0) != 0)
        throw config_error("REDIS_CA_FILE, REDIS_CERT_FILE, REDIS_KEY_FILE: only used with a rediss:// REDIS_URL");
    if (c.redis_replica_acks > 0 && c.redis_url.empty() && c.redis_sentinels.empty())
        throw config_error("REDIS_REPLICA_ACKS: the private redis-server (REDIS_URL empty) has no replicas");
}

std::string_view to_string(run_mode mode) {
    switch (mode) {
        case run_mode::auto_select:
            return "auto";
        case run_mode::webhook:
            return "webhook";
        case run_mode::polling:
            return "polling";
        case run_mode::terminal:
            return "terminal";
    }
    return "auto";
}

std::string config_help() {
    std::string out =
        "Settings come from the environment; a flag of the same name overrides it\n"
        "(--webhook-secret=VALUE, --webhook-secret VALUE or --WEBHOOK_SECRET=VALUE).\n"
        "Secrets (BOT_TOKEN, WEBHOOK_SECRET, the password in REDIS_URL) belong in the environment.\n\n";
    const config defaults;
    for (const auto& s : settings_table()) {
        const std::string shown = s.show(defaults);
        out += "  " + std::string(s.key);
        out.append(s.key.size() < 20 ? 20 - s.key.size() : 1, ' ');
        out += "default: " + (shown.empty() ? std::string("(empty)") : shown) + "\n";
        out += "      " + std::string(s.help) + "\n";
    }
    return out;
}

}  // namespace rb
