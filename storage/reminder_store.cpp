// reminder_store: the domain verbs over the Lua scripts in scripts.cpp. Nothing here reads the local clock;
// every time is TIME on the Redis server, so instances with skewed clocks agree on when a reminder is due.
#include "storage/reminder_store.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "storage/scripts.hpp"

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

// Reads the scripts' flat reminder rows (scripts.hpp): id chat owner kind text run attempt created due.
std::vector<reminder> parse_reminders(const redis_value& reply) {
    const auto& e = reply.as_array();
    if (e.size() % scripts::reminder_fields != 0)
        throw boost::system::system_error(make_error_code(storage_errc::unexpected_reply), "reminder rows");
    std::vector<reminder> out;
    out.reserve(e.size() / scripts::reminder_fields);
    for (std::size_t i = 0; i < e.size(); i += scripts::reminder_fields) {
        reminder r;
        r.id = e[i].as_string();
        r.chat_id = e[i + 1].as_integer();
        r.owner_id = e[i + 2].as_integer();
        r.kind = e[i + 3].as_string();
        r.text = e[i + 4].as_string();
        r.run_id = e[i + 5].as_string();
        r.attempt = static_cast<int>(e[i + 6].as_integer());
        r.created_ms = e[i + 7].as_integer();
        r.due_ms = e[i + 8].as_integer();
        out.push_back(std::move(r));
    }
    return out;
}

// A lowest score of ZRANGE key 0 0 WITHSCORES, if the zset has one.
std::optional<std::int64_t> first_score(const redis_value& reply) {
    const auto& e = reply.check().as_array();
    if (e.size() < 2) return std::nullopt;
    return parse_score(e[1]);
}

}  // namespace

reminder_store::reminder_store(redis_connection& redis, std::string prefix)
    : redis_(redis), prefix_(std::move(prefix)) {}

std::string reminder_store::key(std::string_view name) const { return prefix_ + std::string(name); }
std::string reminder_store::owner_key(std::int64_t owner_id) const {
    return prefix_ + "owner:" + std::to_string(owner_id);
}
// KEYS of the per-owner scripts: due, lease, owner index.
std::vector<std::string> reminder_store::zset_keys(std::int64_t owner_id) const {
    return make_argv(key("due"), key("lease"), owner_key(owner_id));
}

awaitable<void> reminder_store::schedule(const schedule_plan& plan) {
    std::vector<std::string> args{prefix_, std::to_string(plan.owner_id), std::to_string(plan.chat_id), plan.run_id,
                                  key("wake"), std::to_string(plan.reminders.size())};
    for (const auto& r : plan.reminders) {
        if (r.kind.empty() || r.kind.find(':') != std::string::npos)
            throw std::invalid_argument("reminder kind must be non-empty and contain no ':'");
        args.insert(args.end(), {r.kind, std::to_string(r.offset.count()), r.text});
    }
    co_await scripts::schedule().run(redis_, zset_keys(plan.owner_id), std::move(args));
}

awaitable<std::vector<reminder>> reminder_store::claim_due(std::size_t limit, std::chrono::milliseconds lease) {
    if (limit == 0) co_return std::vector<reminder>{};
    auto reply = co_await scripts::claim().run(redis_, make_argv(key("due"), key("lease")),
                                               make_argv(prefix_, std::to_string(limit), std::to_string(lease.count())));
    co_return parse_reminders(reply);
}

awaitable<void> reminder_store::ack(const reminder& r) {
    co_await scripts::ack().run(redis_, zset_keys(r.owner_id), make_argv(prefix_, r.id));
}

awaitable<void> reminder_store::retry_later(const reminder& r, std::chrono::milliseconds delay) {
    co_await scripts::retry_later().run(redis_, make_argv(key("due"), key("lease")),
                                        make_argv(prefix_, r.id, std::to_string(delay.count())));
}

awaitable<std::optional<std::int64_t>> reminder_store::next_due_ms() {
    std::vector<std::vector<std::string>> batch;
    batch.push_back(make_argv("ZRANGE", key("due"), "0", "0", "WITHSCORES"));
    batch.push_back(make_argv("ZRANGE", key("lease"), "0", "0", "WITHSCORES"));
    auto replies = co_await redis_.call_batch(std::move(batch));
    auto due = first_score(replies.at(0));
    auto lease = first_score(replies.at(1));
    if (due && lease) co_return std::min(*due, *lease);
    co_return due ? due : lease;
}

awaitable<std::int64_t> reminder_store::now_ms() {
    auto reply = co_await redis_.command("TIME");
    const auto& t = reply.as_array();
    co_return t.at(0).as_integer() * 1000 + t.at(1).as_integer() / 1000;
}

awaitable<std::vector<reminder>> reminder_store::list_for_owner(std::int64_t owner_id) {
    auto reply = co_await scripts::list_owner().run(redis_, zset_keys(owner_id), make_argv(prefix_));
    auto out = parse_reminders(reply);
    std::sort(out.begin(), out.end(), [](const reminder& a, const reminder& b) {
        return a.due_ms != b.due_ms ? a.due_ms < b.due_ms : a.id < b.id;
    });
    co_return out;
}

awaitable<bool> reminder_store::snooze(std::int64_t owner_id, const std::string& id, std::chrono::milliseconds by) {
    auto reply = co_await scripts::snooze().run(redis_, zset_keys(owner_id),
                                                make_argv(prefix_, id, std::to_string(by.count())));
    co_return reply.as_integer() == 1;
}

awaitable<bool> reminder_store::finish(std::int64_t owner_id, const std::string& id) {
    auto reply = co_await scripts::finish().run(redis_, zset_keys(owner_id), make_argv(prefix_, id));
    co_return reply.as_integer() == 1;
}

awaitable<std::size_t> reminder_store::cancel_all(std::int64_t owner_id) {
    auto reply = co_await scripts::cancel_all().run(redis_, zset_keys(owner_id), make_argv(prefix_));
    co_return static_cast<std::size_t>(reply.as_integer());
}

}  // namespace rb
