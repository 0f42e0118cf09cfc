// The pipelined Redis connection: a FIFO of pending calls on one strand, a reader, a single batching writer and
// a deadline watchdog, re-established by a reconnect loop; with Sentinel, a second loop listens for failovers.
// See redis_connection.hpp for the contract.
#include "storage/redis_connection.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <deque>
#include <mutex>

#include "storage/redis_stream.hpp"
#include "storage/resp.hpp"
#include "storage/sentinel_client.hpp"

namespace rb {

using namespace net::experimental::awaitable_operators;
using steady = std::chrono::steady_clock;
using reply_handler = net::any_completion_handler<void(error_code, std::vector<redis_value>)>;

namespace {

// A caller waiting for its replies: the handler resumes its coroutine on `caller`, the executor it runs on.
struct waiter {
    net::any_io_executor caller;
    reply_handler handler;
};

struct pending_call {
    std::size_t expected = 1;
    std::vector<redis_value> replies;
    steady::time_point deadline;
    waiter who;
};

// Completes a call on the caller's executor, never inline on the strand.
void complete(waiter w, error_code ec, std::vector<redis_value> replies) {
    net::post(w.caller,
              [h = std::move(w.handler), ec, r = std::move(replies)]() mutable { std::move(h)(ec, std::move(r)); });
}

}  // namespace

// All members below the strand are guarded by it; state_, connects_ and last_error_ are read from any thread.
struct redis_connection::impl : std::enable_shared_from_this<impl> {
    impl(net::any_io_executor ex, redis_target target, redis_options options)
        : strand_(net::make_strand(ex)),
          target_(std::move(target)),
          options_(options),
          socket_(strand_, target_.tls),
          writer_wake_(strand_),
          watchdog_timer_(strand_),
          backoff_timer_(strand_),
          locator_(target_),
          switches_(strand_, target_, options_) {}

    net::strand<net::any_io_executor> strand_;
    const redis_target target_;
    redis_options options_;
    redis_socket socket_;
    net::steady_timer writer_wake_, watchdog_timer_, backoff_timer_;
    primary_locator locator_;
    switch_listener switches_;
    resp_reader reader_;
    std::string outbox_;                // formatted commands not yet handed to the socket
    std::deque<pending_call> pending_;  // written or in outbox_, replies expected in this order
    std::array<char, 64 * 1024> read_buf_;
    bool writer_idle_ = false;
    bool session_over_ = true;
    bool stopped_ = false;
    std::atomic<connection_state> state_{connection_state::connecting};
    std::atomic<std::uint64_t> connects_{0};
    std::atomic<std::uint64_t> session_id_{0};  // +1 per session: a WAIT vouches only for its own session's writes
    std::string announced_;                     // a primary the sentinels announced while no session was up

    // wait_replicated(): one WAIT in flight at a time. Redis serves nothing else on a connection while a WAIT
    // blocks it, so callers share WAITs: those that arrive while one is out wait for the next, which covers all of
    // their writes (it is sent after them on the same connection).
    struct replica_waiter {
        std::uint64_t session;
        waiter who;
    };
    bool wait_in_flight_ = false;
    std::vector<replica_waiter> next_wait_;
    mutable std::mutex error_mutex_;
    std::string last_error_;  // guarded by error_mutex_
    std::string primary_;     // guarded by error_mutex_

    void set_last_error(std::string e) {
        std::lock_guard lock(error_mutex_);
        last_error_ = std::move(e);
    }
    void set_primary(std::string p) {
        std::lock_guard lock(error_mutex_);
        primary_ = std::move(p);
    }
    std::string primary() const {
        std::lock_guard lock(error_mutex_);
        return primary_;
    }

    void enqueue(std::string bytes, std::size_t count, waiter who, steady::time_point deadline = {}) {
        if (stopped_ || state_ != connection_state::connected) {
            complete(std::move(who), storage_errc::unavailable, {});
            return;
        }
        outbox_ += bytes;
        if (deadline == steady::time_point{}) deadline = steady::now() + options_.call_timeout;
        pending_.push_back({count, {}, deadline, std::move(who)});
        if (writer_idle_) writer_wake_.cancel();
    }

    void fail_all(storage_errc why) {
        auto calls = std::move(pending_);
        pending_.clear();
        outbox_.clear();
        for (auto& c : calls) complete(std::move(c.who), why, {});
    }

