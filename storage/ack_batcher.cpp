// ack_batcher: callers park a completion handler in a queue under a mutex; one flush coroutine at a time sends
// what is queued as one ack_many script call and completes each parked caller on its own executor.
#include "storage/ack_batcher.hpp"

#include "storage/scripts.hpp"

namespace rb {

awaitable<void> ack_batcher::ack(std::string id, std::int64_t owner_id) {
    return net::async_initiate<decltype(use_awaitable), void(std::exception_ptr)>(
        [self = shared_from_this()](auto handler, std::string id, std::int64_t owner_id) {
            auto caller = net::get_associated_executor(handler);
            self->enqueue(item_ptr(new item{std::move(id), owner_id, caller, std::move(handler)}));
        },
        use_awaitable, std::move(id), owner_id);
}

void ack_batcher::enqueue(item_ptr it) {
    auto ex = it->caller;
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(it));
        if (flushing_) return;
        flushing_ = true;
    }
    net::co_spawn(ex, flush(shared_from_this()), net::detached);
}

std::vector<ack_batcher::item_ptr> ack_batcher::take_batch() {
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

awaitable<void> ack_batcher::flush(std::shared_ptr<ack_batcher> self) {
    for (auto batch = self->take_batch(); !batch.empty(); batch = self->take_batch()) {
        std::vector<std::string> args{self->prefix_};
        for (const auto& it : batch) args.insert(args.end(), {it->id, std::to_string(it->owner_id)});
        std::exception_ptr failure;
        try {
            auto keys = make_argv(self->prefix_ + "due", self->prefix_ + "lease");
            co_await scripts::ack_many().run(self->redis_, std::move(keys), std::move(args));
        } catch (...) {
            failure = std::current_exception();
        }
        for (auto& it : batch) {
            auto caller = it->caller;
            net::post(caller, [it = std::move(it), failure]() mutable { std::move(it->handler)(failure); });
        }
    }
}

}  // namespace rb
