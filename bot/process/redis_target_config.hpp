// Where the bot's Redis is, from its settings: REDIS_URL, the TLS files for rediss://, REDIS_SENTINELS and
// REDIS_MASTER_NAME. One place, so `serve` and `check-config` read them the same way.
#pragma once

#include <optional>
#include <string>

#include "bot/process/config.hpp"
#include "bot/process/private_redis.hpp"
#include "storage/redis_target.hpp"

namespace rb {

// Builds the target for `url` (REDIS_URL, or a stand-in when only sentinels are given). Reads and checks the TLS
// files. Throws config_error naming the setting at fault, never a password.
redis_target redis_target_for(const config& cfg);

// As above; when neither REDIS_URL nor REDIS_SENTINELS is set, starts a private redis-server into `local` first.
redis_target redis_target_from(const config& cfg, std::optional<private_redis>& local);

}  // namespace rb
