// redis_sentinel: fork/exec of redis-sentinel with a config file of its own (Sentinel rewrites it to remember what it
// learnt, so it cannot live on the command line), readiness by INFO over TCP with blocking hiredis (test code, outside
// any event loop). The random port is tried the way redis_server does: the sentinel binds it or exits with "in use".
#include "tests/support/redis_sentinel.hpp"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/support/child_process.hpp"

namespace rb::test {
namespace {

using namespace std::chrono_literals;

std::string make_temp_dir() {
    std::string pattern = "/tmp/rb-sent-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("redis_sentinel: mkdtemp failed");
    return pattern;
}

std::uint16_t random_port() {
    static std::mt19937 gen{std::random_device{}()};
    return static_cast<std::uint16_t>(std::uniform_int_distribution<int>(20000, 60000)(gen));
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct context_free {
    void operator()(redisContext* c) const { redisFree(c); }
};
struct reply_free {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using reply_ptr = std::unique_ptr<redisReply, reply_free>;

// One command on a fresh connection, both bounded by timeout (a frozen or dead sentinel must not hang the test);
// null when the sentinel does not answer.
reply_ptr command(std::uint16_t port, std::vector<std::string> argv, std::chrono::milliseconds timeout,
                  const std::string& password = {}) {
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    std::unique_ptr<redisContext, context_free> c(redisConnectWithTimeout("127.0.0.1", port, tv));
    if (c == nullptr || c->err != 0 || redisSetTimeout(c.get(), tv) != REDIS_OK) return nullptr;
    if (!password.empty()) {
        reply_ptr auth(static_cast<redisReply*>(redisCommand(c.get(), "AUTH %s", password.c_str())));
        if (auth == nullptr || auth->type == REDIS_REPLY_ERROR) return nullptr;
    }
    std::vector<const char*> ptrs;
    std::vector<size_t> lens;
    for (auto& a : argv) ptrs.push_back(a.c_str()), lens.push_back(a.size());
    return reply_ptr(
        static_cast<redisReply*>(redisCommandArgv(c.get(), static_cast<int>(argv.size()), ptrs.data(), lens.data())));
}

}  // namespace

redis_sentinel::redis_sentinel(redis_sentinel_options options) : options_(std::move(options)), dir_(make_temp_dir()) {
    try {
        if (options_.primary_port == 0) throw std::invalid_argument("redis_sentinel: primary_port is required");
        for (int attempt = 0; attempt < 30 && port_ == 0; ++attempt) {
            std::uint16_t p = random_port();
            if (spawn(p)) port_ = p;
        }
        if (port_ == 0) throw std::runtime_error("redis_sentinel: no port bound after 30 tries: " + log());
    } catch (...) {
        std::filesystem::remove_all(dir_);
        throw;
    }
}

redis_sentinel::~redis_sentinel() {
    try {
        stop();
    } catch (...) {
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::string redis_sentinel::address() const { return "127.0.0.1:" + std::to_string(port_); }

std::string redis_sentinel::log() const { return read_file(dir_ + "/sentinel.log"); }

// Writes a fresh config (a failed try may have left a rewritten one behind), starts the sentinel and waits until it
// answers; false if it exited because the port was taken, throws on other failures.
bool redis_sentinel::spawn(std::uint16_t port) {
    const std::string conf = dir_ + "/sentinel.conf", name = options_.master_name;
    std::filesystem::remove(dir_ + "/sentinel.log");
    {
        std::ofstream out(conf, std::ios::trunc);
        out << "port " << port << "\n"
            << "bind 127.0.0.1\n"
            << "daemonize no\n"
            << "dir " << dir_ << "\n"
            << "logfile " << dir_ << "/sentinel.log\n"
            << "sentinel monitor " << name << " 127.0.0.1 " << options_.primary_port << " " << options_.quorum << "\n"
            << "sentinel down-after-milliseconds " << name << " " << options_.down_after.count() << "\n"
            << "sentinel failover-timeout " << name << " " << options_.failover_timeout.count() << "\n"
            << "sentinel parallel-syncs " << name << " 1\n";
        if (!options_.auth_pass.empty()) out << "sentinel auth-pass " << name << " " << options_.auth_pass << "\n";
        if (!options_.password.empty()) out << "requirepass " << options_.password << "\n";
        if (options_.tls)
            out << "tls-port " << port + 1 << "\n"
                << "tls-cert-file " << options_.tls->cert << "\n"
                << "tls-key-file " << options_.tls->key << "\n"
                << "tls-ca-cert-file " << options_.tls->ca << "\n"
                << "tls-auth-clients " << (options_.tls->auth_clients ? "yes" : "no") << "\n"
                << "tls-replication yes\n";
        if (!out.flush()) throw std::runtime_error("redis_sentinel: cannot write " + conf);
    }
    std::string conf_arg = conf, sentinel_flag = "--sentinel";
    std::string sentinel_bin = "redis-sentinel", server_bin = "redis-server";
    char* sentinel_argv[] = {sentinel_bin.data(), conf_arg.data(), nullptr};
    char* server_argv[] = {server_bin.data(), conf_arg.data(), sentinel_flag.data(), nullptr};
    const std::string log_path = dir_ + "/sentinel.log";
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("redis_sentinel: fork failed");
    if (pid == 0) {
        // As in redis_server: the sentinel dies with the test process (PDEATHSIG follows the forking thread).
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(1);
        // Errors before Sentinel opens its logfile (a bad config line) go to stderr: into the same log, so the
        // exception carries them.
        int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) dup2(fd, STDOUT_FILENO), dup2(fd, STDERR_FILENO), close(fd);
        execvp(sentinel_argv[0], sentinel_argv);
        execvp(server_argv[0], server_argv);  // no redis-sentinel package: the same binary in sentinel mode
        _exit(127);
    }
    pid_ = pid;
    auto deadline = std::chrono::steady_clock::now() + options_.ready_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            auto text = log();
            if (text.find("in use") != std::string::npos) return false;
            throw std::runtime_error("redis_sentinel: sentinel exited (is redis-sentinel or redis-server in PATH?): " +
                                     text);
        }
        // PING alone is not enough: when the port was taken by another Redis, that one would answer before our
        // sentinel has exited with "in use". INFO server names the pid that answers.
        auto info = command(port, {"INFO", "server"}, 200ms, options_.password);
        if (info != nullptr && info->type == REDIS_REPLY_STRING &&
            std::string(info->str, info->len).find("\nprocess_id:" + std::to_string(pid_) + "\r") != std::string::npos)
            return true;
        std::this_thread::sleep_for(10ms);
    }
    auto text = log();
    kill();
    throw std::runtime_error("redis_sentinel: not ready in time: " + text);
}

std::string redis_sentinel::primary() const {
    if (!running()) return "";
    auto r = command(port_, {"SENTINEL", "get-master-addr-by-name", options_.master_name}, 1s, options_.password);
    if (r == nullptr || r->type != REDIS_REPLY_ARRAY || r->elements != 2) return "";
    const auto* host = r->element[0];
    const auto* port = r->element[1];
    if (host->type != REDIS_REPLY_STRING || port->type != REDIS_REPLY_STRING) return "";
    return std::string(host->str, host->len) + ":" + std::string(port->str, port->len);
}

// SENTINEL master answers a flat array of field, value pairs (RESP2), the values as strings.
int redis_sentinel::master_field(const std::string& field) const {
    if (!running()) return -1;
    auto r = command(port_, {"SENTINEL", "master", options_.master_name}, 1s, options_.password);
    if (r == nullptr || r->type != REDIS_REPLY_ARRAY) return -1;
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const auto* key = r->element[i];
        const auto* value = r->element[i + 1];
        if (key->type == REDIS_REPLY_STRING && value->type == REDIS_REPLY_STRING &&
            std::string(key->str, key->len) == field)
            return std::stoi(std::string(value->str, value->len));
    }
    return -1;
}

int redis_sentinel::known_sentinels() const { return master_field("num-other-sentinels"); }
int redis_sentinel::known_replicas() const { return master_field("num-slaves"); }

void redis_sentinel::signal_and_wait(int sig) {
    signal_and_reap(pid_, sig);
    pid_ = -1;
}

void redis_sentinel::stop() { signal_and_wait(SIGTERM); }
void redis_sentinel::kill() { signal_and_wait(SIGKILL); }

}  // namespace rb::test
