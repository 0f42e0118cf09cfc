// How the executor applies effects: the demo clock (TIME_SCALE), metrics, and who to tell of new due times.
#pragma once

#include <cstdint>
#include <functional>

namespace rb {

class metrics_registry;

struct executor_options {
    // Demo speed: reminder offsets and snoozes are divided by it, so a 1-hour plan plays out in 1 h / scale. Only the
    // planned offsets change; Redis's clock, retries, leases and staleness stay real time.
    double time_scale = 1.0;
    metrics_registry* metrics = nullptr;
    // Called after a commit added something due (a reply now, or a reminder later), with its due ms (Redis clock):
    // this instance's dispatcher wakes for it at once. Other instances learn it from the wake channel.
    std::function<void(std::int64_t due_ms)> on_due;
};

}  // namespace rb
