// Loading (with checks) and rendering of the template set. kainjow's mustache parses; values are escaped by
// our html_escape (Telegram HTML also wants the apostrophe escaped in attribute-like contexts).
// No file I/O: the map of file contents comes from bot/template_files.
#include "handlers/texts/templates.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <kainjow/mustache.hpp>

#include "handlers/texts/template_check.hpp"

namespace rb {
namespace {

namespace mu = kainjow::mustache;
constexpr std::string_view template_suffix = ".mustache";

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v == std::floor(v) && std::fabs(v) < 1e15 ? "%.0f" : "%.1f", v);
    return buf;
}

mu::data to_data(const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::object: {
            mu::data out{mu::data::type::object};
            for (const auto& [key, value] : j.items()) out.set(key, to_data(value));
            return out;
        }
        case nlohmann::json::value_t::array: {
            mu::data out{mu::data::type::list};
            for (const auto& value : j) out.push_back(to_data(value));
            return out;
        }
        case nlohmann::json::value_t::string:
            // An empty string is false, so "{{#filters}} ({{filters}}){{/filters}}" never renders "()".
            if (j.get_ref<const std::string&>().empty()) return mu::data{false};
            return mu::data{j.get<std::string>()};
        case nlohmann::json::value_t::boolean:
            return mu::data{j.get<bool>()};
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            return mu::data{number_text(j.get<double>())};
        default:
            return mu::data{false};
    }
}

bool is_section_tag_line(std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    return line.size() > 5 && line.substr(0, 2) == "{{" && (line[2] == '#' || line[2] == '^' || line[2] == '/') &&
           line.substr(line.size() - 2) == "}}" && line.find("}}") == line.size() - 2;
}

// kainjow 4.1 leaves an empty line where a false section stood on lines of its own. So such a tag line gets
// a marker after the tag (the line is then not "standalone" to kainjow), and render() deletes every marker
// with its newline. Values cannot carry the marker: html_escape drops it. Checks run on the original text.
constexpr char line_marker = '\x01';

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

std::optional<template_error> check_one(const std::string& file, const std::string& text) {
    if (auto bad = check_template_text(text)) {
        bad->file = file;
        return bad;
    }
    mu::mustache parsed{text};
    if (!parsed.is_valid()) {
        auto bad = mustache_error(text, parsed.error_message());
        bad.file = file;
        return bad;
    }
    return std::nullopt;
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            case line_marker:
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

// The templates the lexicon makes necessary: one answer per topic, one reply per red flag.
std::optional<template_error> check_vocabulary_templates(const template_set& set, const lexicon& w) {
    for (const auto& t : w.topics)
        if (t.name != "soreness" && !set.has("topic/" + t.name))  // soreness: soreness/<group>, by muscle
            return template_error{"topic/" + t.name + std::string(template_suffix), 0,
                                  "words/topics.json names this topic, but its answer is missing"};
    for (const auto& rule : w.red_flags)
        if (!set.has("urgent/" + rule.flag))
            return template_error{"urgent/" + rule.flag + std::string(template_suffix), 0,
                                  "words/red_flags.json names this flag, but its reply is missing"};
    return std::nullopt;
}

}  // namespace

std::variant<template_set, template_error> template_set::load(const std::map<std::string, std::string>& files) {
    template_set set;
    auto words = load_lexicon(files);
    if (auto* bad = std::get_if<template_error>(&words)) return *bad;
    auto lex = std::make_shared<const lexicon>(std::move(std::get<lexicon>(words)));
    auto places = place_index::load(files);
    if (auto* bad = std::get_if<template_error>(&places)) return *bad;
    set.places_ = std::make_shared<const place_index>(std::move(std::get<place_index>(places)));
    std::vector<std::string> tags;
    for (const auto& f : lex->filters) tags.push_back(f.name);
    for (const auto& [file, text] : files) {
        if (ends_with(file, template_suffix)) {
            if (auto bad = check_one(file, text)) return *bad;
            set.sources_.emplace(file.substr(0, file.size() - template_suffix.size()), mark_section_tag_lines(text));
        } else if (file.rfind("meals/", 0) == 0 && ends_with(file, ".json")) {
            auto parsed = parse_meals(file, text, tags);
            if (auto* bad = std::get_if<template_error>(&parsed)) return *bad;
            auto& meals = std::get<std::vector<meal>>(parsed);
            set.meals_.insert(set.meals_.end(), meals.begin(), meals.end());
        }
    }
    for (const auto& name : required_templates()) {
        if (!set.has(name))
            return template_error{name + std::string(template_suffix), 0, "required template is missing"};
    }
    if (auto bad = check_vocabulary_templates(set, *lex)) return *bad;
    if (set.meals_.empty()) return template_error{"meals/", 0, "no meals: at least one meals/*.json file is required"};
    set.words_ = std::move(lex);
    return set;
}

std::string template_set::render(std::string_view name, const nlohmann::json& values) const {
    const auto it = sources_.find(name);
    if (it == sources_.end()) throw std::out_of_range("no template named " + std::string(name));
    mu::mustache parsed{it->second};
    parsed.set_custom_escape([](const std::string& s) { return html_escape(s); });
    std::string out = drop_marked_lines(parsed.render(to_data(values.is_object() ? values : nlohmann::json::object())));
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();  // files end in newlines
    return out;
}

bool template_set::has(std::string_view name) const { return sources_.find(name) != sources_.end(); }

std::vector<std::string> template_set::names() const {
    std::vector<std::string> out;
    for (const auto& [name, text] : sources_) out.push_back(name);
    return out;
}

}  // namespace rb
