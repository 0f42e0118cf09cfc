// Connecting and logging in to Redis on an Asio socket, with one deadline for the whole handshake (a steady_timer
// raced with `||`: Boost 1.81 has no cancel_after). hiredis is used only through resp.hpp.
#include "storage/redis_stream.hpp"

#include <array>

namespace rb {
namespace {

using namespace net::experimental::awaitable_operators;

[[noreturn]] void unavailable(const std::string& why) {
    throw boost::system::system_error(make_error_code(storage_errc::unavailable), why);
}

awaitable<void> connect_socket(stream_socket& socket, const redis_url& url) {
    if (url.kind == redis_url::transport::unix_socket) {
        co_await socket.async_connect(net::local::stream_protocol::endpoint(url.path), use_awaitable);
        co_return;
    }
    tcp::resolver resolver(socket.get_executor());
    auto results = co_await resolver.async_resolve(url.host, std::to_string(url.port), use_awaitable);
    error_code last = net::error::host_not_found;
    for (const auto& entry : results) {
        if (socket.is_open()) socket.close();
        auto [ec] = co_await socket.async_connect(entry.endpoint(), as_tuple_awaitable);
        if (!ec) {
            socket.set_option(tcp::no_delay(true));
            co_return;
        }
        last = ec;
    }
    throw boost::system::system_error(last);
}

std::vector<std::vector<std::string>> login_commands(const redis_url& url) {
    std::vector<std::vector<std::string>> cmds;
    if (!url.password.empty()) {
        if (url.username.empty())
            cmds.push_back({"AUTH", url.password});
        else
            cmds.push_back({"AUTH", url.username, url.password});
    }
    if (url.db != 0) cmds.push_back({"SELECT", std::to_string(url.db)});
    return cmds;
}

awaitable<void> connect_and_login(stream_socket& socket, resp_reader& reader, const redis_url& url) {
    try {
        co_await connect_socket(socket, url);
    } catch (const boost::system::system_error& e) {
        unavailable("connect to " + url.redacted() + ": " + e.code().message());
    }
    auto cmds = login_commands(url);
    if (cmds.empty()) co_return;
    for (const auto& reply : co_await exchange(socket, reader, cmds)) reply.check();
}

// Asio's `||` waits for the first *successful* branch, so a failure is returned as a value to end the race at once.
awaitable<std::exception_ptr> login_outcome(stream_socket& socket, resp_reader& reader, const redis_url& url) {
    try {
        co_await connect_and_login(socket, reader, url);
    } catch (...) {
        co_return std::current_exception();
    }
    co_return nullptr;
}

}  // namespace

awaitable<void> open_redis_stream(stream_socket& socket, resp_reader& reader, const redis_url& url,
                                  std::chrono::milliseconds timeout) {
    reader.reset();
    net::steady_timer deadline(socket.get_executor());
    deadline.expires_after(timeout);
    auto result = co_await (login_outcome(socket, reader, url) || deadline.async_wait(use_awaitable));
    if (result.index() == 0) {
        if (auto failure = std::get<0>(result)) std::rethrow_exception(failure);
    } else {
        error_code ignored;
        socket.close(ignored);
        unavailable("connect to " + url.redacted() + ": timed out");
    }
}

awaitable<std::vector<redis_value>> exchange(stream_socket& socket, resp_reader& reader,
                                             const std::vector<std::vector<std::string>>& commands) {
    std::string out;
    for (const auto& argv : commands) format_command(out, argv);
    co_await net::async_write(socket, net::buffer(out), use_awaitable);
    std::vector<redis_value> replies;
    while (replies.size() < commands.size()) replies.push_back(co_await read_one(socket, reader));
    co_return replies;
}

awaitable<redis_value> read_one(stream_socket& socket, resp_reader& reader) {
    std::array<char, 16 * 1024> buf;
    for (;;) {
        if (auto v = reader.next()) co_return std::move(*v);
        auto n = co_await socket.async_read_some(net::buffer(buf), use_awaitable);
        reader.feed(buf.data(), n);
    }
}

}  // namespace rb
