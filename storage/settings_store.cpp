// settings_store: chat_settings <-> one hash per owner. Parsing is lenient on purpose (a field that does not
// parse keeps its default) so a hash written by an older version never makes a chat unusable.
#include "storage/settings_store.hpp"

#include <charconv>
#include <map>

#include "storage/scripts.hpp"

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

std::vector<std::string> hset_command(const std::string& key, const chat_settings& s) {
    std::vector<std::string> cmd{"HSET", key,
                                 "units", s.units == distance_unit::mi ? "mi" : "km",
                                 "units_set", s.units_set ? "1" : "0",
                                 "tz", s.time_zone,
                                 "active", s.active ? "1" : "0",
                                 "lang", s.language};
    cmd.insert(cmd.end(), {"quiet", s.quiet ? std::to_string(s.quiet->start_minute) + "-" +
                                                  std::to_string(s.quiet->end_minute)
                                            : std::string("off")});
    if (s.weight_kg) {
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *s.weight_kg);
        cmd.insert(cmd.end(), {"weight_kg", std::string(buf, ec == std::errc{} ? end : buf)});
    }
    return cmd;
}

}  // namespace

settings_store::settings_store(redis_connection& redis, std::string prefix)
    : redis_(redis), prefix_(std::move(prefix)) {}

std::string settings_store::settings_key(std::int64_t owner_id) const {
    return prefix_ + "settings:" + std::to_string(owner_id);
}
// KEYS of forget/deactivate: the reminder keys (as reminder_store names them) and the settings hash.
std::vector<std::string> settings_store::owner_keys(std::int64_t owner_id) const {
    return make_argv(prefix_ + "due", prefix_ + "lease", prefix_ + "owner:" + std::to_string(owner_id),
                     settings_key(owner_id), prefix_ + "plan:" + std::to_string(owner_id));
}

awaitable<chat_settings> settings_store::load(std::int64_t owner_id) {
    auto reply = co_await redis_.command("HGETALL", settings_key(owner_id));
    const auto& e = reply.as_array();
    chat_settings s;
    for (std::size_t i = 0; i + 1 < e.size(); i += 2) apply_field(s, e[i].as_string(), e[i + 1].as_string());
    co_return s;
}

// DEL + HSET in one MULTI/EXEC: a call_batch goes out contiguously, so no other caller's command lands inside.
awaitable<void> settings_store::save(std::int64_t owner_id, const chat_settings& settings) {
    auto key = settings_key(owner_id);
    std::vector<std::vector<std::string>> batch;
    batch.push_back(make_argv("MULTI"));
    batch.push_back(make_argv("DEL", key));
    batch.push_back(hset_command(key, settings));
    batch.push_back(make_argv("EXEC"));
    auto replies = co_await redis_.call_batch(std::move(batch));
    for (const auto& r : replies) r.check();
    if (replies.back().is_nil())
        throw boost::system::system_error(make_error_code(storage_errc::unexpected_reply), "EXEC aborted");
}

awaitable<void> settings_store::forget(std::int64_t owner_id) {
    co_await scripts::forget().run(redis_, owner_keys(owner_id), make_argv(prefix_));
}

awaitable<void> settings_store::deactivate(std::int64_t owner_id) {
    co_await scripts::deactivate().run(redis_, owner_keys(owner_id), make_argv(prefix_));
}

}  // namespace rb
