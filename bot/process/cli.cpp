// Subcommands of recovery-bot; see cli.hpp. `plan` runs the very handlers the bot runs, on one message,
// with no Telegram and no Redis, so a runner or a developer can see what the bot understood and why.
#include "bot/process/cli.hpp"

#include <chrono>
#include <iostream>

#include "bot/process/app.hpp"
#include "bot/process/log.hpp"
#include "bot/process/redis_target_config.hpp"
#include "bot/telegram/webhook_admin.hpp"
#include "handlers/explain.hpp"

namespace rb {
namespace {

constexpr const char* plan_help =
    "usage: recovery-bot plan --text \"finished 15 miles\" [--units mi|km] [--weight KG] [--json]\n"
    "Prints what the bot understands from one message and what it would do: the intent, the run\n"
    "(distance, unit, kind), the reply, and the reminders with their offsets. No Telegram, no Redis.\n";

constexpr const char* check_help =
    "usage: recovery-bot check-config\n"
    "Validates every setting (environment and flags), the templates in TEMPLATES_DIR and the zone\n"
    "database; prints what it checked and exits 0, or prints what is wrong and exits 1.\n";

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int run_plan(const config& cfg, const plan_request& p) {
    const resources res = load_resources(cfg);
    const nlohmann::json result = explain(p.text, p.settings, now_ms(), res.templates, res.zones);
    std::cout << (p.json ? result.dump(2) + "\n" : explain_text(result));
    return 0;
}

int run_check_config(const config& cfg) {
    validate_config(cfg);
    const resources res = load_resources(cfg);
    std::string redis = "a private redis-server";
    if (!cfg.redis_url.empty() || !cfg.redis_sentinels.empty()) redis = redis_target_for(cfg).describe();
    std::cout << "ok: mode " << to_string(cfg.effective_mode()) << ", " << res.templates.names().size()
              << " templates and " << res.templates.meals().size() << " meals in " << cfg.templates_dir << ", "
              << res.zones.size() << " time zones in " << cfg.zoneinfo_dir << "; redis: " << redis << "\n";
    return 0;
}

// The terminal chat is for watching a plan unfold: a minute per second unless asked otherwise, and only
// warnings on stderr so the log does not interleave with the conversation.
config adjust_for_terminal(config cfg) {
    if (cfg.effective_mode() != run_mode::terminal) return cfg;
    if (!cfg.given.contains("TIME_SCALE")) cfg.time_scale = 60;
    if (!cfg.given.contains("LOG_LEVEL")) cfg.level = log_level::warn;
    return cfg;
}

}  // namespace

std::string subcommand_help(const std::string& command) {
    if (command == "plan") return plan_help;
    if (command == "check-config") return check_help;
    return webhook_admin_help(command);
}

int run_command(const command_line& cl) {
    const std::string& command = cl.command;
    try {
        if (command == "serve") {
            const config cfg = adjust_for_terminal(cl.cfg);
            log_configure(cfg.level, cfg.log_json);
            validate_config(cfg);
            return run_service(cfg);
        }
        log_configure(cl.cfg.level, cl.cfg.log_json);
        if (command == "plan") return run_plan(cl.cfg, cl.plan);
        if (command == "check-config") return run_check_config(cl.cfg);
        if (is_webhook_admin_command(command)) return run_webhook_admin(command, cl.cfg, cl.admin);
        std::cerr << "recovery-bot: unknown command '" << command << "' (see --help)\n";
        return 2;
    } catch (const config_error& e) {
        std::cerr << "recovery-bot: " << redact(e.what()) << "\n";
        return command == "check-config" ? 1 : 2;
    } catch (const std::exception& e) {
        std::cerr << "recovery-bot: " << redact(e.what()) << "\n";
        return 1;
    }
}

}  // namespace rb
