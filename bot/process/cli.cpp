// Subcommands of recovery-bot; see cli.hpp. `plan` runs the very handlers the bot runs, on one message,
// with no Telegram and no Redis, so a runner or a developer can see what the bot understood and why.
#include "bot/process/cli.hpp"

#include <charconv>
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

bool given(std::string_view key, const std::vector<std::string>& raw_args) {
    if (process_environment()(key)) return true;
    std::string flag = "--";
    for (char c : key) flag += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& a : raw_args) {
        if (a.rfind(flag, 0) == 0 || a.rfind("--" + std::string(key), 0) == 0) return true;
    }
    return false;
}

struct plan_args {
    std::string text;
    chat_settings settings;
    bool json = false;
};

// Throws config_error with a one-line usage on anything it does not understand.
plan_args parse_plan_args(const std::vector<std::string>& args) {
    plan_args p;
    bool have_text = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) throw config_error(a + ": missing value\n" + plan_help);
            return args[++i];
        };
        if (a == "--json") {
            p.json = true;
        } else if (a == "--text") {
            p.text = value();
            have_text = true;
        } else if (a == "--units") {
            const std::string& u = value();
            if (u != "mi" && u != "km") throw config_error("--units: expected mi or km, got '" + u + "'");
            p.settings.units = u == "mi" ? distance_unit::mi : distance_unit::km;
            p.settings.units_set = true;
        } else if (a == "--weight") {
            const std::string& w = value();
            double kg = 0;
            auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), kg);
            if (ec != std::errc{} || ptr != w.data() + w.size() || !(kg >= 25 && kg <= 250)) {
                throw config_error("--weight: expected kilograms between 25 and 250, got '" + w + "'");
            }
            p.settings.weight_kg = kg;
        } else {
            throw config_error("plan: unknown argument '" + a + "'\n" + plan_help);
        }
    }
    if (!have_text) throw config_error(std::string("plan: --text is required\n") + plan_help);
    return p;
}

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int run_plan(const config& cfg, const std::vector<std::string>& args) {
    const plan_args p = parse_plan_args(args);
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
config adjust_for_terminal(config cfg, const std::vector<std::string>& raw_args) {
    if (cfg.effective_mode() != run_mode::terminal) return cfg;
    if (!given("TIME_SCALE", raw_args)) cfg.time_scale = 60;
    if (!given("LOG_LEVEL", raw_args)) cfg.level = log_level::warn;
    return cfg;
}

}  // namespace

std::string subcommand_help(const std::string& command) {
    if (command == "plan") return plan_help;
    if (command == "check-config") return check_help;
    return webhook_admin_help(command);
}

int run_command(const std::string& command, config cfg, const std::vector<std::string>& args,
                const std::vector<std::string>& raw_args) {
    try {
        if (command == "serve") {
            cfg = adjust_for_terminal(std::move(cfg), raw_args);
            log_configure(cfg.level, cfg.log_json);
            if (!args.empty()) throw config_error("unknown argument '" + args.front() + "' (see --help)");
            validate_config(cfg);
            return run_service(cfg);
        }
        log_configure(cfg.level, cfg.log_json);
        if (command == "plan") return run_plan(cfg, args);
        if (command == "check-config") return run_check_config(cfg);
        if (is_webhook_admin_command(command)) return run_webhook_admin(command, cfg, args);
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
