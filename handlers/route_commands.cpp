// Bot commands: /start /help /meal /plan /cancel /units /timezone /quiet /weight /stop. Each answers bad
// arguments with a one-line usage, never silence; settings changes come back as save_settings.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

#include "handlers/plans/plan.hpp"
#include "handlers/plans/plan_text.hpp"
#include "handlers/plans/quiet_hours.hpp"
#include "handlers/route_parts.hpp"
#include "handlers/time/civil_time.hpp"

namespace rb {
namespace {

using nlohmann::json;

std::string lower_no_space(std::string_view s) {
    std::string out;
    for (const unsigned char c : s) {
        if (!std::isspace(c)) out += static_cast<char>(std::tolower(c));
    }
    return out;
}

std::optional<distance_unit> parse_units(std::string_view args) {
    const std::string a = lower_no_space(args);
    for (const char* km : {"km", "kms", "kilometre", "kilometres", "kilometer", "kilometers", "metric"}) {
        if (a == km) return distance_unit::km;
    }
    for (const char* mi : {"mi", "mile", "miles", "imperial"}) {
        if (a == mi) return distance_unit::mi;
    }
    return std::nullopt;
}

// "70kg", "70 kg", "154lb", "11st", "70,5" (the runner's own unit: kg, or lb for a runner in miles), in kg and
// not yet held to the adult range (the caller says why it refuses a weight outside it).
std::optional<double> read_weight_kg(std::string_view args, distance_unit units) {
    std::string a = lower_no_space(args);
    std::replace(a.begin(), a.end(), ',', '.');
    double value = 0;
    const auto [ptr, ec] = std::from_chars(a.data(), a.data() + a.size(), value);
    if (ec != std::errc{} || ptr == a.data() || !std::isfinite(value) || !(value > 0)) return std::nullopt;
    const std::string unit = a.substr(static_cast<std::size_t>(ptr - a.data()));
    bool pounds = units == distance_unit::mi;
    if (unit == "kg" || unit == "kgs" || unit == "kilo" || unit == "kilos")
        pounds = false;
    else if (unit == "lb" || unit == "lbs" || unit == "pounds")
        pounds = true;
    else if (unit.starts_with("st")) {
        // "11st", "11stone", "11st6", "11st 6lb": stones and pounds, as British runners give their weight
        std::string_view rest = std::string_view(unit).substr(unit.starts_with("stone") ? 5 : 2);
        double pounds_too = 0;
        if (!rest.empty()) {
            const auto [end, bad] = std::from_chars(rest.data(), rest.data() + rest.size(), pounds_too);
            rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
            if (bad != std::errc{} || !std::isfinite(pounds_too) || pounds_too < 0 || pounds_too >= 14 ||
                !(rest.empty() || rest == "lb" || rest == "lbs"))
                return std::nullopt;
        }
        return value * kg_per_stone + pounds_too * kg_per_lb;
    } else if (!unit.empty())
        return std::nullopt;
    return pounds ? value * kg_per_lb : value;
}

bool adult_weight(double kg) { return kg >= min_weight_kg && kg <= max_weight_kg; }

std::string units_word(distance_unit u) { return u == distance_unit::mi ? "miles" : "kilometres"; }

// "today 14:30", "tomorrow 08:00", "Mon 08:00" in the owner's zone.
std::string due_text(std::int64_t due_ms, const turn& t) {
    const std::int64_t local = to_local_ms(t.zone, due_ms);
    const std::int64_t days = civil::floor_div(local, civil::ms_per_day) -
                              civil::floor_div(to_local_ms(t.zone, t.ctx.now_ms), civil::ms_per_day);
    if (days <= 0) return "today " + clock_text(local);
    if (days == 1) return "tomorrow " + clock_text(local);
    static constexpr const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    return std::string(names[civil::weekday_from_days(civil::floor_div(local, civil::ms_per_day))]) + " " +
           clock_text(local);
}

std::vector<action> list_plan(const turn& t) {
    if (t.ctx.upcoming.empty()) return {t.reply_template("command/plan_empty")};
    json items = json::array();
    for (const auto& r : t.ctx.upcoming) {
        const std::string base(base_kind(r.kind));
        const bool known = base == "eat" || base == "hydrate" || base == "roll" || base == "ice" || base == "epsom" ||
                           base == "morning_roll" || base == "sleep";
        items.push_back({{"time", due_text(r.due_ms, t)}, {known ? base : "other", true}, {"kind", r.kind}});
    }
    return {
        t.reply_template("command/plan_list",
                         json{{"zone", zone_text(t.ctx.settings.time_zone, t.zone, t.ctx.now_ms)}, {"items", items}})};
}

std::vector<action> cancel(const turn& t) {
    const std::size_t n = t.ctx.upcoming.size();
    if (n == 0) return {t.reply_template("command/cancel_nothing")};
    return {cancel_all_reminders{t.owner},
            t.reply_template("command/cancelled", json{{"count", n}, {"plural", n != 1}})};
}

std::vector<action> set_units(const turn& t, std::string_view args) {
    const auto units = parse_units(args);
    if (!units) return {t.reply_template("command/usage_units")};
    chat_settings s = t.ctx.settings;
    s.units = *units;
    s.units_set = true;
    return {t.save(s), t.reply_template("command/units_set", json{{"unit_name", units_word(*units)}})};
}

std::string language_of(const turn& t) { return t.msg.from ? t.msg.from->language_code : std::string(); }

// /timezone with an IANA name, a city or country, the local time, or a UTC offset; with nothing or something
// unknown, the usage and a row of likely zones to tap.
std::vector<action> set_zone(const turn& t, std::string_view args) {
    if (!t.ctx.zones) return {t.reply_template("unavailable")};
    const auto answer = read_zone_answer(args, t.texts.places(), *t.ctx.zones, t.ctx.now_ms);
    if (!answer) {
        send_message usage = t.reply_template("command/usage_timezone", json{{"bad", std::string(args.substr(0, 64))}});
        usage.buttons = zone_buttons(t.texts.places(), language_of(t));
        return {usage};
    }
    return change_zone(t.ctx, t.owner, t.msg.chat.id, *answer);
}

std::vector<action> set_quiet(const turn& t, std::string_view args) {
    const std::string a = lower_no_space(args);
    if (a == "off" || a == "none" || a == "no") return change_quiet(t.ctx, t.owner, t.msg.chat.id, std::nullopt);
    const auto window = parse_quiet_window(a);
    if (!window) return {t.reply_template("command/usage_quiet")};
    return change_quiet(t.ctx, t.owner, t.msg.chat.id, *window);
}

// A bare number in a chat that counts in miles could be either: ask, with a button for each.
std::vector<action> set_weight(const turn& t, std::string_view args) {
    chat_settings s = t.ctx.settings;
    if (const std::string a = lower_no_space(args); a == "off" || a == "none" || a == "clear") {
        s.weight_kg.reset();
        return {t.save(s), t.reply_template("command/weight_off")};
    }
    const std::string a = lower_no_space(args);
    double value = 0;
    const auto [ptr, ec] = std::from_chars(a.data(), a.data() + a.size(), value);
    const bool bare = ec == std::errc{} && ptr == a.data() + a.size();
    if (bare && s.units == distance_unit::mi && s.units_set) {
        const bool kg_ok = adult_weight(value);
        const bool lb_ok = adult_weight(value * kg_per_lb);
        if (kg_ok && lb_ok) {
            send_message ask = t.reply_template("command/weight_which", json{{"value", short_number(value)}});
            ask.buttons = weight_buttons(value);
            return {ask};
        }
    }
    const auto kg = read_weight_kg(args, s.units);
    if (!kg) return {t.reply_template("command/usage_weight", json{{"bad", std::string(args.substr(0, 32))}})};
    // "/weight 700kg" was refused with the usage line alone: the runner is told what was read and why not.
    if (!adult_weight(*kg)) {
        const double shown = std::round(*kg * 10) / 10;
        const std::string read =
            weight_text(shown, distance_unit::km) + " (" + weight_text(shown, distance_unit::mi) + ")";
        const std::string range = short_number(min_weight_kg) + "-" + weight_text(max_weight_kg, distance_unit::km) +
                                  " (" + short_number(std::round(min_weight_kg / kg_per_lb)) + "-" +
                                  weight_text(max_weight_kg, distance_unit::mi) + ")";
        return {t.reply_template("command/usage_weight", json{{"refused", read}, {"range", range}})};
    }
    return change_weight(t.ctx, t.owner, t.msg.chat.id, std::round(*kg * 10) / 10);
}

std::vector<action> welcome(const turn& t) {
    const auto& s = t.ctx.settings;
    return {t.reply_template(
        "welcome",
        json{{"first_name", t.msg.from ? t.msg.from->first_name : ""},
             {"units", s.units_set ? (s.units == distance_unit::mi ? "miles" : "km") : ""},
             {"time_zone", s.time_zone.empty() ? std::string() : zone_text(s.time_zone, t.zone, t.ctx.now_ms)}})};
}

// Unknown filter words are named, never silently dropped.
std::vector<action> meal_command(const turn& t, std::string_view args) {
    std::vector<std::string> unknown;
    const meal_filters filters = read_meal_filters(args, t.texts.words(), unknown);
    if (!unknown.empty()) {
        std::string words;
        for (const auto& w : unknown) words += (words.empty() ? "" : ", ") + w;
        std::string known;
        for (const auto& f : t.texts.words().filters) known += (known.empty() ? "" : ", ") + f.label;
        return {t.reply_template("command/usage_meal", json{{"unknown", words.substr(0, 80)}, {"known", known}})};
    }
    return {t.reply(render_meal_reply(t.texts, filters, t.seed, 3, false))};
}

}  // namespace

std::vector<action> handle_command(const turn& t, const command& cmd, bool addressed) {
    const std::string_view args = cmd.args;
    if (cmd.name == "start") return welcome(t);
    if (cmd.name == "help") return {t.reply_template("help")};
    if (cmd.name == "meal" || cmd.name == "meals") return meal_command(t, args);
    if (cmd.name == "plan" || cmd.name == "reminders") return list_plan(t);
    if (cmd.name == "cancel") return cancel(t);
    if (cmd.name == "units") return set_units(t, args);
    if (cmd.name == "timezone" || cmd.name == "tz") return set_zone(t, args);
    if (cmd.name == "quiet") return set_quiet(t, args);
    if (cmd.name == "weight") return set_weight(t, args);
    if (cmd.name == "stop") return {forget_owner{t.owner}, t.reply_template("command/stopped")};
    if (!addressed) return {};  // in a group, an unknown bare command is probably another bot's
    return {t.reply_template("command/unknown", json{{"name", cmd.name}})};
}

}  // namespace rb
