// The executor (see executor.hpp): actions to one commit, delivery steps to one settle, each logged and counted.
#include "bot/effects/executor.hpp"

#include "bot/effects/outbound_call.hpp"
#include "bot/process/log.hpp"
#include "bot/process/metrics.hpp"
#include "storage/reminder_store.hpp"

namespace rb {
namespace {

std::chrono::milliseconds divided(std::chrono::milliseconds d, double scale) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(d.count()) / scale));
}

}  // namespace

executor::executor(update_store& updates, reminder_store& reminders, executor_options options)
    : updates_(updates), reminders_(reminders), options_(std::move(options)) {}

std::vector<action> executor::scaled(const std::vector<action>& actions) const {
    std::vector<action> out = actions;
    if (options_.time_scale == 1.0 || options_.time_scale <= 0) return out;
    for (auto& a : out) {
        if (auto* plan = std::get_if<schedule_plan>(&a)) {
            for (auto& r : plan->reminders) r.offset = divided(r.offset, options_.time_scale);
        } else if (auto* snooze = std::get_if<snooze_reminder>(&a)) {
            snooze->by = divided(snooze->by, options_.time_scale);
        }
    }
    return out;
}

awaitable<commit_result> executor::apply(std::optional<std::int64_t> update_id, std::int64_t owner_id,
                                         const std::vector<action>& actions,
                                         const std::vector<std::string>& quarantine) {
    std::vector<outbound_entry> outbox;
    for (const auto& a : actions) {
        if (auto entry = outbox_entry_of(a)) outbox.push_back(std::move(*entry));
    }
    if (!quarantine.empty()) {
        log_event(log_level::error, "records_quarantined",
                  {{"owner_id", owner_id}, {"count", static_cast<std::uint64_t>(quarantine.size())}});
        if (options_.metrics)
            options_.metrics->counter_for("rb_records_quarantined_total", "Stored records set aside as unreadable")
                .inc(quarantine.size());
    }
    auto result = co_await updates_.commit(update_id, owner_id, scaled(actions), outbox, quarantine);
    if (result.status == commit_status::applied && result.earliest_due_ms && options_.on_due)
        options_.on_due(*result.earliest_due_ms);
    co_return result;
}

awaitable<bool> executor::settle(const reminder& r, const delivery_step& step) {
    bool held = true;
    switch (step.verdict) {
        case delivery_verdict::delivered:
            held = co_await reminders_.ack(r);
            // Sent, but the claim had changed meanwhile (a snooze or re-plan while the request was out): the newer
            // state stands, so the runner may get this one again. Counted, so an operator sees how often.
            if (!held) log_event(log_level::info, "delivered_after_claim_changed", {{"id", r.id}});
            break;
        case delivery_verdict::drop:
            held = co_await reminders_.drop(r);
            log_event(log_level::warn, "delivery_dropped",
                      {{"id", r.id}, {"chat_id", r.chat_id}, {"reason", step.reason}, {"attempt", r.attempt}});
            if (options_.metrics)
                options_.metrics
                    ->counter_for("rb_deliveries_dropped_total", "Messages never sent, by reason",
                                  {{"reason", step.reason.substr(0, step.reason.find(':'))}})
                    .inc();
            break;
        case delivery_verdict::retry:
            held = co_await reminders_.hand_back(r, step.delay, true);
            break;
        case delivery_verdict::hand_back:
        case delivery_verdict::pause_sending:
            held = co_await reminders_.hand_back(r, step.delay, false);
            break;
        case delivery_verdict::drop_and_deactivate: {
            log_event(log_level::info, "owner_blocked_bot", {{"owner_id", r.owner_id}});
            std::vector<action> off{deactivate_owner{r.owner_id}};
            co_await apply(std::nullopt, r.owner_id, off);  // drops every reminder of the owner
            held = co_await reminders_.drop(r);  // a reply is not a reminder: it goes here (false if already gone)
            if (options_.metrics)
                options_.metrics
                    ->counter_for("rb_deliveries_dropped_total", "Messages never sent, by reason",
                                  {{"reason", "blocked"}})
                    .inc();
            break;
        }
    }
    if (options_.metrics && step.verdict != delivery_verdict::delivered) {
        options_.metrics
            ->counter_for("rb_delivery_steps_total", "What followed each send that did not deliver",
                          {{"step", std::string(to_string(step.verdict))}})
            .inc();
    }
    co_return held;
}

}  // namespace rb
