// Operator subcommands run once when the configuration changes, not at every start:
//   set-webhook     registers the webhook (url, secret, allowed_updates, max_connections) and the command menu
//   delete-webhook  removes it (for switching to long polling)
//   webhook-info    prints what Telegram reports: url, pending_update_count, last_error_message
// Pending updates are dropped only when the operator passes the flag. Each returns the process exit code.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "bot/telegram/telegram_client.hpp"

namespace rb {

// The command menu: start, help, plan, meal, cancel, units, timezone, quiet, weight, stop.
std::vector<bot_command> default_commands();

awaitable<int> run_set_webhook(telegram_client& client, webhook_settings settings, std::ostream& out,
                               std::ostream& err);
awaitable<int> run_delete_webhook(telegram_client& client, bool drop_pending_updates, std::ostream& out,
                                  std::ostream& err);
awaitable<int> run_webhook_info(telegram_client& client, std::ostream& out, std::ostream& err);

// The command-line side (webhook_admin_cli.cpp), called by cli.cpp; command_line.cpp reads the flags.
struct config;
struct webhook_admin_flags {
    bool drop_pending = false;  // --drop-pending-updates
    int max_connections = 40;   // --max-connections=N (1-100): Telegram's own default
    std::vector<std::string> allowed_updates{"message", "callback_query", "my_chat_member"};  // --allowed-updates
};
bool is_webhook_admin_command(const std::string& command);   // set-webhook, delete-webhook, webhook-info
std::string webhook_admin_help(const std::string& command);  // usage text; a short note for unknown commands
// Runs the subcommand on an io_context of its own. Returns the exit code:
// 0 done, 1 Telegram refused or was unreachable, 2 bad usage or configuration.
int run_webhook_admin(const std::string& command, const config& cfg, const webhook_admin_flags& flags);

}  // namespace rb
