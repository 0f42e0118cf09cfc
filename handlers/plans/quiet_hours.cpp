// Quiet-hours shifting in the runner's local time, and the "HH:MM-HH:MM" form /quiet takes.
// Pure arithmetic on epoch milliseconds with the zone's rules; no clock, no files.
#include "handlers/plans/quiet_hours.hpp"

#include <charconv>
#include <cstdio>
#include <string>

#include "handlers/time/civil_time.hpp"

namespace rb {
namespace {

// "23", "6", "22:30", "06:30", "11pm", "6am", "12am", "23h": minutes after midnight.
std::optional<int> parse_clock(std::string_view text) {
    int add = 0;
    bool twelve_hour = false;
    if (text.size() > 2 && (text.substr(text.size() - 2) == "am" || text.substr(text.size() - 2) == "pm")) {
        add = text.substr(text.size() - 2) == "pm" ? 12 * 60 : 0;
        twelve_hour = true;
        text.remove_suffix(2);
    } else if (!text.empty() && text.back() == 'h') {
        text.remove_suffix(1);
    }
    const auto colon = text.find_first_of(":.");
    const std::string_view hours = text.substr(0, colon);
    const std::string_view minutes = colon == std::string_view::npos ? std::string_view("0") : text.substr(colon + 1);
    if (hours.empty() || hours.size() > 2 || (colon != std::string_view::npos && minutes.size() != 2))
        return std::nullopt;
    int h = 0, m = 0;
    const auto hr = std::from_chars(hours.data(), hours.data() + hours.size(), h);
    const auto mr = std::from_chars(minutes.data(), minutes.data() + minutes.size(), m);
    if (hr.ec != std::errc{} || hr.ptr != hours.data() + hours.size() || mr.ec != std::errc{} ||
        mr.ptr != minutes.data() + minutes.size() || m < 0 || m > 59)
        return std::nullopt;
    if (twelve_hour) {
        if (h < 1 || h > 12) return std::nullopt;
        h = h % 12;
    } else if (h < 0 || h > 23) {
        return std::nullopt;
    }
    return h * 60 + m + add;
}

}  // namespace

bool in_quiet_window(int minute_of_day, const quiet_hours& quiet) {
    if (quiet.start_minute == quiet.end_minute) return false;
    if (quiet.start_minute < quiet.end_minute) {
        return minute_of_day >= quiet.start_minute && minute_of_day < quiet.end_minute;
    }
    return minute_of_day >= quiet.start_minute || minute_of_day < quiet.end_minute;
}

std::chrono::minutes morning_spread(std::int64_t now_ms) {
    // splitmix64's finaliser: neighbouring milliseconds land far apart.
    auto x = static_cast<std::uint64_t>(now_ms) + 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x ^= x >> 31;
    return std::chrono::minutes(static_cast<int>(x % morning_spread_minutes));
}

std::chrono::milliseconds shift_for_quiet_hours(std::int64_t now_ms, std::chrono::milliseconds offset,
                                                const zone_rules& zone, const std::optional<quiet_hours>& quiet,
                                                std::string_view kind, std::chrono::minutes spread) {
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
    return std::chrono::milliseconds(end_utc - now_ms) + spread;
}

// "22:00-07:00", "23-6", "22:30-06:30", "11pm-6am", "23 to 6" (spaces already removed by the caller, so
// "23to6"), "22–07:00" (an en dash).
std::optional<quiet_hours> parse_quiet_window(std::string_view raw) {
    std::string text;
    for (std::size_t i = 0; i < raw.size();) {
        std::size_t used = 0;
        for (const std::string_view dash : {"\xE2\x80\x93", "\xE2\x80\x94", "until", "till", "to"})
            if (raw.substr(i, dash.size()) == dash) used = dash.size();
        text += used > 0 ? '-' : raw[i];
        i += used > 0 ? used : 1;
    }
    const auto dash = text.find('-');
    if (dash == std::string::npos || text.find('-', dash + 1) != std::string::npos) return std::nullopt;
    const auto start = parse_clock(std::string_view(text).substr(0, dash));
    const auto end = parse_clock(std::string_view(text).substr(dash + 1));
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
