// The one path every incoming update takes, whatever carried it (webhook, long polling, terminal chat):
// parse, de-duplicate, decide, store, then hand the outbound calls to the Telegram client.
#pragma once

#include <string>
#include <string_view>

#include "storage/net.hpp"

namespace rb {

enum class pipeline_status {
    handled,      // stored; answer 200
    duplicate,    // seen before; answer 200, nothing done
    ignored,      // a kind of update the bot does not handle; answer 200, counted
    bad_request,  // not JSON or not an Update; answer 400 with reason
    dead_letter,  // an Update that can never succeed; kept in the dead-letter list, answer 200
    unavailable,  // Redis unreachable; answer 503 so Telegram re-sends
};

struct pipeline_result {
    pipeline_status status = pipeline_status::handled;
    std::string reason;  // for bad_request / dead_letter / unavailable: short, safe to log and return
};

class update_pipeline;  // defined in update_pipeline.cpp's companion header once storage lands

}  // namespace rb
