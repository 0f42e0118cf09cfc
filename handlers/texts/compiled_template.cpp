// Compiling and rendering templates (see compiled_template.hpp).
#include "handlers/texts/compiled_template.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace rb {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v == std::floor(v) && std::fabs(v) < 1e15 ? "%.0f" : "%.1f", v);
    return buf;
}

// What skips a section (and renders an inverted one): false, null, "" and the empty list.
bool is_falsy(const nlohmann::json& v) {
    return v.is_null() || (v.is_boolean() && !v.get<bool>()) ||
           (v.is_string() && v.get_ref<const std::string&>().empty()) || (v.is_array() && v.empty());
}

}  // namespace

struct compiled_template::state {
    std::vector<const nlohmann::json*> stack;  // innermost last
    std::string out;
    std::string line;              // the line being written
    bool section_on_line = false;  // a section rendered on this line (kainjow's contained_section_tag)
    std::string (*escape)(std::string_view);

    const nlohmann::json* find(const std::string& name) const {
        for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
            if (!(*it)->is_object()) continue;
            if (auto f = (*it)->find(name); f != (*it)->end()) return &*f;
        }
        return nullptr;
    }
    // kainjow leaves out a line where a section rendered and only blanks were written.
    void end_line(bool newline) {
        const bool blank = line.find_first_not_of(" \t") == std::string::npos;
        if (!(section_on_line && blank)) {
            out += line;
            if (newline) out += '\n';
        }
        line.clear();
        section_on_line = false;
    }
};

compiled_template::compiled_template(std::string_view text) {
    std::vector<std::size_t> open;  // indices of sections not yet closed
    auto add_text = [this](std::string_view t) {
        while (!t.empty()) {
            const auto nl = t.find('\n');
            if (nl != 0) nodes_.push_back({op::text, std::string(t.substr(0, nl)), 0});
            if (nl == std::string_view::npos) break;
            nodes_.push_back({op::newline, {}, 0});
            t.remove_prefix(nl + 1);
        }
    };
    for (std::size_t at = 0; at < text.size();) {
        const auto tag = text.find("{{", at);
        add_text(text.substr(at, tag == std::string_view::npos ? std::string_view::npos : tag - at));
        if (tag == std::string_view::npos) break;
        const bool triple = text.substr(tag, 3) == "{{{";
        const auto close = text.find(triple ? "}}}" : "}}", tag);
        if (close == std::string_view::npos) throw std::invalid_argument("unclosed tag");
        std::string_view body = trim(text.substr(tag + (triple ? 3 : 2), close - tag - (triple ? 3 : 2)));
        at = close + (triple ? 3 : 2);
        if (body.empty()) throw std::invalid_argument("empty tag");
        const char sigil = triple ? '{' : body.front();
        switch (sigil) {
            case '{':
                nodes_.push_back({op::raw_var, std::string(trim(body)), 0});
                break;
            case '&':
                nodes_.push_back({op::raw_var, std::string(trim(body.substr(1))), 0});
                break;
            case '#':
            case '^':
                open.push_back(nodes_.size());
                nodes_.push_back({sigil == '#' ? op::section : op::inverted, std::string(trim(body.substr(1))), 0});
                break;
            case '/': {
                if (open.empty() || nodes_[open.back()].text != trim(body.substr(1)))
                    throw std::invalid_argument("section closed that is not open: " + std::string(body));
                nodes_[open.back()].end = static_cast<std::uint32_t>(nodes_.size());
                open.pop_back();
                break;
            }
            case '!':
                break;  // a comment
            case '>':
            case '=':
                throw std::invalid_argument("partials and delimiter changes are not supported");
            default:
                nodes_.push_back({op::var, std::string(body), 0});
        }
    }
    if (!open.empty()) throw std::invalid_argument("section never closed: " + nodes_[open.back()].text);
}

void compiled_template::render_range(std::uint32_t from, std::uint32_t to, state& st) const {
    for (std::uint32_t i = from; i < to; ++i) {
        const node& n = nodes_[i];
        switch (n.kind) {
            case op::text:
                st.line += n.text;
                break;
            case op::newline:
                st.end_line(true);
                break;
            case op::var:
            case op::raw_var: {
                const auto* v = st.find(n.text);
                if (v == nullptr) break;
                if (v->is_string()) {
                    const auto& s = v->get_ref<const std::string&>();
                    st.line += n.kind == op::var ? st.escape(s) : s;
                } else if (v->is_number()) {
                    st.line += number_text(v->get<double>());  // digits and '.': nothing to escape
                }
                break;
            }
            case op::section:
            case op::inverted: {
                const auto* v = st.find(n.text);
                const bool falsy = v == nullptr || is_falsy(*v);
                if ((n.kind == op::section) == falsy) {
                    i = n.end - 1;  // skip the children; the loop's ++i lands one past the section
                    break;
                }
                auto body = [&](const nlohmann::json* top) {
                    st.section_on_line = true;
                    if (top) st.stack.push_back(top);
                    render_range(i + 1, n.end, st);
                    if (top) st.stack.pop_back();
                    st.section_on_line = true;
                };
                if (n.kind == op::section && v->is_array()) {
                    for (const auto& item : *v) body(&item);
                } else {
                    body(n.kind == op::section ? v : nullptr);
                }
                i = n.end - 1;
                break;
            }
        }
    }
}

std::string compiled_template::render(const nlohmann::json& values, std::string (*escape)(std::string_view)) const {
    state st;
    st.escape = escape;
    st.stack.push_back(&values);
    st.out.reserve(512);
    render_range(0, static_cast<std::uint32_t>(nodes_.size()), st);
    st.end_line(false);
    return std::move(st.out);
}

}  // namespace rb
