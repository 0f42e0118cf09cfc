// Line input for the terminal chat. For std::cin it reads file descriptor 0 directly with poll(), beside a
// wake pipe: the process turns Ctrl-C and SIGTERM into Asio signals rather than dying, and a thread blocked
// in std::getline could not be told to stop. Any other stream (tests) is read with std::getline.
#pragma once

#include <atomic>
#include <istream>
#include <optional>
#include <string>

namespace rb {

class terminal_input {
public:
    explicit terminal_input(std::istream& in);
    ~terminal_input();
    terminal_input(const terminal_input&) = delete;
    terminal_input& operator=(const terminal_input&) = delete;

    // The next line without its "\n" / "\r\n"; nullopt at end of input or after interrupt().
    std::optional<std::string> next_line();

    // Makes a waiting next_line() (and every later one) return nullopt. Thread-safe.
    void interrupt();

    bool interrupted() const { return interrupted_; }
    bool from_terminal() const { return tty_; }  // stdin is a tty: the terminal echoes what is typed

private:
    std::optional<std::string> read_fd_line();

    std::istream& in_;
    bool raw_ = false;  // reading fd 0 ourselves
    bool tty_ = false;
    int wake_read_ = -1;
    int wake_write_ = -1;
    std::string pending_;  // bytes read from fd 0 past the last full line
    bool eof_ = false;
    std::atomic<bool> interrupted_{false};
};

}  // namespace rb
