// Telegram refuses a message longer than 4096 characters; long replies go out as several messages.
// Splitting is greedy at line breaks, then at spaces, then at code-point boundaries; never inside UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rb {

inline constexpr std::size_t telegram_text_limit = 4096;

// Length as Telegram counts it: UTF-16 code units (a code point above U+FFFF counts two).
std::size_t telegram_length(std::string_view utf8);

// Parts, each at most `limit` long by telegram_length, in order; the one line break (or space) at each cut
// is dropped, nothing else. Empty text gives one empty part. HTML tags are not balanced across parts: callers
// keep formatting within a line, as the templates do.
std::vector<std::string> split_message(std::string_view text, std::size_t limit = telegram_text_limit);

}  // namespace rb
