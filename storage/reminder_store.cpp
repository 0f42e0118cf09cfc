// reminder_store: the domain verbs over the Lua scripts in scripts.cpp. Nothing here reads the local clock;
// every time is TIME on the Redis server, so instances with skewed clocks agree on when a reminder is due.
#include "storage/reminder_store.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "storage/ack_batcher.hpp"
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

[[noreturn]] void bad_record(const char* what) {
    throw boost::system::system_error(make_error_code(storage_errc::unexpected_reply), what);
}

// Splits off the integer before the next '|' of a record.
std::int64_t take_field(std::string_view& rest) {
    auto bar = rest.find('|');
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + (bar == std::string_view::npos ? 0 : bar), v);
    if (bar == std::string_view::npos || ec != std::errc{} || end != rest.data() + bar) bad_record("reminder record");
    rest.remove_prefix(bar + 1);
    return v;
}

// id = "<owner>:<run>:<kind>" (kind has no ':'), record = "due|created|attempt|chat|text" (see scripts.cpp).
reminder parse_reminder(const std::string& id, std::string_view rec) {
    reminder r;
    r.id = id;
    auto first = id.find(':'), last = id.rfind(':');
    if (first == std::string::npos || first == last) bad_record("reminder id");
    std::string_view owner(id.data(), first);
    auto [end, ec] = std::from_chars(owner.data(), owner.data() + owner.size(), r.owner_id);
    if (ec != std::errc{} || end != owner.data() + owner.size()) bad_record("reminder id");
    r.run_id = id.substr(first + 1, last - first - 1);
    r.kind = id.substr(last + 1);
    r.due_ms = take_field(rec);
    r.created_ms = take_field(rec);
    r.attempt = static_cast<int>(take_field(rec));
    r.chat_id = take_field(rec);
    r.text = std::string(rec);
    return r;
}

// The scripts return reminders as pairs of id and record.
std::vector<reminder> parse_reminders(const redis_value& reply) {
    const auto& e = reply.as_array();
    if (e.size() % 2 != 0) bad_record("reminder pairs");
    std::vector<reminder> out;
    out.reserve(e.size() / 2);
    for (std::size_t i = 0; i < e.size(); i += 2) out.push_back(parse_reminder(e[i].as_string(), e[i + 1].as_string()));
    return out;
}

// A lowest score of ZRANGE key 0 0 WITHSCORES, if the zset has one.
std::optional<std::int64_t> first_score(const redis_value& reply) {
    const auto& e = reply.check().as_array();
    if (e.size() < 2) return std::nullopt;
    return parse_score(e[1]);
}

std::string_view mode_name(plan_mode mode) {
    switch (mode) {
        case plan_mode::replace: return "replace";
        case plan_mode::edit: return "edit";
        case plan_mode::replan: return "replan";
    }
    return "replace";
}

}  // namespace

reminder_store::reminder_store(redis_connection& redis, std::string prefix)
    : redis_(redis), prefix_(std::move(prefix)), acks_(std::make_shared<ack_batcher>(redis_, prefix_)) {}

std::string reminder_store::key(std::string_view name) const { return prefix_ + std::string(name); }
std::string reminder_store::owner_key(std::int64_t owner_id) const {
    return prefix_ + "owner:" + std::to_string(owner_id);
}
std::string reminder_store::plan_key(std::int64_t owner_id) const {
    return prefix_ + "plan:" + std::to_string(owner_id);
}
// KEYS of the per-owner scripts: due, lease, owner index.
std::vector<std::string> reminder_store::zset_keys(std::int64_t owner_id) const {
    return make_argv(key("due"), key("lease"), owner_key(owner_id));
}

awaitable<void> reminder_store::schedule(const schedule_plan& plan) {
    auto owner = std::to_string(plan.owner_id);
    auto chat = std::to_string(plan.chat_id) + "|";
    if (plan.mode == plan_mode::replan && !plan.anchor_ms) throw std::invalid_argument("a re-plan needs its anchor");
    std::vector<std::string> args{prefix_,
                                  key("wake"),
                                  std::to_string(plan.reminders.size()),
                                  std::string(mode_name(plan.mode)),
                                  std::to_string(plan.anchor_ms.value_or(0)),
                                  plan.basis};
    for (const auto& r : plan.reminders) {
        if (r.kind.empty() || r.kind.find(':') != std::string::npos)
            throw std::invalid_argument("reminder kind must be non-empty and contain no ':'");
        args.insert(args.end(), {owner + ":" + plan.run_id + ":" + r.kind, std::to_string(r.offset.count()), chat + r.text});
    }
    auto keys = zset_keys(plan.owner_id);
    keys.push_back(plan_key(plan.owner_id));
    co_await scripts::schedule().run(redis_, std::move(keys), std::move(args));
}

awaitable<std::string> reminder_store::plan_basis(std::int64_t owner_id) {
    auto reply = co_await redis_.command("GET", plan_key(owner_id));
    co_return reply.is_nil() ? std::string() : reply.as_string();
}

awaitable<std::vector<reminder>> reminder_store::claim_due(std::size_t limit, std::chrono::milliseconds lease) {
    if (limit == 0) co_return std::vector<reminder>{};
    limit = std::min<std::size_t>(limit, 1000);  // the script unpacks this many ids onto Lua's stack
    auto reply = co_await scripts::claim().run(redis_, make_argv(key("due"), key("lease")),
                                               make_argv(prefix_, std::to_string(limit), std::to_string(lease.count())));
    co_return parse_reminders(reply);
}

awaitable<void> reminder_store::ack(const reminder& r) {
    co_await acks_->ack(r.id, r.owner_id);
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
    auto keys = zset_keys(owner_id);
    keys.push_back(plan_key(owner_id));
    auto reply = co_await scripts::cancel_all().run(redis_, std::move(keys), make_argv(prefix_));
    co_return static_cast<std::size_t>(reply.as_integer());
}

}  // namespace rb
