// Where the Bot API lives (https://api.telegram.org, a self-hosted server, or the loopback fake in tests)
// and how to keep the bot token out of anything printed: URLs with /bot<token>/ are redacted here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rb {

struct api_root {
    bool tls = true;
    std::string host;
    std::string port;       // "443" / "80" when the URL names none
    std::string base_path;  // without a trailing '/', e.g. "" or "/telegram"; the client adds /bot<token>/
};

// Accepts http:// and https:// URLs with an optional port and path; nullopt (with reason) for anything else.
std::optional<api_root> parse_api_root(std::string_view url, std::string* reason = nullptr);

// Replaces every occurrence of the token (and any "/bot<digits>:<chars>" segment) with "<redacted>".
std::string redact_token(std::string_view text, std::string_view token);

}  // namespace rb
