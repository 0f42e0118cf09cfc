// Lines that hold nothing but a section tag ("{{#first}}" alone on its line) vanish from the output, as the mustache
// spec says. kainjow 4.1 leaves an empty line where a false section stood on a line of its own, so such a tag line
// gets a marker after the tag (the line is then not "standalone"), and every marker is deleted with its newline
// after rendering. Values cannot carry the marker: html_escape drops it.
#pragma once

#include <string>
#include <string_view>

namespace rb {

inline constexpr char line_marker = '\x01';

std::string mark_section_tag_lines(std::string_view text);  // before compiling
std::string drop_marked_lines(std::string rendered);        // after rendering

}  // namespace rb
