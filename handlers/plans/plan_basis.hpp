// What a plan was made from, kept beside it so the plan can be made again when the runner changes their
// time zone or quiet hours: the run as understood and the moment it was reported. JSON, written and read
// here only; storage keeps it as an opaque string. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "handlers/understanding/message_parser.hpp"

namespace rb {

struct plan_basis {
    std::string run_id;
    std::int64_t chat_id = 0;
    std::int64_t reported_ms = 0;  // "now" when the plan was made
    run_report run;
    std::string meal;  // the eat-now ping's meal idea (a meal's name), so a re-plan keeps it
};

std::string write_plan_basis(const plan_basis& basis);
// nullopt for anything that is not a basis this version wrote (an old or damaged record): no re-plan then.
std::optional<plan_basis> read_plan_basis(const std::string& json_text);

}  // namespace rb
