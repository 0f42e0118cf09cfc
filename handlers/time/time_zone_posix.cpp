// The POSIX TZ rule of a TZif footer (e.g. "GMT0BST,M3.5.0/1,M10.5.0"): parsing and evaluation.
// TZif files only list transitions up to some year (2037 in Debian's "fat" files); past that the rule decides.
// Pure: string in, offsets out.
#include <charconv>
#include <optional>
#include <string_view>

#include "handlers/time/civil_time.hpp"
#include "handlers/time/time_zone.hpp"

namespace rb {
namespace {

class tz_reader {
public:
    explicit tz_reader(std::string_view s) : s_(s) {}
    bool done() const { return pos_ == s_.size(); }
    bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
    bool eat(char c) {
        if (!peek(c)) return false;
        ++pos_;
        return true;
    }

    // A zone abbreviation: three or more letters, or anything between '<' and '>'.
    bool name() {
        if (eat('<')) {
            const auto close = s_.find('>', pos_);
            if (close == std::string_view::npos || close - pos_ < 3) return false;
            pos_ = close + 1;
            return true;
        }
        std::size_t n = 0;
        while (pos_ + n < s_.size() && is_alpha(s_[pos_ + n])) ++n;
        pos_ += n;
        return n >= 3;
    }

    // [+-]hh[:mm[:ss]], hours up to 167 as RFC 8536 allows for transition times.
    std::optional<std::int32_t> hms() {
        const std::int32_t sign = eat('-') ? -1 : (eat('+'), 1);
        std::int32_t total = 0;
        for (int part = 0; part < 3; ++part) {
            if (part > 0 && !eat(':')) break;
            const auto v = number();
            if (!v || (part == 0 && *v > 167) || (part > 0 && *v > 59)) return std::nullopt;
            total += *v * (part == 0 ? 3600 : part == 1 ? 60 : 1);
        }
        return sign * total;
    }

    std::optional<int> number() {
        int v = 0;
        const auto* first = s_.data() + pos_;
        const auto [ptr, ec] = std::from_chars(first, s_.data() + s_.size(), v);
        if (ec != std::errc{} || v < 0) return std::nullopt;
        pos_ += static_cast<std::size_t>(ptr - first);
        return v;
    }

    bool starts_offset() const {
        return pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-' || (s_[pos_] >= '0' && s_[pos_] <= '9'));
    }

private:
    static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
    std::string_view s_;
    std::size_t pos_ = 0;
};

std::optional<posix_tz_date> parse_rule_date(tz_reader& r) {
    posix_tz_date d;
    if (r.eat('M')) {
        d.kind = posix_tz_date::form::month_week_day;
        const auto m = r.number();
        if (!m || !r.eat('.')) return std::nullopt;
        const auto w = r.number();
        if (!w || !r.eat('.')) return std::nullopt;
        const auto wd = r.number();
        if (!wd || *m < 1 || *m > 12 || *w < 1 || *w > 5 || *wd > 6) return std::nullopt;
        d.month = *m, d.week = *w, d.day = *wd;
    } else {
        const bool julian = r.eat('J');
        const auto n = r.number();
        if (!n || (julian && (*n < 1 || *n > 365)) || *n > 365) return std::nullopt;
        d.kind = julian ? posix_tz_date::form::julian_no_leap : posix_tz_date::form::zero_based;
        d.day = *n;
    }
    if (r.eat('/')) {
        const auto t = r.hms();
        if (!t) return std::nullopt;
        d.time_s = *t;
    }
    return d;
}

// Day number (days since the epoch) on which a rule date falls in a given year.
std::int64_t rule_day(const posix_tz_date& d, std::int64_t year) {
    const std::int64_t jan1 = civil::days_from_civil(year, 1, 1);
    switch (d.kind) {
        case posix_tz_date::form::julian_no_leap:
            return jan1 + d.day - 1 + (civil::is_leap(year) && d.day >= 60 ? 1 : 0);
        case posix_tz_date::form::zero_based:
            return jan1 + d.day;
        case posix_tz_date::form::month_week_day:
            break;
    }
    const std::int64_t first = civil::days_from_civil(year, d.month, 1);
    std::int64_t day = first + (d.day - civil::weekday_from_days(first) + 7) % 7 + (d.week - 1) * 7;
    const std::int64_t next_month =
        d.month == 12 ? civil::days_from_civil(year + 1, 1, 1) : civil::days_from_civil(year, d.month + 1, 1);
    while (day >= next_month) day -= 7;  // week 5 means "last"
    return day;
}

}  // namespace

std::optional<posix_tz> parse_posix_tz(std::string_view text) {
    tz_reader r(text);
    posix_tz tz;
    if (!r.name()) return std::nullopt;
    const auto std_west = r.hms();
    if (!std_west) return std::nullopt;
    tz.std_offset_s = -*std_west;
    if (r.done()) return tz;
    if (!r.name()) return std::nullopt;
    tz.dst_offset_s = tz.std_offset_s + 3600;
    if (r.starts_offset()) {
        const auto dst_west = r.hms();
        if (!dst_west) return std::nullopt;
        tz.dst_offset_s = -*dst_west;
    }
    if (r.done()) {  // no rule given: POSIX's default is the US rule
        tz.dst_start = posix_tz_date{posix_tz_date::form::month_week_day, 0, 3, 2, 7200};
        tz.dst_end = posix_tz_date{posix_tz_date::form::month_week_day, 0, 11, 1, 7200};
        return tz;
    }
    if (!r.eat(',')) return std::nullopt;
    const auto start = parse_rule_date(r);
    if (!start || !r.eat(',')) return std::nullopt;
    const auto end = parse_rule_date(r);
    if (!end || !r.done()) return std::nullopt;
    tz.dst_start = *start;
    tz.dst_end = *end;
    return tz;
}

// DST starts at a wall time given in standard time and ends at one given in daylight time. Zones of the
// southern hemisphere have the end before the start within a calendar year.
std::int32_t posix_tz::offset_at(std::int64_t utc_s) const {
    if (!dst_offset_s) return std_offset_s;
    const std::int64_t year = civil::civil_from_days(civil::floor_div(utc_s + std_offset_s, 86400)).year;
    const std::int64_t start = rule_day(dst_start, year) * 86400 + dst_start.time_s - std_offset_s;
    const std::int64_t end = rule_day(dst_end, year) * 86400 + dst_end.time_s - *dst_offset_s;
    const bool in_dst = start < end ? (utc_s >= start && utc_s < end) : !(utc_s >= end && utc_s < start);
    return in_dst ? *dst_offset_s : std_offset_s;
}

}  // namespace rb
