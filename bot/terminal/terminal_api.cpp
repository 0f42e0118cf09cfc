// The local Bot API server (see terminal_api.hpp). Everything runs on one strand: it is one runner's chat,
// so simplicity beats parallelism, and the strand is what guards the wake timer. A held getUpdates waits
// on `wake` (never expiring) or its own deadline; a queued update posts wake.cancel() onto the strand, which
// runs after any wait already registered, so no update is missed between the check and the wait.
#include "bot/terminal/terminal_api.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <mutex>

#include "bot/process/log.hpp"

namespace rb {

namespace http = beast::http;
using json = nlohmann::json;
using namespace net::experimental::awaitable_operators;
using namespace std::chrono_literals;

struct terminal_api::state {
    state(net::io_context& ioc, std::string t, std::int64_t first_update_id)
        : strand(net::make_strand(ioc)),
          acceptor(strand, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)),
          wake(strand),
          token(std::move(t)),
          conversation(first_update_id) {
        wake.expires_at(std::chrono::steady_clock::time_point::max());
        port = acceptor.local_endpoint().port();
    }

    net::strand<net::any_io_executor> strand;
    tcp::acceptor acceptor;  // guarded by strand
    net::steady_timer wake;  // guarded by strand; cancelled whenever an update is queued
    const std::string token;
    terminal_conversation conversation;  // has its own mutex
    std::uint16_t port = 0;
    std::atomic<bool> stopped{false};
    std::mutex output_mutex;  // guards output; held while it runs, so ~terminal_api waits out a print
    terminal_output output;
};

namespace {

using state_ptr = std::shared_ptr<terminal_api::state>;

struct reply {
    http::status status = http::status::ok;
    std::string body;
};

constexpr auto idle_timeout = 10min;  // a keep-alive connection of the bot's pool, idle between reminders
constexpr auto write_timeout = 30s;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

reply ok(json result) { return {http::status::ok, dump({{"ok", true}, {"result", std::move(result)}})}; }

reply error(const terminal_api_error& e) {
    return {static_cast<http::status>(e.code),
            dump({{"ok", false}, {"error_code", e.code}, {"description", e.description}})};
}

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// "/bot<token>/<method>[?query]" -> the method, lower-case (Telegram's method names are case-insensitive).
std::optional<std::string> method_of(std::string_view target, const std::string& token) {
    target = target.substr(0, target.find('?'));
    const std::string prefix = "/bot" + token + "/";
    if (!target.starts_with(prefix)) return std::nullopt;
    std::string method(target.substr(prefix.size()));
    if (method.empty() || method.find('/') != std::string::npos) return std::nullopt;
    std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
    return method;
}

std::string url_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

void add_form(json& params, std::string_view form) {
    while (!form.empty()) {
        const auto amp = form.find('&');
        const std::string_view pair = form.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos) params[url_decode(pair.substr(0, eq))] = url_decode(pair.substr(eq + 1));
        form = amp == std::string_view::npos ? std::string_view{} : form.substr(amp + 1);
    }
}

// Like Telegram: parameters from the query string, a JSON body, or a form body.
json params_of(const http::request<http::string_body>& req) {
    json params = json::object();
    const std::string_view target = req.target();
    if (const auto q = target.find('?'); q != std::string_view::npos) add_form(params, target.substr(q + 1));
    const std::string& body = req.body();
    const auto first = body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && body[first] == '{') {
        json parsed = json::parse(body, nullptr, false);
        if (parsed.is_object()) params.update(parsed);
    } else if (first != std::string::npos) {
        add_form(params, body);
    }
    return params;
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

reply delivered(terminal_api::state& st, std::variant<terminal_bot_message, terminal_api_error> outcome,
                terminal_event::kind what) {
    if (auto* e = std::get_if<terminal_api_error>(&outcome)) return error(*e);
    auto& m = std::get<terminal_bot_message>(outcome);
    json result = m.message;
    emit(st, terminal_event{what, std::move(m), {}});
    return ok(std::move(result));
}

reply answer_callback(terminal_api::state& st, const json& params) {
    if (!params.contains("callback_query_id"))
        return error({400, "Bad Request: query is too old or query ID is invalid"});
    if (params.contains("text") && params["text"].is_string() && !params["text"].get<std::string>().empty()) {
        emit(st, terminal_event{terminal_event::kind::toast, {}, params["text"].get<std::string>()});
    }
    return ok(true);
}

// Every method but getUpdates answers at once. Methods the bot merely configures Telegram with
// (setMyCommands, deleteWebhook, ...) have nothing to do here and succeed.
reply call(terminal_api::state& st, const std::string& method, const json& params) {
    if (method == "getme") return ok(terminal_conversation::bot_user());
    if (method == "sendmessage") return delivered(st, st.conversation.send(params), terminal_event::kind::message);
    if (method == "editmessagetext") return delivered(st, st.conversation.edit(params), terminal_event::kind::edit);
    if (method == "answercallbackquery") return answer_callback(st, params);
    if (method == "getwebhookinfo")
        return ok({{"url", ""}, {"has_custom_certificate", false}, {"pending_update_count", 0}});
    return ok(true);
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

awaitable<reply> respond(state_ptr st, const http::request<http::string_body>& req) {
    const auto method = method_of(req.target(), st->token);
    if (!method) co_return error({404, "Not Found"});
    const json params = params_of(req);
    if (*method == "getupdates") co_return ok(co_await long_poll(st, params));
    co_return call(*st, *method, params);
}

// One keep-alive connection of the bot's client. Any read or write error ends it.
awaitable<void> session(state_ptr st, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(terminal_api::max_body_bytes);
        stream.expires_after(idle_timeout);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, as_tuple_awaitable);
        if (ec) co_return;
        const auto& req = parser.get();
        reply r = co_await respond(st, req);
        http::response<http::string_body> res{r.status, req.version()};
        res.set(http::field::content_type, "application/json");
        res.keep_alive(req.keep_alive());
        res.body() = std::move(r.body);
        res.prepare_payload();
        stream.expires_after(write_timeout);
        auto [wec, wn] = co_await http::async_write(stream, res, as_tuple_awaitable);
        if (wec || !res.keep_alive()) co_return;
    }
}

void log_crash(std::exception_ptr e) {
    if (!e) return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        log_event(log_level::error, "terminal_api_crashed", {{"error", ex.what()}});
    }
}

awaitable<void> accept_loop(state_ptr st) {
    for (;;) {
        auto [ec, socket] = co_await st->acceptor.async_accept(as_tuple_awaitable);
        if (ec == net::error::operation_aborted || !st->acceptor.is_open()) co_return;
        if (ec) {  // e.g. out of descriptors: pause rather than spin
            net::steady_timer pause(st->strand, 100ms);
            co_await pause.async_wait(as_tuple_awaitable);
            continue;
        }
        net::co_spawn(st->strand, session(st, std::move(socket)), log_crash);
    }
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
    net::co_spawn(state_->strand, accept_loop(state_), log_crash);
}

terminal_api::~terminal_api() {
    state_->conversation.set_on_update(nullptr);
    state_->stopped = true;
    {
        std::lock_guard lock(state_->output_mutex);
        state_->output = nullptr;
    }
    net::post(state_->strand, [st = state_] {
        error_code ignored;
        st->acceptor.close(ignored);
        st->wake.cancel();
    });
}

std::uint16_t terminal_api::port() const { return state_->port; }

std::string terminal_api::root() const { return "http://127.0.0.1:" + std::to_string(state_->port); }

terminal_conversation& terminal_api::conversation() { return state_->conversation; }

}  // namespace rb
