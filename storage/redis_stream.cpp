// Connecting and logging in to Redis on an Asio socket, with one deadline for the whole handshake (a steady_timer
// raced with `||`: Boost 1.81 has no cancel_after). hiredis is used only through resp.hpp.
#include "storage/redis_stream.hpp"

#include <array>
#include <boost/asio/ssl/error.hpp>

namespace rb {
namespace {

using namespace net::experimental::awaitable_operators;

[[noreturn]] void unavailable(const std::string& why) {
    throw boost::system::system_error(make_error_code(storage_errc::unavailable), why);
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

// "TLS handshake: certificate verify failed" alone sends an operator looking in the wrong place: say what to check.
std::string connect_failure(const redis_url& url, const boost::system::system_error& e) {
    // what() is "<context>: <message> [<category>:<value> at <source location>]"; the bracket is for developers.
    std::string what = e.what();
    if (auto bracket = what.rfind(" ["); bracket != std::string::npos && what.back() == ']') what.resize(bracket);
    std::string why = "connect to " + url.redacted() + ": " + what;
    if (url.tls && (e.code().category() == net::error::get_ssl_category() ||
                    e.code().category() == net::ssl::error::get_stream_category()))
        why +=
            " (is REDIS_CA_FILE the CA that signed the server's certificate, and does the certificate name "
            "the host in the URL?)";
    return why;
}

awaitable<void> connect_and_login(redis_socket& socket, resp_reader& reader, const redis_url& url,
                                  bool must_be_primary) {
    try {
        co_await socket.connect(url);
    } catch (const boost::system::system_error& e) {
        unavailable(connect_failure(url, e));
    }
    auto cmds = login_commands(url);
    if (must_be_primary) cmds.push_back({"ROLE"});
    if (cmds.empty()) co_return;
    auto replies = co_await exchange(socket, reader, cmds);
    for (const auto& reply : replies) reply.check();
    if (must_be_primary) {
        const auto& role = replies.back().as_array();
        if (role.empty() || role.front().as_string() != "master")
            unavailable("connect to " + url.redacted() + ": it is a replica now (ROLE); asking the sentinels again");
    }
}

// Asio's `||` waits for the first *successful* branch, so a failure is returned as a value to end the race at once.
awaitable<std::exception_ptr> login_outcome(redis_socket& socket, resp_reader& reader, const redis_url& url,
                                            bool must_be_primary) {
    try {
        co_await connect_and_login(socket, reader, url, must_be_primary);
    } catch (...) {
        co_return std::current_exception();
    }
    co_return nullptr;
}

}  // namespace

awaitable<void> open_redis_stream(redis_socket& socket, resp_reader& reader, const redis_url& url,
                                  std::chrono::milliseconds timeout, bool must_be_primary) {
    reader.reset();
    net::steady_timer deadline(socket.get_executor());
    deadline.expires_after(timeout);
    auto result = co_await (login_outcome(socket, reader, url, must_be_primary) || deadline.async_wait(use_awaitable));
    if (result.index() == 0) {
        if (auto failure = std::get<0>(result)) std::rethrow_exception(failure);
    } else {
        socket.close();
        unavailable("connect to " + url.redacted() + ": timed out");
    }
}

awaitable<std::vector<redis_value>> exchange(redis_socket& socket, resp_reader& reader,
                                             const std::vector<std::vector<std::string>>& commands) {
    std::string out;
    for (const auto& argv : commands) format_command(out, argv);
    co_await net::async_write(socket, net::buffer(out), use_awaitable);
    std::vector<redis_value> replies;
    while (replies.size() < commands.size()) replies.push_back(co_await read_one(socket, reader));
    co_return replies;
}

awaitable<redis_value> read_one(redis_socket& socket, resp_reader& reader) {
    std::array<char, 16 * 1024> buf;
    for (;;) {
        if (auto v = reader.next()) co_return std::move(*v);
        auto n = co_await socket.async_read_some(net::buffer(buf), use_awaitable);
        reader.feed(buf.data(), n);
    }
}

}  // namespace rb
