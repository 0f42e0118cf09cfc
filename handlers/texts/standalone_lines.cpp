// Marking and unmarking of standalone section tag lines (see standalone_lines.hpp).
#include "handlers/texts/standalone_lines.hpp"

namespace rb {
namespace {

bool is_section_tag_line(std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    return line.size() > 5 && line.substr(0, 2) == "{{" && (line[2] == '#' || line[2] == '^' || line[2] == '/') &&
           line.substr(line.size() - 2) == "}}" && line.find("}}") == line.size() - 2;
}

}  // namespace

std::string mark_section_tag_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 64);
    for (std::size_t at = 0; at < text.size();) {
        const auto nl = text.find('\n', at);
        const auto end = nl == std::string_view::npos ? text.size() : nl;
        const auto line = text.substr(at, end - at);
        if (is_section_tag_line(line) && nl != std::string_view::npos) {
            const auto first = line.find("{{");
            out += line.substr(first, line.rfind("}}") + 2 - first);
            out += line_marker;
        } else {
            out += line;
        }
        if (nl != std::string_view::npos) out += '\n';
        at = end + 1;
    }
    return out;
}

std::string drop_marked_lines(std::string rendered) {
    std::string out;
    out.reserve(rendered.size());
    for (std::size_t i = 0; i < rendered.size(); ++i) {
        if (rendered[i] != line_marker)
            out += rendered[i];
        else if (i + 1 < rendered.size() && rendered[i + 1] == '\n')
            ++i;
    }
    return out;
}

}  // namespace rb
