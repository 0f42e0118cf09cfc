// reminder_store: the dispatcher's verbs over the scripts in scripts.cpp. Nothing here reads the local clock.
#include "storage/reminder_store.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "handlers/delivery/delivery_policy.hpp"
#include "storage/reminder_record.hpp"
#include "storage/scripts.hpp"
#include "storage/settle_batcher.hpp"

namespace rb {
namespace {

std::int64_t parse_score(const redis_value& v) {
    const auto& s = v.as_string();
    double d = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec != std::errc{} || end != s.data() + s.size())
        throw boost::system::system_error(make_error_code(storage_errc::unexpected_reply), "zset score");
    return static_cast<std::int64_t>(d);
}

// The lowest score of ZRANGE key 0 0 WITHSCORES, if the zset has one.
std::optional<std::int64_t> first_score(const redis_value& reply) {
    const auto& e = reply.check().as_array();
    if (e.size() < 2) return std::nullopt;
    return parse_score(e[1]);
}

int lane_index(const reminder& r) { return static_cast<int>(lane_of(r.kind)); }

}  // namespace

reminder_store::reminder_store(redis_connection& redis, redis_keys keys)
    : redis_(redis), keys_(keys), updates_(redis, keys), settles_(std::make_shared<settle_batcher>(redis, keys)) {}

awaitable<std::vector<reminder>> reminder_store::claim_due(std::size_t limit, std::chrono::milliseconds lease,
                                                           std::size_t later_limit) {
    co_return (co_await claim_due_batch(limit, lease, later_limit)).reminders;
}

awaitable<claim_batch> reminder_store::claim_due_batch(std::size_t limit, std::chrono::milliseconds lease,
                                                       std::size_t later_limit) {
    claim_batch batch;
    auto& out = batch.reminders;
    if (limit == 0) {
        batch.now_ms = co_await now_ms();
        co_return batch;
    }
    limit = std::min<std::size_t>(limit, 1000);
    later_limit = std::min(later_limit, limit);
    auto zsets = make_argv(keys_.due(0), keys_.due(1), keys_.due(2), keys_.lease());
    auto ready = co_await scripts::claim_candidates().run(
        redis_, zsets, make_argv(std::to_string(limit), std::to_string(later_limit)));
    const auto& pairs = ready.as_array();
    batch.now_ms = pairs.at(0).as_integer();
    if (pairs.size() == 1) co_return batch;

    std::vector<std::string> keys = std::move(zsets);
    keys.push_back(keys_.quarantine());
    const std::size_t first_owner = keys.size();
    std::map<std::int64_t, std::size_t> owner_index;
    std::vector<std::string> args{std::to_string(lease.count())};
    std::vector<std::vector<std::string>> strays;  // ids that name no owner: set aside without reading anything
    for (std::size_t i = 1; i + 1 < pairs.size(); i += 2) {
        const auto& id = pairs[i].as_string();
        const auto& source = pairs[i + 1].as_string();
        reminder_id_parts parts;
        if (!split_reminder_id(id, parts)) {
            const auto from = source == "l" ? keys_.lease() : keys_.due(source.at(0) - '0');
            strays.push_back(make_argv("ZREM", from, id));
            strays.push_back(make_argv("LPUSH", keys_.quarantine(), "{\"zset\":\"" + from + "\",\"id\":\"?\"}"));
            continue;
        }
        auto [pos, fresh] = owner_index.try_emplace(parts.owner, keys.size() - first_owner + 1);
        if (fresh) keys.push_back(keys_.owner(parts.owner));
        args.insert(args.end(), {id, source, std::to_string(pos->second)});
    }
    if (!strays.empty()) {
        auto replies = co_await redis_.call_batch(std::move(strays));
        for (const auto& r : replies) r.check();
    }
    if (args.size() == 1) co_return batch;
    auto reply = co_await scripts::claim().run(redis_, std::move(keys), std::move(args));
    const auto& e = reply.as_array();
    const std::int64_t token = e.at(0).as_integer();
    batch.now_ms = token - lease.count();  // the claim's own TIME: later than the candidates', and what leased them
    for (std::size_t i = 1; i + 1 < e.size(); i += 2) {
        auto r = parse_reminder_record(e[i].as_string(), e[i + 1].as_string());
        if (!r) continue;  // the script parsed it; C++ is stricter (bounds): its lease expires and it is re-claimed
        r->lease_token = token;
        out.push_back(std::move(*r));
    }
    co_return batch;
}

awaitable<bool> reminder_store::renew(reminder& r, std::chrono::milliseconds lease) {
    auto reply =
        co_await scripts::renew().run(redis_, make_argv(keys_.lease()),
                                      make_argv(r.id, std::to_string(r.lease_token), std::to_string(lease.count())));
    const auto token = reply.as_integer();
    if (token == 0) co_return false;
    r.lease_token = token;
    co_return true;
}

awaitable<bool> reminder_store::ack(const reminder& r) {
    co_return co_await settles_->settle(r.id, r.lease_token, !is_reply_kind(r.kind));
}

awaitable<bool> reminder_store::drop(const reminder& r) {
    co_return co_await settles_->settle(r.id, r.lease_token, false);
}

awaitable<bool> reminder_store::hand_back(const reminder& r, std::chrono::milliseconds delay, bool count_attempt) {
    auto keys = make_argv(keys_.lease(), keys_.due(lane_index(r)), keys_.owner(r.owner_id));
    auto reply = co_await scripts::hand_back().run(
        redis_, std::move(keys),
        make_argv(r.id, std::to_string(r.lease_token), std::to_string(std::max<std::int64_t>(delay.count(), 0)),
                  count_attempt ? "1" : "0"));
    co_return reply.as_integer() == 1;
}

awaitable<std::optional<std::int64_t>> reminder_store::next_due_ms() { co_return (co_await outlook()).next_due_ms; }

namespace {
std::int64_t time_ms(const redis_value& reply) {
    const auto& t = reply.check().as_array();
    return t.at(0).as_integer() * 1000 + t.at(1).as_integer() / 1000;
}
}  // namespace

awaitable<std::int64_t> reminder_store::now_ms() { co_return time_ms(co_await redis_.command("TIME")); }

awaitable<due_outlook> reminder_store::outlook() {
    std::vector<std::vector<std::string>> batch{make_argv("TIME")};
    for (int lane = 0; lane < lane_count; ++lane)
        batch.push_back(make_argv("ZRANGE", keys_.due(lane), "0", "0", "WITHSCORES"));
    batch.push_back(make_argv("ZRANGE", keys_.lease(), "0", "0", "WITHSCORES"));
    auto replies = co_await redis_.call_batch(std::move(batch));
    due_outlook o{time_ms(replies.at(0)), std::nullopt};
    for (std::size_t i = 1; i < replies.size(); ++i) {
        if (auto s = first_score(replies[i]); s && (!o.next_due_ms || *s < *o.next_due_ms)) o.next_due_ms = s;
    }
    co_return o;
}

awaitable<void> reminder_store::schedule(const schedule_plan& plan) {
    std::vector<action> one{plan};
    co_await updates_.commit(std::nullopt, plan.owner_id, one);
}

awaitable<std::vector<reminder>> reminder_store::list_for_owner(std::int64_t owner_id) {
    auto snapshot = co_await updates_.load(std::nullopt, owner_id);
    co_return std::move(snapshot.pending);
}

}  // namespace rb
