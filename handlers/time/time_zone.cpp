// TZif parsing (RFC 8536), offset look-up, local <-> UTC conversion and the zone catalog.
// Bytes in, rules out: reading /usr/share/zoneinfo is bot/zone_loader's job, never this file's.
#include "handlers/time/time_zone.hpp"

#include <algorithm>
#include <cctype>

#include "handlers/time/civil_time.hpp"

namespace rb {
namespace {

struct tzif_header {
    char version = 0;
    std::uint64_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

    std::uint64_t body_size(std::uint64_t time_size) const {
        return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) + isstdcnt + isutcnt;
    }
};

std::uint64_t read_be(std::string_view bytes, std::size_t at, std::size_t width) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
}

std::int64_t read_signed(std::string_view bytes, std::size_t at, std::size_t width) {
    const std::uint64_t v = read_be(bytes, at, width);
    if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
}

std::optional<tzif_header> read_header(std::string_view bytes, std::size_t at) {
    if (bytes.size() < at + 44 || bytes.substr(at, 4) != "TZif") return std::nullopt;
    tzif_header h;
    h.version = bytes[at + 4];
    if (h.version != 0 && (h.version < '2' || h.version > '9')) return std::nullopt;
    std::uint64_t* counts[] = {&h.isutcnt, &h.isstdcnt, &h.leapcnt, &h.timecnt, &h.typecnt, &h.charcnt};
    for (std::size_t i = 0; i < 6; ++i) *counts[i] = read_be(bytes, at + 20 + 4 * i, 4);
    if (h.typecnt == 0 || h.typecnt > 256 || (h.isutcnt != 0 && h.isutcnt != h.typecnt) ||
        (h.isstdcnt != 0 && h.isstdcnt != h.typecnt)) {
        return std::nullopt;
    }
    return h;
}

// The footer is "\n<POSIX TZ string>\n"; an empty or unreadable rule leaves the last offset in force.
std::optional<posix_tz> read_footer(std::string_view rest) {
    if (rest.size() < 2 || rest.front() != '\n') return std::nullopt;
    const auto end = rest.find('\n', 1);
    if (end == std::string_view::npos) return std::nullopt;
    return parse_posix_tz(rest.substr(1, end - 1));
}

// Reads one data block (v1 with 4-byte times, or v2+ with 8-byte times) starting at `at`.
std::optional<zone_rules> read_block(std::string_view bytes, std::size_t at, const tzif_header& h,
                                     std::size_t time_size) {
    const std::size_t times_at = at, indices_at = times_at + h.timecnt * time_size;
    const std::size_t types_at = indices_at + h.timecnt;
    std::vector<std::int32_t> type_offsets;
    for (std::size_t i = 0; i < h.typecnt; ++i) {
        const std::int64_t off = read_signed(bytes, types_at + 6 * i, 4);
        if (off < -25 * 3600 || off > 26 * 3600) return std::nullopt;
        type_offsets.push_back(static_cast<std::int32_t>(off));
    }
    std::vector<std::int64_t> transitions;
    std::vector<std::int32_t> offsets;
    for (std::size_t i = 0; i < h.timecnt; ++i) {
        const std::int64_t t = read_signed(bytes, times_at + i * time_size, time_size);
        const auto type = static_cast<unsigned char>(bytes[indices_at + i]);
        if (type >= h.typecnt || (!transitions.empty() && t <= transitions.back())) return std::nullopt;
        transitions.push_back(t);
        offsets.push_back(type_offsets[type]);
    }
    std::optional<posix_tz> tail;
    if (time_size == 8) tail = read_footer(bytes.substr(at + h.body_size(8)));
    return zone_rules(std::move(transitions), std::move(offsets), type_offsets.front(), tail);
}

}  // namespace

zone_rules zone_rules::fixed(std::int32_t offset_s) { return zone_rules({}, {}, offset_s, std::nullopt); }

zone_rules::zone_rules(std::vector<std::int64_t> transitions_s, std::vector<std::int32_t> offsets_s,
                       std::int32_t initial_offset_s, std::optional<posix_tz> tail)
    : transitions_(std::move(transitions_s)), offsets_(std::move(offsets_s)), initial_(initial_offset_s), tail_(tail) {}

std::chrono::seconds zone_rules::offset_at(std::int64_t utc_ms) const {
    const std::int64_t utc_s = civil::floor_div(utc_ms, 1000);
    const auto next = std::upper_bound(transitions_.begin(), transitions_.end(), utc_s);
    if (next == transitions_.end() && tail_) return std::chrono::seconds(tail_->offset_at(utc_s));
    if (next == transitions_.begin()) return std::chrono::seconds(initial_);
    return std::chrono::seconds(offsets_[static_cast<std::size_t>(next - transitions_.begin()) - 1]);
}

std::optional<zone_rules> parse_tzif(std::string_view bytes) {
    const auto v1 = read_header(bytes, 0);
    if (!v1) return std::nullopt;
    const std::uint64_t v1_end = 44 + v1->body_size(4);
    if (v1_end > bytes.size()) return std::nullopt;
    if (v1->version == 0) return read_block(bytes, 44, *v1, 4);
    // Version 2+: the 64-bit block after the v1 block is authoritative.
    const auto v2 = read_header(bytes, v1_end);
    if (!v2 || v1_end + 44 + v2->body_size(8) > bytes.size()) return std::nullopt;
    return read_block(bytes, v1_end + 44, *v2, 8);
}

std::int64_t to_local_ms(const zone_rules& zone, std::int64_t utc_ms) {
    return utc_ms + std::chrono::milliseconds(zone.offset_at(utc_ms)).count();
}

// Tries the offsets in force a day either side: a candidate is right when the zone agrees with it at the
// instant it gives. Neither agreeing means the wall time falls into a gap.
std::int64_t from_local_ms(const zone_rules& zone, std::int64_t local_ms) {
    const auto ms = [](std::chrono::seconds s) { return std::chrono::milliseconds(s).count(); };
    const std::int64_t before = ms(zone.offset_at(local_ms - civil::ms_per_day));
    const std::int64_t after = ms(zone.offset_at(local_ms + civil::ms_per_day));
    const std::int64_t u1 = local_ms - before, u2 = local_ms - after;
    const bool ok1 = ms(zone.offset_at(u1)) == before, ok2 = ms(zone.offset_at(u2)) == after;
    if (ok1 && ok2) return std::min(u1, u2);
    if (ok2) return u2;
    return u1;  // valid, or in a gap: with the earlier offset the wall time lands after the gap
}

void zone_catalog::add(std::string name, zone_rules rules) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    lower_names_[lower] = name;
    zones_.insert_or_assign(std::move(name), std::move(rules));
}

const zone_rules* zone_catalog::find(std::string_view name) const {
    const auto it = zones_.find(name);
    return it == zones_.end() ? nullptr : &it->second;
}

std::optional<std::string> zone_catalog::canonical_name(std::string_view name) const {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    const auto it = lower_names_.find(lower);
    if (it == lower_names_.end()) return std::nullopt;
    return it->second;
}

}  // namespace rb
