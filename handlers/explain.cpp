// explain(): decide() on a synthetic private-chat update, summarised as JSON for the CLI; explain_text()
// renders that JSON for a terminal. No I/O: the CLI in bot/ reads the flags and prints.
#include "handlers/explain.hpp"

#include <cmath>

#include "handlers/plans/plan_text.hpp"
#include "handlers/route.hpp"
#include "handlers/understanding/message_parser.hpp"

namespace rb {
namespace {

using nlohmann::json;

update synthetic_update(std::string_view text) {
    message m;
    m.message_id = 1;
    m.from = user{1, false, "Runner", "", ""};
    m.chat = chat{1, "private", "", ""};
    m.content = content_kind::text;
    m.text = std::string(text);
    update u;
    u.update_id = 1;
    u.kind = update_kind::message;
    u.message = std::move(m);
    return u;
}

json run_json(const run_report& run) {
    json out = {{"unit", run.unit == distance_unit::mi ? "mi" : "km"},
                {"kind", std::string(to_string(run.kind))},
                {"plausible", run.plausible()}};
    out["distance_km"] = run.distance_given ? json(std::round(run.distance_km * 1000) / 1000) : json(nullptr);
    if (!run.distance_given) out["estimated_distance_km"] = std::round(run.distance_km * 10) / 10;
    if (run.duration_s) {
        out["duration_s"] = *run.duration_s;
        out["duration_min"] = std::round(*run.duration_s / 6.0) / 10;
    }
    if (run.stopped_early) out["stopped_early"] = true;
    if (run.ended_min_ago) out["ended_minutes_ago"] = *run.ended_min_ago;
    if (run.ended_by_hour) out["ended_by_local_hour"] = *run.ended_by_hour;
    if (run.parts > 1) out["parts"] = run.parts;
    return out;
}

json understood(std::string_view text, const chat_settings& settings, std::string_view bot_username,
                const lexicon& words) {
    json out;
    out["urgent"] = false;
    if (const auto cmd = parse_command(text, bot_username)) {
        out["intent"] = "unknown";
        out["command"] = cmd->name;
        return out;
    }
    const parsed_message p =
        parse_message(text, words, settings.units_set ? std::optional<distance_unit>(settings.units) : std::nullopt);
    out["intent"] = std::string(to_string(p.what));
    out["urgent"] = !p.urgent.empty();
    if (!p.urgent.empty()) out["red_flag"] = p.urgent;
    if (p.run) out["run"] = run_json(*p.run);
    if (!p.topic.empty()) out["topic"] = p.topic;
    if (!p.muscle.empty()) out["muscle"] = p.muscle;
    json filters = json::object();
    for (const auto& f : words.filters) filters[f.name] = p.filters.has(f.name);
    out["filters"] = filters;
    if (!p.unknown_filters.empty()) out["unknown_filters"] = p.unknown_filters;
    if (!p.sport.empty()) out["sport"] = p.sport;
    if (p.weight_kg) out["weight_kg"] = *p.weight_kg;
    return out;
}

void add_action(json& out, const action& a) {
    if (const auto* send = std::get_if<send_message>(&a)) {
        const std::string before = out.value("reply", std::string());
        out["reply"] = before.empty() ? send->text : before + "\n\n" + send->text;
    } else if (const auto* plan = std::get_if<schedule_plan>(&a)) {
        out["run_id"] = plan->run_id;
        for (const auto& r : plan->reminders) {
            const auto minutes = std::llround(static_cast<double>(r.offset.count()) / 60000.0);
            out["reminders"].push_back({{"kind", r.kind}, {"offset_minutes", minutes}, {"text", r.text}});
        }
    }
}

std::string decode_html(std::string_view html) {
    std::string out;
    for (std::size_t i = 0; i < html.size(); ++i) {
        if (html[i] == '<') {
            const auto close = html.find('>', i);
            if (close != std::string_view::npos) {
                i = close;
                continue;
            }
        }
        if (html[i] == '&') {
            const auto semi = html.find(';', i);
            const auto entity = semi == std::string_view::npos ? std::string_view() : html.substr(i, semi - i + 1);
            const char* plain = entity == "&lt;"     ? "<"
                                : entity == "&gt;"   ? ">"
                                : entity == "&amp;"  ? "&"
                                : entity == "&quot;" ? "\""
                                : entity == "&#39;"  ? "'"
                                                     : nullptr;
            if (plain) {
                out += plain;
                i = semi;
                continue;
            }
        }
        out += html[i];
    }
    return out;
}

// Continuation lines of a reminder line up under its text.
std::string indent(const std::string& text) {
    std::string out;
    for (const char c : text) out += c == '\n' ? std::string("\n      ") : std::string(1, c);
    return out;
}

std::string offset_text(std::int64_t minutes) {
    if (minutes < 60) return "+" + std::to_string(minutes) + " min";
    return "+" + std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

}  // namespace

json explain(std::string_view text, const chat_settings& settings, std::int64_t now_ms, const template_set& templates,
             const zone_catalog& zones) {
    context ctx;
    ctx.now_ms = now_ms;
    ctx.settings = settings;
    ctx.bot_username = "recovery_bot";
    ctx.templates = &templates;
    ctx.zones = &zones;
    json out = understood(text, settings, ctx.bot_username, templates.words());
    out["reply"] = "";
    out["reminders"] = json::array();
    for (const auto& a : decide(synthetic_update(text), ctx)) add_action(out, a);
    return out;
}

std::string explain_text(const json& e) {
    std::string out = "Understood: " + e.value("intent", std::string("unknown"));
    if (e.value("urgent", false)) out += " (medical red flag: " + e.value("red_flag", std::string()) + ")";
    if (e.contains("run")) {
        const auto& r = e["run"];
        const std::string distance =
            r["distance_km"].is_number()
                ? short_number(r["distance_km"].get<double>()) + " km, said in " + r.value("unit", std::string("km"))
                : "distance not given";
        const std::string time =
            r.contains("duration_min") ? ", " + short_number(r["duration_min"].get<double>()) + " min" : "";
        out += " (" + distance + time + ", " + r.value("kind", std::string("easy")) + ")";
    }
    if (e.contains("topic")) out += " (topic: " + e["topic"].get<std::string>() + ")";
    if (e.contains("command")) out += " (command: /" + e["command"].get<std::string>() + ")";
    out += "\n\nReply:\n" + decode_html(e.value("reply", std::string())) + "\n";
    if (!e.contains("reminders") || e["reminders"].empty()) return out + "\nNo reminders scheduled.\n";
    out += "\nReminders:\n";
    for (const auto& r : e["reminders"]) {
        out += "  " + offset_text(r.value("offset_minutes", std::int64_t{0})) + "  " + r.value("kind", std::string()) +
               ": " + indent(decode_html(r.value("text", std::string()))) + "\n";
    }
    return out;
}

}  // namespace rb
