// wake_subscription: SUBSCRIBE <p>wake on a connection of its own, re-established with the same capped backoff
// as redis_connection. Wakes are hints: the channel keeps at most one unread value and drops the rest, since a
// dispatcher that wakes re-reads next_due_ms() anyway.
#include "storage/wake_subscription.hpp"

#include <boost/asio/experimental/concurrent_channel.hpp>

#include "storage/redis_stream.hpp"
#include "storage/sentinel_client.hpp"

namespace rb {

using wake_channel = net::experimental::concurrent_channel<void(error_code, std::int64_t)>;

// Everything but subscribed_ and the (thread-safe) channel is guarded by strand_.
struct wake_subscription::impl : std::enable_shared_from_this<impl> {
    impl(net::any_io_executor ex, redis_target target, std::string channel, redis_options options)
        : strand_(net::make_strand(ex)),
          target_(std::move(target)),
          channel_(std::move(channel)),
          options_(options),
          socket_(strand_, target_.tls),
          locator_(target_),
          backoff_timer_(strand_),
          wakes_(ex, 1) {}

    net::strand<net::any_io_executor> strand_;
    const redis_target target_;
    std::string channel_;
    redis_options options_;
    redis_socket socket_;
    primary_locator locator_;
    net::steady_timer backoff_timer_;
    resp_reader reader_;
    wake_channel wakes_;
    bool stopped_ = false;
    std::atomic<bool> subscribed_{false};

    void notify(std::int64_t due_ms) { wakes_.try_send(error_code{}, due_ms); }

    // One subscribed session: returns when the connection breaks.
    awaitable<void> listen() {
        std::vector<std::vector<std::string>> subscribe;
        subscribe.push_back(make_argv("SUBSCRIBE", channel_));
        auto replies = co_await exchange(socket_, reader_, subscribe);
        replies.at(0).check();
        subscribed_ = true;
        notify(0);  // wakes may have been missed while not subscribed
        for (;;) {
            auto v = co_await read_one(socket_, reader_);
            const auto& e = v.as_array();
            if (e.size() == 3 && e[0].as_string() == "message") notify(e[2].as_integer());
        }
    }

    awaitable<void> run() {
        reconnect_backoff backoff(options_);
        while (!stopped_) {
            try {
                const redis_url where = co_await locator_.locate(strand_, options_.connect_timeout);
                co_await open_redis_stream(socket_, reader_, where, options_.connect_timeout);
                if (stopped_) break;  // stop() came while connecting
                backoff.reset();
                co_await listen();
            } catch (const std::exception&) {
                // Lost or refused; retried below. The dispatcher's poll covers the gap.
            }
            subscribed_ = false;
            socket_.close();
            if (stopped_) break;
            backoff_timer_.expires_after(backoff.next());
            co_await backoff_timer_.async_wait(as_tuple_awaitable);
        }
        wakes_.close();
    }

    void shutdown() {
        stopped_ = true;
        socket_.close();
        backoff_timer_.cancel();
        wakes_.close();
    }
};

wake_subscription::wake_subscription(net::any_io_executor ex, redis_target target, std::string channel,
                                     redis_options options)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(target), std::move(channel), options)) {
    net::co_spawn(impl_->strand_, impl_->run(), [keep = impl_](std::exception_ptr) {});
}

wake_subscription::~wake_subscription() { stop(); }

void wake_subscription::stop() {
    net::post(impl_->strand_, [self = impl_] { self->shutdown(); });
}

bool wake_subscription::subscribed() const noexcept { return impl_->subscribed_; }

awaitable<std::int64_t> wake_subscription::next() {
    auto [ec, due_ms] = co_await impl_->wakes_.async_receive(as_tuple_awaitable);
    if (ec) throw boost::system::system_error(make_error_code(storage_errc::unavailable), "wake subscription stopped");
    co_return due_ms;
}

}  // namespace rb
