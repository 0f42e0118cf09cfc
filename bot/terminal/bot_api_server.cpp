// The local Bot API's HTTP side (see bot_api_server.hpp): accept loop, keep-alive sessions, Telegram's three
// ways of passing parameters.
#include "bot/terminal/bot_api_server.hpp"

#include <boost/beast/http.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include "bot/process/log.hpp"

namespace rb {

namespace http = beast::http;
using json = nlohmann::json;
using namespace std::chrono_literals;

struct bot_api_server::state {
    state(net::any_io_executor ex, bot_api_handler h)
        : acceptor(ex, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)), handler(std::move(h)) {
        port = acceptor.local_endpoint().port();
    }
    tcp::acceptor acceptor;  // used on the executor only
    bot_api_handler handler;
    std::uint16_t port = 0;
};

namespace {

using state_ptr = std::shared_ptr<bot_api_server::state>;

constexpr auto idle_timeout = 10min;  // a keep-alive connection of the bot's pool, idle between reminders
constexpr auto write_timeout = 30s;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// key=value&... as HTML forms and query strings write it (Boost.URL; '+' is a space). Telegram ignores what it
// cannot read, and so does this: a malformed form adds no parameters.
void add_form(json& params, std::string_view form) {
    auto parsed = boost::urls::parse_query(form);
    if (!parsed) return;
    boost::urls::encoding_opts opt;
    opt.space_as_plus = true;
    for (const auto& p : boost::urls::params_view(*parsed, opt))
        if (p.has_value) params[p.key] = p.value;
}

// "/bot<token>/<method>[?query]" and its parameters, or nullopt for any other target.
std::optional<bot_api_request> read_request(const http::request<http::string_body>& req) {
    bot_api_request out;
    out.target = std::string(req.target());
    std::string_view path = req.target();
    const auto q = path.find('?');
    path = path.substr(0, q);
    if (!path.starts_with("/bot")) return std::nullopt;
    path.remove_prefix(4);
    const auto slash = path.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == path.size()) return std::nullopt;
    if (path.find('/', slash + 1) != std::string_view::npos) return std::nullopt;
    out.token = std::string(path.substr(0, slash));
    out.method = std::string(path.substr(slash + 1));
    out.params = json::object();
    if (q != std::string_view::npos) add_form(out.params, req.target().substr(q + 1));
    const std::string& body = req.body();
    const auto first = body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && body[first] == '{') {
        json parsed = json::parse(body, nullptr, false);
        if (parsed.is_object()) {
            out.params.update(parsed);
        }
    } else if (first != std::string::npos) {
        add_form(out.params, body);
    }
    return out;
}

// One keep-alive connection. Any read or write error ends it.
awaitable<void> session(state_ptr st, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(bot_api_server::max_body_bytes);
        stream.expires_after(idle_timeout);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, as_tuple_awaitable);
        if (ec) co_return;
        const auto& req = parser.get();
        // No co_await inside ?: here: with GCC 12 that freed the answer twice (a crash in every terminal test).
        bot_api_answer answer = bot_api_error(404, "Not Found");
        if (auto request = read_request(req)) answer = co_await st->handler(std::move(*request));
        if (answer.close_without_answer) {
            error_code ignored;
            stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
            co_return;
        }
        http::response<http::string_body> res{static_cast<http::status>(answer.status), req.version()};
        res.set(http::field::content_type, "application/json");
        res.keep_alive(req.keep_alive());
        res.body() = std::move(answer.body);
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
        log_event(log_level::error, "bot_api_server_crashed", {{"error", ex.what()}});
    }
}

awaitable<void> accept_loop(state_ptr st) {
    for (;;) {
        auto [ec, socket] = co_await st->acceptor.async_accept(as_tuple_awaitable);
        if (ec == net::error::operation_aborted || !st->acceptor.is_open()) co_return;
        if (ec) {  // e.g. out of descriptors: pause rather than spin
            net::steady_timer pause(st->acceptor.get_executor(), 100ms);
            co_await pause.async_wait(as_tuple_awaitable);
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        net::co_spawn(st->acceptor.get_executor(), session(st, std::move(socket)), log_crash);
    }
}

}  // namespace

bot_api_answer bot_api_error(unsigned status, std::string_view description, int retry_after_s) {
    json j{{"ok", false}, {"error_code", status}, {"description", description}};
    if (retry_after_s > 0) j["parameters"] = {{"retry_after", retry_after_s}};
    return {status, dump(j)};
}

bot_api_answer bot_api_ok(json result) { return {200, dump({{"ok", true}, {"result", std::move(result)}})}; }

bot_api_server::bot_api_server(net::any_io_executor ex, bot_api_handler handler)
    : state_(std::make_shared<state>(std::move(ex), std::move(handler))) {
    net::co_spawn(state_->acceptor.get_executor(), accept_loop(state_), log_crash);
}

void bot_api_server::close() {
    net::post(state_->acceptor.get_executor(), [st = state_] {
        error_code ignored;
        st->acceptor.close(ignored);
    });
}

std::uint16_t bot_api_server::port() const { return state_->port; }

std::string bot_api_server::root() const { return "http://127.0.0.1:" + std::to_string(state_->port); }

}  // namespace rb