    // Ends the current session once: everything pending fails with `why`, the loops see session_over_ and return.
    void end_session(storage_errc why, std::string reason) {
        if (session_over_) return;
        session_over_ = true;
        if (!stopped_) state_ = connection_state::backing_off;
        set_last_error(std::move(reason));
        socket_.close();
        writer_wake_.cancel();
        watchdog_timer_.cancel();
        fail_all(why);
        auto queued = std::move(next_wait_);
        next_wait_.clear();
        for (auto& w : queued) complete(std::move(w.who), storage_errc::not_replicated, {});
    }

    // The sentinels say the primary moved. Ends a session on the old one at once; a reconnect waiting out its
    // backoff goes now.
    void primary_switched(const std::string& to) {
        if (stopped_ || to == primary()) return;
        if (session_over_) announced_ = to;  // mid-connect: the connect in progress checks it (try_connect)
        end_session(storage_errc::connection_lost, "the sentinels moved the primary to " + to);
        backoff_timer_.cancel();
    }

    // Sends the next shared WAIT for everyone in next_wait_ (on the strand).
    void send_wait() {
        if (wait_in_flight_ || next_wait_.empty()) return;
        auto group = std::make_shared<std::vector<replica_waiter>>(std::move(next_wait_));
        next_wait_.clear();
        const int want = options_.replica_acks;
        const auto ms = options_.replica_ack_timeout.count();
        std::string bytes;
        format_command(bytes, make_argv("WAIT", std::to_string(want), std::to_string(ms)));
        wait_in_flight_ = true;
        auto self = shared_from_this();
        waiter internal{strand_, reply_handler([self, group, want](error_code ec, std::vector<redis_value> r) {
                            self->wait_in_flight_ = false;
                            std::int64_t got = -1;
                            if (!ec && !r.empty() && r.front().kind == redis_value::type::integer)
                                got = r.front().integer;
                            for (auto& w : *group) {
                                const bool ok = got >= want && w.session == self->session_id_;
                                complete(std::move(w.who),
                                         ok ? error_code{} : make_error_code(storage_errc::not_replicated), {});
                            }
                            self->send_wait();
                        })};
        enqueue(std::move(bytes), 1, std::move(internal));
    }

    void join_wait(std::uint64_t session, waiter who) {
        if (stopped_ || state_ != connection_state::connected || session != session_id_) {
            // The connection that carried the caller's writes is gone: a WAIT here would vouch for nothing.
            complete(std::move(who), storage_errc::not_replicated, {});
            return;
        }
        next_wait_.push_back({session, std::move(who)});
        send_wait();
    }

    // A demoted primary answers writes with READONLY; a replica that lost its primary answers MASTERDOWN.
    bool says_not_primary(const redis_value& v) const {
        if (!target_.sentinels.enabled() || !v.is_error()) return false;
        const auto at = v.text.find("READONLY");
        return v.text.starts_with("MASTERDOWN") || at < 32;  // npos is never < 32
    }

    void deliver(redis_value v) {
        if (pending_.empty()) {
            end_session(storage_errc::protocol, "reply without a pending call");
            return;
        }
        const bool demoted = says_not_primary(v);
        auto& call = pending_.front();
        call.replies.push_back(std::move(v));
        if (call.replies.size() < call.expected) return;
        auto who = std::move(call.who);
        auto replies = std::move(call.replies);
        pending_.pop_front();
        complete(std::move(who), {}, std::move(replies));
        if (demoted)
            end_session(storage_errc::connection_lost,
                        "the server answered READONLY or MASTERDOWN: not the primary any more; asking the sentinels");
    }

    awaitable<void> read_loop() {
        try {
            while (!session_over_) {
                auto [ec, n] = co_await socket_.async_read_some(net::buffer(read_buf_), as_tuple_awaitable);
                if (ec) {
                    end_session(storage_errc::connection_lost, "read: " + ec.message());
                    co_return;
                }
                reader_.feed(read_buf_.data(), n);
                for (auto v = reader_.next(); v && !session_over_; v = reader_.next()) deliver(std::move(*v));
            }
        } catch (const std::exception& e) {
            end_session(storage_errc::protocol, e.what());
        }
    }

    // The single writer: whatever calls queued while the previous write was in flight goes out as one write.
    awaitable<void> write_loop() {
        std::string writing;
        while (!session_over_) {
            if (outbox_.empty()) {
                writer_idle_ = true;
                writer_wake_.expires_at(net::steady_timer::time_point::max());
                co_await writer_wake_.async_wait(as_tuple_awaitable);
                writer_idle_ = false;
                continue;
            }
            writing.swap(outbox_);
            outbox_.clear();
            auto [ec, n] = co_await net::async_write(socket_, net::buffer(writing), as_tuple_awaitable);
            if (ec) end_session(storage_errc::connection_lost, "write: " + ec.message());
            writing.clear();
        }
    }

