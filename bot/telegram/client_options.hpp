// How the Bot API client reaches Telegram: root, token, connections, retries and flood limits.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "bot/telegram/rate_limits.hpp"

namespace rb {

class metrics_registry;

struct client_options {
    std::string api_root = "https://api.telegram.org";  // TELEGRAM_API_ROOT; http:// allowed (tests, local)
    std::string token;
    std::size_t max_idle_connections = 64;
    std::chrono::milliseconds request_timeout{10'000};  // one HTTP request; getUpdates adds its long-poll time
    int max_attempts = 4;                               // transient failures: tries in all
    int max_throttled = 3;                              // 429s honoured per call before giving it back
    std::chrono::milliseconds backoff_initial{250};
    std::chrono::milliseconds backoff_cap{8'000};
    rate_limits limits;
    metrics_registry* metrics = nullptr;  // telegram_calls_total{method,outcome} when set
};

}  // namespace rb
