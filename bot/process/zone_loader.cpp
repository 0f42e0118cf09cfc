// Walks the zoneinfo tree once at start (see zone_loader.hpp), reading only each file's first four bytes; a zone's
// rules are loaded when a runner first needs them. Many names are links to the same file, so each distinct file
// (keyed by device and inode, one stat each) gets one lazy_zone, shared by its other names.
// cctz is given the absolute path, so TZDIR in the environment cannot point the bot at another tree.
#include "bot/process/zone_loader.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
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

// cctz would load a file that is not TZif as UTC and say false; reading the magic and the size first keeps stray
// files (README, Makefile, an editor's backup) and truncated ones (shorter than TZif's 44-byte header) out of the
// catalog without asking cctz to parse them. A file that passes and still fails to load is unknown at first use.
bool looks_like_tzif(const fs::path& file, std::uintmax_t size) {
    char magic[4] = {};
    std::ifstream in(file, std::ios::binary);
    return size >= 44 && in.read(magic, sizeof magic) && std::string_view(magic, sizeof magic) == "TZif";
}

// Called on first use: the file passed the magic check at start, so a failure here means it changed since.
std::optional<zone_rules> load_zone_file(const fs::path& file) {
    cctz::time_zone zone;
    if (!cctz::load_time_zone(file.string(), &zone)) return std::nullopt;
    return zone_rules(zone);
}

}  // namespace

zone_catalog load_zone_catalog(const fs::path& dir) {
    zone_catalog catalog;
    std::map<std::pair<dev_t, ino_t>, std::shared_ptr<const lazy_zone>> by_file;  // distinct file -> its zone
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
        if (fresh && looks_like_tzif(it->path(), static_cast<std::uintmax_t>(st.st_size))) {
            entry->second =
                std::make_shared<lazy_zone>([file = fs::absolute(it->path())] { return load_zone_file(file); });
        }
        if (entry->second) catalog.add(relative.generic_string(), entry->second);
    }
    if (!catalog.find("UTC")) catalog.add("UTC", zone_rules::fixed(0));
    return catalog;
}

}  // namespace rb
