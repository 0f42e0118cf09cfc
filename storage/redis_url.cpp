// Parsing of redis://, rediss:// and unix:// URLs. Every error message is fixed text: no part of the URL is echoed,
// since in a malformed URL (a missing '@', say) the password can sit where a host or port was expected.
#include "storage/redis_url.hpp"

#include <charconv>
#include <stdexcept>

namespace rb {
namespace {

[[noreturn]] void fail(const std::string& why) { throw std::invalid_argument("redis url: " + why); }

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding of the user-info part; the message must not show the text.
std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) fail("bad %-escape in user or password");
        int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
        if (hi < 0 || lo < 0) fail("bad %-escape in user or password");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

template <typename Int>
bool parse_int(std::string_view s, Int& out, Int lo, Int hi) {
    Int v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < lo || v > hi) return false;
    out = v;
    return true;
}

// "user:password", ":password" or "password" (as redis-cli reads it).
void parse_userinfo(std::string_view info, redis_url& url) {
    auto colon = info.find(':');
    if (colon == std::string_view::npos) {
        url.password = percent_decode(info);
        return;
    }
    url.username = percent_decode(info.substr(0, colon));
    url.password = percent_decode(info.substr(colon + 1));
}

// Splits "<userinfo>@<rest>" at the last '@' (a password may hold an unescaped '@').
std::string_view take_userinfo(std::string_view rest, redis_url& url) {
    auto at = rest.rfind('@');
    if (at == std::string_view::npos) return rest;
    parse_userinfo(rest.substr(0, at), url);
    return rest.substr(at + 1);
}

void parse_query(std::string_view query, redis_url& url) {
    while (!query.empty()) {
        auto amp = query.find('&');
        auto item = query.substr(0, amp);
        if (item.starts_with("db=")) {
            if (!parse_int(item.substr(3), url.db, 0, 1 << 20)) fail("db must be a number >= 0");
        } else if (!item.empty()) {
            fail("unknown query parameter (only db=N is known)");
        }
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
}

void parse_host_port(std::string_view hp, redis_url& url) {
    std::string_view port;
    if (hp.starts_with('[')) {
        auto close = hp.find(']');
        if (close == std::string_view::npos) fail("unclosed '[' in host");
        url.host = std::string(hp.substr(1, close - 1));
        auto after = hp.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) fail("junk after ']' in host");
        if (!after.empty()) port = after.substr(1);
    } else {
        auto colon = hp.rfind(':');
        url.host = std::string(hp.substr(0, colon));
        if (colon != std::string_view::npos) port = hp.substr(colon + 1);
    }
    if (url.host.empty()) fail("missing host");
    // A host is letters, digits, '.', '-' and '_' (or an IPv6 address in brackets). Anything else is almost always
    // a password written without its '@' ("redis://:secret127.0.0.1:6379"): refuse it rather than resolve it.
    const bool v6 = hp.starts_with('[');
    for (char c : url.host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '-' || c == '_' || (v6 && (c == ':' || c == '%'));
        if (!ok)
            fail(
                "the host holds characters a host name cannot; a password needs '@' before the host "
                "(redis://:password@host:port/db)");
    }
    if (!port.empty() && !parse_int<std::uint16_t>(port, url.port, 1, 65535)) fail("port is not a number in 1-65535");
}

redis_url parse_tcp(std::string_view rest) {
    redis_url url;
    rest = take_userinfo(rest, url);
    auto q = rest.find('?');
    if (q != std::string_view::npos) {
        parse_query(rest.substr(q + 1), url);
        rest = rest.substr(0, q);
    }
    auto slash = rest.find('/');
    parse_host_port(rest.substr(0, slash), url);
    if (slash != std::string_view::npos && slash + 1 < rest.size()) {
        if (!parse_int(rest.substr(slash + 1), url.db, 0, 1 << 20)) fail("db after '/' must be a number >= 0");
    }
    return url;
}

redis_url parse_unix(std::string_view rest) {
    redis_url url;
    url.kind = redis_url::transport::unix_socket;
    rest = take_userinfo(rest, url);
    auto q = rest.find('?');
    if (q != std::string_view::npos) {
        parse_query(rest.substr(q + 1), url);
        rest = rest.substr(0, q);
    }
    if (!rest.starts_with('/') || rest.size() < 2) fail("unix:// needs an absolute socket path (unix:///path)");
    url.path = std::string(rest);
    return url;
}

}  // namespace

redis_url parse_redis_url(std::string_view text) {
    auto sep = text.find("://");
    if (sep == std::string_view::npos) fail("expected redis://host:port/db or unix:///path/to/socket");
    auto scheme = text.substr(0, sep);
    auto rest = text.substr(sep + 3);
    if (scheme == "redis") return parse_tcp(rest);
    if (scheme == "unix") return parse_unix(rest);
    if (scheme == "rediss") {
        auto url = parse_tcp(rest);
        url.tls = true;
        return url;
    }
    fail("unsupported scheme (use redis://, rediss:// or unix://)");
}

std::string redis_url::redacted() const {
    std::string auth;
    if (!username.empty() || !password.empty()) auth = username + (password.empty() ? "" : ":***") + "@";
    std::string db_part = std::to_string(db);
    if (kind == transport::unix_socket) return "unix://" + auth + path + "?db=" + db_part;
    bool v6 = host.find(':') != std::string::npos;
    std::string h = v6 ? "[" + host + "]" : host;
    return std::string(tls ? "rediss://" : "redis://") + auth + h + ":" + std::to_string(port) + "/" + db_part;
}

}  // namespace rb
