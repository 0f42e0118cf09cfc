// How the terminal chat shows what the bot sends: Telegram HTML turned into terminal text (ANSI bold and
// italic on a tty, plain otherwise), inline buttons as numbered choices, and the "HH:MM:SS bot › " prefix.
// Pure text functions: no I/O, no locks; terminal_chat decides where and when to print.
#pragma once

#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rb {

// <b>/<strong> bold, <i>/<em> italic (ANSI only when ansi is true); every other tag is dropped with its
// text kept; &lt; &gt; &amp; &quot; &#39; and numeric entities are unescaped.
std::string render_html(std::string_view html, bool ansi);

// The labels of reply_markup.inline_keyboard in reading order (row by row): button n is labels[n-1].
std::vector<std::string> button_labels(const nlohmann::json& reply_markup);

// The callback_data of each button, in the same order as button_labels ("" for a button without one).
std::vector<std::string> button_data(const nlohmann::json& reply_markup);

// "[1] Done  [2] Snooze 15 min  [3] Skip"; empty when there are no buttons.
std::string render_buttons(const std::vector<std::string>& labels);

// One bot message as printed: "12:04:31 bot › first line", further lines indented under the text and long
// lines wrapped at word boundaries to fit `width` columns (0: no wrapping), then the numbered buttons on a
// line of their own. `body` is already rendered; ends with a newline.
std::string render_bot_message(std::time_t when, std::string_view body, const std::vector<std::string>& labels,
                               bool ansi, std::size_t width = 0);

// The columns text takes on a terminal: ANSI escapes take none, a UTF-8 character one.
std::size_t display_width(std::string_view text);

// What an edit after a button press adds to the message: its last paragraph ("⏰ Snoozed for 15 minutes."),
// so the terminal shows one short line instead of the whole reminder again.
std::string_view edit_outcome(std::string_view html);

// A toast from answerCallbackQuery, dim on a tty: "           (Marked done)".
std::string render_toast(std::string_view text, bool ansi);

// "HH:MM:SS" in local time.
std::string terminal_clock_text(std::time_t when);

}  // namespace rb
