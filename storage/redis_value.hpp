// Our own value type for a Redis reply (RESP2): nil, integer, status, string, error, array.
// redis_connection converts hiredis's redisReply into this at once, so nothing above it sees hiredis.
// The as_*() accessors throw: an error value throws redis_error, any other mismatch unexpected_reply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rb {

struct redis_value {
    enum class type { nil, integer, status, string, error, array };
    type kind = type::nil;
    std::int64_t integer = 0;
    std::string text;  // status, string and error replies
    std::vector<redis_value> elements;

    bool is_nil() const noexcept { return kind == type::nil; }
    bool is_error() const noexcept { return kind == type::error; }

    // Throws redis_error when this is an error reply; returns *this otherwise. Use on batch elements.
    const redis_value& check() const;
    std::int64_t as_integer() const;                        // integer, or a string holding an integer (Lua tonumber)
    const std::string& as_string() const;                   // string or status
    std::optional<std::string> as_optional_string() const;  // nil -> nullopt
    const std::vector<redis_value>& as_array() const;

    static redis_value nil() { return {}; }
    static redis_value from_integer(std::int64_t v) { return {type::integer, v, {}, {}}; }
    static redis_value from_string(std::string s, type k = type::string) { return {k, 0, std::move(s), {}}; }
    friend bool operator==(const redis_value&, const redis_value&) = default;
};

}  // namespace rb
