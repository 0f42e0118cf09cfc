// The flood limits the rate_limiter enforces (defaults: Telegram's own, about 1/s per chat and 30/s in all).
#pragma once

#include <chrono>

namespace rb {

struct rate_limits {
    bool enabled = true;                            // off for benchmarks: 429 pauses still apply
    double per_chat_per_second = 1.0;               // <= 0: no per-chat spacing
    double global_per_second = 30.0;                // <= 0: no global spacing
    std::chrono::milliseconds normal_horizon{500};  // how far ahead a normal-priority caller may hold a global slot
};

}  // namespace rb
