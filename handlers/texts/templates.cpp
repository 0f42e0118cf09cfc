// Loading (with checks) and rendering of the template set. kainjow's mustache checks each template at load; each is
// then compiled once (compiled_template.hpp) and rendered from that. Values are escaped by our html_escape
// (Telegram HTML also wants the apostrophe escaped in attribute-like contexts).
// No file I/O: the map of file contents comes from bot/template_files.
#include "handlers/texts/templates.hpp"

#include <cmath>
#include <cstdio>
#include <kainjow/mustache.hpp>
#include <stdexcept>

#include "handlers/texts/standalone_lines.hpp"
#include "handlers/texts/template_check.hpp"

namespace rb {
namespace {

namespace mu = kainjow::mustache;
constexpr std::string_view template_suffix = ".mustache";

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
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
            try {
                set.compiled_.emplace(file.substr(0, file.size() - template_suffix.size()),
                                      compiled_template(mark_section_tag_lines(text)));
            } catch (const std::invalid_argument& e) {
                return template_error{file, 0, e.what()};
            }
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
    const auto it = compiled_.find(name);
    if (it == compiled_.end()) throw std::out_of_range("no template named " + std::string(name));
    static const nlohmann::json empty = nlohmann::json::object();
    std::string out = drop_marked_lines(it->second.render(values.is_object() ? values : empty, html_escape));
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();  // files end in newlines
    return out;
}

bool template_set::has(std::string_view name) const { return compiled_.find(name) != compiled_.end(); }

std::vector<std::string> template_set::names() const {
    std::vector<std::string> out;
    for (const auto& [name, compiled] : compiled_) out.push_back(name);
    return out;
}

}  // namespace rb
