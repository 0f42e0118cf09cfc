// Absolute URLs (scheme://authority/path?query#fragment) for the URL settings, parsed by Boost.URL.
#pragma once

#include <boost/url/url_view.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rb {

// boost::urls::parse_uri plus the RFC 3986 rule Boost 1.81 does not enforce: after an authority the path is
// empty or starts with '/' (path-abempty). Without it "redis://host:x" parses as host "host" with path "x", so
// a mistyped port, or a password written without its '@', would pass as a path. The view points into text.
std::optional<boost::urls::url_view> parse_absolute_url(std::string_view text);

// A URL's or authority's port: decimal digits naming lowest..65535 (Boost.URL accepts any run of digits).
std::optional<std::uint16_t> parse_port(std::string_view text, std::uint16_t lowest = 1);

}  // namespace rb
