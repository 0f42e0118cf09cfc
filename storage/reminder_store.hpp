// The dispatcher's side of storage: claim what is due (replies in the outbox and reminders), then settle each
// claim by its outcome. Every time comes from Redis's clock (TIME inside the scripts), never the bot's, so
// instances with skewed clocks agree on when something is due. Keys and records: keys.hpp.
//
// Claim protocol: claim_due takes, in order, expired leases (their dispatcher died or stalled), then due replies,
// urgent reminders and the rest (delivery_policy.hpp's lanes), and moves each onto the lease zset scored by its
// deadline. That score is the claim's token: ack, drop, hand_back and renew act only while it still holds, and a
// snooze, re-plan, /cancel, /stop or another instance's re-claim changes or removes it. So a reminder is never held
// by two claimers at once, and whatever changed it since the claim wins over a late ack. A claimer that dies
// leaves its lease to expire; the next claim takes it again (at-least-once delivery).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "handlers/action.hpp"
#include "handlers/plans/reminder.hpp"
#include "net/asio.hpp"
#include "storage/keys.hpp"
#include "storage/redis_connection.hpp"
#include "storage/update_store.hpp"

namespace rb {

class settle_batcher;

// What one claim took, and Redis's clock when it ran: the claim script's TIME (its lease tokens are that plus the
// lease), or the candidates' when nothing was ready. A claimer needs the clock anyway (for lateness and for
// what has gone stale), and this saves it a TIME round trip per claim.
struct claim_batch {
    std::vector<reminder> reminders;
    std::int64_t now_ms = 0;
};

// The dispatcher's view before it sleeps: Redis's clock and the earliest due time or lease deadline, read in one
// round trip.
struct due_outlook {
    std::int64_t now_ms = 0;
    std::optional<std::int64_t> next_due_ms;  // nullopt when nothing is pending
};

class reminder_store {
public:
    reminder_store(redis_connection& redis, redis_keys keys);  // redis must outlive pending calls

    // Up to `limit` (at most 1000) claims, expired leases first, then the lanes in order, earliest first within a
    // lane; each leased until TIME + lease, its token in lease_token. Two round trips: the ids ready, then the
    // claim itself with every owner hash it reads declared. Records that do not parse are quarantined.
    // later_limit caps what the last lane (reminders that can wait) may take, so a claimer whose send slots are
    // full of those can still take replies and urgent reminders.
    awaitable<claim_batch> claim_due_batch(std::size_t limit, std::chrono::milliseconds lease,
                                           std::size_t later_limit = 1000);
    awaitable<std::vector<reminder>> claim_due(std::size_t limit, std::chrono::milliseconds lease,
                                               std::size_t later_limit = 1000);  // the reminders alone

    // Right before a send: the claim still holds, so it is extended to TIME + lease and r.lease_token updated.
    // False when it no longer holds (snoozed, cancelled, re-planned, re-claimed): do not send.
    awaitable<bool> renew(reminder& r, std::chrono::milliseconds lease);

    // Delivered: the record goes; a reminder (not a reply) leaves a copy for a day so its buttons still work.
    // Dropped: the record goes, no copy. Both only while the token holds (returns false otherwise) and both are
    // group-committed: calls arriving while one settle script is in flight go out together in the next.
    awaitable<bool> ack(const reminder& r);
    awaitable<bool> drop(const reminder& r);

    // Back onto its lane, due at TIME + delay; counts one more attempt only when the send failed. False when the
    // claim no longer holds.
    awaitable<bool> hand_back(const reminder& r, std::chrono::milliseconds delay, bool count_attempt);

    // Earliest of due times and lease deadlines, on Redis's clock; nullopt when nothing is pending.
    awaitable<std::optional<std::int64_t>> next_due_ms();
    awaitable<std::int64_t> now_ms();  // Redis TIME in epoch ms
    awaitable<due_outlook> outlook();  // both of the above, one round trip

    // Conveniences over update_store for tools and tests: one action committed on its own (no update id).
    awaitable<void> schedule(const schedule_plan& plan);
    awaitable<std::vector<reminder>> list_for_owner(std::int64_t owner_id);

    const redis_keys& keys() const noexcept { return keys_; }

private:
    redis_connection& redis_;
    redis_keys keys_;
    update_store updates_;
    std::shared_ptr<settle_batcher> settles_;  // shared with its flush coroutine
};

}  // namespace rb
