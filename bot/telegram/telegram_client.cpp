// telegram_client: the call loop (limits, 429 pauses, retries) and the generic request; typed calls that
// only build JSON bodies live in telegram_methods.cpp.
#include "bot/telegram/telegram_client.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "bot/process/log.hpp"
#include "bot/process/metrics.hpp"
#include "bot/telegram/connection_pool.hpp"

namespace rb {

using clock = std::chrono::steady_clock;

telegram_client::telegram_client(net::any_io_executor ex, client_options options)
    : options_(std::move(options)), limiter_(options_.limits) {
    std::string reason;
    auto root = parse_api_root(options_.api_root, &reason);
    if (!root) throw std::invalid_argument("telegram_api_root: " + reason);
    target_prefix_ = root->base_path + "/bot" + options_.token + "/";
    pool_ = std::make_unique<connection_pool>(std::move(ex), std::move(*root), options_.max_idle_connections);
}

telegram_client::~telegram_client() = default;

// Retry policy, per call:
//  - 429: the limiter pauses the chat (or all chats) for parameters.retry_after; the next attempt waits in
//    acquire() for that pause, so no request for that chat leaves before retry_after has passed. At most
//    max_throttled 429s are honoured, then the 429 is returned (the dispatcher reschedules in Redis).
//  - transient (5xx, timeout, dropped connection): capped exponential backoff with jitter, at most
//    max_attempts requests in all, never past how.deadline.
//  - ok, blocked (403), failed (other 4xx): returned at once; retrying cannot change them.
//  - the limiter cannot give a slot before how.deadline: returned as retry_after without a request.
awaitable<api_result> telegram_client::call(std::string method, nlohmann::json body, call_options how) {
    const std::string payload = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    int failures = 0, throttled = 0, attempts = 0;
    for (;;) {
        ++attempts;
        const bool slot = how.counts_as_message && !(attempts == 1 && how.slot_taken);
        const auto granted = co_await limiter_.acquire(how.chat_id, slot, how.deadline, how.priority);
        if (!granted.granted) {
            // No slot before the deadline: nothing was sent. The caller hands the message back for later.
            api_result r;
            r.status = api_status::retry_after;
            r.retry_after = std::max(std::chrono::seconds(1),
                                     std::chrono::ceil<std::chrono::seconds>(granted.retry_at - clock::now()));
            r.description = "no send slot before the deadline";
            r.attempts = attempts - 1;
            co_return r;
        }
        auto r = co_await attempt(method, payload, how);
        r.attempts = attempts;
        count(method, r);
        if (r.status == api_status::retry_after) {
            r.global_pause = limiter_.on_retry_after(how.chat_id, r.retry_after);
            if (!how.retry || ++throttled > options_.max_throttled || clock::now() + r.retry_after >= how.deadline)
                co_return r;
            log_event(log_level::info, "telegram_throttled",
                      {{"method", method},
                       {"retry_after_s", static_cast<std::int64_t>(r.retry_after.count())},
                       {"global", r.global_pause}});
            continue;
        }
        if (r.status != api_status::transient || !how.retry || ++failures >= options_.max_attempts) co_return r;
        auto wait = backoff(failures);
        if (clock::now() + wait >= how.deadline) co_return r;
        log_event(log_level::debug, "telegram_retry",
                  {{"method", method},
                   {"http_status", r.http_status},
                   {"reason", r.description},
                   {"wait_ms", static_cast<std::int64_t>(wait.count())}});
        net::steady_timer timer(co_await net::this_coro::executor, wait);
        co_await timer.async_wait(as_tuple_awaitable);
    }
}

awaitable<api_result> telegram_client::attempt(const std::string& method, const std::string& body,
                                               const call_options& how) {
    auto deadline = std::min(how.deadline, clock::now() + options_.request_timeout + how.extra_timeout);
    if (deadline <= clock::now()) co_return classify_error(make_error_code(net::error::timed_out));
    auto reply = co_await pool_->post(target_prefix_ + method, body, deadline);
    auto r = reply.ec ? classify_error(reply.ec) : classify_reply(reply.status, reply.body);
    r.description = redact_token(r.description, options_.token);
    co_return r;
}

// Full jitter over the upper half: spreads retries of a burst so they do not hit the API in lockstep.
std::chrono::milliseconds telegram_client::backoff(int failures) const {
    auto base = options_.backoff_initial.count() << std::min(failures - 1, 20);
    auto capped = std::min<std::int64_t>(base, options_.backoff_cap.count());
    thread_local std::minstd_rand rng{std::random_device{}()};
    std::uniform_int_distribution<std::int64_t> half(capped / 2, std::max<std::int64_t>(capped, 1));
    return std::chrono::milliseconds(half(rng));
}

namespace {

// The Bot API methods the bot calls, each with its slot in call_counts_; any other goes to the registry directly.
constexpr std::array<std::string_view, 12> known_methods{
    "sendMessage",    "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "getMe",
    "getUpdates",     "setWebhook",      "deleteWebhook",          "getWebhookInfo",      "setMyCommands",
    "sendChatAction", "deleteMessage"};

static_assert(static_cast<std::size_t>(api_status::failed) < 5, "call_counts_ has 5 outcomes per method");

}  // namespace

void telegram_client::count(const std::string& method, const api_result& r) {
    if (!options_.metrics) return;
    auto resolve = [&]() -> counter& {
        return options_.metrics->counter_for("telegram_calls_total", "Bot API requests by method and outcome",
                                             {{"method", method}, {"outcome", std::string(to_string(r.status))}});
    };
    const auto known = std::find(known_methods.begin(), known_methods.end(), method);
    if (known == known_methods.end()) {
        resolve().inc();
        return;
    }
    const auto slot = static_cast<std::size_t>(known - known_methods.begin()) * 5 + static_cast<std::size_t>(r.status);
    call_counts_->at(slot, resolve).inc();
}

}  // namespace rb
