// Reads the templates/ directory into the in-memory map that handlers' template_set::load checks and parses.
// This is the only place the template files are read; nothing here interprets their contents.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace rb {

// Every regular file under dir, keyed by its path relative to dir with '/' separators
// ("help.mustache", "reminder/eat.mustache", "meals/guide.json"). Hidden files are skipped.
// Throws std::runtime_error naming the path when dir is missing or a file cannot be read.
std::map<std::string, std::string> read_template_files(const std::filesystem::path& dir);

}  // namespace rb
