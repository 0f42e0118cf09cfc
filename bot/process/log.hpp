// One line per event on stderr: `ts=... level=info event=update_handled update_id=7 chat_id=42 ms=0.41`,
// or the same fields as a JSON object per line when LOG_FORMAT=json.
// Secrets registered with log_add_secret (bot token, webhook secret, Redis password) are scrubbed from
// every line, and any `/bot<token>/` URL segment is redacted, so a careless field cannot leak them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace rb {

enum class log_level { debug, info, warn, error };

struct log_field {
    log_field(std::string_view k, std::string_view v) : key(k), value(v), quoted(true) {}
    log_field(std::string_view k, const std::string& v) : key(k), value(v), quoted(true) {}
    log_field(std::string_view k, const char* v) : key(k), value(v ? v : ""), quoted(true) {}
    log_field(std::string_view k, std::int64_t v) : key(k), value(std::to_string(v)) {}
    log_field(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
    log_field(std::string_view k, unsigned v) : key(k), value(std::to_string(v)) {}
    log_field(std::string_view k, std::uint64_t v) : key(k), value(std::to_string(v)) {}
    log_field(std::string_view k, long long v) : key(k), value(std::to_string(v)) {}
    log_field(std::string_view k, double v);
    log_field(std::string_view k, bool v) : key(k), value(v ? "true" : "false") {}
    std::string_view key;
    std::string value;
    bool quoted = false;  // strings are quoted when they hold spaces or quotes; numbers never
};

// Process-wide settings, made once by main() before any thread starts.
void log_configure(log_level min_level, bool json_lines);
void log_add_secret(std::string secret);
bool log_enabled(log_level level);
std::optional<log_level> parse_log_level(std::string_view name);
std::string_view to_string(log_level level);

void log_event(log_level level, std::string_view event, std::initializer_list<log_field> fields = {});

// The scrubbing log_event applies, exposed for error texts that leave the process another way.
std::string redact(std::string text);

}  // namespace rb
