// Offset look-up and local <-> UTC conversion through cctz, and the zone catalog. Rules in, numbers out:
// loading the zones from /usr/share/zoneinfo is bot/process/zone_loader's job, never this file's.
#include "handlers/time/time_zone.hpp"

#include <algorithm>
#include <cctype>

#include "handlers/time/civil_time.hpp"

namespace rb {
namespace {

using sys_seconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

sys_seconds seconds_at(std::int64_t epoch_s) { return sys_seconds(std::chrono::seconds(epoch_s)); }

std::string lower_case(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower;
}

}  // namespace

zone_rules zone_rules::fixed(std::int32_t offset_s) {
    return zone_rules(cctz::fixed_time_zone(std::chrono::seconds(offset_s)));
}

std::chrono::seconds zone_rules::offset_at(std::int64_t utc_ms) const {
    return std::chrono::seconds(zone_.lookup(seconds_at(civil::floor_div(utc_ms, 1000))).offset);
}

std::int64_t to_local_ms(const zone_rules& zone, std::int64_t utc_ms) {
    return utc_ms + std::chrono::milliseconds(zone.offset_at(utc_ms)).count();
}

// cctz's `pre` is the instant the wall time gives under the offset in force before the transition: in an
// overlap the earlier instant, in a gap the wall time pushed forward by the gap. Milliseconds ride along.
std::int64_t from_local_ms(const zone_rules& zone, std::int64_t local_ms) {
    const std::int64_t local_s = civil::floor_div(local_ms, 1000);
    const cctz::civil_second wall = cctz::civil_second(1970, 1, 1, 0, 0, 0) + local_s;
    const auto found = zone.zone().lookup(wall);
    return found.pre.time_since_epoch().count() * 1000 + (local_ms - local_s * 1000);
}

lazy_zone::lazy_zone(zone_rules rules) {
    std::call_once(once_, [&] { rules_ = rules; });
}

const zone_rules* lazy_zone::get() const {
    std::call_once(once_, [this] {
        if (load_) rules_ = load_();
    });
    return rules_ ? &*rules_ : nullptr;
}

void zone_catalog::add(std::string name, zone_rules rules) { add(std::move(name), std::make_shared<lazy_zone>(rules)); }

void zone_catalog::add(std::string name, std::shared_ptr<const lazy_zone> zone) {
    lower_names_[lower_case(name)] = name;
    zones_.insert_or_assign(std::move(name), std::move(zone));
}

const zone_rules* zone_catalog::find(std::string_view name) const {
    const auto it = zones_.find(name);
    return it == zones_.end() ? nullptr : it->second->get();
}

std::optional<std::string> zone_catalog::canonical_name(std::string_view name) const {
    const auto it = lower_names_.find(lower_case(name));
    if (it == lower_names_.end() || find(it->second) == nullptr) return std::nullopt;  // a zone a runner can use
    return it->second;
}

}  // namespace rb
