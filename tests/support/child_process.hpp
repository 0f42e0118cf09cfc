// Stopping a child the test support started (redis-server, redis-sentinel): only that PID is ever signalled.
#pragma once

#include <sys/types.h>

namespace rb::test {

// Sends `sig` (and SIGCONT, so a frozen child acts on a SIGTERM), waits for the exit, and after 10 s sends SIGKILL.
// Returns at once when pid <= 0.
void signal_and_reap(pid_t pid, int sig);

}  // namespace rb::test
