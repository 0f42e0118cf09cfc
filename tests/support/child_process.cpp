// signal_and_reap: see child_process.hpp.
#include "tests/support/child_process.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

namespace rb::test {

void signal_and_reap(pid_t pid, int sig) {
    if (pid <= 0) return;
    ::kill(pid, sig);
    ::kill(pid, SIGCONT);  // a stopped (SIGSTOP) child would hold SIGTERM pending for ever; SIGKILL acts anyway
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace rb::test
