// A primary, one replica and three sentinels (quorum 2) on loopback, for failover tests. The constructor returns
// once every sentinel knows the other two and the replica: they find each other through the primary's hello
// messages (every 2 s), and a failover needs the quorum to know them all.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/redis_sentinel.hpp"
#include "tests/support/redis_server.hpp"

namespace rb::test {

struct sentinel_cluster {
    static constexpr const char* master_name = "rbprimary";

    sentinel_cluster();  // throws std::runtime_error with a sentinel's log when they have not met within 20 s

    std::string address(const redis_server& s) const { return "127.0.0.1:" + std::to_string(s.port()); }
    std::string sentinel_list() const;  // "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3", as REDIS_SENTINELS takes it
    // True when every sentinel, not only a majority, names s as the primary: a failover is over everywhere. A test
    // that restarts a killed primary empty (no persistence) waits for this first: a sentinel still holding the old
    // configuration would make the promoted replica a replica of the empty one and the resync would wipe it
    // (Redis's own hazard; docs/operations.md, "Sentinel").
    bool all_name_primary(const redis_server& s) const;
    // The address every sentinel names as the primary, or "" while they disagree or one does not answer. Under load
    // a second failover may follow the first (a sentinel misses the new primary's PINGs for down-after, 1 s, and
    // promotes the restarted old one): a test that checks who the bots follow asks this, not a fixed server.
    std::string agreed_primary() const;

    std::unique_ptr<redis_server> primary, replica;
    std::vector<std::unique_ptr<redis_sentinel>> sentinels;
};

}  // namespace rb::test
