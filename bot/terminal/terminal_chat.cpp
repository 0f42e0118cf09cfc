// The input loop, the banner and the printing of bot output (see terminal_chat.hpp). Bot messages arrive on
// the API server's strand while the main thread waits for input; out_mutex_ keeps each write whole.
// No line editing: the terminal's own echo shows what is typed, and a ping may land mid-line.
#include "bot/terminal/terminal_chat.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

#include "bot/terminal/terminal_api.hpp"
#include "bot/terminal/terminal_input.hpp"
#include "bot/terminal/terminal_render.hpp"

namespace rb {
namespace {

using namespace std::chrono_literals;

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// ANSI styling only for a real terminal, and never when NO_COLOR is set (https://no-color.org).
bool wants_ansi(const std::ostream& out) {
    if (&out != &std::cout || ::isatty(STDOUT_FILENO) != 1) return false;
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return (no_color == nullptr || *no_color == '\0') && !(term != nullptr && std::string_view(term) == "dumb");
}

// The terminal's width for wrapping: the tty's columns, else COLUMNS, else 80 (piped output is wrapped too,
// so what a test reads is what a person sees).
std::size_t terminal_width(const std::ostream& out) {
    if (&out == &std::cout && ::isatty(STDOUT_FILENO) == 1) {
        winsize ws{};
        if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
    }
    if (const char* columns = std::getenv("COLUMNS")) {
        std::size_t n = 0;
        const auto [ptr, ec] = std::from_chars(columns, columns + std::strlen(columns), n);
        if (ec == std::errc{} && n >= 20 && n <= 1000) return n;
    }
    return 80;
}

std::string trim(std::string s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

// "1" .. "99": a button choice. Anything else is a message.
std::optional<int> button_number(const std::string& line) {
    if (line.empty() || line.size() > 2) return std::nullopt;
    for (char c : line)
        if (c < '0' || c > '9') return std::nullopt;
    return std::stoi(line);
}

std::string number_text(double v) {
    if (std::abs(v - std::round(v)) < 1e-9) return std::to_string(static_cast<long long>(std::llround(v)));
    std::string s = std::to_string(std::round(v * 10) / 10);
    return s.substr(0, s.find('.') + 2);
}

std::string span_text(double seconds) {
    return seconds >= 60 ? number_text(seconds / 60) + " min" : number_text(seconds) + " s";
}

// "a minute of the plan passes in 1 s, an hour in 1 min" at 60x; real speed says how to speed it up.
std::string time_scale_line(double scale) {
    if (scale <= 1.0) return "Time runs at real speed (start with TIME_SCALE=60 to watch a whole plan in minutes).";
    return "Time runs " + number_text(scale) + "x faster: a minute of the plan passes in " + span_text(60 / scale) +
           ", an hour in " + span_text(3600 / scale) + ".";
}

}  // namespace

terminal_chat::terminal_chat(net::io_context& ioc, std::istream& in, std::ostream& out)
    : out_(out), ansi_(wants_ansi(out)), width_(terminal_width(out)), input_(std::make_shared<terminal_input>(in)) {
    api_ = std::make_unique<terminal_api>(ioc, [this](const terminal_event& e) { show(e); });
    if (&in == &std::cin) watch_signals(ioc);
}

terminal_chat::~terminal_chat() {
    if (signals_) net::post(signals_->get_executor(), [s = signals_] { s->cancel(); });
}

std::string terminal_chat::api_root() const { return api_->root(); }

void terminal_chat::set_time_scale(double scale) { time_scale_ = scale; }

// Ctrl-C and SIGTERM end the wait for input; the app's own signal_set sees the same signal and shuts down.
// The handler holds the input by shared_ptr: it may run after this chat is gone.
void terminal_chat::watch_signals(net::io_context& ioc) {
    signals_ = std::make_shared<net::signal_set>(net::make_strand(ioc), SIGINT, SIGTERM);
    signals_->async_wait([input = input_](const error_code& ec, int) {
        if (!ec) input->interrupt();
    });
}

void terminal_chat::print(std::string_view text) {
    std::lock_guard lock(out_mutex_);
    out_ << text << std::flush;
    last_output_ms_ = steady_ms();
}

void terminal_chat::show(const terminal_event& e) {
    const std::time_t now = std::time(nullptr);
    switch (e.what) {
        case terminal_event::kind::message:
            print(render_bot_message(now, render_html(e.message.html, ansi_), e.message.labels, ansi_, width_));
            break;
        case terminal_event::kind::edit:  // after a button press: only what the press added, on one line
            print(render_bot_message(now, render_html(edit_outcome(e.message.html), ansi_), e.message.labels, ansi_,
                                     width_));
            break;
        case terminal_event::kind::toast:
            print(render_toast(e.toast, ansi_));
            break;
    }
}

std::string terminal_chat::banner() const {
    const std::string rule(72, '-');
    std::string b = rule + "\n";
    b += "recovery-bot - local chat. No BOT_TOKEN is set, so the bot talks to you here instead of on Telegram,\n";
    b += "through the same handlers, templates, Redis timers and reminder dispatcher.\n";
    b += time_scale_line(time_scale_) + "\n";
    b += "Type 'finished 15 miles' to try. Buttons show as [1] [2] ...: type the number to press one.\n";
    b += "/help lists the commands. /quit (or Ctrl-D) leaves.\n";
    return b + rule + "\n";
}

void terminal_chat::run_until_quit() {
    print(banner());
    while (auto line = input_->next_line()) {
        if (!handle_line(std::move(*line))) return;
    }
    if (!input_->interrupted()) settle();
}

bool terminal_chat::handle_line(std::string line) {
    line = trim(std::move(line));
    if (line.empty()) return true;
    if (line == "/quit" || line == "/exit") return false;
    // Piped input is not echoed by a terminal: show it, so the transcript reads as a conversation.
    if (!input_->from_terminal()) print(terminal_clock_text(std::time(nullptr)) + " you › " + line + "\n");
    if (auto n = button_number(line)) {
        press(*n, line);
    } else {
        api_->conversation().add_text(line);
    }
    return true;
}

// A number presses a button of the latest message with buttons; with no buttons anywhere it is just text
// (an answer like "42" must still reach the bot).
void terminal_chat::press(int number, const std::string& line) {
    terminal_press p = api_->conversation().press(number);
    if (p.update_id) return;
    if (p.no_buttons_at_all) {
        api_->conversation().add_text(line);
        return;
    }
    print(render_toast("no button " + line + ": " + p.problem, ansi_));
}

// At the end of piped input, give the bot a moment to take the last lines and answer: wait until every
// update is confirmed (the poller confirms only after handling) and then nothing has been printed for half
// a second, since replies are sent just after; five seconds at most.
void terminal_chat::settle() {
    const std::int64_t give_up = steady_ms() + 5'000;
    std::int64_t drained_at = 0;
    while (steady_ms() < give_up) {
        if (api_->conversation().pending() > 0) {
            drained_at = 0;
        } else if (drained_at == 0) {
            drained_at = steady_ms();
        }
        if (drained_at != 0 && steady_ms() - std::max<std::int64_t>(drained_at, last_output_ms_) >= 500) return;
        std::this_thread::sleep_for(50ms);
    }
}

}  // namespace rb
