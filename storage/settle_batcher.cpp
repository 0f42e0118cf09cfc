// settle_batcher: callers park a completion handler in a queue under a mutex; one flush coroutine at a time sends
// what is queued as one settle_many script call and completes each parked caller on its own executor.
// The script answers 1 or 0 per item (its token held, or the claim was lost), so each caller learns its own outcome.
#include "storage/settle_batcher.hpp"

#include <map>

#include "storage/scripts.hpp"

namespace rb {
namespace {

// With REDIS_REPLICA_ACKS, an ack waits until a replica holds it too, so a failover right after a send is less
// likely to send the message again. Best effort: the ack is already on the primary, and calling it failed would
// make the dispatcher send the message again for certain, which is the very thing the wait is there to avoid.
awaitable<void> wait_for_replicas(redis_connection& redis, std::uint64_t session) {
    try {
        co_await redis.wait_replicated(session);
    } catch (const std::exception&) {
    }
}

}  // namespace

awaitable<bool> settle_batcher::settle(std::string id, std::int64_t token, bool keep_copy) {
    return net::async_initiate<decltype(use_awaitable), void(std::exception_ptr, bool)>(
        [self = shared_from_this()](auto handler, std::string id, std::int64_t token, bool keep_copy) {
            auto caller = net::get_associated_executor(handler);
            self->enqueue(item_ptr(new item{std::move(id), token, keep_copy, caller, std::move(handler)}));
        },
        use_awaitable, std::move(id), token, keep_copy);
}

void settle_batcher::enqueue(item_ptr it) {
    auto ex = it->caller;
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(it));
        if (flushing_) return;
        flushing_ = true;
    }
    net::co_spawn(ex, flush(shared_from_this()), net::detached);
}

std::vector<settle_batcher::item_ptr> settle_batcher::take_batch() {
    std::lock_guard lock(mutex_);
    std::vector<item_ptr> batch;
    if (queue_.empty()) {
        flushing_ = false;
        return batch;
    }
    auto n = std::min(queue_.size(), max_batch);
    batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + n));
    queue_.erase(queue_.begin(), queue_.begin() + n);
    return batch;
}

awaitable<void> settle_batcher::flush(std::shared_ptr<settle_batcher> self) {
    for (auto batch = self->take_batch(); !batch.empty(); batch = self->take_batch()) {
        std::exception_ptr failure;
        std::vector<bool> held(batch.size(), false);
        try {
            std::vector<std::string> keys{self->keys_.lease()};
            std::map<std::int64_t, std::size_t> owner_index;  // owner -> its index among the owner KEYS
            std::vector<std::string> args;
            for (const auto& it : batch) {
                reminder_id_parts parts;
                if (!split_reminder_id(it->id, parts)) continue;  // not one of ours: nothing to settle
                auto [pos, fresh] = owner_index.try_emplace(parts.owner, keys.size());
                if (fresh) keys.push_back(self->keys_.owner(parts.owner));
                args.insert(args.end(), {it->id, std::to_string(it->token), std::to_string(pos->second),
                                         it->keep_copy ? "1" : "0"});
            }
            if (!args.empty()) {
                const auto session = self->redis_.session();
                auto reply = co_await scripts::settle_many().run(self->redis_, std::move(keys), std::move(args));
                co_await wait_for_replicas(self->redis_, session);
                const auto& flags = reply.as_array();
                std::size_t f = 0;
                for (std::size_t i = 0; i < batch.size(); ++i) {
                    reminder_id_parts parts;
                    if (split_reminder_id(batch[i]->id, parts) && f < flags.size())
                        held[i] = flags[f++].as_integer() == 1;
                }
            }
        } catch (...) {
            failure = std::current_exception();
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            auto& it = batch[i];
            auto caller = it->caller;
            net::post(caller, [it = std::move(it), failure, ok = bool(held[i])]() mutable {
                std::move(it->handler)(failure, ok);
            });
        }
    }
}

}  // namespace rb
