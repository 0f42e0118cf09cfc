// Quiet hours: a reminder whose due time falls inside the runner's local quiet window waits for its end.
// Pure: "now" and the zone's rules are passed in. The eat-now reminder is never held back.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "handlers/settings.hpp"
#include "handlers/time/time_zone.hpp"

namespace rb {

// True when a local minute of the day (0..1439) lies inside the window; the window's end is not inside.
bool in_quiet_window(int minute_of_day, const quiet_hours& quiet);

// Reminders held by quiet hours are spread over the first minutes after the window ends, so the reminders of
// everyone in one time zone do not all fall due at the same instant at 07:00 (Telegram sends about 30 messages a
// second in all; a held backlog would drain at that rate while replies wait). The spread is whole minutes, the
// same for every step of one plan or snooze (their order holds), and derived from the moment the plan is made,
// which is as random across runners as their messages are: pure, and the same input gives the same spread.
inline constexpr int morning_spread_minutes = 20;
std::chrono::minutes morning_spread(std::int64_t now_ms);

// The offset from now_ms at which a reminder of `kind` planned for now_ms + offset should really fire:
// unchanged outside quiet hours (or when they are off, or for "eat"), else the end of the quiet window
// in local time, computed with the zone's offset at that moment (so a DST change in the night is right),
// plus `spread`.
std::chrono::milliseconds shift_for_quiet_hours(std::int64_t now_ms, std::chrono::milliseconds offset,
                                                const zone_rules& zone, const std::optional<quiet_hours>& quiet,
                                                std::string_view kind, std::chrono::minutes spread = {});

// "22:00-07:00", "23-6", "22:30-06:30", "11pm-6am", "23to6" (lower case, no spaces) -> quiet_hours; nullopt
// for anything else (24:00 is not a time; equal ends are rejected).
std::optional<quiet_hours> parse_quiet_window(std::string_view text);
// "22:00-07:00"
std::string format_quiet_window(const quiet_hours& quiet);

}  // namespace rb
