// update_store: the read pipeline and the commit script's arguments (see update_store.hpp and scripts.cpp).
#include "storage/update_store.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

#include "handlers/delivery/delivery_policy.hpp"
#include "storage/reminder_record.hpp"
#include "storage/scripts.hpp"
#include "storage/settings_codec.hpp"

namespace rb {
namespace {

using nlohmann::json;

std::string_view mode_name(plan_mode mode) {
    switch (mode) {
        case plan_mode::replace:
            return "replace";
        case plan_mode::edit:
            return "edit";
        case plan_mode::replan:
            return "replan";
    }
    return "replace";
}

void same_owner(std::int64_t expected, std::int64_t got) {
    if (expected != got) throw std::invalid_argument("an action for another owner in one commit");
}

void add_plan(std::vector<std::string>& argv, const schedule_plan& p) {
    if (p.run_id.empty() || p.run_id.find_first_of(":|") != std::string::npos)
        throw std::invalid_argument("a plan's run id must be non-empty and hold no ':' or '|'");
    if (p.mode == plan_mode::replan && !p.anchor_ms) throw std::invalid_argument("a re-plan needs its anchor");
    argv.insert(argv.end(), {"plan", std::string(mode_name(p.mode)), p.run_id, std::to_string(p.chat_id),
                             std::to_string(p.anchor_ms.value_or(0)), p.basis, std::to_string(p.reminders.size())});
    for (const auto& r : p.reminders) {
        if (r.kind.empty() || r.kind.find_first_of(":|") != std::string::npos)
            throw std::invalid_argument("a reminder kind must be non-empty and hold no ':' or '|'");
        argv.insert(argv.end(), {r.kind, std::to_string(r.offset.count()),
                                 std::to_string(static_cast<int>(lane_of(r.kind))), r.text});
    }
}

// The storage action as commit ops appended to argv (scripts.hpp); outbound calls add nothing (they come as
// outbox entries).
void add_op(std::vector<std::string>& argv, const action& a, std::int64_t owner) {
    std::visit(
        [&argv, owner](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, schedule_plan>) {
                same_owner(owner, v.owner_id);
                add_plan(argv, v);
            } else if constexpr (std::is_same_v<T, cancel_all_reminders>) {
                same_owner(owner, v.owner_id);
                argv.emplace_back("cancel");
            } else if constexpr (std::is_same_v<T, snooze_reminder>) {
                same_owner(owner, v.owner_id);
                argv.insert(argv.end(),
                            {"snooze", v.reminder_id, std::to_string(std::max<std::int64_t>(v.by.count(), 0))});
            } else if constexpr (std::is_same_v<T, finish_reminder>) {
                same_owner(owner, v.owner_id);
                argv.insert(argv.end(), {"finish", v.reminder_id});
            } else if constexpr (std::is_same_v<T, save_settings>) {
                same_owner(owner, v.owner_id);
                auto fields = settings_to_fields(v.settings);
                argv.insert(argv.end(), {"settings", std::to_string(fields.size() / 2)});
                argv.insert(argv.end(), std::make_move_iterator(fields.begin()), std::make_move_iterator(fields.end()));
            } else if constexpr (std::is_same_v<T, forget_owner>) {
                same_owner(owner, v.owner_id);
                argv.emplace_back("forget");
            } else if constexpr (std::is_same_v<T, deactivate_owner>) {
                same_owner(owner, v.owner_id);
                argv.emplace_back("deactivate");
            }
        },
        a);
}

// Outbox ids must be unique for ever: "u<update_id>" when the commit is an update's (an update commits once),
// otherwise a random number drawn once per process and a counter.
std::string outbox_run(std::optional<std::int64_t> update_id) {
    if (update_id) return "u" + std::to_string(*update_id);
    static const std::uint64_t process = std::random_device{}() * 0x100000000ULL + std::random_device{}();
    static std::atomic<std::uint64_t> counter{0};
    return "x" + std::to_string(process) + "-" + std::to_string(counter.fetch_add(1));
}

std::string two_digits(std::size_t n) { return n < 10 ? "0" + std::to_string(n) : std::to_string(n); }

}  // namespace

update_store::update_store(redis_connection& redis, redis_keys keys) : redis_(redis), keys_(std::move(keys)) {}

