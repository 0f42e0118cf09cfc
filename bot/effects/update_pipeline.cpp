// The update path; see update_pipeline.hpp for the contract. De-duplication works as a claim: the update id
// is marked seen first and released again if storing fails, so a re-send after a 503 is handled, not dropped.
#include "bot/effects/update_pipeline.hpp"

#include <chrono>
#include <variant>

#include <boost/system/system_error.hpp>
#include <nlohmann/json.hpp>

#include "bot/process/log.hpp"
#include "storage/reminder_store.hpp"
#include "storage/settings_store.hpp"
#include "storage/update_log.hpp"

namespace rb {
namespace {

std::int64_t wall_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::chrono::milliseconds scaled(std::chrono::milliseconds d, double scale) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(d.count()) / scale));
}

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

bool is_outbound(const action& a) {
    return std::holds_alternative<send_message>(a) || std::holds_alternative<answer_callback>(a) ||
           std::holds_alternative<edit_message>(a);
}

}  // namespace

std::string_view to_string(pipeline_status status) {
    switch (status) {
        case pipeline_status::handled: return "handled";
        case pipeline_status::duplicate: return "duplicate";
        case pipeline_status::ignored: return "ignored";
        case pipeline_status::bad_request: return "bad_request";
        case pipeline_status::dead_letter: return "dead_letter";
        case pipeline_status::unavailable: return "unavailable";
    }
    return "unknown";
}

update_pipeline::update_pipeline(pipeline_deps deps)
    : deps_(std::move(deps)),
      latency_(deps_.metrics->histogram_for("rb_update_handling_seconds", "Time from body to stored decision")),
      duplicates_(deps_.metrics->counter_for("rb_updates_duplicate_total", "Updates Telegram sent again")),
      dead_letters_(deps_.metrics->counter_for("rb_updates_dead_letter_total", "Updates that can never succeed")),
      bad_requests_(deps_.metrics->counter_for("rb_updates_bad_request_total", "Bodies that are not Updates")),
      unavailable_(deps_.metrics->counter_for("rb_updates_unavailable_total", "Updates refused while Redis is down")) {}

void update_pipeline::count_kind(const update& u) {
    deps_.metrics->counter_for("rb_updates_total", "Updates received by kind", {{"kind", std::string(to_string(u.kind))}})
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
    log_event(result.status == pipeline_status::handled ? log_level::debug : log_level::info, "update",
              {{"update_id", u.update_id}, {"kind", to_string(u.kind)}, {"status", to_string(result.status)},
               {"ms", seconds * 1000.0}});
    co_return result;
}

// Storage failures come back as unavailable (503, Telegram retries); anything else an update provokes is
// a poison update: kept in the dead-letter list and answered 200 so it cannot block the chat.
awaitable<pipeline_result> update_pipeline::handle_parsed(const update& u, const std::string& body) {
    std::optional<std::int64_t> owner = owner_of(u);
    if (!owner && u.kind != update_kind::my_chat_member) co_return pipeline_result{pipeline_status::ignored, {}};
    bool claimed = false;
    bool poison = false;
    std::string failure;
    try {
        if (!co_await deps_.seen->claim(u.update_id)) {
            duplicates_.inc();
            co_return pipeline_result{pipeline_status::duplicate, {}};
        }
        claimed = true;
        const context ctx = co_await load_context(u);
        std::vector<action> actions = decide(u, ctx);
        for (const auto& a : actions) {
            if (!is_outbound(a)) co_await store(a);
        }
        for (auto& a : actions) {
            if (is_outbound(a)) send(std::move(a));
        }
        co_return pipeline_result{pipeline_status::handled, {}};
    } catch (const boost::system::system_error& e) {
        failure = e.what();
    } catch (const std::exception& e) {
        failure = e.what();
        poison = true;
    }
    // C++20 forbids co_await inside a handler, so the failure is dealt with here.
    if (poison) co_return co_await keep_dead_letter(u, body, failure);
    unavailable_.inc();
    log_event(log_level::warn, "update_unavailable", {{"update_id", u.update_id}, {"error", failure}});
    if (claimed) {
        try {
            co_await deps_.seen->release(u.update_id);
        } catch (const std::exception&) {
            // Redis accepted the claim and failed right after: the seen key may outlive this failure and a
            // re-send is then taken for a duplicate. Logged so an operator can see it happened.
            log_event(log_level::error, "update_release_failed", {{"update_id", u.update_id}});
        }
    }
    co_return pipeline_result{pipeline_status::unavailable, "storage unavailable"};
}

