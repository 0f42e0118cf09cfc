// The rate limiter's promises, on a real io_context and the steady clock (no sockets): one chat's spacing or 429
// never delays another chat; a slot past the deadline is refused without being reserved; normal-priority callers
// cannot book the global slots far ahead of a reply.
#include "bot/telegram/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace rb {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

struct runner {
    net::io_context io;
    template <typename T>
    T run(awaitable<T> a) {
        auto f = net::co_spawn(io, std::move(a), net::use_future);
        io.restart();
        io.run();
        return f.get();
    }
};

TEST(RateLimiter, OneChatsSpacingDoesNotDelayAnotherChat) {
    runner r;
    rate_limiter limiter(rate_limits{true, 1.0, 1000.0});
    ASSERT_TRUE(r.run(limiter.acquire(1)).granted);
    // Chat 1's next slot is a second away; chat 2 goes at once.
    const auto start = clock::now();
    ASSERT_TRUE(r.run(limiter.acquire(2)).granted);
    EXPECT_LT(clock::now() - start, 200ms);
}

TEST(RateLimiter, OneChatsThrottleDoesNotPauseOthers) {
    runner r;
    rate_limiter limiter(rate_limits{true, 1000.0, 1000.0});
    EXPECT_FALSE(limiter.on_retry_after(5, 40s));
    EXPECT_GT(limiter.paused_until(5), clock::now() + 39s);
    const auto start = clock::now();
    ASSERT_TRUE(r.run(limiter.acquire(6)).granted);
    EXPECT_LT(clock::now() - start, 200ms);
}

// A 40 s throttle against a claim that ends in 2 s: refused at once, told when the chat may go, nothing reserved.
TEST(RateLimiter, ASlotPastTheDeadlineIsRefusedWithoutReservingIt) {
    runner r;
    rate_limiter limiter(rate_limits{true, 1.0, 30.0});
    limiter.on_retry_after(7, 40s);
    const auto start = clock::now();
    auto g = r.run(limiter.acquire(7, true, clock::now() + 2s));
    EXPECT_FALSE(g.granted);
    EXPECT_LT(clock::now() - start, 200ms);
    EXPECT_GT(g.retry_at, clock::now() + 39s);
    EXPECT_EQ(limiter.refusals(), 1u);
    // Nothing was reserved for chat 7's spacing, and other chats are free.
    ASSERT_TRUE(r.run(limiter.acquire(8, true, clock::now() + 2s)).granted);
}

TEST(RateLimiter, NormalPriorityCannotBookGlobalSlotsFarAhead) {
    runner r;
    rate_limits limits{true, 1000.0, 10.0};  // a global slot every 100 ms
    limits.normal_horizon = 250ms;
    int granted = 0, refused = 0;
    std::vector<std::future<rate_limiter::grant>> all;
    rate_limiter second(limits);
    for (int chat = 0; chat < 10; ++chat)
        all.push_back(net::co_spawn(r.io, second.acquire(chat, true, clock::time_point::max(), send_priority::normal),
                                    net::use_future));
    r.io.restart();
    r.io.run();
    for (auto& f : all) (f.get().granted ? granted : refused)++;
    EXPECT_LE(granted, 4);  // about horizon / interval + 1
    EXPECT_GE(refused, 6);
    // A reply still gets a slot right behind those few.
    const auto start = clock::now();
    ASSERT_TRUE(r.run(second.acquire(99, true, clock::time_point::max(), send_priority::high)).granted);
    EXPECT_LT(clock::now() - start, 600ms);
}

TEST(RateLimiter, CallsThatAreNotMessagesOnlyWaitForPauses) {
    runner r;
    rate_limiter limiter(rate_limits{true, 1.0, 1.0});
    ASSERT_TRUE(r.run(limiter.acquire(1)).granted);
    const auto start = clock::now();
    ASSERT_TRUE(r.run(limiter.acquire(1, false)).granted);  // answerCallbackQuery: no message slot
    EXPECT_LT(clock::now() - start, 200ms);
}

}  // namespace
}  // namespace rb
