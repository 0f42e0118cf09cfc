// libFuzzer target: parse_message, parse_command and mentions on arbitrary bytes (the first byte picks the
// chat's unit, or none) must not crash, and what they return must keep the header's promises: a run iff a
// run report, nothing negative, plausible means in range. The vocabulary is the real one, loaded once from
// templates/words in the source tree. Seeds: tests/fixtures/messages (one is the "0h -1h" input that once
// gave a negative duration; seed_20 a red flag beside another sport).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string_view>
#include <variant>

#include "handlers/understanding/lexicon.hpp"
#include "handlers/understanding/message_parser.hpp"

namespace {

rb::lexicon load_words() {
    std::map<std::string, std::string> files;
    const std::filesystem::path dir = std::filesystem::path(RB_SOURCE_DIR) / "templates" / "words";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        files["words/" + entry.path().filename().string()] =
            std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    auto loaded = rb::load_lexicon(files);
    if (auto* bad = std::get_if<rb::template_error>(&loaded)) {
        std::cerr << bad->full_message() << "\n";
        std::abort();
    }
    return std::get<rb::lexicon>(std::move(loaded));
}

const rb::lexicon& words() {
    static const rb::lexicon w = load_words();
    return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::optional<rb::distance_unit> unit =
        (data[0] & 3) == 0
            ? std::nullopt
            : std::optional<rb::distance_unit>((data[0] & 1) != 0 ? rb::distance_unit::mi : rb::distance_unit::km);
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const rb::parsed_message m = rb::parse_message(text, words(), unit);
    if ((m.what == rb::intent::run_report) != m.run.has_value()) __builtin_trap();
    if (m.run) {
        const rb::run_report& r = *m.run;
        if (r.plausible() && !(r.distance_km > 0 && r.distance_km <= 250)) __builtin_trap();
        if (!(r.distance_km >= 0) && !std::isnan(r.distance_km)) __builtin_trap();
        if (r.duration_s && *r.duration_s < 0) __builtin_trap();
        if (r.ended_min_ago && *r.ended_min_ago < 0) __builtin_trap();
        if (r.parts < 1) __builtin_trap();
    }
    if (m.weight_kg && !(*m.weight_kg >= rb::min_weight_kg && *m.weight_kg <= rb::max_weight_kg)) __builtin_trap();
    // Another sport is small talk, unless a red flag makes it a plea for help.
    if (!m.sport.empty() && m.what != rb::intent::smalltalk && m.urgent.empty()) __builtin_trap();
    if (const auto c = rb::parse_command(text, "my_bot"); c && c->name.empty()) __builtin_trap();
    (void)rb::mentions(text, "my_bot");
    return 0;
}
