// The local Bot API server (see terminal_api.hpp): the methods, on the shared HTTP core (bot_api_server). Everything
// runs on one strand (the server is given it as its executor): it is one runner's chat, so simplicity beats
// parallelism, and the strand is what guards the wake timer. A held getUpdates waits
// on `wake` (never expiring) or its own deadline; a queued update posts wake.cancel() onto the strand, which
// runs after any wait already registered, so no update is missed between the check and the wait.
#include "bot/terminal/terminal_api.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <cctype>
#include <mutex>

#include "bot/terminal/bot_api_server.hpp"

namespace rb {

using json = nlohmann::json;
using namespace net::experimental::awaitable_operators;
using namespace std::chrono_literals;

struct terminal_api::state {
    state(net::io_context& ioc, std::string t, std::int64_t first_update_id)
        : strand(net::make_strand(ioc)), wake(strand), token(std::move(t)), conversation(first_update_id) {
        wake.expires_at(std::chrono::steady_clock::time_point::max());
    }

    net::strand<net::any_io_executor> strand;
    net::steady_timer wake;  // guarded by strand; cancelled whenever an update is queued
    const std::string token;
    terminal_conversation conversation;  // has its own mutex
    std::optional<bot_api_server> server;
    std::atomic<bool> stopped{false};
    std::mutex output_mutex;  // guards output; held while it runs, so ~terminal_api waits out a print
    terminal_output output;
};

namespace {

using state_ptr = std::shared_ptr<terminal_api::state>;

bot_api_answer error(const terminal_api_error& e) { return bot_api_error(e.code, e.description); }

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t int_or(const json& params, const char* key, std::int64_t fallback) {
    if (!params.contains(key)) return fallback;
    const json& v = params[key];
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (!v.is_string()) return fallback;
    try {
        return std::stoll(v.get<std::string>());
    } catch (const std::exception&) {
        return fallback;
    }
}

void emit(terminal_api::state& st, terminal_event event) {
    std::lock_guard lock(st.output_mutex);
    if (st.output) st.output(event);
}

bot_api_answer delivered(terminal_api::state& st, std::variant<terminal_bot_message, terminal_api_error> outcome,
                         terminal_event::kind what) {
    if (auto* e = std::get_if<terminal_api_error>(&outcome)) return error(*e);
    auto& m = std::get<terminal_bot_message>(outcome);
    json result = m.message;
    emit(st, terminal_event{what, std::move(m), {}});
    return bot_api_ok(std::move(result));
}

bot_api_answer answer_callback(terminal_api::state& st, const json& params) {
    if (!params.contains("callback_query_id"))
        return error({400, "Bad Request: query is too old or query ID is invalid"});
    if (params.contains("text") && params["text"].is_string() && !params["text"].get<std::string>().empty()) {
        emit(st, terminal_event{terminal_event::kind::toast, {}, params["text"].get<std::string>()});
    }
    return bot_api_ok(true);
}

// Every method but getUpdates answers at once. Methods the bot merely configures Telegram with
// (setMyCommands, deleteWebhook, ...) have nothing to do here and succeed.
bot_api_answer call(terminal_api::state& st, const std::string& method, const json& params) {
    if (method == "getme") return bot_api_ok(terminal_conversation::bot_user());
    if (method == "sendmessage") return delivered(st, st.conversation.send(params), terminal_event::kind::message);
    if (method == "editmessagetext") return delivered(st, st.conversation.edit(params), terminal_event::kind::edit);
    if (method == "answercallbackquery") return answer_callback(st, params);
    if (method == "getwebhookinfo")
        return bot_api_ok({{"url", ""}, {"has_custom_certificate", false}, {"pending_update_count", 0}});
    return bot_api_ok(true);
}

// getUpdates: returns as soon as an update at or past `offset` is queued, or [] when `timeout` runs out.
awaitable<json> long_poll(state_ptr st, const json& params) {
    const std::int64_t offset = int_or(params, "offset", 0);
    const int limit = static_cast<int>(std::clamp<std::int64_t>(int_or(params, "limit", 100), 1, 100));
    const auto timeout = std::chrono::seconds(
        std::clamp<std::int64_t>(int_or(params, "timeout", 0), 0, terminal_api::max_poll_timeout.count()));
    net::steady_timer deadline(st->strand, timeout);
    for (;;) {
        json got = st->conversation.take_updates(offset, limit);
        if (!got.empty() || st->stopped) co_return got;
        auto woke = co_await (st->wake.async_wait(as_tuple_awaitable) || deadline.async_wait(as_tuple_awaitable));
        if (woke.index() == 1) co_return st->conversation.take_updates(offset, limit);
    }
}

awaitable<bot_api_answer> respond(std::weak_ptr<terminal_api::state> weak, bot_api_request req) {
    auto st = weak.lock();
    if (!st || st->stopped) co_return bot_api_error(503, "Service Unavailable: the terminal chat has ended");
    if (req.token != st->token) co_return bot_api_error(404, "Not Found");
    std::string method = req.method;
    std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
    if (method == "getupdates") co_return bot_api_ok(co_await long_poll(st, req.params));
    co_return call(*st, method, req.params);
}

}  // namespace

// Update ids start at the wall clock in milliseconds, so ids never repeat across runs (see conversation).
terminal_api::terminal_api(net::io_context& ioc, terminal_output output, std::string token)
    : state_(std::make_shared<state>(ioc, std::move(token), unix_ms())) {
    state_->output = std::move(output);
    state_->conversation.set_on_update([weak = std::weak_ptr<state>(state_)] {
        auto st = weak.lock();
        if (!st) return;
        net::post(st->strand, [st] { st->wake.cancel(); });
    });
    state_->server.emplace(state_->strand, [weak = std::weak_ptr<state>(state_)](bot_api_request req) {
        return respond(weak, std::move(req));
    });
}

terminal_api::~terminal_api() {
    state_->conversation.set_on_update(nullptr);
    state_->stopped = true;
    {
        std::lock_guard lock(state_->output_mutex);
        state_->output = nullptr;
    }
    state_->server->close();
    net::post(state_->strand, [st = state_] { st->wake.cancel(); });
}

std::uint16_t terminal_api::port() const { return state_->server->port(); }

std::string terminal_api::root() const { return state_->server->root(); }

terminal_conversation& terminal_api::conversation() { return state_->conversation; }

}  // namespace rb
