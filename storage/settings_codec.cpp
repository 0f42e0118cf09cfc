// The settings hash's field codec (see settings_codec.hpp).
#include "storage/settings_codec.hpp"

#include <charconv>
#include <optional>

namespace rb {
namespace {

template <typename Num>
std::optional<Num> parse_number(std::string_view s) {
    Num v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<quiet_hours> parse_quiet(std::string_view s, std::optional<quiet_hours> fallback) {
    if (s == "off") return std::nullopt;
    auto dash = s.find('-');
    if (dash == std::string_view::npos) return fallback;
    auto start = parse_number<int>(s.substr(0, dash));
    auto end = parse_number<int>(s.substr(dash + 1));
    if (!start || !end || *start < 0 || *start >= 1440 || *end < 0 || *end >= 1440) return fallback;
    return quiet_hours{*start, *end};
}

void apply_field(chat_settings& s, std::string_view name, const std::string& value) {
    if (name == "units") {
        if (value == "km" || value == "mi") s.units = value == "mi" ? distance_unit::mi : distance_unit::km;
    } else if (name == "units_set") {
        s.units_set = value == "1";
    } else if (name == "tz") {
        if (!value.empty()) s.time_zone = value;
    } else if (name == "quiet") {
        s.quiet = parse_quiet(value, s.quiet);
    } else if (name == "weight_kg") {
        if (auto w = parse_number<double>(value); w && *w > 0) s.weight_kg = *w;
    } else if (name == "active") {
        s.active = value != "0";
    } else if (name == "lang") {
        if (!value.empty()) s.language = value;
    }
}

}  // namespace

chat_settings settings_from_hash(const redis_value& reply) {
    chat_settings s;
    const auto& e = reply.check().as_array();  // WRONGTYPE (the key holds something else) throws: a permanent fault
    for (std::size_t i = 0; i + 1 < e.size(); i += 2) apply_field(s, e[i].as_string(), e[i + 1].as_string());
    return s;
}

std::vector<std::string> settings_to_fields(const chat_settings& s) {
    std::vector<std::string> f{"units",     s.units == distance_unit::mi ? "mi" : "km",
                               "units_set", s.units_set ? "1" : "0",
                               "tz",        s.time_zone,
                               "active",    s.active ? "1" : "0",
                               "lang",      s.language};
    f.insert(f.end(),
             {"quiet", s.quiet ? std::to_string(s.quiet->start_minute) + "-" + std::to_string(s.quiet->end_minute)
                               : std::string("off")});
    if (s.weight_kg) {
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *s.weight_kg);
        f.insert(f.end(), {"weight_kg", std::string(buf, ec == std::errc{} ? end : buf)});
    }
    return f;
}

}  // namespace rb
