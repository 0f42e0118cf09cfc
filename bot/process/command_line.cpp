// The command line through CLI11. Each setting of config.hpp's table is an option of the main command under two
// names (--redis-url and --REDIS_URL); subcommands fall through to the main command, so settings may come before
// or after them. CLI11's help flag is off: --help prints the text docs/operations.md is generated from.
//
// Why the environment is not read by CLI11's envname(): it calls getenv directly, while load_config reads through
// an env_lookup that tests replace; and a secret given as a flag must be told apart from one in the environment,
// to warn about the first.
#include "bot/process/command_line.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <optional>

#include "handlers/understanding/message_parser.hpp"

namespace rb {
namespace {

CLI::App* subcommand(CLI::App& app, const std::string& name, const std::string& about) {
    CLI::App* sub = app.add_subcommand(name, about);
    sub->fallthrough();  // settings given after the subcommand belong to the main command
    return sub;
}

// What /weight accepts (message_parser.hpp), said in kilograms rather than CLI::Range's "%f".
CLI::Validator weight_range() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            double kg = 0;
            const auto* end = text.data() + text.size();
            auto [ptr, ec] = std::from_chars(text.data(), end, kg);
            if (ec == std::errc{} && ptr == end && kg >= min_weight_kg && kg <= max_weight_kg) return {};
            return "expected kilograms between " + std::to_string(static_cast<int>(min_weight_kg)) + " and " +
                   std::to_string(static_cast<int>(max_weight_kg)) + ", got '" + text + "'";
        },
        "KG");
}

void add_plan_flags(CLI::App& plan, plan_request& p, std::string& units, std::optional<double>& weight) {
    plan.add_option("--text", p.text, "the message, as a runner would send it");
    plan.add_option("--units", units, "the runner's units")->check(CLI::IsMember({"mi", "km"}));
    plan.add_option("--weight", weight, "the runner's weight in kg")->check(weight_range());
    plan.add_flag("--json", p.json, "print JSON");
}

void add_admin_flags(CLI::App& sub, webhook_admin_flags& f, bool with_webhook_options) {
    sub.add_flag("--drop-pending-updates", f.drop_pending, "drop the updates Telegram holds");
    if (!with_webhook_options) return;
    sub.add_option("--max-connections", f.max_connections, "connections Telegram opens at most")
        ->check(CLI::Range(1, 100));
    sub.add_option("--allowed-updates", f.allowed_updates, "update kinds, comma-separated")->delimiter(',');
}

}  // namespace

command_line parse_command_line(const env_lookup& env, const std::vector<std::string>& args) {
    command_line out;
    CLI::App app{"recovery-bot: a recovery coach for runners, on Telegram", "recovery-bot"};
    app.set_help_flag();  // before the subcommands, so they do not get one of their own (see the top)
    app.add_flag("-h,--help", out.help);
    app.require_subcommand(0, 1);

    const auto& table = settings_table();
    std::vector<std::string> values(table.size());
    std::vector<CLI::Option*> options(table.size());
    for (std::size_t i = 0; i < table.size(); ++i) {
        options[i] = app.add_option(flag_name(table[i].key) + ",--" + std::string(table[i].key), values[i])
                         ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }

    std::string units;
    std::optional<double> weight;
    subcommand(app, "serve", "run the bot (the default)");
    CLI::App* plan = subcommand(app, "plan", "what the bot understands from one message");
    add_plan_flags(*plan, out.plan, units, weight);
    subcommand(app, "check-config", "check settings, templates and time zones");
    add_admin_flags(*subcommand(app, "set-webhook", "register the webhook with Telegram"), out.admin, true);
    add_admin_flags(*subcommand(app, "delete-webhook", "remove the webhook"), out.admin, false);
    subcommand(app, "webhook-info", "Telegram's view of the webhook");
    subcommand(app, "help", "this help");

    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes the arguments reversed
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        throw config_error(std::string(e.what()) + " (see --help)");
    }
    for (const CLI::App* chosen : app.get_subcommands()) out.command = chosen->get_name();  // at most one
    if (out.command == "help") {
        out.command = "serve";
        out.help = true;
    }

    flag_values flags(table.size());
    for (std::size_t i = 0; i < table.size(); ++i)
        if (options[i]->count() > 0) flags[i] = values[i];
    out.cfg = load_config(env, flags);

    if (out.command == "plan" && !out.help) {
        if (plan->count("--text") == 0) throw config_error("plan: --text is required (see plan --help)");
        if (!units.empty()) {
            out.plan.settings.units = units == "mi" ? distance_unit::mi : distance_unit::km;
            out.plan.settings.units_set = true;
        }
        out.plan.settings.weight_kg = weight;
    }
    return out;
}

}  // namespace rb
