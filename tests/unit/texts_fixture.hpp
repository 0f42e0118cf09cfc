// Test helpers for the handlers that need the real texts and zones: reads templates/ from the source tree
// and TZif files from /usr/share/zoneinfo (tests may read files; handlers never do). Header-only.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <variant>

#include "handlers/texts/templates.hpp"
#include "handlers/time/time_zone.hpp"

namespace rb::testing {

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// templates/ as template_set::load wants it: relative path -> content.
inline std::map<std::string, std::string> template_files() {
    const std::filesystem::path dir = std::filesystem::path(RB_SOURCE_DIR) / "templates";
    std::map<std::string, std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file())
            files[entry.path().lexically_relative(dir).generic_string()] = read_file(entry.path());
    }
    return files;
}

inline const template_set& texts() {
    static const template_set set = [] {
        auto loaded = template_set::load(template_files());
        if (auto* bad = std::get_if<template_error>(&loaded)) ADD_FAILURE() << bad->full_message();
        return std::get<template_set>(std::move(loaded));
    }();
    return set;
}

// A real zone from the system's tzdata; the test fails (not crashes) when the file is missing.
inline zone_rules system_zone(const std::string& name) {
    cctz::time_zone zone;
    if (!cctz::load_time_zone((std::filesystem::path("/usr/share/zoneinfo") / name).string(), &zone)) {
        ADD_FAILURE() << "no TZif for " << name;
    }
    return zone_rules(zone);
}

inline const zone_catalog& zones() {
    static const zone_catalog catalog = [] {
        zone_catalog c;
        for (const char* name :
             {"UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo",
              "Europe/Berlin", "America/Chicago", "America/Los_Angeles", "Etc/GMT-2", "Etc/GMT+5", "Europe/Madrid",
              "Australia/Adelaide", "Australia/Lord_Howe", "Australia/Darwin", "America/St_Johns", "Pacific/Chatham"}) {
            c.add(name, system_zone(name));
        }
        return c;
    }();
    return catalog;
}

// Epoch milliseconds of a UTC calendar time.
inline std::int64_t utc_ms(int y, int mo, int d, int h, int mi = 0) {
    const auto days = std::chrono::sys_days(std::chrono::year(y) / mo / d).time_since_epoch().count();
    return ((static_cast<std::int64_t>(days) * 24 + h) * 60 + mi) * 60'000;
}

}  // namespace rb::testing
