// Reading a reminder id back into its parts (see keys.hpp).
#include "storage/keys.hpp"

#include <charconv>

namespace rb {

bool split_reminder_id(std::string_view id, reminder_id_parts& parts) {
    const auto first = id.find(':');
    const auto last = id.rfind(':');
    if (first == std::string_view::npos || first == last || first == 0 || last + 1 == id.size()) return false;
    auto [end, ec] = std::from_chars(id.data(), id.data() + first, parts.owner);
    if (ec != std::errc{} || end != id.data() + first) return false;
    parts.run = id.substr(first + 1, last - first - 1);
    parts.kind = id.substr(last + 1);
    return true;
}

}  // namespace rb
