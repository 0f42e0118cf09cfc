// Parsing of redis://, rediss:// and unix:// URLs with Boost.URL (RFC 3986), plus what the RFC leaves to us: the
// schemes, the db in the path or query, the port range and a host that can be resolved. Every error message is
// fixed text: no part of the URL is echoed, since in a malformed URL (a missing '@', say) the password can sit
// where a host or port was expected.
#include "storage/redis_url.hpp"

#include <charconv>
#include <stdexcept>

#include "net/absolute_url.hpp"

namespace rb {
namespace {

namespace urls = boost::urls;

[[noreturn]] void fail(const std::string& why) { throw std::invalid_argument("redis url: " + why); }

template <typename Int>
bool parse_int(std::string_view s, Int& out, Int lo, Int hi) {
    Int v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < lo || v > hi) return false;
    out = v;
    return true;
}

// "user:password", ":password" or "password" (as redis-cli reads it): one word without a colon is the password.
void take_userinfo(const urls::url_view& u, redis_url& url) {
    if (!u.has_userinfo()) return;
    if (u.has_password()) {
        url.username = u.user();
        url.password = u.password();
    } else {
        url.password = u.user();
    }
}

void take_query(const urls::url_view& u, redis_url& url) {
    if (!u.has_query()) return;
    for (auto param : u.params()) {
        if (param.key == "db") {
            if (!parse_int(std::string_view(param.value), url.db, 0, 1 << 20)) fail("db must be a number >= 0");
        } else if (!param.key.empty()) {
            fail("unknown query parameter (only db=N is known)");
        }
    }
}

// A host name is letters, digits, '.', '-' and '_'. RFC 3986 allows more ('!', '$', '%'-escapes...), and
// those are almost always a password written without its '@' ("redis://:secret!x:6379"): refuse rather than
// resolve it, and so leak it into DNS queries.
void take_host_port(const urls::url_view& u, redis_url& url) {
    url.host = u.host_address();
    if (url.host.empty()) fail("missing host");
    if (u.host_type() == urls::host_type::name) {
        for (char c : u.encoded_host()) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                            c == '-' || c == '_';
            if (!ok)
                fail(
                    "the host holds characters a host name cannot; a password needs '@' before the host "
                    "(redis://:password@host:port/db)");
        }
    }
    if (!u.port().empty()) {
        const auto port = parse_port(u.port());
        if (!port) fail("port is not a number in 1-65535");
        url.port = *port;
    }
}

redis_url parse_tcp(const urls::url_view& u) {
    redis_url url;
    take_userinfo(u, url);
    take_query(u, url);
    take_host_port(u, url);
    std::string_view path = u.encoded_path();
    if (path.size() > 1 && !parse_int(path.substr(1), url.db, 0, 1 << 20)) fail("db after '/' must be a number >= 0");
    return url;
}

redis_url parse_unix(const urls::url_view& u) {
    redis_url url;
    url.kind = redis_url::transport::unix_socket;
    take_userinfo(u, url);
    take_query(u, url);
    url.path = u.path();
    if (!u.host_address().empty() || !url.path.starts_with('/') || url.path.size() < 2)
        fail("unix:// needs an absolute socket path (unix:///path)");
    return url;
}

}  // namespace

redis_url parse_redis_url(std::string_view text) {
    if (text.find("://") == std::string_view::npos) fail("expected redis://host:port/db or unix:///path/to/socket");
    auto parsed = parse_absolute_url(text);
    if (!parsed)
        fail(
            "not a valid URL: a password needs '@' before the host (redis://:password@host:port/db), and '@', ':', "
            "'/' or '%' inside a user or password are written %40, %3A, %2F, %25");
    const urls::url_view& u = *parsed;
    if (u.has_fragment()) fail("no '#' fragment allowed");
    if (u.scheme() == "redis") return parse_tcp(u);
    if (u.scheme() == "unix") return parse_unix(u);
    if (u.scheme() == "rediss") {
        auto url = parse_tcp(u);
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
