// Walks the zoneinfo tree once at start (see zone_loader.hpp). Many names are links to the same file, so
// rules are parsed once per distinct file (keyed by device and inode, one stat each) and copied for its
// other names. Files are read with one sized read: stream iterators made the walk several times slower.
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

std::string read_file(const fs::path& file, std::size_t size) {
    std::string bytes(size, '\0');
    std::ifstream in(file, std::ios::binary);
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

}  // namespace

zone_catalog load_zone_catalog(const fs::path& dir) {
    zone_catalog catalog;
    std::map<std::pair<dev_t, ino_t>, std::optional<zone_rules>> by_file;  // distinct file -> parsed rules
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
        if (fresh) entry->second = parse_tzif(read_file(it->path(), static_cast<std::size_t>(st.st_size)));
        if (entry->second) catalog.add(relative.generic_string(), *entry->second);
    }
    if (!catalog.find("UTC")) catalog.add("UTC", zone_rules::fixed(0));
    return catalog;
}

}  // namespace rb
