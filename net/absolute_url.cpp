#include "net/absolute_url.hpp"

#include <boost/url/parse.hpp>
#include <charconv>

namespace rb {

std::optional<boost::urls::url_view> parse_absolute_url(std::string_view text) {
    auto parsed = boost::urls::parse_uri(text);
    if (!parsed) return std::nullopt;
    const std::string_view path = parsed->encoded_path();
    if (parsed->has_authority() && !path.empty() && !path.starts_with('/')) return std::nullopt;
    return *parsed;
}

std::optional<std::uint16_t> parse_port(std::string_view text, std::uint16_t lowest) {
    unsigned port = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, port);
    if (text.empty() || ec != std::errc{} || ptr != end || port < lowest || port > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(port);
}

}  // namespace rb
