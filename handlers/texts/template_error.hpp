// A problem found while loading the template files, named by file and line so an operator can fix it.
// Shared by the template and meal loaders; a plain value, no I/O.
#pragma once

#include <string>
#include <string_view>

namespace rb {

struct template_error {
    std::string file;     // as given to the loader, e.g. "help.mustache" or "meals/guide.json"
    int line = 0;         // 1-based; 0 when the problem is the file as a whole (a missing file)
    std::string message;  // what is wrong, without the file and line
    // "help.mustache:3: unclosed section \"x\"", or "help.mustache: required template is missing"
    std::string full_message() const {
        return file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + message;
    }
};

// The 1-based line of a byte offset in text.
inline int line_of(std::string_view text, std::size_t offset) {
    int line = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n' ? 1 : 0;
    return line;
}

}  // namespace rb
