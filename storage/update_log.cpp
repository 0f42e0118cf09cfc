// update_log: de-duplication keys with a 24 h expiry and a capped dead-letter list, in argv-form commands.
// The dead letter's at_ms is the bot's clock: it is only for the operator reading the list, never compared.
#include "storage/update_log.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

namespace rb {

update_log::update_log(redis_connection& redis, std::string prefix) : redis_(redis), prefix_(std::move(prefix)) {}

awaitable<bool> update_log::claim(std::int64_t update_id) {
    auto reply = co_await redis_.command("SET", prefix_ + "seen:" + std::to_string(update_id), "1", "NX", "EX",
                                         std::to_string(seen_ttl_s));
    co_return !reply.is_nil();
}

awaitable<void> update_log::release(std::int64_t update_id) {
    co_await redis_.command("DEL", prefix_ + "seen:" + std::to_string(update_id));
}

awaitable<void> update_log::dead_letter(std::int64_t update_id, std::string_view body, std::string_view reason) {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    nlohmann::json entry{{"update_id", update_id},
                         {"reason", std::string(reason)},
                         {"body", std::string(body)},
                         {"at_ms", std::chrono::duration_cast<std::chrono::milliseconds>(now).count()}};
    auto text = entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    auto key = prefix_ + "dead";
    std::vector<std::vector<std::string>> batch;
    batch.push_back(make_argv("LPUSH", key, std::move(text)));
    batch.push_back(make_argv("LTRIM", key, "0", std::to_string(dead_letter_cap - 1)));
    auto replies = co_await redis_.call_batch(std::move(batch));
    for (const auto& r : replies) r.check();
}

}  // namespace rb
