// The update path; see update_pipeline.hpp for the contract. Exactly once comes from the commit: reading first and
// committing "seen" with the effects means a failure anywhere before the commit leaves nothing behind, and a
// re-send is handled; a commit that happened (even one that ran late, after a stall) makes the re-send a duplicate.
#include "bot/effects/update_pipeline.hpp"

#include <boost/system/system_error.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <variant>

#include "bot/effects/executor.hpp"
#include "bot/process/log.hpp"
#include "storage/storage_error.hpp"
#include "storage/update_store.hpp"

namespace rb {
namespace {

// A body that is a JSON object with an integer update_id but is malformed further in is an Update that can
// never succeed: answering 400 would make Telegram re-send it for ever and hold up the chat behind it.
// parse_update has already checked size and nesting depth, so this second look is safe and only taken then.
std::optional<std::int64_t> salvage_update_id(const std::string& body, const std::string& reason) {
    if (reason == "empty body" || reason == "nesting too deep" || reason == "not JSON" || reason == "not an object" ||
        reason == "too large") {
        return std::nullopt;
    }
    const auto root = nlohmann::json::parse(body, nullptr, false);
    if (!root.is_object()) return std::nullopt;
    const auto it = root.find("update_id");
    if (it == root.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

}  // namespace

std::string_view to_string(pipeline_status status) {
    switch (status) {
        case pipeline_status::handled:
            return "handled";
        case pipeline_status::duplicate:
            return "duplicate";
        case pipeline_status::ignored:
            return "ignored";
        case pipeline_status::bad_request:
            return "bad_request";
        case pipeline_status::dead_letter:
            return "dead_letter";
        case pipeline_status::unavailable:
            return "unavailable";
    }
    return "unknown";
}

update_pipeline::update_pipeline(pipeline_deps deps)
    : deps_(std::move(deps)),
      latency_(deps_.metrics->histogram_for("rb_update_handling_seconds", "Time from body to stored decision")),
      duplicates_(deps_.metrics->counter_for("rb_updates_duplicate_total", "Updates Telegram sent again")),
      dead_letters_(deps_.metrics->counter_for("rb_updates_dead_letter_total", "Updates that can never succeed")),
      bad_requests_(deps_.metrics->counter_for("rb_updates_bad_request_total", "Bodies that are not Updates")),
      unavailable_(deps_.metrics->counter_for("rb_updates_unavailable_total", "Updates refused while Redis is down")),
      permanent_(deps_.metrics->counter_for("rb_storage_permanent_errors_total",
                                            "Updates dead-lettered for a storage fault a retry cannot fix")),
      replies_in_response_(deps_.metrics->counter_for("rb_replies_in_response_total",
                                                      "Replies answered in the webhook response (REPLY_IN_RESPONSE)")),
      answers_in_response_(deps_.metrics->counter_for(
          "rb_callback_answers_in_response_total",
          "Button presses answered in the webhook response (CALLBACK_ANSWER_IN_RESPONSE)")) {}

static_assert(static_cast<std::size_t>(update_kind::other) < 8, "kinds_ has 8 slots");

void update_pipeline::count_kind(const update& u) {
    kinds_
        .at(static_cast<std::size_t>(u.kind),
            [&]() -> counter& {
                return deps_.metrics->counter_for("rb_updates_total", "Updates received by kind",
                                                  {{"kind", std::string(to_string(u.kind))}});
            })
        .inc();
}

awaitable<pipeline_result> update_pipeline::handle(std::string body) {
    const auto start = std::chrono::steady_clock::now();
    auto parsed = parse_update(body);
    if (auto* error = std::get_if<parse_error>(&parsed)) {
        if (auto id = salvage_update_id(body, error->reason)) {
            update poisoned;
            poisoned.update_id = *id;
            co_return co_await keep_dead_letter(poisoned, body, error->reason);
        }
        bad_requests_.inc();
        log_event(log_level::info, "update_rejected", {{"reason", error->reason}});
        co_return pipeline_result{pipeline_status::bad_request, error->reason};
    }
    const update& u = std::get<update>(parsed);
    count_kind(u);
    pipeline_result result = co_await handle_parsed(u, body);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    latency_.observe(seconds);
    // Routine outcomes (handled, a re-send, a kind the bot ignores) at debug: at info they were a line written per
    // request. Refusals and failures log their own line at info or above where they happen.
    const bool routine = result.status == pipeline_status::handled || result.status == pipeline_status::duplicate ||
                         result.status == pipeline_status::ignored;
    log_event(routine ? log_level::debug : log_level::info, "update",
              {{"update_id", u.update_id},
               {"kind", to_string(u.kind)},
               {"status", to_string(result.status)},
               {"ms", seconds * 1000.0}});
    co_return result;
}

// Transient storage failures (connection lost, timeout, LOADING, READONLY...) come back as unavailable: 503, and
// Telegram re-sends. Anything else (a corrupt record, a script error, an update that breaks a handler) is a
// permanent fault: retrying gets the same answer, so the update is kept in the dead-letter list and answered 200,
// and one bad record can never make a chat's updates fail for ever.
awaitable<pipeline_result> update_pipeline::handle_parsed(const update& u, const std::string& body) {
    std::optional<std::int64_t> owner = owner_of(u);
    if (!owner) co_return pipeline_result{pipeline_status::ignored, {}};
    if (committed_.contains(u.update_id)) co_return known_duplicate(u.update_id);
    bool transient = false;
    bool storage_fault = false;
    std::string failure;
    try {
        owner_snapshot state = co_await deps_.updates->load(u.update_id, *owner);
        if (state.seen) co_return known_duplicate(u.update_id);
        context ctx;
        ctx.now_ms = state.now_ms;  // Redis's clock: the one due times are on
        ctx.settings = std::move(state.settings);
        ctx.upcoming = std::move(state.pending);
        ctx.plan_basis = std::move(state.plan_basis);
        ctx.bot_username = deps_.bot_username;
        ctx.templates = deps_.templates;
        ctx.zones = deps_.zones;
        std::vector<action> actions = decide(u, ctx);
        std::string reply = take_answer_for_response(actions);
        const bool answered = !reply.empty();
        if (!answered) reply = take_reply_for_response(actions);
        const commit_result committed = co_await deps_.effects->apply(u.update_id, *owner, actions, state.unreadable);
        // another instance committed it between our read and our commit
        if (committed.status == commit_status::duplicate) co_return known_duplicate(u.update_id);
        committed_.add(u.update_id);
        if (answered)
            answers_in_response_.inc();
        else if (!reply.empty())
            replies_in_response_.inc();
        co_return pipeline_result{pipeline_status::handled, {}, std::move(reply)};
    } catch (const std::exception& e) {
        failure = e.what();
        transient = is_transient_failure(e);
        storage_fault = dynamic_cast<const boost::system::system_error*>(&e) != nullptr;
    }
    // C++20 forbids co_await inside a handler, so the failure is dealt with here.
    if (!transient) {
        if (storage_fault) permanent_.inc();
        co_return co_await keep_dead_letter(u, body, failure);
    }
    unavailable_.inc();
    log_event(log_level::warn, "update_unavailable", {{"update_id", u.update_id}, {"error", failure}});
    co_return pipeline_result{pipeline_status::unavailable, "storage unavailable"};
}

// Every way an update turns out to be stored already ends here: counted, and remembered for its next re-send.
pipeline_result update_pipeline::known_duplicate(std::int64_t update_id) {
    committed_.add(update_id);
    duplicates_.inc();
    return pipeline_result{pipeline_status::duplicate, {}};
}

// The reply leaves the actions (and so the outbox) when it can go back in the webhook's answer: only when it is the
// update's one message, since the dispatcher could send a second one before Telegram reads the answer, and the
// runner would read them out of order. It is given out only after the commit, so a reply is never answered for an
// update that was not stored.
std::string update_pipeline::take_reply_for_response(std::vector<action>& actions) const {
    if (!deps_.reply_in_response) return {};
    auto reply = actions.end();
    for (auto it = actions.begin(); it != actions.end(); ++it) {
        if (std::holds_alternative<edit_message>(*it)) return {};
        if (!std::holds_alternative<send_message>(*it)) continue;
        if (reply != actions.end()) return {};
        reply = it;
    }
    if (reply == actions.end()) return {};
    std::optional<std::string> body = deps_.reply_in_response(std::get<send_message>(*reply));
    if (!body) return {};
    actions.erase(reply);
    return std::move(*body);
}

// A button press's answer leaves the actions for the webhook's answer, before any reply: the answer is no message, so
// it cannot be read out of order with one the outbox sends, and the runner sees the button respond at once. Like a
// reply, it is given out only after the commit.
std::string update_pipeline::take_answer_for_response(std::vector<action>& actions) const {
    if (!deps_.answer_in_response) return {};
    for (auto it = actions.begin(); it != actions.end(); ++it) {
        if (const auto* answer = std::get_if<answer_callback>(&*it)) {
            std::string body = deps_.answer_in_response(*answer);
            actions.erase(it);
            return body;
        }
    }
    return {};
}

awaitable<pipeline_result> update_pipeline::keep_dead_letter(const update& u, const std::string& body,
                                                             const std::string& error) {
    dead_letters_.inc();
    log_event(log_level::error, "update_dead_letter", {{"update_id", u.update_id}, {"error", error}});
    try {
        co_await deps_.updates->dead_letter(u.update_id, body, error);
    } catch (const std::exception&) {
        // Redis is failing too; the update is still answered 200 so it cannot block the chat.
    }
    co_return pipeline_result{pipeline_status::dead_letter, error};
}

}  // namespace rb
