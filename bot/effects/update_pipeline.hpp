// The one path every incoming update takes, whatever carried it (webhook, long polling, terminal chat):
// parse, de-duplicate, decide (handlers/), store (storage/), then hand the outbound calls to a sink.
// The order is the guarantee: what an update changes is in Redis before the caller is told "handled".
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "bot/process/metrics.hpp"
#include "handlers/action.hpp"
#include "handlers/route.hpp"
#include "net/asio.hpp"

namespace rb {

class reminder_store;
class settings_store;
class update_log;

enum class pipeline_status {
    handled,      // stored; answer 200
    duplicate,    // seen before; answer 200, nothing done
    ignored,      // a kind of update the bot does not handle; answer 200, counted
    bad_request,  // not JSON or not an Update; answer 400 with reason
    dead_letter,  // an Update that can never succeed; kept in the dead-letter list, answer 200
    unavailable,  // Redis unreachable; answer 503 so Telegram re-sends
};

std::string_view to_string(pipeline_status status);

struct pipeline_result {
    pipeline_status status = pipeline_status::handled;
    std::string reason;  // for bad_request / dead_letter / unavailable: short, safe to log and return
};

// How a transport (webhook server, long poller) hands one update's JSON to the pipeline.
using update_handler = std::function<awaitable<pipeline_result>(std::string update_json)>;

// Where replies go: the Telegram client in production, the terminal in the local chat. post() queues and
// returns at once; the webhook never waits on an outbound call.
class message_sink {
public:
    virtual ~message_sink() = default;
    virtual void post(send_message message) = 0;
    virtual void post(answer_callback answer) = 0;
    virtual void post(edit_message edit) = 0;
};

struct pipeline_deps {
    reminder_store* reminders = nullptr;
    settings_store* settings = nullptr;
    update_log* seen = nullptr;
    const template_set* templates = nullptr;
    const zone_catalog* zones = nullptr;
    message_sink* sink = nullptr;
    metrics_registry* metrics = nullptr;
    std::string bot_username;
    double time_scale = 1.0;  // reminder offsets and snoozes are divided by it (demo speed)
    std::function<void()> on_scheduled;  // wakes this instance's dispatcher after a plan is stored
};

class update_pipeline {
public:
    explicit update_pipeline(pipeline_deps deps);

    // Never throws: every outcome is a pipeline_result.
    awaitable<pipeline_result> handle(std::string body);

private:
    awaitable<pipeline_result> handle_parsed(const update& u, const std::string& body);
    awaitable<pipeline_result> keep_dead_letter(const update& u, const std::string& body, const std::string& error);
    awaitable<context> load_context(const update& u);
    awaitable<void> store(const action& a);
    void send(action a);
    void count_kind(const update& u);

    pipeline_deps deps_;
    histogram& latency_;
    counter& duplicates_;
    counter& dead_letters_;
    counter& bad_requests_;
    counter& unavailable_;
};

}  // namespace rb
