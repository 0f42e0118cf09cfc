// How the dispatcher claims, holds and sends: batch size, lease, poll cap, sends in flight, retries.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>

#include "handlers/delivery/delivery_policy.hpp"
#include "handlers/plans/reminder.hpp"

namespace rb {

class metrics_registry;

struct dispatcher_options {
    std::size_t batch_size = 256;                 // most claims per round trip
    std::chrono::milliseconds lease{30'000};      // a claim holds this long; renewed to this just before each send
    std::chrono::milliseconds poll_cap{1'000};    // the longest sleep: covers lost wakes and other instances
    std::size_t max_in_flight = 64;               // chats sending at once; a hanging chat holds one of them
    retry_policy retries;                         // backoff between failed sends, and the probe while paused
    std::chrono::milliseconds stop_grace{5'000};  // how long stop waits for sends in flight
    metrics_registry* metrics = nullptr;
    // Called on the dispatcher's strand after each delivered message (tests and the benchmark).
    std::function<void(const reminder&, std::chrono::microseconds lateness)> on_sent;
};

}  // namespace rb
