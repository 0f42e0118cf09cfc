// The operator subcommands (see webhook_admin.hpp). Output never contains the token or the webhook secret.
#include "bot/telegram/webhook_admin.hpp"

namespace rb {

namespace {

int report_failure(std::ostream& err, std::string_view what, const api_result& r) {
    err << what << " failed: " << to_string(r.status);
    if (r.http_status != 0) err << " (HTTP " << r.http_status << ")";
    if (!r.description.empty()) err << ": " << r.description;
    err << '\n';
    return 1;
}

std::string joined(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ",") + i;
    return s.empty() ? "(all)" : s;
}

}  // namespace

std::vector<bot_command> default_commands() {
    return {
        {"start", "Start: what I can do for your recovery"},
        {"help", "How to tell me about a run and what I answer"},
        {"plan", "Your recovery plan and upcoming reminders"},
        {"meal", "A recovery meal idea (carbs and protein, 3:1)"},
        {"cancel", "Cancel your pending reminders"},
        {"units", "Kilometres or miles"},
        {"timezone", "Set your time zone, e.g. /timezone Europe/London"},
        {"quiet", "Quiet hours for reminders, e.g. /quiet 22:00-07:00 or off"},
        {"weight", "Your weight, for portions in g/kg, e.g. /weight 70kg"},
        {"stop", "Stop reminders and forget what I know about you"},
    };
}

// The webhook first: if it fails there is nothing to give a menu to. The menu failing after the webhook is
// set still fails the command (exit 1), so the operator runs it again; both calls are idempotent.
awaitable<int> run_set_webhook(telegram_client& client, webhook_settings settings, std::ostream& out,
                               std::ostream& err) {
    if (settings.url.empty() || !settings.url.starts_with("https://")) {
        err << "set-webhook: the webhook URL must be https:// (got '" << settings.url << "')\n";
        co_return 2;
    }
    auto r = co_await client.set_webhook(settings);
    if (!r.ok()) co_return report_failure(err, "setWebhook", r);
    out << "webhook set: url=" << settings.url << " max_connections=" << settings.max_connections
        << " allowed_updates=" << joined(settings.allowed_updates)
        << " secret_token=" << (settings.secret_token.empty() ? "none" : "set")
        << " pending_updates=" << (settings.drop_pending_updates ? "dropped" : "kept") << '\n';
    auto commands = default_commands();
    r = co_await client.set_my_commands(commands);
    if (!r.ok()) co_return report_failure(err, "setMyCommands", r);
    out << "command menu set: " << commands.size() << " commands\n";
    co_return 0;
}

awaitable<int> run_delete_webhook(telegram_client& client, bool drop_pending_updates, std::ostream& out,
                                  std::ostream& err) {
    auto r = co_await client.delete_webhook(drop_pending_updates);
    if (!r.ok()) co_return report_failure(err, "deleteWebhook", r);
    out << "webhook deleted; pending updates " << (drop_pending_updates ? "dropped" : "kept") << '\n';
    co_return 0;
}

awaitable<int> run_webhook_info(telegram_client& client, std::ostream& out, std::ostream& err) {
    auto r = co_await client.get_webhook_info();
    if (!r.ok()) co_return report_failure(err, "getWebhookInfo", r);
    const auto& info = r.result;
    auto url = info.value("url", std::string());
    out << "url: " << (url.empty() ? "(none: long polling)" : url) << '\n';
    out << "pending_update_count: " << info.value("pending_update_count", std::int64_t{0}) << '\n';
    out << "last_error_message: " << info.value("last_error_message", std::string("(none)")) << '\n';
    if (info.contains("last_error_date")) out << "last_error_date: " << info.value("last_error_date", 0) << '\n';
    if (info.contains("max_connections")) out << "max_connections: " << info.value("max_connections", 0) << '\n';
    if (info.contains("allowed_updates") && info["allowed_updates"].is_array())
        out << "allowed_updates: " << joined(info["allowed_updates"].get<std::vector<std::string>>()) << '\n';
    co_return 0;
}

}  // namespace rb
