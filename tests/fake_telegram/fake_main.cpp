// fake-telegram-api: the fake Bot API as a process, for benchmarks, the deploy tests and manual runs. Prints
// "port=<n>" and answers every call at once (no faults) until SIGINT/SIGTERM, then prints how many calls it saw.
//   --count-only           keep no request bodies (benchmarks)
//   --record FILE          append every call to FILE as one JSON line {"method","path","params"}
//   --pending-updates N    what getWebhookInfo reports as pending_update_count
//   --last-error TEXT      what getWebhookInfo reports as last_error_message
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fake_telegram/fake_telegram.hpp"

int main(int argc, char** argv) {
    rb::test::fake_options options;
    std::int64_t pending_updates = 0;
    std::string last_error;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--count-only") {
            options.record_bodies = false;
        } else if (arg == "--record" && has_value) {
            options.record_file = argv[++i];
        } else if (arg == "--pending-updates" && has_value) {
            pending_updates = std::strtoll(argv[++i], nullptr, 10);
        } else if (arg == "--last-error" && has_value) {
            last_error = argv[++i];
        } else {
            std::fprintf(stderr,
                         "usage: fake-telegram-api [--count-only] [--record FILE] [--pending-updates N] "
                         "[--last-error TEXT]\n");
            return 2;
        }
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the fake's thread starts, so it inherits the mask
    rb::test::fake_telegram fake(options);
    fake.set_webhook_status(pending_updates, last_error);
    std::printf("port=%u\n", static_cast<unsigned>(fake.port()));
    std::fflush(stdout);
    int sig = 0;
    sigwait(&signals, &sig);
    fake.stop();
    std::printf("calls=%zu sendMessage=%zu\n", fake.count(), fake.count("sendMessage"));
    return 0;
}
