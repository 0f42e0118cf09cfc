// fake-telegram-api: the fake Bot API as a process, for benchmarks and manual runs. Prints "port=<n>" and
// answers every call at once (no faults) until SIGINT/SIGTERM, then prints how many calls it saw.
#include <csignal>
#include <cstdio>
#include <cstring>

#include "tests/fake_telegram/fake_telegram.hpp"

int main(int argc, char** argv) {
    rb::test::fake_options options;
    options.record_bodies = !(argc > 1 && std::strcmp(argv[1], "--count-only") == 0);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the fake's thread starts, so it inherits the mask
    rb::test::fake_telegram fake(options);
    std::printf("port=%u\n", static_cast<unsigned>(fake.port()));
    std::fflush(stdout);
    int sig = 0;
    sigwait(&signals, &sig);
    fake.stop();
    std::printf("calls=%zu sendMessage=%zu\n", fake.count(), fake.count("sendMessage"));
    return 0;
}
