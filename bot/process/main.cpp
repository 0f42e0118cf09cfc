// recovery-bot's entry point: reads the command line, then runs one of the subcommands.
//   recovery-bot [serve]        the bot (webhook, long polling, or the terminal chat without BOT_TOKEN)
//   recovery-bot plan ...       what the bot understands and would do for one message (no Telegram, no Redis)
//   recovery-bot check-config   validates settings, templates and the zone database
//   recovery-bot set-webhook | delete-webhook | webhook-info   operator commands against the Bot API
#include <iostream>

#include "bot/process/app.hpp"
#include "bot/process/cli.hpp"
#include "bot/process/log.hpp"

namespace {

constexpr const char* usage =
    "usage: recovery-bot [serve | plan | check-config | set-webhook | delete-webhook | webhook-info] [--help]\n"
    "                    [--SETTING=VALUE ...]\n\n"
    "  serve           run the bot (the default). Without BOT_TOKEN: a local chat in this terminal.\n"
    "  plan            print what the bot understands from --text \"...\" and would do (see plan --help)\n"
    "  check-config    check settings, templates and time zones; exit 1 naming what is wrong\n"
    "  set-webhook     register WEBHOOK_URL, WEBHOOK_SECRET and the command menu with Telegram\n"
    "  delete-webhook  remove the webhook (pending updates are kept unless --drop-pending-updates)\n"
    "  webhook-info    show Telegram's view of the webhook: URL, pending updates, last error\n\n";

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    rb::command_line cl;
    try {
        cl = rb::parse_command_line(rb::process_environment(), args);
    } catch (const rb::config_error& e) {
        std::cerr << "recovery-bot: " << rb::redact(e.what()) << "\n";
        return 2;
    }
    if (cl.help) {
        std::cout << (cl.command == "serve" ? std::string(usage) + rb::config_help() : rb::subcommand_help(cl.command));
        return 0;
    }
    rb::log_add_secret(cl.cfg.bot_token);
    rb::log_add_secret(cl.cfg.webhook_secret);
    for (const auto& warning : cl.cfg.warnings)
        rb::log_event(rb::log_level::warn, "config_warning", {{"detail", warning}});
    return rb::run_command(cl);
}
