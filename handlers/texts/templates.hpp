// The words the bot sends: mustache templates and meal files, loaded from an in-memory map (bot/ reads the
// templates/ directory), checked once at load, then rendered with every value HTML-escaped for Telegram.
// No file I/O here; a problem is reported at load naming the file and line, never as a broken reply later.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "handlers/texts/compiled_template.hpp"
#include "handlers/texts/meals.hpp"
#include "handlers/texts/template_error.hpp"
#include "handlers/time/places.hpp"
#include "handlers/understanding/lexicon.hpp"

namespace rb {

// Every template the handlers render, by name (the file name without ".mustache").
const std::vector<std::string>& required_templates();

// Escapes < > & " ' for Telegram's HTML parse mode.
std::string html_escape(std::string_view text);

class template_set {
public:
    // files: path relative to templates/ -> content. "*.mustache" files become templates named by their path
    // without the extension ("reminder/eat"); "words/*.json" files are the lexicon; "meals/*.json" files hold
    // the meals, tagged with the lexicon's filter names; other files are ignored. Every topic (but soreness,
    // answered by muscle from soreness/) and every red flag the lexicon names must have its template.
    static std::variant<template_set, template_error> load(const std::map<std::string, std::string>& files);

    // Renders a loaded template. values is a JSON object: strings and numbers are HTML-escaped, booleans and
    // lists drive sections. Throws std::out_of_range for a name that was never loaded (a programming error:
    // the names the code uses are all in required_templates(), which load() checks).
    std::string render(std::string_view name, const nlohmann::json& values = nlohmann::json::object()) const;

    bool has(std::string_view name) const;
    std::vector<std::string> names() const;
    const std::vector<meal>& meals() const { return meals_; }
    const lexicon& words() const { return *words_; }
    const place_index& places() const { return *places_; }

private:
    std::shared_ptr<const lexicon> words_;  // shared by copies: phrase views point into it
    std::shared_ptr<const place_index> places_;
    // Compiled once at load; rendering is const and needs no lock, so every thread renders at once.
    std::map<std::string, compiled_template, std::less<>> compiled_;
    std::vector<meal> meals_;
};

}  // namespace rb
