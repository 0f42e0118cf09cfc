// The terminal mode's chat: what the runner types becomes Telegram updates on a local Bot API (terminal_api),
// which the bot long-polls with its ordinary client, and what the bot sends is printed here with the time.
// A transport beside the webhook and long polling: no bot logic lives here. Logs stay on stderr.
#pragma once

#include <atomic>
#include <chrono>
#include <istream>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include "net/asio.hpp"

namespace rb {

class terminal_api;
class terminal_input;
struct terminal_event;

class terminal_chat {
public:
    // Binds 127.0.0.1:0 and starts serving at once on ioc (whose threads must run for the bot to be heard).
    terminal_chat(net::io_context& ioc, std::istream& in, std::ostream& out);
    ~terminal_chat();
    terminal_chat(const terminal_chat&) = delete;
    terminal_chat& operator=(const terminal_chat&) = delete;

    std::string api_root() const;  // "http://127.0.0.1:<port>"

    // Prints the banner, then reads lines until "/quit", "/exit", end of input (Ctrl-D) or SIGINT/SIGTERM
    // when reading the real stdin. At end of piped input it waits briefly for the bot's last replies.
    void run_until_quit();

    void set_time_scale(double scale);  // shown in the banner

private:
    void show(const terminal_event& event);
    void print(std::string_view text);   // one locked write: bot output and our own lines never interleave
    bool handle_line(std::string line);  // false: the runner asked to leave
    void press(int number, const std::string& line);
    void settle();
    void watch_signals(net::io_context& ioc);
    std::string banner() const;

    std::ostream& out_;
    std::mutex out_mutex_;  // guards out_
    bool ansi_ = false;
    std::size_t width_ = 80;  // columns to wrap bot messages to
    std::atomic<double> time_scale_{1.0};
    std::atomic<std::int64_t> last_output_ms_{0};  // steady clock, for settle()
    std::shared_ptr<terminal_input> input_;
    std::shared_ptr<net::signal_set> signals_;  // only when reading the real stdin
    std::unique_ptr<terminal_api> api_;         // last member: destroyed first, so no output reaches a dead chat
};

}  // namespace rb
