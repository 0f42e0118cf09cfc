// The real recovery-bot binary as a child process for end-to-end tests: started with an environment of the
// test's choosing, its stderr (the log) captured, its listening port read from the `listening` log line.
// Only the PID it started is ever signalled.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rb::test {

class bot_process {
public:
    // Starts build/bot/recovery-bot (RB_BOT_BINARY) with exactly these variables (plus PATH, HOME) and args.
    bot_process(std::map<std::string, std::string> env, std::vector<std::string> args = {});
    ~bot_process();  // SIGKILL if still running
    bot_process(const bot_process&) = delete;
    bot_process& operator=(const bot_process&) = delete;

    // Waits for the `event=listening` line; returns the port, or 0 if the process exited or time ran out.
    std::uint16_t wait_listening(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // Waits until the log contains `needle`; false on timeout.
    bool wait_log(const std::string& needle, std::chrono::milliseconds timeout);
    std::string log() const;

    void signal(int sig);
    // Waits for exit; returns the exit status (128+signal when killed), or -1 on timeout.
    int wait_exit(std::chrono::milliseconds timeout);
    pid_t pid() const { return pid_; }

private:
    void read_log(int fd);

    pid_t pid_ = -1;
    int exit_status_ = -1;
    std::thread reader_;
    mutable std::mutex mutex_;
    std::string log_;
};

// Path of the built binary (compile definition RB_BOT_BINARY).
std::string bot_binary();

}  // namespace rb::test
