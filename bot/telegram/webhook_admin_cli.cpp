// The operator subcommands as recovery-bot runs them: help text, an io_context of their own.
// Their flags (--drop-pending-updates, --max-connections=N, --allowed-updates=a,b,c) are read by command_line.cpp.
#include <iostream>

#include "bot/process/config.hpp"
#include "bot/telegram/webhook_admin.hpp"

namespace rb {

namespace {

client_options client_for(const config& cfg) {
    if (cfg.bot_token.empty()) throw config_error("BOT_TOKEN: required for this command");
    client_options o;
    o.api_root = cfg.telegram_api_root;
    o.token = cfg.bot_token;
    return o;
}

}  // namespace

bool is_webhook_admin_command(const std::string& command) {
    return command == "set-webhook" || command == "delete-webhook" || command == "webhook-info";
}

std::string webhook_admin_help(const std::string& command) {
    if (command == "set-webhook")
        return "recovery-bot set-webhook [--drop-pending-updates] [--max-connections=N] [--allowed-updates=a,b]\n"
               "  Registers WEBHOOK_URL with WEBHOOK_SECRET as the secret token, and the command menu.\n"
               "  Run it when the configuration changes, not at every start. Pending updates are kept\n"
               "  unless --drop-pending-updates is given. Defaults: 40 connections; message,\n"
               "  callback_query, my_chat_member.\n";
    if (command == "delete-webhook")
        return "recovery-bot delete-webhook [--drop-pending-updates]\n"
               "  Removes the webhook (to switch to long polling). Pending updates are kept unless asked.\n";
    if (command == "webhook-info")
        return "recovery-bot webhook-info\n"
               "  Prints the webhook Telegram has: url, pending_update_count, last_error_message.\n";
    return "recovery-bot: no such command '" + command + "' (see --help)\n";
}

int run_webhook_admin(const std::string& command, const config& cfg, const webhook_admin_flags& flags) {
    net::io_context ioc;
    telegram_client client(ioc.get_executor(), client_for(cfg));
    auto task = [&]() -> awaitable<int> {
        if (command == "delete-webhook")
            co_return co_await run_delete_webhook(client, flags.drop_pending, std::cout, std::cerr);
        if (command == "webhook-info") co_return co_await run_webhook_info(client, std::cout, std::cerr);
        if (cfg.webhook_secret.empty()) {
            std::cerr << "set-webhook: WEBHOOK_SECRET is required, so the webhook can tell Telegram's calls apart\n";
            co_return 2;
        }
        webhook_settings w{cfg.webhook_url, cfg.webhook_secret, flags.allowed_updates, flags.max_connections,
                           flags.drop_pending};
        co_return co_await run_set_webhook(client, std::move(w), std::cout, std::cerr);
    };
    auto result = net::co_spawn(ioc, task(), net::use_future);
    ioc.run();
    return result.get();
}

}  // namespace rb
