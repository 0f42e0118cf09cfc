// Per-owner chat settings as one Redis hash <p>settings:<owner_id>; reads are one round trip (HGETALL).
// forget and deactivate also drop the owner's reminders, in one script, so either all of it happens or none.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "handlers/settings.hpp"
#include "net/asio.hpp"
#include "storage/redis_connection.hpp"

namespace rb {

// Hash fields: units ("km"|"mi"), units_set ("0"|"1"), tz, quiet ("off" | "<start_min>-<end_min>"),
// weight_kg (absent when unknown), active ("0"|"1"), lang. Unknown fields are ignored and a field that does not
// parse keeps its default, so an old or hand-edited hash never makes load() fail.
class settings_store {
public:
    settings_store(redis_connection& redis, std::string prefix = "rb:");

    awaitable<chat_settings> load(std::int64_t owner_id);  // defaults when nothing is stored
    awaitable<void> save(std::int64_t owner_id, const chat_settings& settings);  // replaces the whole hash
    awaitable<void> forget(std::int64_t owner_id);      // settings and all reminders, atomically
    awaitable<void> deactivate(std::int64_t owner_id);  // active = false and reminders cancelled, atomically

private:
    std::string settings_key(std::int64_t owner_id) const;
    std::vector<std::string> owner_keys(std::int64_t owner_id) const;

    redis_connection& redis_;
    std::string prefix_;
};

}  // namespace rb
