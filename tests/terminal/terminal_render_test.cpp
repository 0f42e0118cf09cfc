// The terminal chat's rendering: Telegram HTML to terminal text (plain and ANSI), entities, numbered
// buttons and the layout of one bot message. Pure functions; no sockets.
#include "bot/terminal/terminal_render.hpp"

#include <gtest/gtest.h>

namespace rb {
namespace {

using json = nlohmann::json;

json three_buttons() {
    return json::parse(R"({"inline_keyboard":[[{"text":"✅ Done","callback_data":"r:done:1"},
        {"text":"⏰ Snooze 15 min","callback_data":"r:snooze:1"},{"text":"Skip","callback_data":"r:skip:1"}]]})");
}

TEST(RenderHtml, DropsBoldAndItalicTagsWhenPlain) {
    EXPECT_EQ(render_html("<b>Eat now</b>: <i>pasta</i>", false), "Eat now: pasta");
}

TEST(RenderHtml, UsesAnsiBoldAndItalicOnATerminal) {
    EXPECT_EQ(render_html("<b>Eat</b> <i>now</i>", true), "\x1b[1mEat\x1b[22m \x1b[3mnow\x1b[23m");
    EXPECT_EQ(render_html("<strong>x</strong><em>y</em>", true), "\x1b[1mx\x1b[22m\x1b[3my\x1b[23m");
}

TEST(RenderHtml, StripsOtherTagsAndKeepsTheirText) {
    EXPECT_EQ(render_html(R"(<a href="https://x.test/">guide</a> <code>/snooze</code> <u>u</u>)", true),
              "guide /snooze u");
}

TEST(RenderHtml, UnescapesTheEntitiesTelegramUses) {
    EXPECT_EQ(render_html("3 &lt; 5 &gt; 1 &amp; &quot;ok&quot; it&#39;s", false), "3 < 5 > 1 & \"ok\" it's");
    EXPECT_EQ(render_html("&#x27;&#8212;&apos;", false), "'\xE2\x80\x94'");
}

TEST(RenderHtml, KeepsStrayAmpersandsAndAngleBrackets) {
    EXPECT_EQ(render_html("salt & pepper", false), "salt & pepper");
    EXPECT_EQ(render_html("&bogus; &#0; 2 < 3", false), "&bogus; &#0; 2 < 3");
}

TEST(RenderHtml, KeepsMultiByteTextIntact) { EXPECT_EQ(render_html("<b>🍝 Pâtes</b>", false), "🍝 Pâtes"); }

TEST(Buttons, NumbersLabelsInReadingOrderAcrossRows) {
    const json markup = json::parse(R"({"inline_keyboard":[[{"text":"A","callback_data":"a"}],
        [{"text":"B","callback_data":"b"},{"text":"C"}]]})");
    EXPECT_EQ(button_labels(markup), (std::vector<std::string>{"A", "B", "C"}));
    EXPECT_EQ(button_data(markup), (std::vector<std::string>{"a", "b", ""}));
    EXPECT_EQ(render_buttons(button_labels(markup)), "[1] A  [2] B  [3] C");
}

TEST(Buttons, RendersTheReminderRowAsNumberedChoices) {
    EXPECT_EQ(render_buttons(button_labels(three_buttons())), "[1] ✅ Done  [2] ⏰ Snooze 15 min  [3] Skip");
}

TEST(Buttons, NoKeyboardMeansNoButtons) {
    EXPECT_TRUE(button_labels(json()).empty());
    EXPECT_TRUE(button_labels(json::parse(R"({"remove_keyboard":true})")).empty());
    EXPECT_TRUE(button_labels(json::parse(R"({"inline_keyboard":"junk"})")).empty());
    EXPECT_EQ(render_buttons({}), "");
}

TEST(BotMessage, PrefixesTimeAndBotAndIndentsFollowingLines) {
    const std::time_t t = std::time(nullptr);
    const std::string out = render_bot_message(t, "Plan for 15 mi\n- eat\n- drink\n", {}, false);
    const std::string stamp = terminal_clock_text(t);
    EXPECT_EQ(
        out, stamp + " bot › Plan for 15 mi\n" + std::string(15, ' ') + "- eat\n" + std::string(15, ' ') + "- drink\n");
}

TEST(BotMessage, LeavesBlankLinesEmpty) {
    const std::string out = render_bot_message(std::time(nullptr), "a\n\nb\n\n", {}, false);
    EXPECT_NE(out.find(" bot › a\n\n" + std::string(15, ' ') + "b\n"), std::string::npos) << out;
    EXPECT_TRUE(out.ends_with("b\n")) << out;
}

TEST(BotMessage, PutsNumberedButtonsUnderTheText) {
    const std::string out = render_bot_message(std::time(nullptr), "Eat now", button_labels(three_buttons()), false);
    EXPECT_NE(out.find(" bot › Eat now\n"), std::string::npos);
    EXPECT_NE(out.find("\n" + std::string(15, ' ') + "[1] ✅ Done  [2] ⏰ Snooze 15 min  [3] Skip\n"), std::string::npos);
}

TEST(BotMessage, WrapsLongLinesAtWordBoundariesKeepingTheIndent) {
    const std::string words = "Tell me your weight and I'll add grams and litres to every reminder from now on.";
    const std::string out = render_bot_message(std::time(nullptr), words + "\nshort", {}, false, 40);
    std::size_t lines = 0;
    for (std::size_t at = 0, nl; (nl = out.find('\n', at)) != std::string::npos; at = nl + 1, ++lines) {
        const std::string line = out.substr(at, nl - at);
        EXPECT_LE(display_width(line), 40u) << line;
        if (lines > 0) {
            EXPECT_EQ(line.rfind(std::string(15, ' '), 0), 0u) << "continuation keeps the indent: " << line;
        }
        EXPECT_NE(line.back(), ' ') << line;
    }
    EXPECT_GE(lines, 4u);
    EXPECT_NE(out.find("Tell me your"), std::string::npos);  // words are never split
    EXPECT_EQ(out.find("wei\n"), std::string::npos);
    // Escapes and multi-byte characters take no extra room.
    EXPECT_EQ(display_width("\x1b[1mbold\x1b[22m \xE2\x9C\x85"), 6u);
}

TEST(BotMessage, AButtonPressShowsOnlyWhatTheEditAdded) {
    EXPECT_EQ(edit_outcome("💧 <b>Drink up</b>: long text\nmore\n\n<i>⏰ Snoozed for 15 minutes.</i>"),
              "<i>⏰ Snoozed for 15 minutes.</i>");
    EXPECT_EQ(edit_outcome("one paragraph"), "one paragraph");
}

TEST(BotMessage, ClockTextIsHoursMinutesSeconds) {
    const std::string c = terminal_clock_text(std::time(nullptr));
    ASSERT_EQ(c.size(), 8u);
    EXPECT_EQ(c[2], ':');
    EXPECT_EQ(c[5], ':');
}

TEST(Toast, IsDimOnlyOnATerminal) {
    EXPECT_EQ(render_toast("Marked done", false), std::string(15, ' ') + "(Marked done)\n");
    EXPECT_EQ(render_toast("Marked done", true), "\x1b[2m" + std::string(15, ' ') + "(Marked done)\x1b[22m\n");
}

}  // namespace
}  // namespace rb
