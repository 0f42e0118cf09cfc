// `recovery-bot plan --text "finished 15 miles"`: what the bot understood and would do, as JSON or text,
// without Telegram or Redis. Built by running decide() on a synthetic private-chat update: the same logic.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "handlers/settings.hpp"
#include "handlers/texts/templates.hpp"
#include "handlers/time/time_zone.hpp"

namespace rb {

// {"intent": "run_report"|"question"|"meal_request"|"smalltalk"|"unknown",
//  "urgent": true for a medical red flag (then "red_flag" names it, and nothing is planned),
//  "run": {"distance_km" (null for a run given by time only), "unit", "kind", "plausible", "duration_min",
//          "duration_s", "estimated_distance_km", "stopped_early", "ended_minutes_ago", "ended_by_local_hour", "parts"}
//          (run reports),
//  "topic" (what a question, or the rest of a run report, asks about), "muscle" (soreness),
//  "filters" ({name: bool} for every meal filter), "sport" (another sport reported), "weight_kg" (given in
//  the message), "command" (for "/..." text), "reply": the text sent,
//  "reminders": [{"kind", "offset_minutes", "text"}], "run_id" when a plan would be scheduled}
nlohmann::json explain(std::string_view text, const chat_settings& settings, std::int64_t now_ms,
                       const template_set& templates, const zone_catalog& zones);

// The same as readable plain text: HTML tags dropped, entities decoded, reminders with their offsets.
std::string explain_text(const nlohmann::json& explained);

}  // namespace rb
