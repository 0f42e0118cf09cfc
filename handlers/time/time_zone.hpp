// IANA time zones for the pure domain: a zone's rules (a cctz::time_zone: its transitions and the POSIX rule
// for instants past them, as Google's cctz reads them from the system's TZif files), local <-> UTC conversion
// and a name -> rules catalog. Nothing here reads files or the clock: bot/process/zone_loader fills the catalog at
// start with each zone's name and a loader, and a zone's rules are read the first time a runner's zone needs them
// (the tzdata files do not change while the bot runs, so this is a cache of fixed data, not a side effect
// handlers depend on); handlers only look offsets up in rules they are given.
#pragma once

#include <cctz/time_zone.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace rb {

// A zone's history of UTC offsets. Default-constructed it is UTC. Copies are cheap: cctz keeps one loaded
// copy of each zone for the process and a time_zone is a pointer to it.
class zone_rules {
public:
    zone_rules() = default;
    explicit zone_rules(cctz::time_zone zone) : zone_(zone) {}
    static zone_rules fixed(std::int32_t offset_s);

    std::chrono::seconds offset_at(std::int64_t utc_ms) const;
    const cctz::time_zone& zone() const { return zone_; }
    friend bool operator==(const zone_rules& a, const zone_rules& b) { return a.zone_ == b.zone_; }

private:
    cctz::time_zone zone_ = cctz::utc_time_zone();
};

// Local wall-clock milliseconds (epoch-based, as if local time were UTC) at a UTC instant.
std::int64_t to_local_ms(const zone_rules& zone, std::int64_t utc_ms);
// The UTC instant of a local wall time. In an overlap (clocks going back) the earlier instant; in a gap
// (clocks going forward) the wall time is pushed forward by the gap, as a wall clock would show it.
std::int64_t from_local_ms(const zone_rules& zone, std::int64_t local_ms);

// One zone's rules, loaded on first use. Loading all ~600 zones eagerly costs about 6 MB (cctz keeps every
// transition to 2037), while a bot's runners use a handful. Thread-safe; names that are links to one file share
// one lazy_zone, so it is read once.
class lazy_zone {
public:
    using loader = std::function<std::optional<zone_rules>()>;
    explicit lazy_zone(loader load) : load_(std::move(load)) {}
    explicit lazy_zone(zone_rules rules);
    // The rules, loading them the first time; nullptr if they could not be loaded (then never tried again).
    const zone_rules* get() const;

private:
    loader load_;
    mutable std::once_flag once_;
    mutable std::optional<zone_rules> rules_;
};

class zone_catalog {
public:
    void add(std::string name, zone_rules rules);
    void add(std::string name, std::shared_ptr<const lazy_zone> zone);
    // The rules of a zone by its exact name, loaded on first use; nullptr for an unknown name or an unreadable file.
    const zone_rules* find(std::string_view name) const;
    // The catalog's spelling of a name given in any letter case ("europe/london" -> "Europe/London"); nullopt for
    // an unknown name or one whose rules cannot be loaded.
    std::optional<std::string> canonical_name(std::string_view name) const;
    std::size_t size() const { return zones_.size(); }  // names known; their rules load on first use

private:
    std::map<std::string, std::shared_ptr<const lazy_zone>, std::less<>> zones_;
    std::map<std::string, std::string, std::less<>> lower_names_;
};

}  // namespace rb