    // Calls complete in order, so the oldest pending call carries the nearest deadline. When it passes, the
    // connection is treated as dead: a reply that is late on a stream blocks every reply behind it.
    awaitable<void> watchdog() {
        auto tick = std::clamp(options_.call_timeout / 4, std::chrono::milliseconds(5), std::chrono::milliseconds(250));
        while (!session_over_) {
            watchdog_timer_.expires_after(tick);
            co_await watchdog_timer_.async_wait(as_tuple_awaitable);
            if (!session_over_ && !pending_.empty() && pending_.front().deadline <= steady::now())
                end_session(storage_errc::timeout, "a call passed its deadline; connection dropped");
        }
    }

    awaitable<void> session() {
        session_over_ = false;
        ++session_id_;
        state_ = connection_state::connected;
        co_await (read_loop() && write_loop() && watchdog());
    }

    awaitable<void> sleep(std::chrono::milliseconds d) {
        backoff_timer_.expires_after(d);
        co_await backoff_timer_.async_wait(as_tuple_awaitable);
    }

    awaitable<bool> try_connect() {
        state_ = connection_state::connecting;
        try {
            const redis_url where = co_await locator_.locate(strand_, options_.connect_timeout);
            co_await open_redis_stream(socket_, reader_, where, options_.connect_timeout, target_.sentinels.enabled());
            const std::string reached = where.kind == redis_url::transport::unix_socket
                                            ? where.path
                                            : where.host + ":" + std::to_string(where.port);
            if (!announced_.empty() && announced_ != reached) {
                // +switch-master arrived while this connect was on its way to the old primary.
                const std::string to = std::exchange(announced_, std::string());
                throw boost::system::system_error(make_error_code(storage_errc::unavailable),
                                                  "the sentinels moved the primary to " + to + " during the connect");
            }
            announced_.clear();
            set_primary(reached);
            co_return true;
        } catch (const std::exception& e) {
            set_last_error(e.what());
        }
        socket_.close();
        co_return false;
    }

    // The reconnect policy (see the header): connect, serve until the session ends, back off, repeat.
    awaitable<void> run() {
        reconnect_backoff backoff(options_);
        while (!stopped_) {
            if (co_await try_connect() && !stopped_) {
                backoff.reset();
                ++connects_;
                co_await session();
            }
            if (stopped_) break;
            state_ = connection_state::backing_off;
            co_await sleep(backoff.next());
        }
        socket_.close();
        state_ = connection_state::stopped;
    }

    void shutdown() {
        stopped_ = true;
        state_ = connection_state::stopped;
        end_session(storage_errc::unavailable, "stopped");
        fail_all(storage_errc::unavailable);
        backoff_timer_.cancel();
        switches_.stop();
        socket_.close();
    }
};

namespace {

// deadline: when the call fails with timeout; the default is call_timeout from now.
awaitable<std::vector<redis_value>> submit(std::shared_ptr<redis_connection::impl> self, std::string bytes,
                                           std::size_t count, steady::time_point deadline = {}) {
    if (self->state_ != connection_state::connected)
        throw boost::system::system_error(make_error_code(storage_errc::unavailable));
    return net::async_initiate<decltype(use_awaitable), void(error_code, std::vector<redis_value>)>(
        [self](auto handler, std::string bytes, std::size_t count, steady::time_point deadline) mutable {
            auto& strand = self->strand_;
            waiter who{net::get_associated_executor(handler, strand), reply_handler(std::move(handler))};
            net::post(strand,
                      [self = std::move(self), bytes = std::move(bytes), count, who = std::move(who),
                       deadline]() mutable { self->enqueue(std::move(bytes), count, std::move(who), deadline); });
        },
        use_awaitable, std::move(bytes), count, deadline);
}

bool lost_or_down(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const boost::system::system_error& e) {
        return e.code() == storage_errc::connection_lost || e.code() == storage_errc::unavailable;
    } catch (...) {
        return false;
    }
}

// submit(), sent once more after a failover (see the header): only with sentinels, only for a call that failed
// because the connection was lost or down, and only if a primary is back before the call's own deadline.
awaitable<std::vector<redis_value>> submit_following(std::shared_ptr<redis_connection::impl> self, std::string bytes,
                                                     std::size_t count) {
    if (!self->target_.sentinels.enabled()) co_return co_await submit(std::move(self), std::move(bytes), count);
    const auto until = steady::now() + self->options_.call_timeout;
    std::exception_ptr failure;
    try {
        co_return co_await submit(self, bytes, count);
    } catch (...) {
        failure = std::current_exception();
    }
    if (!lost_or_down(failure)) std::rethrow_exception(failure);
    net::steady_timer timer(co_await net::this_coro::executor);
    while (self->state_ != connection_state::connected && self->state_ != connection_state::stopped &&
           steady::now() < until) {
        timer.expires_after(std::chrono::milliseconds(5));
        co_await timer.async_wait(use_awaitable);
    }
    if (self->state_ != connection_state::connected) std::rethrow_exception(failure);
    // Resent within what is left of the first attempt's deadline, not a fresh one.
    co_return co_await submit(std::move(self), std::move(bytes), count, until);
}

}  // namespace

