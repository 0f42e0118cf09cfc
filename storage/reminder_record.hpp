// Internal to storage/: a pending record as the scripts store it, "due|created|attempt|chat|lane|text" (text last,
// so it may hold '|'), read back into a reminder. Owner, run and kind come from the id (keys.hpp).
#pragma once

#include <optional>
#include <string_view>

#include "handlers/plans/reminder.hpp"

namespace rb {

// nullopt when the id or the record does not parse: the caller quarantines it rather than failing a batch.
std::optional<reminder> parse_reminder_record(std::string_view id, std::string_view record);

}  // namespace rb
