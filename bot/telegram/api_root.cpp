// Parsing of the API root URL and token redaction. No I/O; unit-testable.
#include "bot/telegram/api_root.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace rb {

std::string api_root::target(std::string_view token, std::string_view method) const {
    std::string t = base_path;
    t.append("/bot").append(token).append("/").append(method);
    return t;
}

namespace {

bool valid_port(std::string_view p) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    return ec == std::errc{} && end == p.data() + p.size() && value > 0 && value <= 65535;
}

std::optional<api_root> fail(std::string* reason, const char* why) {
    if (reason) *reason = why;
    return std::nullopt;
}

}  // namespace

std::optional<api_root> parse_api_root(std::string_view url, std::string* reason) {
    api_root root;
    if (url.starts_with("https://")) {
        url.remove_prefix(8);
    } else if (url.starts_with("http://")) {
        root.tls = false;
        url.remove_prefix(7);
    } else {
        return fail(reason, "scheme must be http:// or https://");
    }
    auto slash = url.find('/');
    std::string_view authority = url.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (path.find_first_of("?#") != std::string_view::npos) return fail(reason, "no query or fragment allowed");
    std::string_view host = authority;
    std::string_view port = root.tls ? "443" : "80";
    if (!authority.empty() && authority.front() == '[') {  // [::1]:8081
        auto close = authority.find(']');
        if (close == std::string_view::npos) return fail(reason, "unclosed '[' in host");
        host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return fail(reason, "junk after ']'");
            port = authority.substr(close + 2);
        }
    } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty()) return fail(reason, "empty host");
    if (authority.find('@') != std::string_view::npos) return fail(reason, "credentials in URL not allowed");
    if (!valid_port(port)) return fail(reason, "port must be 1-65535");
    root.host = std::string(host);
    root.port = std::string(port);
    root.base_path = std::string(path);
    return root;
}

std::string redact_token(std::string_view text, std::string_view token) {
    std::string out(text);
    if (!token.empty()) {
        for (auto pos = out.find(token); pos != std::string::npos; pos = out.find(token, pos)) {
            out.replace(pos, token.size(), "<redacted>");
            pos += 10;
        }
    }
    // Also any "/bot<digits>:<token chars>" that is not ours (a copy-pasted URL in an error text).
    for (auto pos = out.find("/bot"); pos != std::string::npos; pos = out.find("/bot", pos + 1)) {
        std::size_t i = pos + 4;
        std::size_t digits = 0;
        while (i < out.size() && std::isdigit(static_cast<unsigned char>(out[i]))) ++i, ++digits;
        if (digits == 0 || i >= out.size() || out[i] != ':') continue;
        std::size_t end = i + 1;
        while (end < out.size() &&
               (std::isalnum(static_cast<unsigned char>(out[end])) || out[end] == '_' || out[end] == '-'))
            ++end;
        out.replace(pos + 4, end - pos - 4, "<redacted>");
    }
    return out;
}

}  // namespace rb