redis_connection::redis_connection(net::any_io_executor ex, redis_target target, redis_options options)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(target), options)) {
    net::co_spawn(impl_->strand_, impl_->run(), [keep = impl_](std::exception_ptr) {});
    if (impl_->target_.sentinels.enabled()) {
        std::weak_ptr<impl> weak = impl_;
        impl_->switches_.start([weak](const std::string& to) {
            if (auto self = weak.lock()) self->primary_switched(to);
        });
    }
}

redis_connection::~redis_connection() { stop(); }

void redis_connection::stop() {
    impl_->state_ = connection_state::stopped;
    net::post(impl_->strand_, [self = impl_] { self->shutdown(); });
}

awaitable<redis_value> redis_connection::call(std::vector<std::string> argv) {
    std::string bytes;
    format_command(bytes, argv);
    auto replies = co_await submit_following(impl_, std::move(bytes), 1);
    replies.front().check();
    co_return std::move(replies.front());
}

awaitable<std::vector<redis_value>> redis_connection::call_batch(std::vector<std::vector<std::string>> commands) {
    if (commands.empty()) co_return std::vector<redis_value>{};
    std::string bytes;
    for (const auto& argv : commands) format_command(bytes, argv);
    co_return co_await submit_following(impl_, std::move(bytes), commands.size());
}

std::uint64_t redis_connection::session() const noexcept { return impl_->session_id_; }

awaitable<void> redis_connection::wait_replicated(std::uint64_t since_session) {
    const int want = impl_->options_.replica_acks;
    if (want <= 0) co_return;
    const auto ms = impl_->options_.replica_ack_timeout.count();
    // As submit(), but the call joins the shared WAIT (impl::join_wait) instead of being written itself.
    auto [ec, unused] =
        co_await net::async_initiate<decltype(as_tuple_awaitable), void(error_code, std::vector<redis_value>)>(
            [](auto handler, std::shared_ptr<impl> self, std::uint64_t session) {
                auto& strand = self->strand_;
                waiter who{net::get_associated_executor(handler, strand), reply_handler(std::move(handler))};
                net::post(strand, [self = std::move(self), session, who = std::move(who)]() mutable {
                    self->join_wait(session, std::move(who));
                });
            },
            as_tuple_awaitable, impl_, since_session);
    if (ec)
        throw boost::system::system_error(ec, std::to_string(want) + " replica(s) did not acknowledge within " +
                                                  std::to_string(ms) +
                                                  " ms, or the connection changed since the write");
}

awaitable<bool> redis_connection::wait_connected(std::chrono::milliseconds timeout) {
    net::steady_timer timer(co_await net::this_coro::executor);
    auto end = steady::now() + timeout;
    while (!connected() && state() != connection_state::stopped && steady::now() < end) {
        timer.expires_after(std::chrono::milliseconds(5));
        co_await timer.async_wait(use_awaitable);
    }
    co_return connected();
}

bool redis_connection::connected() const noexcept { return impl_->state_ == connection_state::connected; }
connection_state redis_connection::state() const noexcept { return impl_->state_; }
std::uint64_t redis_connection::reconnects() const noexcept {
    auto n = impl_->connects_.load();
    return n == 0 ? 0 : n - 1;
}
std::string redis_connection::last_error() const {
    std::lock_guard lock(impl_->error_mutex_);
    return impl_->last_error_;
}
std::string redis_connection::primary() const { return impl_->primary(); }
std::string redis_connection::describe() const { return impl_->target_.describe(); }

const char* to_string(connection_state s) noexcept {
    switch (s) {
        case connection_state::connecting:
            return "connecting";
        case connection_state::connected:
            return "connected";
        case connection_state::backing_off:
            return "backing_off";
        case connection_state::stopped:
            return "stopped";
    }
    return "unknown";
}

}  // namespace rb
