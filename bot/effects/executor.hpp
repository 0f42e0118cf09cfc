// The one place effects are carried out. handlers/ decides: decide() turns an update into actions, and
// after_delivery() turns a send's outcome into a step. This applies them, for the update pipeline and the
// dispatcher alike: an update's actions as one atomic commit (its replies into the outbox), a delivery's step as
// one token-checked settle. TIME_SCALE (the demo clock) is applied here and nowhere else.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/effects/executor_options.hpp"
#include "handlers/action.hpp"
#include "handlers/delivery/delivery_policy.hpp"
#include "handlers/plans/reminder.hpp"
#include "net/asio.hpp"
#include "storage/update_store.hpp"

namespace rb {

class metrics_registry;
class reminder_store;

class executor {
public:
    executor(update_store& updates, reminder_store& reminders, executor_options options = {});

    // One update's decision, atomically: storage actions, outbound calls (into the outbox) and the quarantine of
    // unreadable records; with an update_id the update is marked seen in the same step (duplicate otherwise).
    awaitable<commit_result> apply(std::optional<std::int64_t> update_id, std::int64_t owner_id,
                                   const std::vector<action>& actions, const std::vector<std::string>& quarantine = {});

    // One delivery's step. Returns false when the claim no longer held (something changed it since the claim:
    // the step was not applied, and the newer state stands).
    awaitable<bool> settle(const reminder& r, const delivery_step& step);

private:
    std::vector<action> scaled(const std::vector<action>& actions) const;

    update_store& updates_;
    reminder_store& reminders_;
    executor_options options_;
};

}  // namespace rb
