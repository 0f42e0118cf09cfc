// Shared by the integration tests: an io_context on two threads, run_sync() to await a coroutine from a test
// body, and redis_test, a fixture on a dedicated DB of the shared server (RB_TEST_REDIS_URL) or of a private one.
// The DB (RB_TEST_REDIS_DB, default 9) must hold nothing but this fixture's marker; it is flushed before each test.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "net/asio.hpp"
#include "storage/redis_connection.hpp"
#include "tests/support/redis_server.hpp"

namespace rb::test {

using namespace std::chrono_literals;

// An io_context run by `threads` threads until destroyed.
class io_runner {
public:
    explicit io_runner(int threads = 2) : guard_(net::make_work_guard(io_)) {
        for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
    }
    ~io_runner() {
        guard_.reset();
        io_.stop();
        for (auto& t : threads_) t.join();
    }
    net::any_io_executor executor() { return io_.get_executor(); }

private:
    net::io_context io_;
    net::executor_work_guard<net::io_context::executor_type> guard_;
    std::vector<std::thread> threads_;
};

// Runs a coroutine on `ex` and blocks until it finishes (at most 60 s); rethrows its exception.
template <typename T>
T run_sync(net::any_io_executor ex, awaitable<T> a) {
    auto fut = net::co_spawn(ex, std::move(a), net::use_future);
    if (fut.wait_for(60s) != std::future_status::ready) throw std::runtime_error("run_sync: timed out");
    return fut.get();
}

// Fast reconnects and short deadlines, so failure tests finish quickly.
inline redis_options test_options() {
    redis_options o;
    o.connect_timeout = 500ms;
    o.call_timeout = 2000ms;
    o.backoff_min = 20ms;
    o.backoff_max = 200ms;
    return o;
}

redis_url shared_redis_url();  // RB_TEST_REDIS_URL (or a private server's) with the dedicated DB selected

class redis_test : public ::testing::Test {
public:
    static constexpr std::string_view marker_key = "rb-test:fixture";  // the one key a test DB holds at rest

protected:
    void SetUp() override;
    void TearDown() override;

    template <typename T>
    T sync(awaitable<T> a) {
        return run_sync(io_.executor(), std::move(a));
    }
    redis_value cmd(std::vector<std::string> argv) { return sync(redis_->call(std::move(argv))); }

    io_runner io_;
    std::unique_ptr<redis_connection> redis_;
};

}  // namespace rb::test
