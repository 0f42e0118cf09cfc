// Durable reminder timers in Redis, behind domain verbs. Every verb that touches more than one key is one Lua
// script (atomic), and every time comes from Redis's clock (TIME inside the scripts), never the bot's.
// wake_subscription (below) tells a dispatcher on any instance that an earlier reminder was scheduled.
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
#include "storage/redis_connection.hpp"

namespace rb {

class ack_batcher;

// Keys (p = prefix, default "rb:"):
//   <p>reminder:<id>     string "due_ms|created_ms|attempt|chat_id|text"   (id = owner:run_id:kind; text last)
//   <p>due               zset: id -> due epoch ms (Redis clock); waiting to be claimed
//   <p>lease             zset: id -> lease deadline epoch ms; claimed, being sent
//   <p>owner:<owner_id>  set of the owner's pending ids (due or leased)
//   <p>plan:<owner_id>   the current plan's basis (JSON, opaque here), 7 days
//   <p>sent:<id>         a delivered reminder's record, a day, so its buttons still work
//   <p>wake              pub/sub channel: schedule publishes the earliest newly added due ms
// A reminder is in exactly one of due and lease while its record exists.
//
// Redis Cluster: the scripts touch the record, both zsets and the owner set together, so these keys must
// share a slot. Every key is built from the prefix, and the scripts take the prefix as an argument and build
// record keys from it, so the move needs only a hash tag in the prefix: "rb:{0}:" puts everything in one slot
// (one shard holds all reminders). To spread load, use N prefixes "rb:{0}:" .. "rb:{N-1}:" chosen by
// owner_id mod N, one reminder_store per prefix, and a dispatcher that claims from each. See docs/storage.md.
//
// Claim protocol: claim_due takes, in one script, reminders whose lease expired (their dispatcher died) and then
// due ones (due <= TIME), at most `limit`, and moves each onto the lease zset scored TIME + lease. A reminder is
// therefore never held by two claimers at once; the holder acks (deletes) or retries (back onto due) it. If it
// dies, the lease expires and another claim takes it again with attempt + 1: at-least-once delivery.
class reminder_store {
public:
    reminder_store(redis_connection& redis, std::string prefix = "rb:");  // redis must outlive pending calls

    // Stores a plan (one script, all or nothing) in its mode (action.hpp): replace makes the owner's pending
    // reminders exactly this plan (due = TIME + offset; a reminder whose id exists with the same text keeps its
    // due time and attempt, so the same plan twice is a no-op; an empty plan cancels all) and keeps its basis;
    // edit changes only the text of what is still pending; replan moves what is pending to anchor + offset.
    // Publishes <p>wake.
    awaitable<void> schedule(const schedule_plan& plan);
    // The basis kept with the owner's current plan (plan_basis.hpp), or empty.
    awaitable<std::string> plan_basis(std::int64_t owner_id);

    // Up to `limit` (at most 1000) reminders, expired leases first, then due ones earliest first; each is leased until
    // TIME + lease. attempt counts earlier failed or lost sends; due_ms is the time it was due.
    awaitable<std::vector<reminder>> claim_due(std::size_t limit, std::chrono::milliseconds lease);

    // Delivered: deletes the record, its due/lease entries and owner index entry, and keeps a copy for a day
    // (<p>sent:<id>) so the ping's buttons still work. Acks from concurrent callers are group-committed: those
    // arriving while one ack script is in flight go out together in the next.
    awaitable<void> ack(const reminder& r);

    // Failed send: attempt + 1, due again at TIME + delay, off the lease. No-op if it was removed meanwhile.
    awaitable<void> retry_later(const reminder& r, std::chrono::milliseconds delay);

    // Earliest of due times and lease deadlines, on Redis's clock; nullopt when nothing is pending.
    awaitable<std::optional<std::int64_t>> next_due_ms();
    awaitable<std::int64_t> now_ms();  // Redis TIME in epoch ms

    // The owner's pending reminders (due or leased), earliest due first.
    awaitable<std::vector<reminder>> list_for_owner(std::int64_t owner_id);

    // Moves the due time to max(due, TIME) + by, so snoozing a reminder long in the past still delays it
    // from now and snoozing twice adds up. A leased reminder goes back onto due (its in-flight send may still
    // arrive). A delivered one (within a day) comes back at TIME + by. False if no such reminder of this owner.
    awaitable<bool> snooze(std::int64_t owner_id, const std::string& id, std::chrono::milliseconds by);

    // Done or skipped: deleted without sending (or, delivered, its copy cleared). False if no such reminder.
    awaitable<bool> finish(std::int64_t owner_id, const std::string& id);

    // Deletes all the owner's pending reminders; returns how many there were.
    awaitable<std::size_t> cancel_all(std::int64_t owner_id);

    const std::string& prefix() const noexcept { return prefix_; }

private:
    std::string key(std::string_view name) const;
    std::string owner_key(std::int64_t owner_id) const;
    std::string plan_key(std::int64_t owner_id) const;
    std::vector<std::string> zset_keys(std::int64_t owner_id) const;

    redis_connection& redis_;
    std::string prefix_;
    std::shared_ptr<ack_batcher> acks_;  // shared with its flush coroutine
};

// A subscription to <p>wake on a connection of its own (a subscribed connection cannot run other commands).
// next() returns the earliest due ms a schedule just added, on Redis's clock. After every (re)subscribe it
// returns 0 once: wakes may have been missed while disconnected, so the caller should re-read next_due_ms().
// It reconnects by itself with the same backoff as redis_connection; it never throws for a lost connection.
// The dispatcher polls anyway (about every second), so a lost wake costs at most one poll interval.
class wake_subscription {
public:
    wake_subscription(net::any_io_executor ex, redis_url url, std::string prefix = "rb:",
                      redis_options options = {});
    ~wake_subscription();  // stops
    wake_subscription(const wake_subscription&) = delete;
    wake_subscription& operator=(const wake_subscription&) = delete;

    // Waits for the next wake. Throws storage_errc::unavailable once stop() was called.
    // One waiter at a time; call it from one coroutine.
    awaitable<std::int64_t> next();
    bool subscribed() const noexcept;
    void stop();

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace rb
