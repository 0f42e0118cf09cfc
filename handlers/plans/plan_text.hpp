// The words of a recovery plan: the summary sent at once and the text of each reminder, rendered from
// templates with the runner's unit, weight and time zone. Pure; numbers come from plan.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "handlers/plans/plan.hpp"
#include "handlers/plans/reminder.hpp"
#include "handlers/texts/meals.hpp"
#include "handlers/texts/templates.hpp"

namespace rb {

// "15 miles", "1 mile", "21.1 km": in the unit the runner used.
std::string distance_text(const run_report& run);
// The same before a noun: "15-mile", "21.1 km" ("your 15-mile long run").
std::string distance_adjective(const run_report& run);
// "long run", "tempo run", "race", ...
std::string run_kind_label(run_kind kind);
// The run as the headline names it: "15-mile long run", "70-minute run", "2.5-hour long run", "run".
std::string run_name(const run_report& run);
// "70 kg", or "154 lb" for a runner who counts in miles.
std::string weight_text(double weight_kg, distance_unit units);
// A number with at most one decimal, without a trailing ".0": 2 -> "2", 2.45 -> "2.5".
std::string short_number(double value);
// A zone as a runner reads it: its IANA name, but "UTC+06:00" for a fixed offset (Etc/GMT-6, whose POSIX sign is
// the inverse of what it means) and "UTC" for none.
std::string zone_text(const std::string& zone_name, const zone_rules& rules, std::int64_t now_ms);
// "UTC+05:30", "UTC-03:00".
std::string utc_offset_text(std::chrono::seconds offset);
// "08:00" on a local wall clock (local_ms as from to_local_ms).
std::string clock_text(std::int64_t local_ms);
// When a step happens, for the summary: "now", "in 20 min", "at 21:15", "tomorrow 08:00", "Sat 08:00".
std::string when_text(std::chrono::milliseconds offset, std::int64_t now_ms, const zone_rules& zone);

std::vector<planned_reminder> render_reminders(const recovery_plan& plan, const chat_settings& settings,
                                               const template_set& templates, const meal* idea);

// What the summary says besides the plan itself.
struct summary_notes {
    bool replaces_previous = false;  // another plan was pending and this one replaces it
    bool unit_guessed = false;       // a bare number read as miles in a chat that never chose its units
    bool weight_saved = false;       // the message gave the runner's weight ("weigh 65kg btw")
};

std::string render_plan_summary(const recovery_plan& plan, const run_report& run, const chat_settings& settings,
                                std::int64_t now_ms, const zone_rules& zone, const template_set& templates,
                                const summary_notes& notes);

}  // namespace rb
