// libFuzzer target: parse_message, parse_command and mentions on arbitrary bytes (the first byte picks
// the chat's unit) must not crash, and what they return must keep the header's promises.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "handlers/message_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto unit = (data[0] & 1) != 0 ? rb::distance_unit::mi : rb::distance_unit::km;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const rb::parsed_message m = rb::parse_message(text, unit);
    if ((m.what == rb::intent::run_report) != m.run.has_value()) __builtin_trap();
    if (m.what == rb::intent::question && !m.about) __builtin_trap();
    if (m.run && m.run->plausible() && !(m.run->distance_km > 0 && m.run->distance_km <= 250)) __builtin_trap();
    if (m.run && m.run->duration_s && *m.run->duration_s < 0) __builtin_trap();
    if (const auto c = rb::parse_command(text, "my_bot"); c && c->name.empty()) __builtin_trap();
    (void)rb::mentions(text, "my_bot");
    return 0;
}
