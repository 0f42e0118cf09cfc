#include "net/absolute_url.hpp"

#include <boost/url/parse.hpp>

namespace rb {

std::optional<boost::urls::url_view> parse_absolute_url(std::string_view text) {
    auto parsed = boost::urls::parse_uri(text);
    if (!parsed) return std::nullopt;
    const std::string_view path = parsed->encoded_path();
    if (parsed->has_authority() && !path.empty() && !path.starts_with('/')) return std::nullopt;
    return *parsed;
}

}  // namespace rb
