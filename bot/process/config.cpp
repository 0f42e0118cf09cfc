// Table-driven settings: one row per key with its default, its help and how to parse it.
// Numbers go through from_chars plus a range check; nothing here uses atoi or trusts getenv's pointer.
#include "bot/process/config.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "net/absolute_url.hpp"
#include "storage/redis_target.hpp"

namespace rb {
namespace {

struct setting {
    std::string_view key;
    std::string_view default_text;
    std::string_view help;
    bool secret;
    std::function<void(config&, const std::string&)> apply;  // throws std::invalid_argument with the reason
};

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
    c.listen_port = parse_number<std::uint16_t>(std::string(parsed->port()), 0, 65535);
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

const std::vector<setting>& settings_table() {
    static const std::vector<setting> table{
        {"BOT_TOKEN", "", "Bot API token from @BotFather. Empty: local chat in the terminal. Prefer the environment.",
         true, [](config& c, const std::string& v) { c.bot_token = v; }},
        {"BOT_TOKEN_FILE", "", "File holding BOT_TOKEN (container secrets); set this or BOT_TOKEN, not both.", false,
         [](config& c, const std::string& v) { c.bot_token_file = v; }},
        {"WEBHOOK_SECRET", "", "X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -); required for webhook mode.",
         true, parse_secret},
        {"WEBHOOK_SECRET_FILE", "", "File holding WEBHOOK_SECRET; set this or WEBHOOK_SECRET, not both.", false,
         [](config& c, const std::string& v) { c.webhook_secret_file = v; }},
        {"WEBHOOK_URL", "",
         "Public https URL Telegram posts to, on port 443, 80, 88 or 8443 (used by set-webhook; selects webhook mode).",
         false, parse_webhook_url},
        {"MODE", "auto",
         "auto | webhook | polling | terminal. auto: terminal without BOT_TOKEN, webhook with "
         "WEBHOOK_URL, else long polling.",
         false, [](config& c, const std::string& v) { c.mode = parse_mode(v); }},
        {"LISTEN", "0.0.0.0:8443", "Address and port of the webhook server (port 0: any free port, logged).", false,
         parse_listen},
        {"TLS_CERT", "", "PEM certificate chain file; with TLS_KEY serves HTTPS (TLS 1.2+), else plain HTTP.", false,
         [](config& c, const std::string& v) { c.tls_cert = v; }},
        {"TLS_KEY", "", "PEM private key file for TLS_CERT.", false,
         [](config& c, const std::string& v) { c.tls_key = v; }},
        {"WEBHOOK_PATH", "/telegram", "Path Telegram posts updates to.", false,
         [](config& c, const std::string& v) {
             if (v.empty() || v.front() != '/') throw std::invalid_argument("must start with /");
             c.webhook_path = v;
         }},
        {"REDIS_URL", "",
         "redis://[:password@]host:port/db, rediss://... (TLS) or unix:///path?db=N. Empty: a private "
         "redis-server. With REDIS_SENTINELS only its password, db and scheme are used. An '@' in the password is %40.",
         false, [](config& c, const std::string& v) { c.redis_url = v; }},
        {"REDIS_URL_FILE", "", "File holding REDIS_URL (container secrets); set this or REDIS_URL, not both.", false,
         [](config& c, const std::string& v) { c.redis_url_file = v; }},
        {"REDIS_SENTINELS", "",
         "host:port,host:port,...: Redis Sentinel tells the primary; failovers are followed. Needs "
         "REDIS_MASTER_NAME.",
         false,
         [](config& c, const std::string& v) {
             parse_sentinel_list(v);
             c.redis_sentinels = v;
         }},
        {"REDIS_MASTER_NAME", "", "The name the sentinels monitor the primary by (sentinel monitor <name> ...).", false,
         [](config& c, const std::string& v) { c.redis_master_name = v; }},
        {"REDIS_SENTINEL_PASSWORD", "", "The sentinels' own password (their requirepass), if they have one.", true,
         [](config& c, const std::string& v) { c.redis_sentinel_password = v; }},
        {"REDIS_CA_FILE", "", "rediss://: PEM CAs that signed Redis's certificate. Empty: the system's CAs.", false,
         [](config& c, const std::string& v) { c.redis_ca_file = v; }},
        {"REDIS_CERT_FILE", "",
         "rediss://: PEM client certificate, for a Redis with tls-auth-clients; with REDIS_KEY_FILE.", false,
         [](config& c, const std::string& v) { c.redis_cert_file = v; }},
        {"REDIS_KEY_FILE", "", "rediss://: PEM private key of REDIS_CERT_FILE.", false,
         [](config& c, const std::string& v) { c.redis_key_file = v; }},
        {"REDIS_REPLICA_ACKS", "0",
         "Answer an update only once this many replicas hold its commit (WAIT); 0: once the primary has it. "
         "See docs/operations.md.",
         false, [](config& c, const std::string& v) { c.redis_replica_acks = parse_number<int>(v, 0, 16); }},
        {"REDIS_REPLICA_ACK_TIMEOUT_MS", "200",
         "How long a commit waits for REDIS_REPLICA_ACKS replicas; past it the update gets 503.", false,
         [](config& c, const std::string& v) { c.redis_replica_ack_timeout = parse_ms(v); }},
        {"REDIS_TIMEOUT_MS", "2000", "Deadline of one Redis call; a missed one drops the connection (update: 503).",
         false, [](config& c, const std::string& v) { c.redis_timeout = parse_ms(v); }},
        {"REDIS_PREFIX", "rb:", "Prefix of every Redis key.", false,
         [](config& c, const std::string& v) { c.redis_prefix = v; }},
        {"TELEGRAM_API_ROOT", "https://api.telegram.org", "Bot API root (http:// allowed for a local Bot API).", false,
         [](config& c, const std::string& v) { c.telegram_api_root = v; }},
        {"LOG_LEVEL", "info", "debug | info | warn | error.", false,
         [](config& c, const std::string& v) {
             auto level = parse_log_level(v);
             if (!level) throw std::invalid_argument("expected debug, info, warn or error");
             c.level = *level;
         }},
        {"LOG_FORMAT", "text", "text (key=value lines) | json (one JSON object per line).", false,
         [](config& c, const std::string& v) {
             if (v != "text" && v != "json") throw std::invalid_argument("expected text or json");
             c.log_json = v == "json";
         }},
        {"THREADS", "0", "Worker threads; 0 means one per core.", false,
         [](config& c, const std::string& v) { c.threads = parse_number<unsigned>(v, 0, 256); }},
        {"MAX_BODY_BYTES", "1048576", "Largest accepted update body; larger gets 413.", false,
         [](config& c, const std::string& v) { c.max_body_bytes = parse_number<std::size_t>(v, 1024, 64 << 20); }},
        {"MAX_CONNECTIONS", "4096", "Open connections at most; more are answered 503 and closed.", false,
         [](config& c, const std::string& v) { c.max_connections = parse_number<unsigned>(v, 1, 1'000'000); }},
        {"HEADER_TIMEOUT_MS", "10000", "Time a client has to send a request's headers (and between requests).", false,
         [](config& c, const std::string& v) { c.header_timeout = parse_ms(v); }},
        {"BODY_TIMEOUT_MS", "10000", "Time a client has to send a request's body.", false,
         [](config& c, const std::string& v) { c.body_timeout = parse_ms(v); }},
        {"IDLE_TIMEOUT_MS", "60000", "Keep-alive connections idle longer are closed.", false,
         [](config& c, const std::string& v) { c.idle_timeout = parse_ms(v); }},
        {"SHUTDOWN_TIMEOUT_MS", "10000", "On SIGTERM, how long requests in flight may take before exit.", false,
         [](config& c, const std::string& v) { c.shutdown_timeout = parse_ms(v); }},
        {"TIME_SCALE", "1", "Speed of reminder time: 60 makes a minute pass in a second (demo, tests).", false,
         [](config& c, const std::string& v) {
             char* end = nullptr;
             const double d = std::strtod(v.c_str(), &end);
             if (end != v.c_str() + v.size() || !(d >= 1 && d <= 100000)) throw std::invalid_argument("1..100000");
             c.time_scale = d;
         }},
        {"TEMPLATES_DIR", RB_DEFAULT_TEMPLATES_DIR, "Folder of reply, reminder and meal templates.", false,
         [](config& c, const std::string& v) { c.templates_dir = v; }},
        {"ZONEINFO_DIR", "/usr/share/zoneinfo", "IANA time zone database (tzdata).", false,
         [](config& c, const std::string& v) { c.zoneinfo_dir = v; }},
        {"RATE_PER_CHAT", "1", "Messages per second to one chat (Telegram allows about 1).", false,
         [](config& c, const std::string& v) { c.rate_per_chat = parse_number<double>(v, 0.01, 1000); }},
        {"RATE_GLOBAL", "30", "Messages per second in all (Telegram allows about 30).", false,
         [](config& c, const std::string& v) { c.rate_global = parse_number<double>(v, 0.1, 100000); }},
        {"LEASE_MS", "30000",
         "How long one instance holds a claimed message before another may take it; renewed "
         "to this right before each send, which must finish within half of it.",
         false,
         [](config& c, const std::string& v) {
             c.lease = parse_ms(v);
             if (c.lease < std::chrono::seconds(2)) throw std::invalid_argument("at least 2000");
         }},
        {"RATE_LIMIT", "on", "off disables the limiter (benchmarks against a local fake API only).", false,
         [](config& c, const std::string& v) { c.rate_limit = parse_bool(v); }},
        {"REDIS_SERVER", "redis-server", "redis-server binary used when REDIS_URL is empty.", false,
         [](config& c, const std::string& v) { c.redis_server = v; }},
    };
    return table;
}

std::string flag_name(std::string_view key) {
    std::string out = "--";
    for (char ch : key) out += ch == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

const setting* find_flag(std::string_view flag) {
    for (const auto& s : settings_table()) {
        if (flag == flag_name(s.key) || flag == "--" + std::string(s.key)) return &s;
    }
    return nullptr;
}

void apply(config& c, const setting& s, const std::string& value, std::string_view source) {
    try {
        s.apply(c, value);
    } catch (const std::invalid_argument& e) {
        const std::string shown = s.secret ? "<hidden>" : "'" + value + "'";
        throw config_error(std::string(source) + " " + std::string(s.key) + "=" + shown + ": " + e.what());
    }
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

void read_secret_files(config& c, const env_lookup& env) {
    const std::pair<std::string_view, const std::string*> files[] = {
        {"BOT_TOKEN", &c.bot_token_file}, {"WEBHOOK_SECRET", &c.webhook_secret_file}, {"REDIS_URL", &c.redis_url_file}};
    for (const auto& [key, file] : files) {
        if (file->empty()) continue;
        const auto direct = env(key);
        const bool given = (direct && !direct->empty()) || (key == "BOT_TOKEN" && !c.bot_token.empty()) ||
                           (key == "WEBHOOK_SECRET" && !c.webhook_secret.empty()) ||
                           (key == "REDIS_URL" && !c.redis_url.empty());
        if (given) throw config_error(std::string(key) + " and " + std::string(key) + "_FILE: set one, not both");
        apply(c, row(key), read_secret_file(key, *file), "file");
    }
}

}  // namespace

env_lookup process_environment() {
    return [](std::string_view name) -> std::optional<std::string> {
        const char* v = std::getenv(std::string(name).c_str());
        if (v == nullptr) return std::nullopt;
        return std::string(v);
    };
}

config load_config(const env_lookup& env, const std::vector<std::string>& args, std::vector<std::string>& rest) {
    config c;
    c.templates_dir = RB_DEFAULT_TEMPLATES_DIR;
    for (const auto& s : settings_table()) {
        if (auto v = env(s.key); v && !v->empty()) apply(c, s, *v, "environment");
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const auto eq = arg.find('=');
        const setting* s = arg.rfind("--", 0) == 0 ? find_flag(arg.substr(0, eq)) : nullptr;
        if (s == nullptr) {
            rest.push_back(arg);
            continue;
        }
        const bool holds_secret = s->secret || (s->key == "REDIS_URL" && arg.find('@') != std::string::npos) ||
                                  (s->key == "REDIS_URL" && eq == std::string::npos && i + 1 < args.size() &&
                                   args[i + 1].find('@') != std::string::npos);
        if (holds_secret) {
            c.warnings.push_back(std::string(s->key) +
                                 " was given as a flag: anyone on this machine can read it in "
                                 "/proc/<pid>/cmdline and ps; use the environment or " +
                                 std::string(s->key) + "_FILE");
        }
        if (eq != std::string::npos) {
            apply(c, *s, arg.substr(eq + 1), "flag");
        } else if (i + 1 < args.size()) {
            apply(c, *s, args[++i], "flag");
        } else {
            throw config_error("flag " + arg + ": missing value");
        }
    }
    read_secret_files(c, env);
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
    for (const auto& s : settings_table()) {
        out += "  " + std::string(s.key);
        out.append(s.key.size() < 20 ? 20 - s.key.size() : 1, ' ');
        out += "default: " + (s.default_text.empty() ? std::string("(empty)") : std::string(s.default_text)) + "\n";
        out += "      " + std::string(s.help) + "\n";
    }
    return out;
}

}  // namespace rb
