// Parsing of pending records (see reminder_record.hpp). Nothing here throws: a bad record is a value, not an error.
#include "storage/reminder_record.hpp"

#include <charconv>
#include <cstdint>

#include "storage/keys.hpp"

namespace rb {
namespace {

// Splits off the integer before the next '|'.
bool take_field(std::string_view& rest, std::int64_t& value) {
    const auto bar = rest.find('|');
    if (bar == std::string_view::npos) return false;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + bar, value);
    if (ec != std::errc{} || end != rest.data() + bar) return false;
    rest.remove_prefix(bar + 1);
    return true;
}

}  // namespace

std::optional<reminder> parse_reminder_record(std::string_view id, std::string_view record) {
    reminder_id_parts parts;
    if (!split_reminder_id(id, parts)) return std::nullopt;
    reminder r;
    std::int64_t attempt = 0, lane = 0;
    if (!take_field(record, r.due_ms) || !take_field(record, r.created_ms) || !take_field(record, attempt) ||
        !take_field(record, r.chat_id) || !take_field(record, lane)) {
        return std::nullopt;
    }
    // The same bounds as the scripts' parse() (scripts.cpp), so a record one side reads the other reads too.
    if (attempt < 0 || attempt > 999'999 || lane < 0 || lane > 2) return std::nullopt;
    r.id = std::string(id);
    r.owner_id = parts.owner;
    r.run_id = std::string(parts.run);
    r.kind = std::string(parts.kind);
    r.attempt = static_cast<int>(attempt);
    r.text = std::string(record);
    return r;
}

}  // namespace rb
