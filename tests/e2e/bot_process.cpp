// Child-process handling for bot_process; see bot_process.hpp.
#include "bot_process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <stdexcept>

namespace rb::test {

std::string bot_binary() { return RB_BOT_BINARY; }

bot_process::bot_process(std::map<std::string, std::string> env, std::vector<std::string> args) {
    for (const char* keep : {"PATH", "HOME", "TMPDIR"}) {
        if (const char* v = std::getenv(keep); v && !env.count(keep)) env[keep] = v;
    }
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    args.insert(args.begin(), bot_binary());
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    for (auto& e : env_strings) envp.push_back(e.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(pipe_fds[1], STDERR_FILENO);
        const int null_fd = ::open("/dev/null", O_RDONLY);
        if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
        ::execve(argv[0], argv.data(), envp.data());
        std::_Exit(127);
    }
    ::close(pipe_fds[1]);
    reader_ = std::thread([this, fd = pipe_fds[0]] { read_log(fd); });
}

bot_process::~bot_process() {
    if (pid_ > 0 && exit_status_ < 0) {
        ::kill(pid_, SIGKILL);
        wait_exit(std::chrono::seconds(10));
    }
    if (reader_.joinable()) reader_.join();
}

void bot_process::read_log(int fd) {
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        std::lock_guard lock(mutex_);
        log_.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
}

std::string bot_process::log() const {
    std::lock_guard lock(mutex_);
    return log_;
}

bool bot_process::wait_log(const std::string& needle, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (log().find(needle) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return log().find(needle) != std::string::npos;
}

std::uint16_t bot_process::wait_listening(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        const std::string text = log();
        const auto at = text.find("event=listening");
        if (at != std::string::npos) {
            const auto port_at = text.find(" port=", at);
            if (port_at != std::string::npos) return static_cast<std::uint16_t>(std::atoi(text.c_str() + port_at + 6));
        }
        int status = 0;
        if (exit_status_ < 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
            exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
}

void bot_process::signal(int sig) {
    if (pid_ > 0 && exit_status_ < 0) ::kill(pid_, sig);
}

int bot_process::wait_exit(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (exit_status_ < 0) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (std::chrono::steady_clock::now() >= until) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return exit_status_;
}

}  // namespace rb::test
