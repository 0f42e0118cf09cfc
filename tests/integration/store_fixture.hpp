// A redis_test with the two stores on one prefix, and one-line helpers for the actions tests commit on their own
// (as an update's decision would, without an update id).
#pragma once

#include "storage/keys.hpp"
#include "storage/reminder_store.hpp"
#include "storage/update_store.hpp"
#include "tests/integration/redis_fixture.hpp"

namespace rb::test {

inline planned_reminder ping(std::string kind, std::chrono::milliseconds offset, std::string text = "") {
    return {kind, offset, text.empty() ? "time to " + kind : text};
}

class store_test : public redis_test {
protected:
    explicit store_test(std::string prefix = "t:") : keys_(std::move(prefix)) {}

    void SetUp() override {
        redis_test::SetUp();
        store_ = std::make_unique<reminder_store>(*redis_, keys_);
        updates_ = std::make_unique<update_store>(*redis_, keys_);
    }

    commit_result apply(std::int64_t owner, action a, std::optional<std::int64_t> update_id = std::nullopt) {
        std::vector<action> one{std::move(a)};
        return sync(updates_->commit(update_id, owner, one));
    }
    void schedule(schedule_plan p) { apply(p.owner_id, std::move(p)); }
    void snooze(std::int64_t owner, std::string id, std::chrono::milliseconds by) {
        apply(owner, snooze_reminder{owner, std::move(id), by});
    }
    void finish(std::int64_t owner, std::string id) { apply(owner, finish_reminder{owner, std::move(id)}); }
    void cancel_all(std::int64_t owner) { apply(owner, cancel_all_reminders{owner}); }
    owner_snapshot load(std::int64_t owner, std::optional<std::int64_t> update_id = std::nullopt) {
        return sync(updates_->load(update_id, owner));
    }
    std::vector<reminder> list(std::int64_t owner) { return load(owner).pending; }
    std::vector<reminder> claim(std::size_t n, std::chrono::milliseconds lease = 30s) {
        return sync(store_->claim_due(n, lease));
    }
    std::int64_t waiting() {  // ids on the due lanes
        std::int64_t n = 0;
        for (int lane = 0; lane < 3; ++lane) n += cmd({"ZCARD", keys_.due(lane)}).as_integer();
        return n;
    }
    std::int64_t leased() { return cmd({"ZCARD", keys_.lease()}).as_integer(); }
    bool has_field(std::int64_t owner, const std::string& field) {
        return cmd({"HEXISTS", keys_.owner(owner), field}).as_integer() == 1;
    }

    redis_keys keys_;
    std::unique_ptr<reminder_store> store_;
    std::unique_ptr<update_store> updates_;
};

}  // namespace rb::test