awaitable<owner_snapshot> update_store::load(std::optional<std::int64_t> update_id, std::int64_t owner_id) {
    std::vector<std::vector<std::string>> batch;
    if (update_id) batch.push_back(make_argv("EXISTS", keys_.seen(*update_id)));
    batch.push_back(make_argv("HGETALL", keys_.settings(owner_id)));
    batch.push_back(make_argv("HGETALL", keys_.owner(owner_id)));
    batch.push_back(make_argv("GET", keys_.plan(owner_id)));
    batch.push_back(make_argv("TIME"));
    batch.push_back(make_argv("TYPE", keys_.owner(owner_id)));
    auto replies = co_await redis_.call_batch(std::move(batch));
    std::size_t i = 0;
    owner_snapshot s;
    if (update_id) s.seen = replies[i++].check().as_integer() == 1;
    s.settings = settings_from_hash(replies[i++]);
    // A set where the owner's hash belongs is the pending index of the layout before 2.0: the commit removes it.
    const bool legacy_index = replies.back().is_error() == false && replies.back().as_string() == "set";
    static const redis_value no_fields = redis_value{redis_value::type::array, 0, {}, {}};
    const auto& fields = legacy_index ? no_fields.as_array() : replies[i].check().as_array();
    ++i;
    for (std::size_t f = 0; f + 1 < fields.size(); f += 2) {
        const auto& id = fields[f].as_string();
        if (id.starts_with("sent:")) continue;
        auto r = parse_reminder_record(id, fields[f + 1].as_string());
        if (!r || r->owner_id != owner_id) {
            s.unreadable.push_back(id);
        } else if (!is_reply_kind(r->kind)) {
            s.pending.push_back(std::move(*r));
        }
    }
    std::sort(s.pending.begin(), s.pending.end(), [](const reminder& a, const reminder& b) {
        return a.due_ms != b.due_ms ? a.due_ms < b.due_ms : a.id < b.id;
    });
    const auto& basis = replies[i++].check();
    if (!basis.is_nil()) s.plan_basis = basis.as_string();
    const auto& t = replies[i].check().as_array();
    s.now_ms = t.at(0).as_integer() * 1000 + t.at(1).as_integer() / 1000;
    co_return s;
}

awaitable<commit_result> update_store::commit(std::optional<std::int64_t> update_id, std::int64_t owner_id,
                                              const std::vector<action>& actions,
                                              const std::vector<outbound_entry>& outbox,
                                              const std::vector<std::string>& quarantine) {
    std::vector<std::string> args{update_id ? "1" : "0", keys_.wake(), std::to_string(owner_id),
                                  std::to_string(seen_ttl_s)};
    for (const auto& a : actions) add_op(args, a, owner_id);
    if (!outbox.empty()) {
        const std::string prefix = std::to_string(owner_id) + ":" + outbox_run(update_id) + ".";
        for (std::size_t n = 0; n < outbox.size(); ++n) {
            if (!is_reply_kind(outbox[n].kind)) throw std::invalid_argument("an outbox entry of an unknown kind");
            // Two digits keep a chat's replies in order: ids of equal due time are claimed in byte order.
            args.insert(args.end(), {"send", prefix + two_digits(n) + ":" + outbox[n].kind,
                                     std::to_string(outbox[n].chat_id), outbox[n].call});
        }
    }
    if (!quarantine.empty()) {
        args.insert(args.end(), {"quarantine", std::to_string(quarantine.size())});
        args.insert(args.end(), quarantine.begin(), quarantine.end());
    }
    std::vector<std::string> keys{update_id ? keys_.seen(*update_id) : keys_.seen(-1),
                                  keys_.settings(owner_id),
                                  keys_.owner(owner_id),
                                  keys_.plan(owner_id),
                                  keys_.due(0),
                                  keys_.due(1),
                                  keys_.due(2),
                                  keys_.lease(),
                                  keys_.quarantine()};
    const auto session = redis_.session();
    auto reply = co_await scripts::commit().run(redis_, std::move(keys), std::move(args));
    // With REDIS_REPLICA_ACKS, the update is answered only once a replica holds its commit (a duplicate too: its
    // first commit may be the one still on its way).
    co_await redis_.wait_replicated(session);
    const auto& r = reply.as_array();
    commit_result out;
    out.status = r.at(0).as_integer() == 1 ? commit_status::applied : commit_status::duplicate;
    if (const auto due = r.at(1).as_integer(); due >= 0) out.earliest_due_ms = due;
    co_return out;
}

awaitable<void> update_store::dead_letter(std::int64_t update_id, std::string_view body, std::string_view reason) {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    json entry{{"update_id", update_id},
               {"reason", std::string(reason)},
               {"body", std::string(body.substr(0, dead_letter_body_bytes))},
               {"at_ms", std::chrono::duration_cast<std::chrono::milliseconds>(now).count()}};
    if (body.size() > dead_letter_body_bytes) entry["body_bytes"] = body.size();  // the body was cut here
    auto text = entry.dump(-1, ' ', false, json::error_handler_t::replace);
    std::vector<std::vector<std::string>> batch;
    batch.push_back(make_argv("LPUSH", keys_.dead(), std::move(text)));
    batch.push_back(make_argv("LTRIM", keys_.dead(), "0", std::to_string(dead_letter_count - 1)));
    auto replies = co_await redis_.call_batch(std::move(batch));
    for (const auto& r : replies) r.check();
}

}  // namespace rb
