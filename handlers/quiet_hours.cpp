// Quiet-hours shifting in the runner's local time, and the "HH:MM-HH:MM" form /quiet takes.
// Pure arithmetic on epoch milliseconds with the zone's rules; no clock, no files.
#include "quiet_hours.hpp"

#include <charconv>
#include <cstdio>
#include <string>

#include "civil_time.hpp"

namespace rb {
namespace {

std::optional<int> parse_clock(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
    int h = 0, m = 0;
    const auto hr = std::from_chars(text.data(), text.data() + colon, h);
    const auto mr = std::from_chars(text.data() + colon + 1, text.data() + text.size(), m);
    if (hr.ec != std::errc{} || hr.ptr != text.data() + colon || mr.ec != std::errc{} ||
        mr.ptr != text.data() + text.size() || h < 0 || h > 23 || m < 0 || m > 59) {
        return std::nullopt;
    }
    return h * 60 + m;
}

}  // namespace

bool in_quiet_window(int minute_of_day, const quiet_hours& quiet) {
    if (quiet.start_minute == quiet.end_minute) return false;
    if (quiet.start_minute < quiet.end_minute) {
        return minute_of_day >= quiet.start_minute && minute_of_day < quiet.end_minute;
    }
    return minute_of_day >= quiet.start_minute || minute_of_day < quiet.end_minute;
}

std::chrono::milliseconds shift_for_quiet_hours(std::int64_t now_ms, std::chrono::milliseconds offset,
                                                const zone_rules& zone, const std::optional<quiet_hours>& quiet,
                                                std::string_view kind) {
    if (!quiet || kind == "eat") return offset;
    const std::int64_t due_ms = now_ms + offset.count();
    const std::int64_t local_ms = to_local_ms(zone, due_ms);
    const std::int64_t day = civil::floor_div(local_ms, civil::ms_per_day);
    const int minute = static_cast<int>(civil::floor_mod(local_ms, civil::ms_per_day) / civil::ms_per_minute);
    if (!in_quiet_window(minute, *quiet)) return offset;
    // A window that wraps midnight and was entered before midnight ends tomorrow.
    const bool ends_tomorrow = quiet->start_minute > quiet->end_minute && minute >= quiet->start_minute;
    const std::int64_t end_local =
        (day + (ends_tomorrow ? 1 : 0)) * civil::ms_per_day + std::int64_t{quiet->end_minute} * civil::ms_per_minute;
    const std::int64_t end_utc = from_local_ms(zone, end_local);
    if (end_utc <= due_ms) return offset;
    return std::chrono::milliseconds(end_utc - now_ms);
}

std::optional<quiet_hours> parse_quiet_window(std::string_view text) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto start = parse_clock(text.substr(0, dash));
    const auto end = parse_clock(text.substr(dash + 1));
    if (!start || !end || *start == *end) return std::nullopt;
    return quiet_hours{*start, *end};
}

std::string format_quiet_window(const quiet_hours& quiet) {
    char buf[64];  // generous: GCC cannot see that the minutes are < 1440
    std::snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", quiet.start_minute / 60, quiet.start_minute % 60,
                  quiet.end_minute / 60, quiet.end_minute % 60);
    return buf;
}

}  // namespace rb
