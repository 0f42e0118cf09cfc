// libFuzzer target: parse_update on arbitrary bytes must neither crash nor throw, and every rejection says
// why. (The message parser has its own target.) Seeds: tests/fixtures/*.json.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "handlers/update.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto result = rb::parse_update(body);
    if (const auto* u = std::get_if<rb::update>(&result)) {
        if (u->kind == rb::update_kind::callback_query && !u->callback) __builtin_trap();
    } else if (std::get<rb::parse_error>(result).reason.empty()) {
        __builtin_trap();  // every rejection must say why
    }
    return 0;
}
