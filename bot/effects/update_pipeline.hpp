// The one path every incoming update takes, whatever carried it (webhook, long polling, terminal chat):
// parse, read the owner's state (one round trip), decide (handlers/), commit (one script: the effects, the replies
// into the outbox and "seen", all or nothing). The order is the guarantee: what an update changes, its replies
// included, is in Redis before the caller is told "handled"; the dispatcher sends the replies from there.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/effects/committed_updates.hpp"
#include "bot/process/metrics.hpp"
#include "handlers/action.hpp"
#include "handlers/route.hpp"
#include "net/asio.hpp"

namespace rb {

class executor;
class update_store;

enum class pipeline_status {
    handled,      // stored; answer 200
    duplicate,    // seen before; answer 200, nothing done
    ignored,      // a kind of update the bot does not handle; answer 200, counted
    bad_request,  // not JSON or not an Update; answer 400 with reason
    dead_letter,  // an Update that can never succeed; kept in the dead-letter list, answer 200
    unavailable,  // Redis unreachable or briefly unable (LOADING, READONLY...); answer 503 so Telegram re-sends
};

std::string_view to_string(pipeline_status status);

struct pipeline_result {
    pipeline_status status = pipeline_status::handled;
    std::string reason;  // for bad_request / dead_letter / unavailable: short, safe to log and return
    std::string reply;   // handled, with a call to answer the webhook with (REPLY_IN_RESPONSE, a press's answer)
};

// Encodes a reply as the webhook's answer (webhook_reply.hpp), or nullopt when it cannot go there.
using reply_encoder = std::function<std::optional<std::string>(const send_message&)>;
using answer_encoder = std::function<std::string(const answer_callback&)>;

// How a transport (webhook server, long poller) hands one update's JSON to the pipeline.
using update_handler = std::function<awaitable<pipeline_result>(std::string update_json)>;

struct pipeline_deps {
    update_store* updates = nullptr;
    executor* effects = nullptr;
    const template_set* templates = nullptr;
    const zone_catalog* zones = nullptr;
    metrics_registry* metrics = nullptr;
    std::string bot_username;
    // Set (REPLY_IN_RESPONSE=on, webhook mode): an update's first reply skips the outbox and goes back in the
    // webhook's answer. Empty: every reply is sent from the outbox, with retries, limits and 403 handling.
    reply_encoder reply_in_response;
    // Set (CALLBACK_ANSWER_IN_RESPONSE=on, the default, webhook mode): a button press's answer goes back in the
    // webhook's answer instead of the outbox. It comes first: it is what the runner waits for on the button.
    answer_encoder answer_in_response;
};

class update_pipeline {
public:
    explicit update_pipeline(pipeline_deps deps);

    // Never throws: every outcome is a pipeline_result.
    awaitable<pipeline_result> handle(std::string body);

private:
    awaitable<pipeline_result> handle_parsed(const update& u, const std::string& body);
    awaitable<pipeline_result> keep_dead_letter(const update& u, const std::string& body, const std::string& error);
    void count_kind(const update& u);
    std::string take_reply_for_response(std::vector<action>& actions) const;
    std::string take_answer_for_response(std::vector<action>& actions) const;
    pipeline_result known_duplicate(std::int64_t update_id);

    pipeline_deps deps_;
    committed_updates committed_;     // re-sends answered without a Redis read
    metric_slots<counter, 8> kinds_;  // rb_updates_total by update_kind
    histogram& latency_;
    counter& duplicates_;
    counter& dead_letters_;
    counter& bad_requests_;
    counter& unavailable_;
    counter& permanent_;
    counter& replies_in_response_;
    counter& answers_in_response_;
};

}  // namespace rb
