// Parsing of the API root URL (Boost.URL) and token redaction. No I/O; unit-testable.
#include "bot/telegram/api_root.hpp"

#include <algorithm>
#include <cctype>

#include "net/absolute_url.hpp"

namespace rb {

namespace {

std::optional<api_root> fail(std::string* reason, const char* why) {
    if (reason) *reason = why;
    return std::nullopt;
}

}  // namespace

std::optional<api_root> parse_api_root(std::string_view url, std::string* reason) {
    auto parsed = parse_absolute_url(url);
    if (!parsed) return fail(reason, "not a valid URL (expected http[s]://host[:port][/path])");
    const boost::urls::url_view& u = *parsed;
    api_root root;
    if (u.scheme() == "http") {
        root.tls = false;
    } else if (u.scheme() != "https") {
        return fail(reason, "scheme must be http:// or https://");
    }
    if (u.has_userinfo()) return fail(reason, "credentials in URL not allowed");
    if (u.has_query() || u.has_fragment()) return fail(reason, "no query or fragment allowed");
    root.host = u.host_address();
    if (root.host.empty()) return fail(reason, "empty host");
    root.port = u.has_port() ? std::string(u.port()) : root.tls ? "443" : "80";
    if (!parse_port(root.port)) return fail(reason, "port must be 1-65535");
    std::string_view path = u.encoded_path();
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
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
