// IANA time zones without the C library: UTC offsets from TZif transitions (and the POSIX rule in a v2+
// footer for instants past the last transition), a pure TZif parser, and a name -> rules catalog.
// Nothing here reads files or the clock: bot/zone_loader reads /usr/share/zoneinfo and fills the catalog.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rb {

// A POSIX TZ rule such as "GMT0BST,M3.5.0/1,M10.5.0": standard offset, and optionally a DST offset with
// the two yearly change dates. Offsets are seconds east of UTC (the TZ string writes them west).
struct posix_tz_date {
    enum class form { julian_no_leap, zero_based, month_week_day } kind = form::month_week_day;
    int day = 0;                     // Jn: 1..365; n: 0..365; Mm.w.d: d = 0 (Sunday) .. 6
    int month = 0, week = 0;         // Mm.w.d only; week 5 means the last such weekday
    std::int32_t time_s = 2 * 3600;  // local wall time of the change; may be negative or past 24h
    friend bool operator==(const posix_tz_date&, const posix_tz_date&) = default;
};

struct posix_tz {
    std::int32_t std_offset_s = 0;
    std::optional<std::int32_t> dst_offset_s;  // nullopt: no daylight saving
    posix_tz_date dst_start, dst_end;
    std::int32_t offset_at(std::int64_t utc_s) const;
    friend bool operator==(const posix_tz&, const posix_tz&) = default;
};

std::optional<posix_tz> parse_posix_tz(std::string_view text);

// A zone's history of UTC offsets: offset_[i] holds from transitions_[i] on; before the first transition
// initial_ applies; after the last one the footer rule (when there is one) decides.
class zone_rules {
public:
    zone_rules() = default;  // UTC
    static zone_rules fixed(std::int32_t offset_s);
    zone_rules(std::vector<std::int64_t> transitions_s, std::vector<std::int32_t> offsets_s,
               std::int32_t initial_offset_s, std::optional<posix_tz> tail);

    std::chrono::seconds offset_at(std::int64_t utc_ms) const;
    std::size_t transition_count() const { return transitions_.size(); }
    friend bool operator==(const zone_rules&, const zone_rules&) = default;

private:
    std::vector<std::int64_t> transitions_;
    std::vector<std::int32_t> offsets_;
    std::int32_t initial_ = 0;
    std::optional<posix_tz> tail_;
};

// Parses the bytes of a TZif file (RFC 8536, versions 1 to 4); nullopt when they are not one.
std::optional<zone_rules> parse_tzif(std::string_view bytes);

// Local wall-clock milliseconds (epoch-based, as if local time were UTC) at a UTC instant.
std::int64_t to_local_ms(const zone_rules& zone, std::int64_t utc_ms);
// The UTC instant of a local wall time. In an overlap (clocks going back) the earlier instant; in a gap
// (clocks going forward) the wall time is pushed forward by the gap, as a wall clock would show it.
std::int64_t from_local_ms(const zone_rules& zone, std::int64_t local_ms);

class zone_catalog {
public:
    void add(std::string name, zone_rules rules);
    const zone_rules* find(std::string_view name) const;
    // The catalog's spelling of a name given in any letter case ("europe/london" -> "Europe/London").
    std::optional<std::string> canonical_name(std::string_view name) const;
    std::size_t size() const { return zones_.size(); }

private:
    std::map<std::string, zone_rules, std::less<>> zones_;
    std::map<std::string, std::string, std::less<>> lower_names_;
};

}  // namespace rb
