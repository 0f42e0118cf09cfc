// A chat's (or, in groups, a runner's) settings: what the bot remembers about how to talk to them.
// Plain values; storage/ persists them as one hash per owner, handlers/ reads and changes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rb {

enum class distance_unit { km, mi };

// Local wall-clock window in which reminders other than eat-now are held back.
// start > end wraps midnight (22:00-07:00); start == end means no quiet hours.
struct quiet_hours {
    int start_minute = 22 * 60;
    int end_minute = 7 * 60;
    friend bool operator==(const quiet_hours&, const quiet_hours&) = default;
};

struct chat_settings {
    distance_unit units = distance_unit::km;
    bool units_set = false;  // false until the runner chose; a bare number ("did 12") then means miles
    std::string time_zone;   // IANA name, checked against the zone catalog; empty until the runner sets one
                             // (the bot then reckons in UTC and asks for the zone in its run replies)
    std::optional<quiet_hours> quiet = quiet_hours{};  // nullopt: the runner switched them off
    std::optional<double> weight_kg;
    bool active = true;  // false once the runner blocked the bot (403) or sent /stop
    std::string language = "en";
    friend bool operator==(const chat_settings&, const chat_settings&) = default;
};

}  // namespace rb
