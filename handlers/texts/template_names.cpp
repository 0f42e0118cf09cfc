// The names of every template the handlers render. template_set::load refuses to start without any of them,
// so a reply can never name a template that is not there. Keep in step with the files in templates/.
#include "handlers/texts/templates.hpp"

namespace rb {

const std::vector<std::string>& required_templates() {
    static const std::vector<std::string> names = {
        // replies
        "welcome",
        "help",
        "fallback",
        "greeting",
        "thanks",
        "acknowledged",
        "about",     // "who are you", above the help text
        "farewell",  // "bye", "good night"
        "personal_fuel",
        "non_text",
        "implausible_distance",
        "future_run",
        "other_sport",
        "ask_timezone",
        "plan_step",
        "urgent/general",
        "reminders_stopped_for_help",
        "plan_summary",
        "meal",
        "meal_none",
        "meal_unknown_filter",
        "unavailable",
        // reminders, one per planned_reminder kind
        "reminder/eat",
        "reminder/hydrate",
        "reminder/roll",
        "reminder/ice",
        "reminder/morning_roll",
        "reminder/epsom",
        "reminder/sleep",
        // answers to questions, by topic
        "topic/eating",
        "topic/carb_protein_ratio",
        "topic/protein",
        "topic/hydration",
        "topic/foam_rolling",
        "topic/massage",
        "topic/cold_therapy",
        "topic/epsom_salts",
        "topic/heat_rubs",
        "topic/rewards",
        "topic/rest",
        "topic/general",
        "topic/unknown",
        // soreness, by muscle group
        "soreness/calves",
        "soreness/quads",
        "soreness/hamstrings",
        "soreness/glutes",
        "soreness/it_band",
        "soreness/hips",
        "soreness/shins",
        "soreness/feet",
        "soreness/knees",
        "soreness/back",
        "soreness/general",
        "soreness/swelling",  // any part that is swollen ("swollen ankle"), before its group's answer
        // commands
        "command/usage_units",
        "command/usage_timezone",
        "command/usage_quiet",
        "command/usage_weight",
        "command/weight_which",
        "command/usage_meal",
        "command/units_set",
        "command/timezone_set",
        "command/quiet_set",
        "command/quiet_off",
        "command/weight_set",
        "command/weight_off",
        "command/plan_list",
        "command/plan_empty",
        "command/cancelled",
        "command/cancel_nothing",
        "command/stopped",
        "command/unknown",
        // inline buttons on reminders
        "callback/done",
        "callback/snoozed",
        "callback/skipped",
        "callback/not_yours",
        "callback/malformed",
        "callback/expired",
    };
    return names;
}

}  // namespace rb
