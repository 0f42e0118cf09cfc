// A reminder: one ping of a recovery plan, as handlers/ plans it and storage/ keeps it.
// Due times are epoch milliseconds on Redis's clock; handlers only ever speak in offsets from "now".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace rb {

// One ping as planned, before it is stored. offset counts from the moment the plan is stored.
struct planned_reminder {
    std::string kind;  // "eat", "hydrate", "roll", "ice", "morning_roll", "epsom", ...
    std::chrono::milliseconds offset{0};
    std::string text;  // rendered, HTML-escaped, ready to send
    friend bool operator==(const planned_reminder&, const planned_reminder&) = default;
};

// A stored reminder. id is deterministic: "<owner_id>:<run_id>:<kind>", so a plan stored twice is stored once.
struct reminder {
    std::string id;
    std::int64_t chat_id = 0;   // where the ping is sent
    std::int64_t owner_id = 0;  // whose plan it is (== chat_id in private chats; the runner's user id in groups)
    std::string kind;
    std::string text;
    std::string run_id;
    int attempt = 0;
    std::int64_t created_ms = 0;
    std::int64_t due_ms = 0;
    std::int64_t lease_token = 0;  // set by a claim: ack and retry act only while the claim still holds
    friend bool operator==(const reminder&, const reminder&) = default;
};

}  // namespace rb
