// See committed_updates.hpp.
#include "bot/effects/committed_updates.hpp"

#include <algorithm>

namespace rb {

committed_updates::committed_updates(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {
    order_.reserve(std::min<std::size_t>(capacity_, 4096));
    ids_.reserve(std::min<std::size_t>(capacity_, 4096));
}

bool committed_updates::contains(std::int64_t update_id) const {
    std::lock_guard lock(mutex_);
    return ids_.count(update_id) != 0;
}

void committed_updates::add(std::int64_t update_id) {
    std::lock_guard lock(mutex_);
    if (!ids_.insert(update_id).second) return;
    if (order_.size() < capacity_) {
        order_.push_back(update_id);
        return;
    }
    ids_.erase(order_[next_]);
    order_[next_] = update_id;
    next_ = (next_ + 1) % capacity_;
}

}  // namespace rb
