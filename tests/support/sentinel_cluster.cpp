// sentinel_cluster: see sentinel_cluster.hpp.
#include "tests/support/sentinel_cluster.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace rb::test {

sentinel_cluster::sentinel_cluster() {
    primary = std::make_unique<redis_server>();
    redis_server_options r;
    r.replicaof = "127.0.0.1 " + std::to_string(primary->port());
    replica = std::make_unique<redis_server>(r);
    for (int i = 0; i < 3; ++i) {
        redis_sentinel_options o;
        o.master_name = master_name;
        o.primary_port = primary->port();
        sentinels.push_back(std::make_unique<redis_sentinel>(o));
    }
    auto met = [&] {
        for (auto& s : sentinels)
            if (s->known_sentinels() != 2 || s->known_replicas() != 1) return false;
        return true;
    };
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!met()) {
        if (std::chrono::steady_clock::now() > until)
            throw std::runtime_error("sentinel_cluster: the sentinels did not meet in 20 s: " + sentinels[0]->log());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

bool sentinel_cluster::all_name_primary(const redis_server& s) const {
    for (const auto& sentinel : sentinels)
        if (sentinel->primary() != address(s)) return false;
    return true;
}

std::string sentinel_cluster::agreed_primary() const {
    std::string agreed;
    for (const auto& sentinel : sentinels) {
        const std::string named = sentinel->primary();
        if (named.empty() || (!agreed.empty() && named != agreed)) return "";
        agreed = named;
    }
    return agreed;
}

std::string sentinel_cluster::sentinel_list() const {
    std::string list;
    for (const auto& s : sentinels) list += (list.empty() ? "" : ",") + s->address();
    return list;
}

}  // namespace rb::test
