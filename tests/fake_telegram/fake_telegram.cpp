// fake_telegram: the fake's handler on the shared HTTP core (bot_api_server), on the fake's own io_context
// thread; decisions and records live in fake_state.cpp behind its mutex. Faults (hang, drop, slow) are carried
// out here, in the test build only.
#include "tests/fake_telegram/fake_telegram.hpp"

#include <boost/beast/http.hpp>
#include <stdexcept>

#include "tests/fake_telegram/fake_state.hpp"

namespace rb::test {

using clock = std::chrono::steady_clock;

namespace {

// getUpdates: answers as soon as an update with update_id >= offset is queued, or with [] after timeout.
// Polls the queue every few milliseconds: simpler than a cross-thread wake and fast enough for tests.
awaitable<std::string> long_poll(fake_telegram::state* st, const fake_reply& r) {
    auto until = clock::now() + r.timeout;
    net::steady_timer timer(co_await net::this_coro::executor);
    for (;;) {
        if (auto body = st->take_updates(r.offset, r.limit)) co_return *body;
        if (clock::now() >= until) co_return std::string(R"({"ok":true,"result":[]})");
        timer.expires_after(std::chrono::milliseconds(5));
        co_await timer.async_wait(as_tuple_awaitable);
    }
}

// A held call: answered never; the connection stays open until the fake stops (its io_context ends the wait).
awaitable<void> hang() {
    net::steady_timer forever(co_await net::this_coro::executor, clock::time_point::max());
    co_await forever.async_wait(as_tuple_awaitable);
}

// The fake's handler on the shared HTTP core: record and decide (fake_state.cpp), then carry the decision out.
awaitable<bot_api_answer> respond(fake_telegram::state* st, bot_api_request request) {
    auto reply = st->decide(request);
    if (reply.action == fake_reply::what::hang) {
        co_await hang();
        co_return bot_api_answer{0, {}, true};
    }
    if (reply.action == fake_reply::what::drop) co_return bot_api_answer{0, {}, true};
    if (reply.action == fake_reply::what::long_poll) reply.body = co_await long_poll(st, reply);
    if (reply.delay.count() > 0) {
        net::steady_timer timer(co_await net::this_coro::executor, reply.delay);
        co_await timer.async_wait(as_tuple_awaitable);
    }
    co_return bot_api_answer{reply.status, std::move(reply.body), false};
}

}  // namespace

fake_telegram::fake_telegram(fake_options options) : state_(std::make_unique<state>()) {
    state_->options = options;
    if (!options.record_file.empty()) {
        state_->record_out.open(options.record_file, std::ios::app);
        if (!state_->record_out) throw std::runtime_error("fake_telegram: cannot open " + options.record_file);
    }
    state_->server.emplace(state_->ioc.get_executor(),
                           [st = state_.get()](bot_api_request request) { return respond(st, std::move(request)); });
    state_->thread = std::thread([st = state_.get()] { st->ioc.run(); });
}

fake_telegram::~fake_telegram() { stop(); }

// Stops the thread; open sockets (hung ones included) close when the io_context and its coroutines are
// destroyed with the state, so a client waiting on a hung call sees the connection drop then.
void fake_telegram::stop() {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->stopped) return;
        state_->stopped = true;
    }
    net::post(state_->ioc, [st = state_.get()] { st->ioc.stop(); });
    if (state_->thread.joinable()) state_->thread.join();
}

std::uint16_t fake_telegram::port() const { return state_->server->port(); }

std::string fake_telegram::root() const { return state_->server->root(); }

void fake_telegram::add_fault(fault f) {
    std::lock_guard lock(state_->mutex);
    state_->faults.push_back(std::move(f));
}

void fake_telegram::clear_faults() {
    std::lock_guard lock(state_->mutex);
    state_->faults.clear();
}

std::int64_t fake_telegram::push_update(nlohmann::json update) {
    std::lock_guard lock(state_->mutex);
    if (!update.contains("update_id")) update["update_id"] = state_->next_update_id;
    auto id = update["update_id"].get<std::int64_t>();
    state_->next_update_id = std::max(state_->next_update_id, id + 1);
    state_->updates.push_back(std::move(update));
    return id;
}

void fake_telegram::set_webhook_status(std::int64_t pending_update_count, std::string last_error_message) {
    std::lock_guard lock(state_->mutex);
    state_->pending_update_count = pending_update_count;
    state_->last_error_message = std::move(last_error_message);
}

std::vector<recorded_call> fake_telegram::calls(std::string_view method) const {
    std::lock_guard lock(state_->mutex);
    std::vector<recorded_call> out;
    for (const auto& c : state_->calls)
        if (method.empty() || c.method == method) out.push_back(c);
    return out;
}

std::size_t fake_telegram::count(std::string_view method) const {
    std::lock_guard lock(state_->mutex);
    if (method.empty()) return state_->calls.size();
    return static_cast<std::size_t>(std::count_if(state_->calls.begin(), state_->calls.end(),
                                                  [&](const recorded_call& c) { return c.method == method; }));
}

bool fake_telegram::wait_for(std::string_view method, std::size_t n, std::chrono::milliseconds timeout) const {
    auto until = clock::now() + timeout;
    std::unique_lock lock(state_->mutex);
    auto enough = [&] {
        if (method.empty()) return state_->calls.size() >= n;
        std::size_t k = 0;
        for (const auto& c : state_->calls) k += c.method == method;
        return k >= n;
    };
    return state_->cv.wait_until(lock, until, enough);
}

void fake_telegram::clear_calls() {
    std::lock_guard lock(state_->mutex);
    state_->calls.clear();
}

}  // namespace rb::test
