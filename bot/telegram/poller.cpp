// The long-polling loop (see poller.hpp).
#include "bot/telegram/poller.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "bot/process/log.hpp"

namespace rb {

using namespace net::experimental::awaitable_operators;
using std::chrono::milliseconds;

poller::poller(net::any_io_executor ex, telegram_client& client, update_handler handler, poller_options options)
    : strand_(net::make_strand(ex)),
      client_(client),
      handler_(std::move(handler)),
      options_(std::move(options)),
      stop_timer_(strand_) {
    stop_timer_.expires_at(std::chrono::steady_clock::time_point::max());
}

awaitable<void> poller::run() { co_await net::co_spawn(strand_, loop(), use_awaitable); }

void poller::stop() {
    net::post(strand_, [this] {
        stopping_ = true;
        stop_timer_.cancel();
    });
}

// Each poll races the stop timer, so stop() does not wait out a 25 s long poll. Telegram confirms updates
// by the offset of the next getUpdates: an update is confirmed only after handle_batch stored it.
awaitable<void> poller::loop() {
    log_event(log_level::info, "polling_started", {{"timeout_s", static_cast<std::int64_t>(options_.timeout.count())}});
    while (!stopping_) {
        auto poll = client_.get_updates(offset_, options_.timeout, options_.allowed_updates);
        auto outcome = co_await (std::move(poll) || stop_timer_.async_wait(as_tuple_awaitable));
        if (outcome.index() == 1 || stopping_) break;
        const auto& r = std::get<0>(outcome);
        bool ok = r.ok() && r.result.is_array();
        if (!ok) {
            log_event(failures_ == 0 ? log_level::warn : log_level::debug, "polling_failed",
                      {{"outcome", to_string(r.status)},
                       {"http_status", static_cast<int>(r.http_status)},
                       {"description", r.description}});
        }
        if (ok) ok = co_await handle_batch(r.result);
        if (ok) {
            failures_ = 0;
        } else {
            co_await back_off();
        }
    }
    log_event(log_level::info, "polling_stopped", {{"offset", offset_}});
}

// Hands updates to the pipeline in order. An update the pipeline could not store (Redis unavailable) stops
// the batch without moving the offset: Telegram gives it, and the ones after it, back on the next poll.
// Every other status (handled, duplicate, ignored, bad request, dead letter) is final for that update.
awaitable<bool> poller::handle_batch(const nlohmann::json& updates) {
    for (const auto& u : updates) {
        auto id_it = u.find("update_id");
        if (!u.is_object() || id_it == u.end() || !id_it->is_number_integer()) continue;  // unusable
        const auto id = id_it->get<std::int64_t>();
        if (id < offset_) continue;
        pipeline_result res = co_await handler_(u.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        if (res.status == pipeline_status::unavailable) {
            log_event(log_level::warn, "polling_update_deferred", {{"update_id", id}, {"reason", res.reason}});
            co_return false;
        }
        offset_ = id + 1;
    }
    co_return true;
}

// Capped exponential backoff after a failed poll or a deferred update; stop() cuts it short.
awaitable<void> poller::back_off() {
    auto wait = options_.backoff_initial * (1LL << std::min(failures_, 16));
    ++failures_;
    wait = std::min<milliseconds>(wait, options_.backoff_cap);
    net::steady_timer timer(strand_, wait);
    co_await (timer.async_wait(as_tuple_awaitable) || stop_timer_.async_wait(as_tuple_awaitable));
}

}  // namespace rb
