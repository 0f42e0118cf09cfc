// Internal to storage/: chat_settings <-> the fields of <p>settings:<owner>. Fields: units ("km"|"mi"),
// units_set ("0"|"1"), tz, quiet ("off" | "<start_min>-<end_min>"), weight_kg (absent when unknown), active
// ("0"|"1"), lang. Reading is lenient on purpose: an unknown field is ignored and one that does not parse keeps its
// default, so a hash written by an older version or by hand never makes a chat unusable.
#pragma once

#include <string>
#include <vector>

#include "handlers/settings.hpp"
#include "storage/redis_value.hpp"

namespace rb {

chat_settings settings_from_hash(const redis_value& hgetall_reply);
std::vector<std::string> settings_to_fields(const chat_settings& settings);  // name, value, name, value, ...

}  // namespace rb
