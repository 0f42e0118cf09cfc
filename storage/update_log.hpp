// Telegram update de-duplication and the dead-letter list.
// claim() before handling, release() when handling failed (so the re-sent update is handled, not dropped).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/asio.hpp"
#include "storage/redis_connection.hpp"

namespace rb {

// Keys: <p>seen:<update_id> (string "1", expires after 24 h), <p>dead (list, newest first, capped at 1000).
class update_log {
public:
    update_log(redis_connection& redis, std::string prefix = "rb:");

    // SET <p>seen:<id> 1 NX EX 86400: true if this is the first time the update is seen.
    awaitable<bool> claim(std::int64_t update_id);
    // DEL <p>seen:<id>: handling failed, let Telegram's re-send be handled.
    awaitable<void> release(std::int64_t update_id);
    // Keeps an update that can never succeed: LPUSH a JSON entry {update_id, reason, body, at_ms} + LTRIM 1000.
    awaitable<void> dead_letter(std::int64_t update_id, std::string_view body, std::string_view reason);

    static constexpr std::int64_t seen_ttl_s = 86400;
    static constexpr std::int64_t dead_letter_cap = 1000;

private:
    redis_connection& redis_;
    std::string prefix_;
};

}  // namespace rb
