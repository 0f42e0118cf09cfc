// What one update reads and writes, each in one round trip. load() fetches the owner's state and Redis's clock in
// one pipeline; commit() applies the update's effects and marks it seen in one script, so an update is handled
// exactly once: a commit either happens whole (and a re-send finds the update seen) or not at all (and a re-send
// is handled). A commit that timed out may still run when a stalled Redis resumes; the re-send then finds it seen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/action.hpp"
#include "handlers/plans/reminder.hpp"
#include "handlers/settings.hpp"
#include "net/asio.hpp"
#include "storage/keys.hpp"
#include "storage/redis_connection.hpp"

namespace rb {

struct owner_snapshot {
    bool seen = false;                    // the update was committed before (only when load was given its id)
    chat_settings settings;               // defaults when none are stored
    std::vector<reminder> pending;        // pending reminders (not replies), earliest due first
    std::string plan_basis;               // the current plan's basis, or empty
    std::int64_t now_ms = 0;              // Redis TIME: the one clock every decision and due time uses
    std::vector<std::string> unreadable;  // ids of records that do not parse; quarantine them with the commit
};

// One outbound call stored in the outbox with the update's other effects. kind is reply_kind, edit_kind or
// toast_kind (handlers/delivery/delivery_policy.hpp); call is opaque here (bot/ encodes the Bot API call).
struct outbound_entry {
    std::string kind;
    std::int64_t chat_id = 0;
    std::string call;
};

enum class commit_status { applied, duplicate };

struct commit_result {
    commit_status status = commit_status::applied;
    std::optional<std::int64_t> earliest_due_ms;  // the earliest due time the commit added (outbox or reminders)
};

class update_store {
public:
    update_store(redis_connection& redis, redis_keys keys);  // redis must outlive pending calls

    // update_id: also tell whether that update was committed before.
    awaitable<owner_snapshot> load(std::optional<std::int64_t> update_id, std::int64_t owner_id);

    // Applies the storage actions (outbound ones are ignored here: they come as outbox entries), stores the outbox
    // entries and quarantines the unreadable ids, all for one owner, atomically. With an update_id, the update is
    // marked seen in the same step, and a second commit of it is a duplicate that changes nothing.
    // Throws std::invalid_argument for actions of another owner or malformed ones (nothing is written then).
    awaitable<commit_result> commit(std::optional<std::int64_t> update_id, std::int64_t owner_id,
                                    const std::vector<action>& actions, const std::vector<outbound_entry>& outbox = {},
                                    const std::vector<std::string>& quarantine = {});

    // Keeps an update that can never succeed: a JSON entry {update_id, reason, body, at_ms} at the head of
    // <p>dead, the list capped in count and each body in bytes.
    awaitable<void> dead_letter(std::int64_t update_id, std::string_view body, std::string_view reason);

    const redis_keys& keys() const noexcept { return keys_; }

    static constexpr std::int64_t seen_ttl_s = 86400;
    static constexpr std::int64_t dead_letter_count = 1000;
    static constexpr std::size_t dead_letter_body_bytes = 16 * 1024;

private:
    redis_connection& redis_;
    redis_keys keys_;
};

}  // namespace rb
