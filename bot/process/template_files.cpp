// Directory walk for the template files (see template_files.hpp). Plain blocking reads: it runs once at start.
// Errors name the path: an operator must be able to fix the deployment from the message alone.
#include "bot/process/template_files.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rb {

namespace fs = std::filesystem;

namespace {

std::string read_whole(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    if (!in.good() && !in.eof()) throw std::runtime_error(file.string() + ": cannot be read");
    return out.str();
}

bool hidden(const fs::path& relative) {
    for (const auto& part : relative) {
        if (!part.empty() && part.string().front() == '.') return true;
    }
    return false;
}

}  // namespace

std::map<std::string, std::string> read_template_files(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw std::runtime_error(dir.string() + ": not a directory of templates");
    std::map<std::string, std::string> files;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const fs::path relative = it->path().lexically_relative(dir);
        std::error_code entry_ec;
        if (!it->is_regular_file(entry_ec) || hidden(relative)) continue;
        files.emplace(relative.generic_string(), read_whole(it->path()));
    }
    if (ec) throw std::runtime_error(dir.string() + ": " + ec.message());
    return files;
}

}  // namespace rb
