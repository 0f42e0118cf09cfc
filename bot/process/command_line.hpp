// recovery-bot's command line, read by CLI11: the settings as flags (--redis-url or --REDIS_URL; see config.hpp),
// the subcommands and their own flags. The environment is read by load_config through an env_lookup, so tests
// give it a map instead of the process's environment; flags override it.
#pragma once

#include <string>
#include <vector>

#include "bot/process/config.hpp"
#include "bot/telegram/webhook_admin.hpp"
#include "handlers/settings.hpp"

namespace rb {

// `plan --text "finished 15 miles" [--units mi|km] [--weight KG] [--json]`
struct plan_request {
    std::string text;
    chat_settings settings;
    bool json = false;
};

struct command_line {
    std::string command = "serve";  // serve, plan, check-config, set-webhook, delete-webhook, webhook-info
    bool help = false;              // --help, -h or `help`: print the command's help instead of running it
    config cfg;
    plan_request plan;
    webhook_admin_flags admin;
};

// Throws config_error with one line naming what is wrong (an unknown argument, a missing value, a bad setting).
command_line parse_command_line(const env_lookup& env, const std::vector<std::string>& args);

}  // namespace rb
