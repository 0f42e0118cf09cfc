// Loads the system's IANA time zones (TZif files under /usr/share/zoneinfo) into handlers' zone_catalog.
// File reading lives here, in bot/; cctz parses the files, and handlers only look offsets up.
#pragma once

#include <filesystem>

#include "handlers/time/time_zone.hpp"

namespace rb {

// Every TZif file under dir, named by its relative path ("Europe/London", "UTC"). Skips the posix/ and right/
// trees (duplicates and leap-second variants), "localtime", "posixrules" and files that are not TZif.
// "UTC" is always present, even when dir is missing or empty.
zone_catalog load_zone_catalog(const std::filesystem::path& dir = "/usr/share/zoneinfo");

}  // namespace rb
