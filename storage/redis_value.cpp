// redis_value's checked accessors: an error value throws redis_error, any other mismatch unexpected_reply.
#include "storage/redis_value.hpp"

#include <charconv>

#include "storage/storage_error.hpp"

namespace rb {
namespace {

[[noreturn]] void mismatch(const redis_value& v, const char* wanted) {
    if (v.is_error()) throw redis_error(v.text);
    throw boost::system::system_error(make_error_code(storage_errc::unexpected_reply), wanted);
}

}  // namespace

const redis_value& redis_value::check() const {
    if (is_error()) throw redis_error(text);
    return *this;
}

std::int64_t redis_value::as_integer() const {
    if (kind == type::integer) return integer;
    if (kind == type::string || kind == type::status) {
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc{} && end == text.data() + text.size()) return v;
    }
    mismatch(*this, "expected an integer reply");
}

const std::string& redis_value::as_string() const {
    if (kind == type::string || kind == type::status) return text;
    mismatch(*this, "expected a string reply");
}

std::optional<std::string> redis_value::as_optional_string() const {
    if (is_nil()) return std::nullopt;
    return as_string();
}

const std::vector<redis_value>& redis_value::as_array() const {
    if (kind == type::array) return elements;
    mismatch(*this, "expected an array reply");
}

}  // namespace rb