awaitable<pipeline_result> update_pipeline::keep_dead_letter(const update& u, const std::string& body,
                                                             const std::string& error) {
    dead_letters_.inc();
    log_event(log_level::error, "update_dead_letter", {{"update_id", u.update_id}, {"error", error}});
    try {
        co_await deps_.seen->dead_letter(u.update_id, body, error);
    } catch (const std::exception&) {
        // Redis is failing too; the update is still answered 200 so it cannot block the chat.
    }
    co_return pipeline_result{pipeline_status::dead_letter, error};
}

// Settings and the pending plan of the update's owner, fetched concurrently on the one connection, and
// "now" from Redis's clock: due times are on that clock, so the decision uses it too (one clock per decision).
awaitable<context> update_pipeline::load_context(const update& u) {
    context ctx;
    ctx.now_ms = wall_now_ms();
    ctx.bot_username = deps_.bot_username;
    ctx.templates = deps_.templates;
    ctx.zones = deps_.zones;
    if (auto owner = owner_of(u)) {
        using namespace net::experimental::awaitable_operators;
        auto [settings, upcoming, basis, now] =
            co_await (deps_.settings->load(*owner) && deps_.reminders->list_for_owner(*owner) &&
                      deps_.reminders->plan_basis(*owner) && deps_.reminders->now_ms());
        ctx.now_ms = now;
        ctx.settings = std::move(settings);
        ctx.upcoming = std::move(upcoming);
        ctx.plan_basis = std::move(basis);
    }
    co_return ctx;
}

awaitable<void> update_pipeline::store(const action& a) {
    const double scale = deps_.time_scale;
    if (auto* plan = std::get_if<schedule_plan>(&a)) {
        schedule_plan copy = *plan;
        for (auto& r : copy.reminders) r.offset = scaled(r.offset, scale);  // from now, or from a re-plan's anchor
        co_await deps_.reminders->schedule(copy);
        if (deps_.on_scheduled) deps_.on_scheduled();
    } else if (auto* cancel = std::get_if<cancel_all_reminders>(&a)) {
        co_await deps_.reminders->cancel_all(cancel->owner_id);
    } else if (auto* snooze = std::get_if<snooze_reminder>(&a)) {
        co_await deps_.reminders->snooze(snooze->owner_id, snooze->reminder_id, scaled(snooze->by, scale));
        if (deps_.on_scheduled) deps_.on_scheduled();
    } else if (auto* finish = std::get_if<finish_reminder>(&a)) {
        co_await deps_.reminders->finish(finish->owner_id, finish->reminder_id);
    } else if (auto* save = std::get_if<save_settings>(&a)) {
        co_await deps_.settings->save(save->owner_id, save->settings);
    } else if (auto* forget = std::get_if<forget_owner>(&a)) {
        co_await deps_.settings->forget(forget->owner_id);
    } else if (auto* off = std::get_if<deactivate_owner>(&a)) {
        co_await deps_.settings->deactivate(off->owner_id);
    }
}

void update_pipeline::send(action a) {
    std::visit(
        [this](auto&& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, send_message> || std::is_same_v<T, answer_callback> ||
                          std::is_same_v<T, edit_message>) {
                deps_.sink->post(std::move(v));
            }
        },
        a);
}

}  // namespace rb
