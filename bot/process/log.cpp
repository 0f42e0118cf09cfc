// Formatting and writing of log lines; see log.hpp. One mutex keeps lines whole when threads log at once.
#include "bot/process/log.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <vector>

namespace rb {
namespace {

struct log_settings {
    log_level min = log_level::info;
    bool json = false;
    std::vector<std::string> secrets;
};

log_settings& settings() {
    static log_settings s;
    return s;
}

std::mutex& write_mutex() {
    static std::mutex m;
    return m;
}

constexpr std::array<std::string_view, 4> level_names{"debug", "info", "warn", "error"};

std::string timestamp() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

// JSON string escaping, also used for quoted logfmt values so both formats stay one line per event.
void append_escaped(std::string& out, std::string_view s) {
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
}

bool needs_quotes(std::string_view v) {
    if (v.empty()) return true;
    for (unsigned char c : v) {
        if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) return true;
    }
    return false;
}

void append_logfmt(std::string& out, std::string_view key, std::string_view value, bool quoted) {
    out += ' ';
    out += key;
    out += '=';
    if (quoted && needs_quotes(value)) {
        out += '"';
        append_escaped(out, value);
        out += '"';
    } else {
        out += value;
    }
}

void append_json(std::string& out, std::string_view key, std::string_view value, bool quoted) {
    out += ",\"";
    append_escaped(out, key);
    out += "\":";
    if (quoted) {
        out += '"';
        append_escaped(out, value);
        out += '"';
    } else {
        out += value;
    }
}

// Blanks the token in "/bot<token>/..." even when the token was never registered (a wrong one, say).
void redact_bot_paths(std::string& text) {
    std::size_t pos = 0;
    while ((pos = text.find("/bot", pos)) != std::string::npos) {
        const std::size_t start = pos + 4;
        std::size_t end = start;
        while (end < text.size() && text[end] != '/' && text[end] != ' ' && text[end] != '"') ++end;
        if (end > start) text.replace(start, end - start, "<redacted>");
        pos = start;
    }
}

}  // namespace

log_field::log_field(std::string_view k, double v) : key(k) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    value = buf;
}

void log_configure(log_level min_level, bool json_lines) {
    settings().min = min_level;
    settings().json = json_lines;
}

void log_add_secret(std::string secret) {
    if (!secret.empty()) settings().secrets.push_back(std::move(secret));
}

bool log_enabled(log_level level) { return level >= settings().min; }

std::string_view to_string(log_level level) { return level_names[static_cast<std::size_t>(level)]; }

std::optional<log_level> parse_log_level(std::string_view name) {
    for (std::size_t i = 0; i < level_names.size(); ++i) {
        if (level_names[i] == name) return static_cast<log_level>(i);
    }
    if (name == "warning") return log_level::warn;
    return std::nullopt;
}

std::string redact(std::string text) {
    for (const auto& secret : settings().secrets) {
        std::size_t pos = 0;
        while ((pos = text.find(secret, pos)) != std::string::npos) {
            text.replace(pos, secret.size(), "<redacted>");
            pos += 10;
        }
    }
    redact_bot_paths(text);
    return text;
}

void log_event(log_level level, std::string_view event, std::initializer_list<log_field> fields) {
    if (!log_enabled(level)) return;
    const auto level_name = level_names[static_cast<std::size_t>(level)];
    std::string line;
    line.reserve(160);
    if (settings().json) {
        line += "{\"ts\":\"" + timestamp() + "\"";
        append_json(line, "level", level_name, true);
        append_json(line, "event", event, true);
        for (const auto& f : fields) append_json(line, f.key, f.value, f.quoted);
        line += "}\n";
    } else {
        line += "ts=" + timestamp();
        append_logfmt(line, "level", level_name, false);
        append_logfmt(line, "event", event, false);
        for (const auto& f : fields) append_logfmt(line, f.key, f.value, f.quoted);
        line += '\n';
    }
    line = redact(std::move(line));
    std::lock_guard lock(write_mutex());
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace rb
