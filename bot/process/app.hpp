// The long-running process: composes config, Redis, the stores, the Telegram client, the dispatcher and one
// transport (webhook server, long polling or the terminal chat), runs them on THREADS threads, and shuts
// them down in order on SIGINT/SIGTERM. main() parses the command line and calls run_service.
#pragma once

#include "bot/process/config.hpp"
#include "handlers/texts/templates.hpp"
#include "handlers/time/time_zone.hpp"

namespace rb {

struct resources {
    template_set templates;
    zone_catalog zones;
};

// Reads and checks templates/ and the zone database. Throws config_error naming the file and line.
resources load_resources(const config& cfg);

// Runs until a signal; returns the process exit code.
int run_service(const config& cfg);

}  // namespace rb
