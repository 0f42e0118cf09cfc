// Every Redis key recovery-bot uses, named in one place. The prefix comes from REDIS_PREFIX ("rb:" by default);
// for Redis Cluster give it a hash tag ("rb:{0}:") so every key lands in one slot (see docs/storage.md).
//
//   <p>seen:<update_id>  string "1", 24 h: the update was committed (all its effects are stored)
//   <p>dead              list of dead letters (JSON, newest first; capped in count, each body capped in bytes)
//   <p>settings:<owner>  hash: a runner's settings (settings_codec.hpp names the fields)
//   <p>plan:<owner>      string, 7 days: the basis of the owner's current plan (handlers/plans/plan_basis.hpp)
//   <p>owner:<owner>     hash: everything pending for the owner. Field <id> -> "due|created|attempt|chat|lane|text"
//                        for reminders and outbound replies (the outbox; text is then the call, as JSON), and
//                        "sent:<id>" -> "<sent_ms>|<record>" for a delivered reminder, kept a day for its buttons
//   <p>due:<lane>        zset per lane (0 replies, 1 urgent, 2 later): id -> when to try it, epoch ms (Redis clock):
//                        its due time, or after a failed or throttled send the retry time. The record keeps
//                        the due time, from which lateness and staleness count
//   <p>lease             zset: id -> lease deadline epoch ms; claimed, being sent. The score is the claim's token
//   <p>quarantine        list: records that could not be read, set aside so they never stall a claim
//   <p>wake              pub/sub channel: a commit publishes the earliest due time it added
// A pending id is in exactly one of the due lanes and the lease while its record exists.
// An id is "<owner>:<run>:<kind>", so its owner's hash is known from the id alone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rb {

// REDIS_PREFIX's default; two deployments sharing one Redis give each its own.
inline constexpr std::string_view default_key_prefix = "rb:";

class redis_keys {
public:
    explicit redis_keys(std::string prefix = std::string(default_key_prefix)) : p_(std::move(prefix)) {}

    const std::string& prefix() const noexcept { return p_; }
    std::string seen(std::int64_t update_id) const { return p_ + "seen:" + std::to_string(update_id); }
    std::string dead() const { return p_ + "dead"; }
    std::string settings(std::int64_t owner) const { return p_ + "settings:" + std::to_string(owner); }
    std::string plan(std::int64_t owner) const { return p_ + "plan:" + std::to_string(owner); }
    std::string owner(std::int64_t owner) const { return p_ + "owner:" + std::to_string(owner); }
    std::string due(int lane) const { return p_ + "due:" + std::to_string(lane); }
    std::string lease() const { return p_ + "lease"; }
    std::string quarantine() const { return p_ + "quarantine"; }
    std::string wake() const { return p_ + "wake"; }

private:
    std::string p_;
};

// The parts of an id "<owner>:<run>:<kind>" (the kind has no ':'); false when it is not one of ours.
struct reminder_id_parts {
    std::int64_t owner = 0;
    std::string_view run;
    std::string_view kind;
};
bool split_reminder_id(std::string_view id, reminder_id_parts& parts);

}  // namespace rb
