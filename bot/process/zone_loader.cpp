// Walks the zoneinfo tree once at start (see zone_loader.hpp). Many names are links to the same file, so each
// distinct file (keyed by device and inode, one stat each) is loaded once and shared by its other names.
// cctz is given the absolute path, so TZDIR in the environment cannot point the bot at another tree.
#include "bot/process/zone_loader.hpp"

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <string>
#include <utility>

namespace rb {

namespace fs = std::filesystem;

namespace {

bool skipped(const fs::path& relative) {
    const std::string first = relative.begin()->string();
    return first == "posix" || first == "right" || first == "localtime" || first == "posixrules" ||
           first.front() == '.' || relative.has_extension();  // zone.tab, tzdata.zi, leap-seconds.list ...
}

// cctz would load a file that is not TZif as UTC and say false; reading the magic first keeps stray files
// (README, Makefile, an editor's backup) out of the catalog without asking cctz to parse them.
bool starts_with_tzif_magic(const fs::path& file) {
    char magic[4] = {};
    std::ifstream in(file, std::ios::binary);
    return in.read(magic, sizeof magic) && std::string_view(magic, sizeof magic) == "TZif";
}

std::optional<zone_rules> load_zone_file(const fs::path& file) {
    if (!starts_with_tzif_magic(file)) return std::nullopt;
    cctz::time_zone zone;
    if (!cctz::load_time_zone(file.string(), &zone)) return std::nullopt;
    return zone_rules(zone);
}

}  // namespace

zone_catalog load_zone_catalog(const fs::path& dir) {
    zone_catalog catalog;
    std::map<std::pair<dev_t, ino_t>, std::optional<zone_rules>> by_file;  // distinct file -> its rules
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const fs::path relative = it->path().lexically_relative(dir);
        std::error_code entry_ec;  // a bad entry skips that entry; `ec` ends the walk
        if (skipped(relative)) {
            if (it->is_directory(entry_ec)) it.disable_recursion_pending();
            continue;
        }
        struct stat st {};
        if (::stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;  // follows symlinks
        auto [entry, fresh] = by_file.try_emplace(std::pair{st.st_dev, st.st_ino});
        if (fresh) entry->second = load_zone_file(fs::absolute(it->path()));
        if (entry->second) catalog.add(relative.generic_string(), *entry->second);
    }
    if (!catalog.find("UTC")) catalog.add("UTC", zone_rules::fixed(0));
    return catalog;
}

}  // namespace rb
