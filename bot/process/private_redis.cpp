// Start and stop of the bot's private redis-server; see private_redis.hpp.
#include "bot/process/private_redis.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

namespace rb {
namespace {

// One blocking PING over the unix socket; used only while waiting for the server to come up.
bool answers_ping(const std::string& socket_path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket_path.c_str(), sizeof addr.sun_path - 1);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        const std::string_view ping = "PING\r\n";
        char reply[16] = {};
        ok = ::write(fd, ping.data(), ping.size()) == static_cast<ssize_t>(ping.size()) &&
             ::read(fd, reply, sizeof reply - 1) > 0 && std::string_view(reply).rfind("+PONG", 0) == 0;
    }
    ::close(fd);
    return ok;
}

std::string make_temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "recovery-bot-redis-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("private redis: mkdtemp failed");
    return pattern;
}

}  // namespace

private_redis::private_redis(const std::string& binary) : dir_(make_temp_dir()) {
    const std::string socket_path = dir_ + "/redis.sock";
    std::vector<std::string> args{binary,
                                  "--port",
                                  "0",
                                  "--unixsocket",
                                  socket_path,
                                  "--unixsocketperm",
                                  "700",
                                  "--dir",
                                  dir_,
                                  "--appendonly",
                                  "yes",
                                  "--save",
                                  "",
                                  "--daemonize",
                                  "no",
                                  "--logfile",
                                  dir_ + "/redis.log"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("private redis: fork failed");
    if (pid_ == 0) {
        const int null_fd = ::open("/dev/null", O_RDWR);
        if (null_fd >= 0) {
            ::dup2(null_fd, STDIN_FILENO);
            ::dup2(null_fd, STDOUT_FILENO);
        }
        ::execvp(argv[0], argv.data());
        std::_Exit(127);
    }
    for (int i = 0; i < 200; ++i) {
        if (answers_ping(socket_path)) return;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            std::filesystem::remove_all(dir_);
            throw std::runtime_error("private redis: '" + binary + "' exited at start (is redis-server installed?)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    stop();
    throw std::runtime_error("private redis: no answer on " + socket_path + " within 5 s");
}

private_redis::~private_redis() { stop(); }

void private_redis::stop() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    if (!dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
        dir_.clear();
    }
}

}  // namespace rb
