// An io_context on background threads for e2e client tests, and sync(): run one coroutine on it and wait.
// Declare it before anything that owns sockets on it, so it is destroyed last.
#pragma once

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "net/asio.hpp"

namespace rb::test {

class io_thread {
public:
    // Two threads by default, so the code under test meets real concurrency.
    explicit io_thread(int threads = 2) : guard_(net::make_work_guard(ioc_)) {
        for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
    }
    ~io_thread() {
        guard_.reset();
        ioc_.stop();
        for (auto& t : threads_) t.join();
    }
    io_thread(const io_thread&) = delete;
    io_thread& operator=(const io_thread&) = delete;

    net::any_io_executor executor() { return ioc_.get_executor(); }

    template <class T>
    std::future<T> spawn(awaitable<T> a) {
        return net::co_spawn(ioc_, std::move(a), net::use_future);
    }

    // Runs a to completion; a test that would otherwise hang fails after `limit` instead.
    template <class T>
    T sync(awaitable<T> a, std::chrono::seconds limit = std::chrono::seconds(60)) {
        auto f = spawn(std::move(a));
        if (f.wait_for(limit) != std::future_status::ready) throw std::runtime_error("coroutine did not finish");
        return f.get();
    }

private:
    net::io_context ioc_;
    net::executor_work_guard<net::io_context::executor_type> guard_;
    std::vector<std::thread> threads_;
};

}  // namespace rb::test
