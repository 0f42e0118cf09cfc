// The update ids this process saw committed, the most recent ones, so a re-send of one is answered as a duplicate
// without a round trip to Redis. Telegram re-sends an update when its answer came late or not at all, and with one
// instance the re-send comes back here; a duplicate then costs a parse and a lookup instead of a Redis read.
// Only ids whose commit is known to have happened go in (this process committed them, or Redis said "seen"), so a
// hit is always right; a miss asks Redis as before, which is what another instance's commit needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace rb {

class committed_updates {
public:
    // Holds at most `capacity` ids; the oldest is forgotten first (8 bytes an id plus the set's node).
    explicit committed_updates(std::size_t capacity = 65536);

    bool contains(std::int64_t update_id) const;
    void add(std::int64_t update_id);

private:
    mutable std::mutex mutex_;  // sessions of both worker threads ask at once
    std::unordered_set<std::int64_t> ids_;
    std::vector<std::int64_t> order_;  // a ring, oldest at next_ once full
    std::size_t next_ = 0;
    std::size_t capacity_;
};

}  // namespace rb
