// Interruptible line reading (see terminal_input.hpp). The wake pipe is written once by interrupt(); poll()
// sees it readable from then on, so every later read returns at once as well.
#include "bot/terminal/terminal_input.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <iostream>
#include <utility>

namespace rb {

terminal_input::terminal_input(std::istream& in) : in_(in) {
    if (&in_ != &std::cin) return;
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) return;  // no pipe: fall back on std::getline
    wake_read_ = fds[0];
    wake_write_ = fds[1];
    raw_ = true;
    tty_ = ::isatty(STDIN_FILENO) == 1;
}

terminal_input::~terminal_input() {
    if (wake_read_ >= 0) ::close(wake_read_);
    if (wake_write_ >= 0) ::close(wake_write_);
}

void terminal_input::interrupt() {
    interrupted_ = true;
    if (wake_write_ >= 0) {
        const char byte = 'q';
        [[maybe_unused]] auto n = ::write(wake_write_, &byte, 1);  // full pipe: already awake
    }
}

std::optional<std::string> terminal_input::next_line() {
    if (interrupted_) return std::nullopt;
    std::optional<std::string> line;
    if (raw_) {
        line = read_fd_line();
    } else if (std::string text; std::getline(in_, text)) {
        line = std::move(text);
    }
    if (!line || interrupted_) return std::nullopt;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return line;
}

// Waits for fd 0 or the wake pipe. A last line without "\n" before end of input still counts.
std::optional<std::string> terminal_input::read_fd_line() {
    for (;;) {
        if (const auto nl = pending_.find('\n'); nl != std::string::npos) {
            std::string line = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            return line;
        }
        if (eof_) {
            if (pending_.empty()) return std::nullopt;
            return std::exchange(pending_, {});
        }
        std::array<pollfd, 2> fds{{{STDIN_FILENO, POLLIN, 0}, {wake_read_, POLLIN, 0}}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            return std::nullopt;
        }
        if (fds[1].revents != 0) return std::nullopt;
        std::array<char, 4096> buf{};
        const auto n = ::read(STDIN_FILENO, buf.data(), buf.size());
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) eof_ = true;
        if (n > 0) pending_.append(buf.data(), static_cast<std::size_t>(n));
    }
}

}  // namespace rb
