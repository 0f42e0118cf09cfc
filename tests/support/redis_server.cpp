// redis_server: fork/exec of redis-server with its config on the command line, readiness by PING over the unix
// socket (blocking hiredis is fine here: this is test code, outside any event loop). A random TCP port is tried
// by letting redis-server bind it; if the port is taken the server exits and another port is tried. With TLS the
// same holds for the TLS port (redis logs "Address already in use" for it too); the plain TCP port is then 0.
#include "tests/support/redis_server.hpp"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
    std::string pattern = "/tmp/rb-redis-XXXXXX";  // short: unix socket paths are limited to 107 bytes
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("redis_server: mkdtemp failed");
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

// True once the server answers PING (after AUTH when a password is set).
bool answers_ping(const std::string& socket_path, const std::string& password) {
    timeval tv{0, 200000};
    redisContext* c = redisConnectUnixWithTimeout(socket_path.c_str(), tv);
    if (c == nullptr) return false;
    bool ok = c->err == 0;
    auto run = [&](std::vector<std::string> argv) {
        std::vector<const char*> ptrs;
        std::vector<size_t> lens;
        for (auto& a : argv) ptrs.push_back(a.c_str()), lens.push_back(a.size());
        auto* r =
            static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), ptrs.data(), lens.data()));
        bool good = r != nullptr && r->type != REDIS_REPLY_ERROR;
        if (r != nullptr) freeReplyObject(r);
        return good;
    };
    if (ok && !password.empty()) ok = run({"AUTH", password});
    if (ok) ok = run({"PING"});
    redisFree(c);
    return ok;
}

}  // namespace

redis_server::redis_server(redis_server_options options) : options_(std::move(options)), dir_(make_temp_dir()) {
    try {
        if (options_.tls && !options_.tcp) throw std::invalid_argument("redis_server: tls needs tcp");
        start();
    } catch (...) {
        std::filesystem::remove_all(dir_);
        throw;
    }
}

redis_server::~redis_server() {
    try {
        stop();
    } catch (...) {
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

namespace {

// ":<password>@" with every byte but RFC 3986's unreserved ones %-escaped, as parse_redis_url expects.
std::string userinfo_of(const std::string& password) {
    if (password.empty()) return {};
    std::string out = ":";
    for (unsigned char c : password) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            static constexpr char hex[] = "0123456789ABCDEF";
            out += {'%', hex[c >> 4], hex[c & 15]};
        }
    }
    return out + "@";
}

}  // namespace

std::string redis_server::tcp_url() const {
    if (!options_.tcp) throw std::logic_error("redis_server: TCP is off");
    auto auth = userinfo_of(options_.password);
    return (options_.tls ? "rediss://" : "redis://") + auth + "127.0.0.1:" + std::to_string(port_) + "/0";
}

std::string redis_server::unix_url() const {
    auto auth = userinfo_of(options_.password);
    return "unix://" + auth + dir_ + "/redis.sock";
}

std::string redis_server::url() const { return options_.tcp ? tcp_url() : unix_url(); }

std::string redis_server::log() const { return read_file(dir_ + "/redis.log"); }

void redis_server::start_as_replica_of(const redis_server& primary) {
    options_.replicaof = "127.0.0.1 " + std::to_string(primary.port());
    start();
}

void redis_server::start() {
    if (running()) return;
    if (!options_.tcp) {
        if (!spawn(0)) throw std::runtime_error("redis_server: failed: " + log());
        return;
    }
    // A restart keeps its port; only the first start chooses. Redis sets SO_REUSEADDR, so a port it held a moment
    // ago binds again unless someone else took it meanwhile.
    bool keep_port = port_ != 0;
    for (int attempt = 0; attempt < 30; ++attempt) {
        std::uint16_t p = keep_port ? port_ : random_port();
        if (spawn(p)) {
            port_ = p;
            return;
        }
        if (keep_port) std::this_thread::sleep_for(100ms);
    }
    throw std::runtime_error("redis_server: no port bound after 30 tries: " + log());
}

// Starts redis-server and waits until it answers; false if it exited (port taken), throws on other failures.
bool redis_server::spawn(std::uint16_t port) {
    std::vector<std::string> args{"redis-server",
                                  "--port",
                                  options_.tls ? "0" : std::to_string(port),
                                  "--bind",
                                  "127.0.0.1",
                                  "--unixsocket",
                                  dir_ + "/redis.sock",
                                  "--unixsocketperm",
                                  "700",
                                  "--dir",
                                  dir_,
                                  "--daemonize",
                                  "no",
                                  "--save",
                                  "",
                                  "--appendonly",
                                  options_.appendonly ? "yes" : "no",
                                  "--appendfsync",
                                  "always",
                                  "--logfile",
                                  dir_ + "/redis.log"};
    // A replica's first sync would wait 5 s (the default) for more replicas to share one diskless transfer.
    args.insert(args.end(), {"--repl-diskless-sync-delay", "0"});
    if (!options_.password.empty()) args.insert(args.end(), {"--requirepass", options_.password});
    if (options_.tls) {
        // tls-replication: a TLS replica must reach its primary's TLS port (and it is harmless on a primary).
        const auto& t = *options_.tls;
        args.insert(args.end(), {"--tls-port", std::to_string(port), "--tls-cert-file", t.cert, "--tls-key-file", t.key,
                                 "--tls-ca-cert-file", t.ca, "--tls-auth-clients", t.auth_clients ? "yes" : "no",
                                 "--tls-replication", "yes"});
    }
    if (!options_.replicaof.empty()) {
        // Host and port must be separate words: redis-server quotes each argument, so "127.0.0.1 6379" as one
        // argument would be read as a single (bad) host.
        std::istringstream words(options_.replicaof);
        std::string host, port_word;
        if (!(words >> host >> port_word)) throw std::invalid_argument("redis_server: replicaof wants \"host port\"");
        args.insert(args.end(), {"--replicaof", host, port_word});
        if (!options_.password.empty()) args.insert(args.end(), {"--masterauth", options_.password});
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::filesystem::remove(dir_ + "/redis.log");
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("redis_server: fork failed");
    if (pid == 0) {
        // The server dies with the test process, even when a crash skips the destructor. (PDEATHSIG follows
        // the forking thread: create servers on the test's main thread.)
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(1);
        execvp("redis-server", argv.data());
        _exit(127);
    }
    pid_ = pid;
    auto deadline = std::chrono::steady_clock::now() + options_.ready_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            const auto text = log();
            if (text.find("in use") != std::string::npos) return false;
            throw std::runtime_error("redis_server: redis-server exited (is it in PATH?): " + text);
        }
        if (answers_ping(dir_ + "/redis.sock", options_.password)) return true;
        std::this_thread::sleep_for(10ms);
    }
    kill();
    throw std::runtime_error("redis_server: not ready in time");
}

void redis_server::signal_and_wait(int sig) {
    signal_and_reap(pid_, sig);
    pid_ = -1;
}

void redis_server::stop() { signal_and_wait(SIGTERM); }
void redis_server::kill() { signal_and_wait(SIGKILL); }

void redis_server::freeze() {
    if (running()) ::kill(pid_, SIGSTOP);
}

void redis_server::thaw() {
    if (running()) ::kill(pid_, SIGCONT);
}

void redis_server::restart() {
    stop();
    start();
}

}  // namespace rb::test
