// Load-time checks of a template's text beyond mustache syntax: no unescaped or partial tags, and HTML that
// Telegram's parse mode accepts (known tags, balanced, '&' only as an entity). Internal to templates.cpp.
#pragma once

#include <optional>
#include <string_view>

#include "handlers/texts/template_error.hpp"

namespace rb {

// nullopt when the template is fine; else the problem with its line (file left for the caller to fill).
std::optional<template_error> check_template_text(std::string_view text);

// Converts kainjow's "Unclosed tag at 12"-style message (a byte offset) into a line-numbered error.
template_error mustache_error(std::string_view text, const std::string& message);

}  // namespace rb
