// Walks the zoneinfo tree once at start (see zone_loader.hpp). Many names are links to the same file, so
// rules are parsed once per distinct file and copied for its other names.
#include "bot/zone_loader.hpp"

#include <fstream>
#include <iterator>
#include <map>
#include <string>

namespace rb {

namespace fs = std::filesystem;

namespace {

bool skipped(const fs::path& relative) {
    const std::string first = relative.begin()->string();
    return first == "posix" || first == "right" || first == "localtime" || first == "posixrules" ||
           first.front() == '.' || relative.has_extension();  // zone.tab, tzdata.zi, leap-seconds.list ...
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

zone_catalog load_zone_catalog(const fs::path& dir) {
    zone_catalog catalog;
    std::map<fs::path, std::optional<zone_rules>> by_target;  // canonical file -> parsed rules
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const fs::path relative = it->path().lexically_relative(dir);
        std::error_code entry_ec;  // a bad entry skips that entry; `ec` ends the walk
        if (skipped(relative)) {
            if (it->is_directory(entry_ec)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(entry_ec)) continue;  // follows symlinks; directories and dangling links drop out
        const fs::path target = fs::canonical(it->path(), entry_ec);
        if (entry_ec) continue;
        auto [entry, fresh] = by_target.try_emplace(target);
        if (fresh) entry->second = parse_tzif(read_file(target));
        if (entry->second) catalog.add(relative.generic_string(), *entry->second);
    }
    if (!catalog.find("UTC")) catalog.add("UTC", zone_rules::fixed(0));
    return catalog;
}

}  // namespace rb
