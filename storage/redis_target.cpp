// Sentinel lists and +switch-master messages are parsed here, apart from the sockets, so both are unit tested.
#include "storage/redis_target.hpp"

#include <charconv>
#include <sstream>
#include <stdexcept>

#include "storage/redis_tls.hpp"

namespace rb {
namespace {

sentinel_address parse_one(std::string_view item) {
    sentinel_address a;
    std::string_view port;
    if (item.starts_with('[')) {
        auto close = item.find(']');
        if (close == std::string_view::npos) throw std::invalid_argument("unclosed '[' in '" + std::string(item) + "'");
        a.host = std::string(item.substr(1, close - 1));
        auto rest = item.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':')) throw std::invalid_argument("junk after ']'");
        if (!rest.empty()) port = rest.substr(1);
    } else {
        auto colon = item.rfind(':');
        a.host = std::string(item.substr(0, colon));
        if (colon != std::string_view::npos) port = item.substr(colon + 1);
    }
    if (a.host.empty()) throw std::invalid_argument("a sentinel without a host");
    if (!port.empty()) {
        unsigned v = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
        if (ec != std::errc{} || end != port.data() + port.size() || v == 0 || v > 65535)
            throw std::invalid_argument("port of sentinel '" + std::string(item) + "' is not in 1-65535");
        a.port = static_cast<std::uint16_t>(v);
    }
    return a;
}

}  // namespace

redis_target::redis_target(redis_url u) : url(std::move(u)) {
    if (url.tls) tls = make_redis_tls_context({});
}

redis_target::redis_target(redis_url u, std::shared_ptr<boost::asio::ssl::context> t, sentinel_config s)
    : url(std::move(u)), tls(std::move(t)), sentinels(std::move(s)) {
    if (url.tls && !tls) tls = make_redis_tls_context({});
}

std::string redis_target::describe() const {
    if (!sentinels.enabled()) return url.redacted();
    std::string list;
    for (const auto& s : sentinels.addresses) list += (list.empty() ? "" : ",") + s.host + ":" + std::to_string(s.port);
    return "sentinels " + list + " (master " + sentinels.master_name + (url.tls ? ", TLS" : "") + ")";
}

redis_url redis_target::sentinel_url(const sentinel_address& s) const {
    redis_url u;
    u.host = s.host;
    u.port = s.port;
    u.password = sentinels.password;
    u.tls = url.tls;
    return u;
}

std::vector<sentinel_address> parse_sentinel_list(std::string_view text) {
    std::vector<sentinel_address> out;
    while (!text.empty()) {
        auto comma = text.find(',');
        auto item = text.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.push_back(parse_one(item));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    if (out.empty()) throw std::invalid_argument("expected host:port[,host:port...]");
    return out;
}

std::optional<std::string> switched_primary(std::string_view message, std::string_view master_name) {
    std::istringstream in{std::string(message)};
    std::string name, old_ip, old_port, new_ip, new_port;
    if (!(in >> name >> old_ip >> old_port >> new_ip >> new_port) || name != master_name) return std::nullopt;
    return new_ip + ":" + new_port;
}

}  // namespace rb
