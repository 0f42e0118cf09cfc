// Asking sentinels (SENTINEL get-master-addr-by-name) and listening to them (+switch-master). Each exchange with a
// sentinel has a deadline: a frozen sentinel must cost one timeout, not the connection.
#include "storage/sentinel_client.hpp"

#include <map>

#include "storage/redis_stream.hpp"

namespace rb {
namespace {

using namespace net::experimental::awaitable_operators;

[[noreturn]] void unavailable(const std::string& why) {
    throw boost::system::system_error(make_error_code(storage_errc::unavailable), why);
}

awaitable<std::exception_ptr> ask_outcome(redis_socket& socket, resp_reader& reader, const redis_url& url,
                                          std::chrono::milliseconds timeout, const std::string& master,
                                          std::string& answer) {
    try {
        co_await open_redis_stream(socket, reader, url, timeout);
        std::vector<std::vector<std::string>> cmd{make_argv("SENTINEL", "get-master-addr-by-name", master)};
        auto replies = co_await exchange(socket, reader, cmd);
        const auto& reply = replies.at(0).check();
        if (reply.is_nil()) {
            answer = "does not know a master named '" + master + "'";
        } else {
            const auto& a = reply.as_array();
            answer = a.at(0).as_string() + ":" + a.at(1).as_string();
        }
    } catch (...) {
        co_return std::current_exception();
    }
    co_return nullptr;
}

// One sentinel's answer: "ip:port" when it names a primary; otherwise throws with what went wrong.
awaitable<std::string> ask(net::any_io_executor ex, const redis_target& target, const sentinel_address& s,
                           std::chrono::milliseconds timeout) {
    redis_socket socket(ex, target.tls);
    resp_reader reader;
    std::string answer;
    net::steady_timer deadline(ex);
    deadline.expires_after(timeout);
    auto result =
        co_await (ask_outcome(socket, reader, target.sentinel_url(s), timeout, target.sentinels.master_name, answer) ||
                  deadline.async_wait(use_awaitable));
    socket.close();
    if (result.index() == 1) unavailable("no answer in " + std::to_string(timeout.count()) + " ms");
    if (auto failure = std::get<0>(result)) std::rethrow_exception(failure);
    if (answer.find(':') == std::string::npos || answer.starts_with("does not")) unavailable(answer);
    co_return answer;
}

}  // namespace

primary_locator::primary_locator(const redis_target& target) : target_(target) {}

awaitable<redis_url> primary_locator::locate(net::any_io_executor ex, std::chrono::milliseconds timeout) {
    if (!target_.sentinels.enabled()) co_return target_.url;
    std::map<std::string, int> votes;
    int answers = 0;
    std::string said;
    for (const auto& s : target_.sentinels.addresses) {
        std::string failure;
        try {
            ++votes[co_await ask(ex, target_, s, timeout)];
            ++answers;
            continue;
        } catch (const std::exception& e) {
            failure = e.what();
        }
        said += (said.empty() ? "" : "; ") + s.host + ":" + std::to_string(s.port) + ": " + failure;
    }
    // Right after a failover one sentinel may still name the old primary, and a supervisor may already have
    // restarted it, empty and calling itself master: its ROLE would pass. So the address named by more than half of
    // the sentinels that answered wins; when they are split, nobody is trusted yet and the caller retries.
    for (const auto& [address, count] : votes) {
        if (2 * count <= answers) continue;
        redis_url where = target_.url;
        const auto colon = address.rfind(':');
        where.kind = redis_url::transport::tcp;
        where.host = address.substr(0, colon);
        where.port = static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1)));
        co_return where;
    }
    if (answers > 0) {
        std::string split;
        for (const auto& [address, count] : votes)
            split += (split.empty() ? "" : ", ") + address + " (" + std::to_string(count) + ")";
        unavailable("the sentinels disagree on the primary of '" + target_.sentinels.master_name + "': " + split);
    }
    unavailable("no sentinel names a primary for '" + target_.sentinels.master_name + "' (" + said + ")");
}

struct switch_listener::state : std::enable_shared_from_this<state> {
    state(net::strand<net::any_io_executor> s, const redis_target& t, const redis_options& o)
        : strand(s), target(t), options(o), socket(s, t.tls), timer(s) {}

    net::strand<net::any_io_executor> strand;
    const redis_target target;  // a copy: the listener's coroutine may outlive the connection by a wake-up
    redis_options options;
    redis_socket socket;
    resp_reader reader;
    net::steady_timer timer;
    bool stopped = false;
    std::function<void(const std::string&)> on_switch;

    awaitable<void> listen(const sentinel_address& s) {
        co_await open_redis_stream(socket, reader, target.sentinel_url(s), options.connect_timeout);
        if (stopped) co_return;  // stop() came while connecting
        std::vector<std::vector<std::string>> subscribe{make_argv("SUBSCRIBE", "+switch-master")};
        (co_await exchange(socket, reader, subscribe)).at(0).check();
        for (;;) {
            auto v = co_await read_one(socket, reader);
            const auto& e = v.as_array();
            if (e.size() != 3 || e[0].as_string() != "message") continue;
            if (auto to = switched_primary(e[2].as_string(), target.sentinels.master_name)) on_switch(*to);
        }
    }

    awaitable<void> run() {
        reconnect_backoff backoff(options);
        for (std::size_t next = 0; !stopped; ++next) {
            const auto& s = target.sentinels.addresses[next % target.sentinels.addresses.size()];
            const auto began = std::chrono::steady_clock::now();
            try {
                co_await listen(s);
            } catch (const std::exception&) {
                // Lost or refused: the next sentinel is tried below.
            }
            socket.close();
            if (stopped) break;
            // A subscription that lasted a while is a working one that broke: start the backoff over.
            if (std::chrono::steady_clock::now() - began > std::chrono::seconds(5)) backoff.reset();
            timer.expires_after(backoff.next());
            co_await timer.async_wait(as_tuple_awaitable);
        }
    }
};

switch_listener::switch_listener(net::strand<net::any_io_executor> strand, const redis_target& target,
                                 const redis_options& options)
    : state_(std::make_shared<state>(strand, target, options)) {}

void switch_listener::start(std::function<void(const std::string&)> on_switch) {
    state_->on_switch = std::move(on_switch);
    net::co_spawn(state_->strand, state_->run(), [keep = state_](std::exception_ptr) {});
}

void switch_listener::stop() {
    state_->stopped = true;
    state_->socket.close();
    state_->timer.cancel();
}

}  // namespace rb
