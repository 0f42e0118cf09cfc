// The operator subcommands as recovery-bot runs them: flags, help text, an io_context of their own.
// Flags: --drop-pending-updates, --max-connections=N (1-100), --allowed-updates=a,b,c.
#include <charconv>
#include <iostream>

#include "bot/process/config.hpp"
#include "bot/telegram/webhook_admin.hpp"

namespace rb {

namespace {

struct admin_flags {
    bool drop_pending = false;
    int max_connections = 40;
    std::vector<std::string> allowed_updates{"message", "callback_query", "my_chat_member"};
};

std::vector<std::string> split_commas(std::string_view s) {
    std::vector<std::string> out;
    while (!s.empty()) {
        auto comma = s.find(',');
        if (comma != 0) out.emplace_back(s.substr(0, comma));
        if (comma == std::string_view::npos) break;
        s.remove_prefix(comma + 1);
    }
    return out;
}

// Throws config_error naming the flag, its value and the reason.
admin_flags parse_flags(const std::vector<std::string>& args) {
    admin_flags f;
    for (const std::string& a : args) {
        std::string_view v = a;
        if (v == "--drop-pending-updates") {
            f.drop_pending = true;
        } else if (v.starts_with("--max-connections=")) {
            v.remove_prefix(18);
            auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), f.max_connections);
            if (ec != std::errc{} || end != v.data() + v.size() || f.max_connections < 1 || f.max_connections > 100)
                throw config_error("--max-connections='" + std::string(v) + "': must be 1-100");
        } else if (v.starts_with("--allowed-updates=")) {
            f.allowed_updates = split_commas(v.substr(18));
        } else {
            throw config_error("unknown argument '" + a + "' (see --help)");
        }
    }
    return f;
}

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

int run_webhook_admin(const std::string& command, const config& cfg, const std::vector<std::string>& args) {
    auto flags = parse_flags(args);
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
